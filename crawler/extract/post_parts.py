"""The post on a blog page: where its body is, and the body's own text.

The body is looked for by the names blog platforms give it (`.post-body` on Blogger,
`.entry-body` on TypePad, `.entry-content` on WordPress, `articleBody` microdata), then an
`<article>`, then the block with the most paragraph text. A page showing several full posts is an
index, not a post: it yields none, and the spider finds each post on its own page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from lxml import etree

from crawler.extract.html_tree import Element, class_tokens, nodes_within, visible_text
from crawler.extract.post_facts import DateReader, post_facts
from crawler.extract.regions import away_nodes, is_away, is_comment_region

if TYPE_CHECKING:
    from crawler.extract.page_scan import PageScan


@dataclass(slots=True)
class FoundPost:
    body: Element
    title: str | None
    text: str
    author: str | None
    published: datetime | None


def has_class(name: str) -> str:
    """XPath: the element's class list holds `name`."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


_BODY_CLASSES = (
    "post-body",
    "entry-body",
    "entry-content",
    "post-content",
    "article-body",
    "article-content",
    "articlebody",
    "post-entry",
    "single-content",
    "td-post-content",
    "wp-block-post-content",
    "story-body",
    "blog-post-content",
    "post-text",
    "blogbody",
)
_BODY_RANKS = {name: rank for rank, name in enumerate(_BODY_CLASSES, start=1)}
_ARTICLE_RANK = len(_BODY_CLASSES) + 1
_POST_CLASS_RANK = _ARTICLE_RANK + 1
_MAIN_RANK = _POST_CLASS_RANK + 1
_NOT_PROSE_REGIONS = etree.XPath("//head | //header | //footer | //script | //style")
_PARAGRAPHS = etree.XPath("//p")
# Inside a post body but not what its author wrote for it: a class whose words (split at "-"
# and "_") include one of these.
_CHROME_WORDS = (
    "comment",
    "comments",
    "sidebar",
    "related",
    "respond",
    "share",
    "sharing",
    "social",
    "newsletter",
    "subscribe",
    "advert",
    "banner",
    "authorbox",
    "byline",
    "posted",
    "title",
    "titolo",
    "postmetadata",
    "sharedaddy",
)
# Chrome named by two words ("author-box", "post-navigation"): both must be in the class.
_CHROME_PAIRS = (
    ("author", "box"),
    ("author", "bio"),
    ("about", "author"),
    ("post", "navigation"),
    ("nav", "links"),
    ("entry", "meta"),
    ("post", "meta"),
    ("post", "footer"),
    ("entry", "footer"),
    ("feed", "links"),
    ("post", "feeds"),
    ("breadcrumbs",),
    ("breadcrumb",),
)
# Whole class names only: "meta" or "info" inside a longer name may be anything.
_CHROME_TOKENS = frozenset({"meta", "info", "dateline", "date", "data", "author", "autore"})
_CHROME_TAGS = frozenset({"aside", "nav", "header", "footer", "form", "h1"})
_CONTAINER_CLASSES = frozenset(
    {"post", "hentry", "h-entry", "entry", "type-post", "blog-post", "post-outer", "single-post"}
)
_MIN_POST_CHARS = 200
_MIN_DENSE_CHARS = 80
_FAR_MORE = 3


def find_post(
    root: Element, read_date: DateReader, scan: PageScan | None = None
) -> FoundPost | None:
    """The page's post, or `None` for index pages and pages without one. `scan` is the page's
    `PageScan` when the caller has one (else the page is walked here)."""
    away = AwayFilter(root, scan)
    texts = _PostTexts()
    body = _find_body(root, away, texts, scan.body_ranks if scan is not None else None)
    if body is None:
        return None
    facts = post_facts(
        root,
        _container_of(body),
        away,
        read_date,
        body,
        scan.page_facts if scan is not None else None,
        scan,
    )
    title = facts.title_element
    if title is None or not _walked_by_post_text(body, title):
        text = texts(body)  # the title is not in the text's way: the text measured already
    else:
        text = _post_text(body, title)
    return FoundPost(body, facts.title, text, facts.author, facts.published)


class _PostTexts:
    """`_post_text` of the body candidates (without a title to leave out), each read once:
    the body's text is measured while choosing the body and is then the post's text."""

    def __init__(self) -> None:
        self.texts: dict[Element, str] = {}

    def __call__(self, node: Element) -> str:
        text = self.texts.get(node)
        if text is None:
            text = self.texts[node] = _post_text(node)
        return text


def _walked_by_post_text(body: Element, node: Element) -> bool:
    """Whether `_post_text(body, ...)` may meet `node` on its walk (inside the body, or inside
    the element after it, which TypePad's "entry-more" continues the body in)."""
    following = body.getnext()
    return any(up is body or up is following for up in node.iterancestors())


class AwayFilter:
    """Drops elements inside comment threads, sidebars, forms and navigation: one set of every
    element inside such regions, built once, so no page (however deep) makes this quadratic."""

    def __init__(self, root: Element, scan: PageScan | None = None) -> None:
        if scan is not None:
            self.inside = scan.away.nodes(for_post=True)
        else:
            self.inside = away_nodes(root, for_post=True)

    def __call__(self, nodes: list[Element]) -> list[Element]:
        return [node for node in nodes if node not in self.inside]


def _names(element: Element) -> list[str]:
    ident = (element.get("id") or "").lower()
    tokens = class_tokens(element)
    return [*tokens, ident] if ident else tokens


_CHROME_WORD_SET = frozenset(_CHROME_WORDS)


def _is_chrome(element: Element) -> bool:
    if element.tag in _CHROME_TAGS:
        return True
    if not element.keys():  # no attribute: one call says so, instead of two
        return False
    classes, ident = element.get("class"), element.get("id")
    if not classes and not ident:
        return False
    return (
        _chrome_names(classes or "", ident or "") or is_away(element) or is_comment_region(element)
    )


@lru_cache(maxsize=8192)
def _chrome_names(classes: str, ident: str) -> bool:
    names = classes.lower().split() + ([ident.lower()] if ident else [])
    if not _CHROME_TOKENS.isdisjoint(names):
        return True
    for name in names:
        words = set(re.split(r"[-_]", name))
        if not _CHROME_WORD_SET.isdisjoint(words):
            return True
        if any(all(part in words for part in pair) for pair in _CHROME_PAIRS):
            return True
    return False


def _find_body(
    root: Element,
    away: AwayFilter,
    texts: _PostTexts,
    by_rank: dict[int, list[Element]] | None = None,
) -> Element | None:
    """The surest-named candidate that holds a post's worth of text; a short one (a teaser
    card named like a post) only when no block elsewhere holds more. `by_rank`: the page's
    candidates by `body_rank`, when a walk found them already."""
    if by_rank is None:
        by_rank = {}
        for node in root.iter():
            if not isinstance(node.tag, str):
                continue
            rank = body_rank(node)
            if rank is not None:
                by_rank.setdefault(rank, []).append(node)
    short: tuple[int, Element] | None = None
    for rank in sorted(by_rank):
        candidates = away(by_rank[rank])
        chosen = set(candidates)
        outermost = [
            node
            for node in candidates
            if len(chosen) == 1 or not any(up in chosen for up in node.iterancestors())
        ]
        if not outermost:
            continue
        lengths = [(len(texts(node)), node) for node in outermost]
        if len(outermost) > 1 and sum(length >= _MIN_POST_CHARS for length, _ in lengths) >= 2:
            longest = max(lengths, key=lambda pair: pair[0])
            return _beyond_index(by_rank, rank, longest, away, texts)
        length, best = max(lengths, key=lambda pair: pair[0])
        if short is not None and any(up is best for up in short[1].iterancestors()):
            continue  # a wrapper around a surer candidate adds only chrome
        if length >= _MIN_POST_CHARS:
            return best
        if length and (short is None or length > short[0]):
            short = (length, best)
    dense = _densest_block(root, away)
    if short is None:
        return dense
    holds_short = dense is not None and any(up is dense for up in short[1].iterancestors())
    if dense is not None and not holds_short and len(texts(dense)) > short[0]:
        return dense
    return short[1]


def _beyond_index(
    by_rank: dict[int, list[Element]],
    rank: int,
    longest: tuple[int, Element],
    away: AwayFilter,
    texts: _PostTexts,
) -> Element | None:
    """Several post-sized blocks: an index page, unless a block named less surely holds far
    more text than any of them (the article beside a column of boxes named like posts)."""
    for later in sorted(r for r in by_rank if r > rank):
        for node in away(by_rank[later]):
            if any(up is node for up in longest[1].iterancestors()):
                continue
            if len(texts(node)) >= _FAR_MORE * longest[0]:
                return node
    return None


def body_rank(node: Element) -> int | None:
    """Where `node` stands among body candidates (lower is surer); `None` if it is none."""
    if node.get("itemprop") == "articleBody":
        return 0
    classes = node.get("class")
    rank = _class_rank(classes) if classes else None
    if rank is not None and rank < _ARTICLE_RANK:
        return rank
    if node.tag == "article":
        return _ARTICLE_RANK
    if rank is not None:
        return rank
    if node.tag == "main" or node.get("role") == "main":
        return _MAIN_RANK
    return None


@lru_cache(maxsize=8192)
def _class_rank(classes: str) -> int | None:
    tokens = classes.lower().split()
    ranks = [_BODY_RANKS[token] for token in tokens if token in _BODY_RANKS]
    if ranks:
        return min(ranks)
    if not {"hentry", "post", "entry"}.isdisjoint(tokens):
        return _POST_CLASS_RANK
    return None


def _densest_block(root: Element, away: AwayFilter) -> Element | None:
    """The element whose own paragraphs hold the most text (nav, sidebars, comments aside)."""
    not_prose = nodes_within(_NOT_PROSE_REGIONS(root))
    scores: dict[Element, int] = {}
    for paragraph in away(_PARAGRAPHS(root)):
        parent = paragraph.getparent()
        if paragraph not in not_prose and parent is not None:
            scores[parent] = scores.get(parent, 0) + len("".join(paragraph.itertext()).strip())
    if not scores:
        return None
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] >= _MIN_DENSE_CHARS else None


def _post_text(body: Element, title: Element | None = None) -> str:
    """The body's text without its chrome (and without the title, which is kept apart)."""

    def skip(node: Element) -> bool:
        return node is title or _is_chrome(node)

    text = visible_text(body, skip)
    following = body.getnext()
    if (
        "entry-body" in class_tokens(body)
        and following is not None
        and "entry-more" in class_tokens(following)
    ):
        text = "\n\n".join(part for part in (text, visible_text(following, skip)) if part)
    return text


def _container_of(body: Element) -> Element:
    for node in (body, *body.iterancestors()):
        itemtype = (node.get("itemtype") or "").lower()
        if (
            node.tag == "article"
            or _CONTAINER_CLASSES.intersection(class_tokens(node))
            or "blogposting" in itemtype
            or itemtype.endswith("article")
        ):
            return node
    return body
