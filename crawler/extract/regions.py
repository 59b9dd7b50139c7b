"""The parts of a page that are never the post or its comments: sidebars, widgets, menus,
related-post lists, comment forms.

They are known by their tag (`aside`, `nav`), their ARIA role, or a whole class or id name
(`sidebar`, `widget`, `related-posts`): never by a part of a longer name, so a body class such
as `content-sidebar` or `no-sidebars` hides nothing. And a region that holds most of the page's
text, or the post itself, is the page's layout, not a sidebar (Drupal and Future plc wrap the
article in `widget-area` blocks, some themes in `#sidebar`).
"""

from __future__ import annotations

from functools import lru_cache

from lxml import etree

from crawler.extract.html_tree import Element

AWAY_TAGS = frozenset({"aside", "nav"})
AWAY_ROLES = frozenset({"navigation", "complementary", "banner", "search", "menu"})
AWAY_NAMES = frozenset(
    {
        *("sidebar", "side-bar", "sidebar-left", "sidebar-right", "sidebar-primary"),
        *("sidebar-secondary", "secondary", "widget", "widgets", "widget-area", "widgetarea"),
        *("widget-container", "footer-widgets", "recentcomments", "recent-comments"),
        *("widget-recent-comments", "widget_recent_comments", "recent-posts", "related"),
        *("related-posts", "relatedposts", "jp-relatedposts", "yarpp-related", "crp_related"),
        *("popular-posts", "most-popular", "more-posts", "menu", "breadcrumb", "breadcrumbs"),
        *("comment-respond", "respond", "comment-form", "commentform", "reply-form"),
    }
)
_MOST_OF_THE_PAGE = 0.5
_COMMENT_WORDS = frozenset(
    {"comment", "comments", "commenti", "commento", "kommentare", "comentarios", "commentaires"}
)
_COMMENT_STEMS = ("comment", "kommentare", "comentarios")
# A sidebar never holds the page's own heading or main content.
_MAIN = etree.XPath("boolean(.//h1 | .//main | .//*[@itemprop = 'articleBody'])")
_UNREAD = frozenset({"head", "script", "style", "template", "noscript"})


def is_away(element: Element) -> bool:
    """Whether the element itself is a sidebar, widget, menu, related list or comment form."""
    if element.tag in AWAY_TAGS or (element.get("role") or "").lower() in AWAY_ROLES:
        return True
    return _away_names(element.get("class") or "", element.get("id") or "")


@lru_cache(maxsize=8192)
def _away_names(classes: str, ident: str) -> bool:
    return ident.lower() in AWAY_NAMES or not AWAY_NAMES.isdisjoint(classes.lower().split())


def id_roles(ident: str) -> tuple[bool, bool]:
    """What an id alone makes an element: away (`sidebar`), a comment region (`comments`).
    Whatever else the element is, these add to it: `is_away` is its tag, role and classes or
    its id, `is_comment_region` its itemtype and classes or its id. (Not cached: ids are
    mostly unique.)"""
    name = ident.lower()
    return name in AWAY_NAMES, bool(name) and _names_comments(name)


def _away_from_post(element: Element) -> bool:
    return element.tag == "form" or is_comment_region(element)


def is_comment_region(element: Element) -> bool:
    """Whether the element is named as (part of) a comment thread: a class or id whose words
    include "comment" (`comments`, `comment-list`, `fyre-comment-stream`), or `Comment`
    microdata."""
    if "comment" in (element.get("itemtype") or "").lower():
        return True
    return _comment_names(element.get("class") or "", element.get("id") or "")


@lru_cache(maxsize=8192)
def _comment_names(classes: str, ident: str) -> bool:
    names = [*classes.lower().split(), ident.lower()]
    return any(_names_comments(name) for name in names if name)


def _names_comments(name: str) -> bool:
    """Whether one of the words of a lower-case name (split at "-" and "_") is a comment word;
    every comment word holds one of `_COMMENT_STEMS`, so most names are settled without a
    split."""
    if not any(stem in name for stem in _COMMENT_STEMS):
        return False
    return not _COMMENT_WORDS.isdisjoint(name.replace("_", "-").split("-"))


def away_regions(
    root: Element, keep: Element | None = None, *, for_post: bool = False
) -> list[Element]:
    """The page's away regions, outermost first, leaving out any that holds `keep` (the post),
    the page's main heading or content, or most of the page's text. `for_post` counts comment
    threads and forms as away too (they are never the post)."""
    return AwayRegions(root, away_candidates(root)).regions(keep, for_post=for_post)


def away_nodes(
    root: Element, keep: Element | None = None, *, for_post: bool = False
) -> set[Element]:
    """Every element inside an away region (the regions themselves included)."""
    return AwayRegions(root, away_candidates(root)).nodes(keep, for_post=for_post)


# A candidate: an element that is away itself (`is_away`), or only for the post (a comment
# thread, a form), in document order.
Candidate = tuple[Element, bool, bool]


def away_candidate(node: Element) -> Candidate | None:
    """`node` as a candidate away region, or `None`; for a walk that leaves out `<html>`,
    `<body>` and what is never read (`<head>`, scripts, styles, templates)."""
    away = is_away(node)
    for_post = _away_from_post(node)
    return (node, away, for_post) if away or for_post else None


def away_candidates(root: Element) -> list[Candidate]:
    """Every candidate away region of the page, in document order (one walk)."""
    found: list[Candidate] = []
    walker = etree.iterwalk(root, events=("start",))
    for _, node in walker:
        tag = node.tag
        if not isinstance(tag, str):
            continue
        if tag in _UNREAD:
            walker.skip_subtree()
            continue
        if tag in ("html", "body"):
            continue
        candidate = away_candidate(node)
        if candidate is not None:
            found.append(candidate)
    return found


class AwayRegions:
    """The away regions of one page from its candidates, found once and then asked for with or
    without the post's own exclusions (`for_post`) and around any `keep`: the post's finder and
    the comments' finder ask for different sets, and neither walks the page again.

    What is measured of a candidate (its main content, its text size) is measured once."""

    def __init__(self, root: Element, candidates: list[Candidate]) -> None:
        self.root = root
        self.candidates = candidates
        self._page: int | None = None
        self._main: dict[Element, bool] = {}
        self._size: dict[Element, int] = {}
        self._found: dict[tuple[Element | None, bool], tuple[list[Element], set[Element]]] = {}

    def regions(self, keep: Element | None = None, *, for_post: bool = False) -> list[Element]:
        """As `away_regions`."""
        return self._regions_and_nodes(keep, for_post)[0]

    def nodes(self, keep: Element | None = None, *, for_post: bool = False) -> set[Element]:
        """As `away_nodes`. The set is shared: callers only read it."""
        return self._regions_and_nodes(keep, for_post)[1]

    def _regions_and_nodes(
        self, keep: Element | None, for_post: bool
    ) -> tuple[list[Element], set[Element]]:
        key = (keep, for_post)
        if key not in self._found:
            self._found[key] = self._find(keep, for_post)
        return self._found[key]

    def _find(self, keep: Element | None, for_post: bool) -> tuple[list[Element], set[Element]]:
        # The candidates in document order, each region kept hiding what is inside it: the
        # walk of one region at a time, without walking.
        kept: list[Element] = []
        inside: set[Element] = set()
        for node, away, post_only in self.candidates:
            if node in inside or not (away or (for_post and post_only)):
                continue
            if keep is not None and (node is keep or _holds(node, keep)):
                continue
            if self._holds_main(node):
                continue
            # A comment thread may well hold most of the text; a sidebar may not.
            if not (for_post and not away and is_comment_region(node)):
                page = self._page_size()
                if page and self._text_size(node) > _MOST_OF_THE_PAGE * page:
                    continue
            kept.append(node)
            inside.update(node.iter())
        return kept, inside

    def _holds_main(self, node: Element) -> bool:
        if node not in self._main:
            self._main[node] = bool(_MAIN(node))
        return self._main[node]

    def _page_size(self) -> int:
        if self._page is None:
            self._page = _text_size(self.root)
        return self._page

    def _text_size(self, node: Element) -> int:
        if node not in self._size:
            self._size[node] = _text_size(node)
        return self._size[node]


def _holds(container: Element, node: Element) -> bool:
    return any(up is container for up in node.iterancestors())


def _text_size(element: Element) -> int:
    """Characters of text in `element`, scripts and styles aside (spacing counted: the size
    is only ever compared with the page's, measured the same way)."""
    size = len(etree.tostring(element, method="text", encoding="unicode", with_tail=False))
    for unread in element.iter("script", "style"):
        size -= len(etree.tostring(unread, method="text", encoding="unicode", with_tail=False))
    return size
