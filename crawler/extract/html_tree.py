"""A forgiving lxml tree of a page, and the visible text of any part of it.

The one way every extractor turns markup into a tree. lxml parses a megabyte of HTML in a tenth
of the time BeautifulSoup needs, which matters when a crawl reads thousands of pages. libxml2,
however, stops at a fixed nesting depth and silently drops the rest of the page, and blog pages
get that deep when a theme leaves a tag unclosed in every comment; such pages are re-parsed with
html5lib, which follows the browsers' rules (slower, but only for those pages).

That fallback is bounded, since html5lib is pure Python (a few hundred KB a second) and pages are
written by strangers: a page that needs it is refused with `PageTooComplex` when it is larger
than `MAX_FALLBACK_BYTES`, nests deeper than `MAX_NESTING` elements, or takes longer than
`PARSE_SECONDS`, and the crawl skips it as an error (200,000 nested `<div>`s fit in 2.4 MB).
html5lib is also quadratic in nesting depth as published (each start tag scans the whole stack
of open elements for a `<p>` to close); the stack kept here answers "is a `<p>` open at all?" at
once, which makes deep pages linear.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import html5lib
import lxml.html
from html5lib.constants import namespaces
from html5lib.treebuilders import etree_lxml
from lxml import etree

from crawler.extract.text import clean_text

Element = etree._Element

BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "center",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    }
)
# Never part of what a reader sees as the text: code, styling, embedded objects, form controls.
HIDDEN_TAGS = frozenset(
    {
        "button",
        "embed",
        "form",
        "head",
        "iframe",
        "input",
        "link",
        "meta",
        "noscript",
        "object",
        "option",
        "script",
        "select",
        "style",
        "svg",
        "template",
        "textarea",
        "title",
    }
)


# Bounds of the html5lib fallback for pages deeper than libxml2's 2,048 levels: far deeper than
# any page a person reads, far shallower than a page written to hang a parser; a few seconds of
# html5lib at most; a safety net for markup that is slow in other ways.
MAX_NESTING = 5_000
MAX_FALLBACK_BYTES = 2 * 1024 * 1024
PARSE_SECONDS = 10.0


class PageTooComplex(Exception):
    """A page nested too deep, or too slow, to be parsed within its budget."""


_LINE_BREAKS = frozenset({"br", "hr"})


def parse_html(markup: str, *, html_elements: bool = False) -> Element | None:
    """The root element of a page, however broken its markup; `None` for an empty page.

    Raises `PageTooComplex` for a page nested too deep to parse within its budget.

    Elements are plain lxml elements: lxml.html's element classes cost a Python lookup per node
    touched, and the blog extractors touch every node. `html_elements` asks for those classes
    (`drop_tree`, `text_content`) all the same, for extruct's microdata extractor, which needs
    them; a page re-parsed by html5lib has plain elements either way.
    """
    page = parse_page(markup, html_elements=html_elements)
    return page.root if page is not None else None


@dataclass(frozen=True, slots=True)
class PageTree:
    """A parsed page, and whether libxml2 read its markup as it is (`as_is`): no character
    replaced for being unencodable (a lone surrogate) and no html5lib re-parse of a page too
    deep for libxml2. Only then does another libxml2 parse of the same markup (the link
    finder's, crawler/spiders/links.py) meet the same elements, so it may take this tree."""

    root: Element
    as_is: bool


def parse_page(markup: str, *, html_elements: bool = False) -> PageTree | None:
    """`parse_html`, saying how the tree was made (`PageTree`).

    The markup goes through UTF-8 bytes because lxml refuses a `str` that still carries an XML
    encoding declaration, which pages served as XHTML often do.
    """
    if not markup or not markup.strip():
        return None
    try:
        data, as_is = markup.encode("utf-8"), True
    except UnicodeEncodeError:
        data, as_is = markup.encode("utf-8", "replace"), False
    options = {"encoding": "utf-8", "remove_comments": True, "remove_pis": True, "huge_tree": True}
    parser = lxml.html.HTMLParser(**options) if html_elements else etree.HTMLParser(**options)
    try:
        root = etree.fromstring(data, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    if root is None:
        return None
    if any(entry.type_name == "ERR_RESOURCE_LIMIT" for entry in parser.error_log):
        if len(data) > MAX_FALLBACK_BYTES:
            raise PageTooComplex(
                f"nested deeper than libxml2 parses, and larger than "
                f"{MAX_FALLBACK_BYTES // 1024 // 1024} MB"
            )
        return PageTree(_parse_without_depth_limit(markup), as_is=False)
    return PageTree(root, as_is)


def _parse_without_depth_limit(markup: str) -> Element:
    parser = html5lib.HTMLParser(tree=_BoundedTreeBuilder, namespaceHTMLElements=False)
    root = parser.parse(markup).getroot()
    etree.strip_tags(root, etree.Comment, etree.ProcessingInstruction)
    return root


class _OpenElements(list):
    """html5lib's stack of open elements, bounded, and counting the names on it.

    html5lib mutates the stack with `append`, `pop`, `remove`, `insert` and item assignment
    only; the count of each name lets `elementInScope` say "not open" without a scan, and
    element identities make `in` constant-time.
    """

    def __init__(self, deadline: float) -> None:
        super().__init__()
        self.names: Counter[Any] = Counter()
        self.ids: set[int] = set()
        self.deadline = deadline

    def _added(self, node: Any) -> None:
        self.names[node.nameTuple] += 1
        self.ids.add(id(node))
        if len(self) > MAX_NESTING:
            raise PageTooComplex(f"nested more than {MAX_NESTING:,} elements deep")
        if len(self) % 64 == 0 and time.monotonic() > self.deadline:
            raise PageTooComplex(f"not parsed within {PARSE_SECONDS:g} s")

    def _removed(self, node: Any) -> None:
        self.names[node.nameTuple] -= 1
        self.ids.discard(id(node))

    def append(self, node: Any) -> None:
        super().append(node)
        self._added(node)

    def insert(self, index: Any, node: Any) -> None:
        super().insert(index, node)
        self._added(node)

    def pop(self, index: Any = -1) -> Any:
        node = super().pop(index)
        self._removed(node)
        return node

    def remove(self, node: Any) -> None:
        super().remove(node)
        self._removed(node)

    def __setitem__(self, index: Any, node: Any) -> None:
        if isinstance(index, slice):
            raise TypeError("html5lib never assigns slices of its stack")
        self._removed(self[index])
        super().__setitem__(index, node)
        self._added(node)

    def __delitem__(self, index: Any) -> None:
        for node in self[index] if isinstance(index, slice) else [self[index]]:
            self._removed(node)
        super().__delitem__(index)

    def __contains__(self, node: object) -> bool:
        return id(node) in self.ids

    def has_name(self, name: Any) -> bool:
        return self.names[name] > 0


class _BoundedTreeBuilder(etree_lxml.TreeBuilder):
    """html5lib's lxml tree builder, with the bounded, counting stack of open elements."""

    def reset(self) -> None:
        super().reset()
        self.openElements = _OpenElements(time.monotonic() + PARSE_SECONDS)

    def elementInScope(self, target: Any, variant: Any = None) -> bool:
        if hasattr(target, "nameTuple"):
            name = target.nameTuple
        else:
            name = (namespaces["html"], target) if isinstance(target, str) else target
        if not self.openElements.has_name(name):
            return False
        return super().elementInScope(target, variant)


def class_tokens(element: Element) -> list[str]:
    """The element's classes, lower-cased."""
    return (element.get("class") or "").lower().split()


def nodes_within(regions: list[Element]) -> set[Element]:
    """Every element inside any of `regions` (themselves included), each visited once.

    Membership in this set replaces a walk up the ancestors of each candidate, which is
    quadratic on pages nested thousands of levels deep.
    """
    inside: set[Element] = set()
    for region in regions:
        if region not in inside:
            inside.update(region.iter())
    return inside


def is_hidden(element: Element) -> bool:
    """True for elements a browser would not show (hidden tags, `hidden`, inline display:none)."""
    tag = element.tag
    if not isinstance(tag, str) or tag in HIDDEN_TAGS:
        return True
    if element.get("hidden") is not None:
        return True
    style = element.get("style")
    return bool(style) and "display:none" in style.replace(" ", "").lower()


def visible_text(element: Element | None, skip: Callable[[Element], bool] | None = None) -> str:
    """The text a reader sees in `element`, paragraphs kept, leaving out subtrees `skip` names.

    Line breaks come from the markup (blocks, `<br>`), as a browser shows them; newlines in the
    source are only spaces, except inside `<pre>`. Iterative, so arbitrarily deep trees cannot
    exhaust the stack; each node is visited once. (The hottest loop of extraction: `is_hidden`
    is spelled out inline, and a source newline becomes a space that `clean_text` then merges
    with the spacing around it.)
    """
    if element is None:
        return ""
    parts: list[str] = []
    append = parts.append
    open_pre: list[Element] = []
    walker = etree.iterwalk(element, events=("start", "end"))
    for event, node in walker:
        tag = node.tag
        if event == "start":
            if node is not element:
                if not isinstance(tag, str) or tag in HIDDEN_TAGS:
                    walker.skip_subtree()
                    continue
                if node.keys():  # one call for the many elements without attributes
                    if node.get("hidden") is not None:
                        walker.skip_subtree()
                        continue
                    style = node.get("style")
                    if style and "display:none" in style.replace(" ", "").lower():
                        walker.skip_subtree()
                        continue
                if skip is not None and skip(node):
                    walker.skip_subtree()
                    continue
            if tag in BLOCK_TAGS:
                append("\n")
            if tag == "pre":
                open_pre.append(node)
            text = node.text
            if text and isinstance(tag, str):
                append(text if open_pre or "\n" not in text else text.replace("\n", " "))
        else:
            if open_pre and open_pre[-1] is node:
                open_pre.pop()
            if tag in BLOCK_TAGS and tag not in _LINE_BREAKS:
                append("\n")
            if node is not element:
                tail = node.tail
                if tail:
                    append(tail if open_pre or "\n" not in tail else tail.replace("\n", " "))
    return clean_text("".join(parts))
