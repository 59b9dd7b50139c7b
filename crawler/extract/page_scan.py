"""One walk over a page's tree for what several extractors ask of the whole page.

The blog extractor used to walk the tree (or run an XPath over all of it) once per question:
which platform the markup betrays, where the sidebars and comment forms are (twice: for the post
and for the comments), which elements may be the post's body or name its title, author and
date, and the page's text for reading its dates. `PageScan` answers them all from one walk
and keeps the answers for that page only: it is built per page and passed down, never cached
at module level, so two pages through the same process never share an answer.
"""

from __future__ import annotations

import re
from functools import lru_cache

from crawler.extract.comment_platforms import WORDPRESS_COMMENT_LISTS
from crawler.extract.html_tree import Element
from crawler.extract.page_meta import json_ld_texts
from crawler.extract.post_facts import is_page_fact
from crawler.extract.post_parts import body_rank
from crawler.extract.regions import AwayRegions, Candidate, away_candidate, id_roles

# Never read as the page's text, nor as a sidebar: what a browser does not show as the page.
UNREAD_TAGS = frozenset({"head", "script", "style", "template", "noscript"})
# Characters of the page's text kept for reading its dates (page_dates.py).
TEXT_SAMPLE_CHARS = 200_000

_GENERATOR_NAME = str.maketrans("GENRATO", "genrato")
_GENERATOR_NAMES = (
    ("wordpress", "wordpress"),
    ("blogger", "blogger"),
    ("typepad", "typepad"),
    ("movable type", "typepad"),
    ("splinder", "typepad"),
)
_WORDPRESS_PATHS = ("/wp-content/", "/wp-includes/")
_WORDPRESS_LISTS = frozenset({"commentlist", "comment-list", "wp-block-comment-template"})
_TELLTALE_TAGS = frozenset({"meta", "link", "script", "input", "dl"})
# XPath's normalize-space: only these four characters separate class names.
_XML_SPACE = re.compile("[ \t\r\n]+")


@lru_cache(maxsize=4096)
def _class_names(classes: str) -> frozenset[str]:
    """The names of a class attribute as XPath's `contains(concat(' ', normalize-space(@class),
    ' '), ' name ')` sees them."""
    return frozenset(_XML_SPACE.split(classes))


# What an element is to the scan, from the attributes the per-element tests read: an away
# candidate (away itself, away only for the post), its rank as a post body, whether it may name
# one of the post's facts, and its class names that betray a platform.
_Roles = tuple[bool, bool, int | None, bool, frozenset[str]]
_ROLES: dict[tuple[str | None, ...], _Roles] = {}
_MAX_ROLES = 16_384
# The class names the scan keeps elements for; WordPress comment lists as its extractor finds
# them (`comment_platforms`: any of these on an `ol`, `ul` or `div`).
_PLATFORM_NAMES = frozenset(
    {*_WORDPRESS_LISTS, "comments-list", "comment-thread", "blog-posts", "post-body"}
)
_WORDPRESS_COMMENT_LISTS = frozenset(WORDPRESS_COMMENT_LISTS)
_LIST_TAGS = frozenset({"ol", "ul", "div"})


class _Attributes:
    """An element as the per-element tests see it: its tag and the few attributes they read.
    Elements that share them (most of a page's) are judged once."""

    __slots__ = ("attributes", "tag")

    def __init__(self, tag: str, attributes: dict[str, str]) -> None:
        self.tag = tag
        self.attributes = attributes

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attributes.get(name, default)

    def keys(self) -> list[str]:
        return list(self.attributes)


# An element's id is left out (ids are mostly unique, so no two elements would share a key):
# what it adds is `id_roles`.
_READ = ("class", "role", "itemtype", "itemprop", "rel")
_NO_ATTRIBUTES = (None,) * len(_READ)


def _roles(key: tuple[str | None, ...]) -> _Roles:
    roles = _ROLES.get(key)
    if roles is None:
        tag = key[0]
        assert tag is not None
        view: Element = _Attributes(  # type: ignore[assignment]
            tag,
            {name: value for name, value in zip(_READ, key[1:], strict=True) if value is not None},
        )
        candidate = away_candidate(view)
        classes = key[1]
        names = _class_names(classes) & _PLATFORM_NAMES if classes else frozenset()
        roles = (
            candidate is not None and candidate[1],
            candidate is not None and candidate[2],
            body_rank(view),
            is_page_fact(view),
            names,
        )
        if len(_ROLES) >= _MAX_ROLES:
            _ROLES.clear()
        _ROLES[key] = roles
    return roles


class PageScan:
    """What one walk of the page found (see the module docstring)."""

    __slots__ = (
        *("away", "body_ranks", "generators", "markers", "page_facts", "root", "text"),
        *("json_ld_scripts", "metas", "unread", "wordpress_lists", "_json_ld"),
    )

    def __init__(self, root: Element) -> None:
        self.root = root
        self.unread: set[Element] = set()  # every node inside a head, script, style, ...
        self.generators: list[str] = []  # <meta name="generator"> contents, in page order
        self.markers: set[str] = set()  # platforms whose telltale markup the page holds
        self.body_ranks: dict[int, list[Element]] = {}  # post body candidates by rank
        self.page_facts: list[Element] = []  # elements of the first <body> that may be facts
        self.wordpress_lists: list[Element] = []  # WordPress comment lists, in page order
        self.metas: list[Element] = []  # every <meta>, in page order (page_meta.py reads them)
        self.json_ld_scripts: list[Element] = []  # <script type="application/ld+json">
        self._json_ld: list[str] | None = None
        candidates: list[Candidate] = []
        blog_posts: set[Element] = set()
        post_bodies: list[Element] = []
        texts: list[str] = []
        size = 0
        unread_end: Element | None = None  # the last element of the unread region we are in
        body: Element | None = None
        body_end: Element | None = None  # the last element of the first <body>
        in_body = False
        for node in root.iter():
            tag = node.tag
            element = isinstance(tag, str)
            unread = unread_end is not None or (element and tag in UNREAD_TAGS)
            if unread:
                self.unread.add(node)
                if unread_end is None:
                    unread_end = _last_of(node)
                if node is unread_end:
                    unread_end = None
            facts_here = in_body
            if in_body and node is body_end:
                in_body = False
            if not element:
                continue
            if node.keys():
                get = node.get
                away, post_only, rank, page_fact, names = _roles(
                    (tag, get("class"), get("role"), get("itemtype"), get("itemprop"), get("rel"))
                )
                ident = get("id")
            else:  # most elements have no attribute: one call says so, not six
                away, post_only, rank, page_fact, names = _roles((tag, *_NO_ATTRIBUTES))
                ident = None
            if ident:
                away_by_id, comments_by_id = id_roles(ident)
                away = away or away_by_id
                post_only = post_only or comments_by_id
            if not unread:
                if size < TEXT_SAMPLE_CHARS:
                    for text in (node.text, node.tail):
                        if text and not text.isspace():
                            texts.append(text)
                            size += len(text)
                if (away or post_only) and tag != "html" and tag != "body":
                    candidates.append((node, away, post_only))
            if rank is not None:
                self.body_ranks.setdefault(rank, []).append(node)
            if facts_here:
                if page_fact:
                    self.page_facts.append(node)
            elif body is None and tag == "body":
                body, body_end = node, _last_of(node)
                in_body = body_end is not node
            if tag in _TELLTALE_TAGS:
                self._look_at_telltale(node, tag)
            if names:
                if not _WORDPRESS_LISTS.isdisjoint(names):
                    self.markers.add("wordpress")
                if tag in _LIST_TAGS and not _WORDPRESS_COMMENT_LISTS.isdisjoint(names):
                    self.wordpress_lists.append(node)
                if "comment-thread" in names:
                    self.markers.add("blogger")
                if "blog-posts" in names:
                    blog_posts.add(node)
                if "post-body" in names:
                    post_bodies.append(node)
        if any(_holds_any(blog_posts, node) for node in post_bodies):
            self.markers.add("blogger")
        self.text = " ".join(texts)[:TEXT_SAMPLE_CHARS]
        if body is None:  # no <body>: the facts are looked for under the root
            self.page_facts = [
                node
                for node in root.iter()
                if node is not root and isinstance(node.tag, str) and is_page_fact(node)
            ]
        self.away = AwayRegions(root, candidates)

    def _look_at_telltale(self, node: Element, tag: str) -> None:
        markers = self.markers
        if tag == "meta":
            self.metas.append(node)
            name = node.get("name")
            content = node.get("content")
            if (
                name is not None
                and content is not None
                and name.translate(_GENERATOR_NAME) == "generator"
            ):
                self.generators.append(content)
        elif tag == "link" or tag == "script":
            if tag == "script" and node.get("type") == "application/ld+json":
                self.json_ld_scripts.append(node)
            address = node.get("href" if tag == "link" else "src")
            if address is not None:
                if any(path in address for path in _WORDPRESS_PATHS):
                    markers.add("wordpress")
                if "blogger.com" in address:
                    markers.add("blogger")
                if "typepad.com" in address:
                    markers.add("typepad")
            if tag == "link" and node.get("rel") == "https://api.w.org/":
                markers.add("wordpress")
        elif tag == "input":
            if node.get("name") == "comment_post_ID":
                markers.add("wordpress")
        elif node.get("id") == "comments-block":  # a <dl>
            markers.add("blogger")

    @property
    def json_ld(self) -> list[str]:
        """The text of the page's JSON-LD blocks (read once, for every fact looked up in it)."""
        if self._json_ld is None:
            self._json_ld = json_ld_texts(self.json_ld_scripts)
        return self._json_ld

    @property
    def platform(self) -> str | None:
        """The blog platform the markup betrays: the generator meta tag first, then telltale
        asset paths and comment markup; `None` when nothing gives it away."""
        for generator in self.generators:
            lowered = generator.lower()
            for needle, platform in _GENERATOR_NAMES:
                if needle in lowered:
                    return platform
        for platform in ("wordpress", "blogger", "typepad"):
            if platform in self.markers:
                return platform
        return None


def _last_of(node: Element) -> Element:
    """The last element inside `node` in document order (`node` itself when it is empty)."""
    while len(node):
        node = node[-1]
    return node


def _holds_any(containers: set[Element], node: Element) -> bool:
    return bool(containers) and any(up in containers for up in node.iterancestors())
