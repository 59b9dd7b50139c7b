"""A forgiving lxml tree of a page, and the visible text of any part of it.

The one way every extractor turns markup into a tree. lxml parses a megabyte of HTML in a tenth
of the time BeautifulSoup needs, which matters when a crawl reads thousands of pages. libxml2,
however, stops at a fixed nesting depth and silently drops the rest of the page, and blog pages
get that deep when a theme leaves a tag unclosed in every comment; such pages are re-parsed with
html5lib, which follows the browsers' rules and has no depth limit (slower, but only for those
pages).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import html5lib
import lxml.html
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


_LINE_BREAKS = frozenset({"br", "hr"})
_SOURCE_WHITESPACE = re.compile(r"[\r\n\t]+")


def parse_html(markup: str, *, html_elements: bool = False) -> Element | None:
    """The root element of a page, however broken its markup; `None` for an empty page.

    Elements are plain lxml elements: lxml.html's element classes cost a Python lookup per node
    touched, and the blog extractors touch every node. `html_elements` asks for those classes
    (`drop_tree`, `text_content`) all the same, for extruct's microdata extractor, which needs
    them; a page re-parsed by html5lib has plain elements either way.

    The markup goes through UTF-8 bytes because lxml refuses a `str` that still carries an XML
    encoding declaration, which pages served as XHTML often do.
    """
    if not markup or not markup.strip():
        return None
    data = markup.encode("utf-8", "replace")
    options = {"encoding": "utf-8", "remove_comments": True, "remove_pis": True, "huge_tree": True}
    parser = lxml.html.HTMLParser(**options) if html_elements else etree.HTMLParser(**options)
    try:
        root = etree.fromstring(data, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    if root is None:
        return None
    if any(entry.type_name == "ERR_RESOURCE_LIMIT" for entry in parser.error_log):
        root = _parse_without_depth_limit(markup)
    return root


def _parse_without_depth_limit(markup: str) -> Element:
    document = html5lib.parse(markup, treebuilder="lxml", namespaceHTMLElements=False)
    root = document.getroot()
    etree.strip_tags(root, etree.Comment, etree.ProcessingInstruction)
    return root


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
    exhaust the stack; each node is visited once.
    """
    if element is None:
        return ""
    parts: list[str] = []
    open_pre: list[Element] = []

    def add(text: str) -> None:
        parts.append(text if open_pre else _SOURCE_WHITESPACE.sub(" ", text))

    walker = etree.iterwalk(element, events=("start", "end"))
    for event, node in walker:
        tag = node.tag
        if event == "start":
            if node is not element and (is_hidden(node) or (skip is not None and skip(node))):
                walker.skip_subtree()
                continue
            if tag in BLOCK_TAGS:
                parts.append("\n")
            if tag == "pre":
                open_pre.append(node)
            if node.text and isinstance(tag, str):
                add(node.text)
        else:
            if open_pre and open_pre[-1] is node:
                open_pre.pop()
            if tag in BLOCK_TAGS and tag not in _LINE_BREAKS:
                parts.append("\n")
            if node is not element and node.tail:
                add(node.tail)
    return clean_text("".join(parts))
