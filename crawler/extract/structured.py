"""schema.org data of a page (JSON-LD, microdata, RDFa) as one shape of plain nested dicts.

Every node comes out the same way whatever the syntax: keys are schema.org local names
(`"http://schema.org/reviewBody"`, `"schema:reviewBody"` → `"reviewBody"`), `@type` is a list of
local names, and values are strings, numbers, nested nodes or lists of them. Microdata and RDFa
nodes carry `"@syntax"`: their strings are already the page's visible text, not markup.

JSON-LD is parsed here block by block, because extruct drops every JSON-LD block of a page when
one of them is malformed, and malformed blocks are common (trailing commas, HTML comments or
CDATA around the JSON, comments inside it). Microdata is read here too; extruct does RDFa,
which is slow (pyRdfa builds an RDF graph). Each is only run when the page has a review or
rating item.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

from extruct.rdfa import RDFaExtractor
from extruct.utils import parse_xmldom_html
from lxml import etree

from crawler.extract.html_tree import Element, visible_text

Node = dict[str, Any]
MAX_DEPTH = 40
_KEPT_AS_IS = frozenset({"@id", "@context", "@value", "@language", "@vocab", "@base"})

_SCHEMA_IRI = re.compile(r"^(?:https?://(?:www\.)?schema\.org/|schema:)", re.IGNORECASE)
_OPENING = re.compile(r"(?://\s*)?(?:<!--|<!\[CDATA\[|-->|\]\]>)")
_CLOSING = re.compile(r"(?://\s*)?(?:-->|\]\]>)$")
# A string (kept), a comment (dropped), or a comma before a closing bracket (dropped).
_JS_NOISE = re.compile(r'("(?:\\.|[^"\\])*")|//[^\n]*|/\*.*?\*/|,(?=\s*[}\]])', re.DOTALL)
_TYPE_ATTRIBUTES = {
    "microdata": etree.XPath("//@itemtype"),
    "rdfa": etree.XPath("//@typeof"),
}


def local_name(iri: str) -> str:
    """`http://schema.org/Review`, `schema:Review` and `Review` are all `Review`."""
    stripped = _SCHEMA_IRI.sub("", iri)
    return stripped.rsplit("/", 1)[-1].rsplit("#", 1)[-1] if "/" in stripped else stripped


def types_of(node: Node) -> list[str]:
    value = node.get("@type")
    if isinstance(value, str):
        return [local_name(value)]
    if isinstance(value, list):
        return [local_name(v) for v in value if isinstance(v, str)]
    return []


def _localise(value: Any, depth: int = 0) -> Any:
    """A JSON-LD value with schema.org IRIs in keys and types reduced to local names.

    Nesting deeper than any real schema.org data is cut off, so a hostile block cannot
    exhaust the stack."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(value, list):
        return [_localise(v, depth + 1) for v in value]
    if not isinstance(value, dict):
        return value
    node: Node = {}
    for key, item in value.items():
        if key == "@type":
            node[key] = types_of(value)
        elif key in _KEPT_AS_IS:
            node[key] = item
        else:
            node[local_name(key) if ":" in key else key] = _localise(item, depth + 1)
    return node


# --- JSON-LD ------------------------------------------------------------------------------


def _strip_comments_and_trailing_commas(text: str) -> str:
    """Drop `//` and `/* */` comments and commas before `}`/`]`, outside strings only."""

    def keep(match: re.Match[str]) -> str:
        return match.group(1) or ""

    return _JS_NOISE.sub(keep, text)


def _unwrap(text: str) -> str:
    """The JSON inside `<!-- … -->`, `<![CDATA[ … ]]>` and their `//`-commented forms."""
    for _ in range(3):
        text = text.strip()
        opening = _OPENING.match(text)
        if opening:
            text = text[opening.end() :]
        closing = _CLOSING.search(text, max(0, len(text) - 16))
        if closing:
            text = text[: closing.start()]
        if not opening and not closing:
            break
    return text.strip()


def _decode_all(text: str) -> tuple[list[Any], bool]:
    """The JSON values written one after another in a block, and whether all of it was read."""
    decoder = json.JSONDecoder(strict=False)
    values: list[Any] = []
    index = 0
    while index < len(text):
        while index < len(text) and (text[index].isspace() or text[index] in ",;"):
            index += 1
        if index >= len(text):
            break
        try:
            value, index = decoder.raw_decode(text, index)
        except (ValueError, RecursionError):
            return values, False
        values.append(value)
    return values, True


def parse_jsonld(text: str) -> list[Any]:
    """The JSON values of one `ld+json` block, repaired where that is cheap; `[]` if hopeless."""
    text = _unwrap(text)
    if not text:
        return []
    attempts = [text]
    if "//" in text or "/*" in text or "," in text:
        attempts.append(_strip_comments_and_trailing_commas(text))
    if "&quot;" in text or "&#34;" in text:
        attempts.append(html.unescape(text))
    best: list[Any] = []
    for attempt in attempts:
        values, complete = _decode_all(attempt)
        if complete:
            return values
        if len(values) > len(best):
            best = values
    return best


def _jsonld_nodes(tree: Element) -> Iterator[Any]:
    for script in tree.iter("script"):
        kind = (script.get("type") or "").strip().lower()
        if kind.split(";")[0].strip() != "application/ld+json":
            continue
        for value in parse_jsonld(script.text or ""):
            yield _localise(value)


# --- microdata ----------------------------------------------------------------------------
# Read here rather than by extruct: extruct cleans every text property with lxml.html's Cleaner
# (a copy of the element each time) and needs lxml.html's element classes, which cost a Python
# call for every element touched. The W3C algorithm itself is short.

_ITEMS = etree.XPath("//*[@itemscope]")
_URL_TAGS = {
    "a": "href",
    "area": "href",
    "link": "href",
    "audio": "src",
    "embed": "src",
    "iframe": "src",
    "img": "src",
    "source": "src",
    "track": "src",
    "video": "src",
    "object": "data",
}


def _microdata_value(element: Element, base_url: str, depth: int) -> Any:
    """A property's value by the W3C rules: a nested item, an attribute, or the text."""
    if element.get("itemscope") is not None:
        return _microdata_item(element, base_url, depth + 1)
    tag = element.tag
    if tag == "meta":
        return element.get("content", "")
    if tag in _URL_TAGS:
        return urljoin(base_url, (element.get(_URL_TAGS[tag]) or "").strip())
    if tag in ("data", "meter"):
        return element.get("value", "")
    if tag == "time" and element.get("datetime"):
        return element.get("datetime")
    if element.get("content"):
        return element.get("content")
    return visible_text(element)


def _microdata_item(element: Element, base_url: str, depth: int = 0) -> Node | None:
    if depth > MAX_DEPTH:
        return None
    node: Node = {"@type": types_of({"@type": (element.get("itemtype") or "").split()})}
    node["@syntax"] = "microdata"
    if element.get("itemid"):
        node["@id"] = element.get("itemid")
    values: dict[str, list[Any]] = {}
    walker = etree.iterwalk(element, events=("start",))
    for _, child in walker:
        if child is element or not isinstance(child.tag, str):
            continue
        names = (child.get("itemprop") or "").split()
        if names:
            value = _microdata_value(child, base_url, depth)
            for name in names:
                values.setdefault(local_name(name) if ":" in name else name, []).append(value)
        if child.get("itemscope") is not None:
            walker.skip_subtree()  # its properties are its own
    for name, found in values.items():
        node[name] = found[0] if len(found) == 1 else found
    return node


def _microdata_nodes(tree: Element, base_url: str) -> list[Node]:
    """The page's top-level microdata items (those that are no other item's property)."""
    return [
        item
        for element in _ITEMS(tree)
        if element.get("itemprop") is None
        and (item := _microdata_item(element, base_url)) is not None
    ]


# --- RDFa ---------------------------------------------------------------------------------


class _Positions:
    """Where texts first appear in the markup, each searched for once: the nodes of a graph
    are sorted many times over, and each sort looks for every node's texts again."""

    def __init__(self, markup: str) -> None:
        self.markup = markup
        self.found: dict[str, int] = {}

    def __call__(self, node: Any) -> tuple[int, str]:
        """Where a node's first text appears in the markup (rdflib forgets document order)."""
        markup = self.markup
        if not isinstance(node, dict):
            return len(markup), str(node)
        found = [
            self._find(value[:40])
            for value in node.values()
            if isinstance(value, str) and value.strip() and not value.startswith("_:")
        ]
        return min((f for f in found if f >= 0), default=len(markup)), str(node.get("@id"))

    def _find(self, text: str) -> int:
        position = self.found.get(text)
        if position is None:
            position = self.found[text] = self.markup.find(html.escape(text, quote=False))
        return position


def _from_rdfa(expanded: list[Node], markup: str) -> list[Node]:
    """extruct's expanded JSON-LD graph of RDFa triples, as nested nodes in document order,
    so that results do not change from run to run."""
    raw = {node["@id"]: node for node in expanded if isinstance(node, dict) and "@id" in node}
    built: dict[str, Node] = {}
    position = _Positions(markup)

    def build(identifier: str) -> Node:
        if identifier in built:
            return built[identifier]
        source = raw[identifier]
        node: Node = {"@id": identifier, "@syntax": "rdfa"}
        built[identifier] = node  # before the properties, so cycles end here
        if "@type" in source:
            node["@type"] = types_of(source)
        for key, values in source.items():
            if key.startswith("@"):
                continue
            converted = [convert(v) for v in values if isinstance(v, dict)]
            if len(converted) == 1:
                node[local_name(key)] = converted[0]
            else:
                node[local_name(key)] = sorted(converted, key=position)
        return node

    def convert(value: Node) -> Any:
        if "@value" in value:
            return value["@value"]
        reference = value.get("@id")
        if isinstance(reference, str) and reference in raw:
            return build(reference)
        return reference

    roots = [build(identifier) for identifier in raw]
    return sorted(roots, key=position)


# --- the page -----------------------------------------------------------------------------


def _mentions_reviews(tree: Element, syntax: str) -> bool:
    """Whether any item of this syntax is a review or rating: the extractors are only run then
    (RDFa costs ~8 ms a page; a regex over the raw markup costs more than this XPath)."""
    return any(
        "review" in value.lower() or "rating" in value.lower()
        for value in _TYPE_ATTRIBUTES[syntax](tree)
    )


def structured_nodes(markup: str, tree: Element | None, url: str) -> list[Any]:
    """All schema.org nodes of a page: JSON-LD first, then microdata, then RDFa.

    `tree` is `parse_html(markup)`; the microdata is read from it, so what was removed from
    it (carousel clones) is not read.
    """
    if tree is None:
        return []
    nodes: list[Any] = list(_jsonld_nodes(tree))
    if _mentions_reviews(tree, "microdata"):
        nodes.extend(_microdata_nodes(tree, url))
    # The RDFa extractor can fail on broken pages in ways of its own; RDFa is then absent and
    # what the others found is kept.
    if _mentions_reviews(tree, "rdfa"):
        with contextlib.suppress(Exception):
            dom = parse_xmldom_html(markup.encode("utf-8", "replace"), encoding="utf-8")
            # HTML+RDFa reads a <time>'s `datetime`, but pyRdfa as extruct drives it takes
            # the visible text ("2 gennaio"), which then cannot be read as a date.
            for time in dom.iter("time"):
                if time.get("datetime") and time.get("content") is None:
                    time.set("content", time.get("datetime"))
            nodes.extend(_from_rdfa(RDFaExtractor().extract_items(dom, base_url=url), markup))
    return nodes
