"""Reader comments of no known platform: found by structure, or by names as a last resort.

`structural_comments` takes the runs of repeated dated blocks (`threads.find_repeated_blocks`)
that read as comments: each block has a text, most have an author, and they are not teasers
(a related-posts list, a homepage of post previews, a "recent comments" widget: blocks led by
a title that links elsewhere, or made of links). `named_comments` is for threads without dates
(a widget that shows only names and texts): elements whose class or id names them a comment,
schema.org `Comment` microdata, the articles and list items of a comments section.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import islice

from lxml import etree

from crawler.extract.comment_body import contains
from crawler.extract.comment_items import (
    FoundComment,
    PageContext,
    found_from_parts,
    from_elements,
    is_link_only,
    is_reader_comment,
    read_blocks,
)
from crawler.extract.comment_parts import CommentParts, read_comment
from crawler.extract.html_tree import Element
from crawler.extract.threads import Block, find_repeated_blocks

_MIN_AUTHORED = 0.5
_MAX_TEASERS = 0.3
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_TITLE_WORDS = 3
_TITLE_CHARS = 15
_LINK_DENSITY = 0.6


def structural_comments(root: Element, context: PageContext) -> list[FoundComment]:
    """Every run of repeated dated blocks that reads as reader comments, in page order."""
    threads = find_repeated_blocks(
        root, context.read_date, skip=context.away, default_tz=context.default_tz
    )
    accepted: list[tuple[Block, FoundComment]] = []
    for blocks in threads:
        accepted.extend(_thread(blocks, context))
    if not accepted:
        return []
    position = {node: number for number, node in enumerate(root.iter())}
    accepted.sort(key=lambda pair: position.get(pair[0].date.element, 0))
    return [found for _, found in accepted]


def _thread(blocks: list[Block], context: PageContext) -> list[tuple[Block, FoundComment]]:
    """The blocks' comments, or nothing when the run reads as something else."""
    nested = {element for block in blocks for element in block.elements}
    rows: list[tuple[Block, CommentParts, bool]] = []
    for block, parts in read_blocks(blocks, nested, context.read_date, context.default_tz):
        if parts.has_form or not parts.text or is_link_only(block.elements, parts):
            continue
        rows.append((block, parts, is_teaser(block.elements, parts, block.date.element)))
    if len(rows) < 2:
        return []
    teasers = sum(teaser for _, _, teaser in rows)
    authored = sum(parts.author_element is not None for _, parts, _ in rows)
    if teasers > _MAX_TEASERS * len(rows) or authored < _MIN_AUTHORED * len(rows):
        return []
    found = [
        (block, found_from_parts(parts, "generic", block.elements))
        for block, parts, teaser in rows
        if not teaser
    ]
    return [(block, item) for block, item in found if is_reader_comment(item)]


def is_teaser(
    elements: Sequence[Element], parts: CommentParts, date: Element | None = None
) -> bool:
    """A preview of another page, not a comment: led by a title linking elsewhere (in a
    heading, or before the text), or made mostly of links."""
    author, body = parts.author_element, parts.body_element
    links = [
        link
        for element in elements
        for link in element.iter("a")
        if _leads_elsewhere(link)
        and not _same(link, author)
        and not _same(link, date)
        and not (date is not None and _inside(date, link))
    ]
    if not links:
        return False
    text = " ".join(parts.text.split())
    linked = 0
    for link in links:
        words = " ".join("".join(link.itertext()).split())
        if body is None or _inside(link, body) or link is body:
            linked += len(words)
        if not words:
            continue
        if any(up.tag in _HEADINGS for up in islice(link.iterancestors(), 100)):
            return True
        is_title = len(words) >= _TITLE_CHARS and (
            len(words.split()) >= _TITLE_WORDS or not words.isascii()
        )
        if is_title and (
            text.startswith(words) or (body is not None and _before(link, body, elements))
        ):
            return True
    return bool(text) and linked >= _LINK_DENSITY * len(text)


def _same(node: Element, other: Element | None) -> bool:
    return other is not None and (node is other or _inside(node, other))


def _before(node: Element, body: Element, elements: Sequence[Element]) -> bool:
    """Whether `node` comes before `body` (and outside it) within the block."""
    if _inside(node, body):
        return False
    for element in elements:
        for current in element.iter():
            if current is node:
                return True
            if current is body:
                return False
    return False


def _leads_elsewhere(link: Element) -> bool:
    href = (link.get("href") or "").strip().lower()
    return bool(href) and not href.startswith(("#", "javascript:", "mailto:"))


def _inside(node: Element, container: Element | None) -> bool:
    return container is not None and contains(container, node)


# --- by name, for threads without dates -------------------------------------------------------
_COMMENT_WORDS = frozenset({"comment", "commento", "commentaire", "comentario", "kommentar"})
_ITEM_ENDS = frozenset(
    {*_COMMENT_WORDS, "item", "entry", "single", "wrapper", "article", "container", "box"}
)
_NOT_ITEM_PARTS = frozenset(
    {
        *("form", "respond", "count", "counts", "link", "title", "header", "meta", "content"),
        *("body", "text", "author", "date", "list", "section", "area", "widget", "button"),
        *("toggle", "icon", "reply", "replies", "avatar", "footer", "info", "number", "total"),
        *("stream", "sort", "divider", "user", "username", "head", "actions", "policy"),
    }
)
_ITEM_ID = re.compile(r"^(?:(?:comment|commento|comm)[-_]?(?:\d+|[0-9a-f]{8,})|c\d+)$")
_CONTAINERS = frozenset(
    {
        *("comments", "commenti", "comment-list", "commentlist", "comments-list"),
        *("comments-area", "comments-section", "comment-section", "comments-container"),
        *("comments-wrapper", "user-comments", "comment-thread", "comments-content"),
    }
)
_COMMENT_TYPES = ("schema.org/comment", "schema.org/usercomments")


def _is_item_token(token: str) -> bool:
    parts = [part for part in re.split(r"[-_]", token) if part]
    if not _COMMENT_WORDS.intersection(parts) or _NOT_ITEM_PARTS.intersection(parts):
        return False
    last = parts[-1]
    return last in _ITEM_ENDS or last.isdigit() or bool(re.fullmatch(r"[0-9a-f]{8,}", last))


def named_comments(root: Element, context: PageContext) -> list[FoundComment]:
    """Elements named like comments, schema.org `Comment` microdata, or the articles and list
    items of a comments section; sidebars, widgets and forms are left out.

    An article or list item known only by its place in a comments section must also show an
    author or a date, so a list of share buttons is not taken for comments. An element named
    like a comment inside another one, with no author or date of its own, is part of it (a
    body `div.fyre-comment` inside `article.fyre-comment-article`), not a reply.
    """
    items: list[Element] = []
    weak: set[Element] = set()
    closes: list[Element] = []  # the comment sections open around the node looked at
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, node in walker:
        if event == "end":
            if closes and closes[-1] is node:
                closes.pop()
            continue
        tag = node.tag
        if not isinstance(tag, str) or tag in _NEVER or node in context.away:
            walker.skip_subtree()
            continue
        classes = (node.get("class") or "").lower()
        ident = (node.get("id") or "").lower()
        itemtype = (node.get("itemtype") or "").lower()
        named = (_COMMENTISH.search(classes) or "omment" in ident or "omment" in itemtype) and (
            any(kind in itemtype for kind in _COMMENT_TYPES)
            or any(_is_item_token(token) for token in classes.split())
            or _ITEM_ID.match(ident)
        )
        if named:
            items.append(node)
        elif closes and tag in ("article", "li"):
            items.append(node)
            weak.add(node)
        if ident in _CONTAINERS or not _CONTAINERS.isdisjoint(classes.split()):
            closes.append(node)
    items = _without_bodies(items, context)
    units = _paired(items)

    def keep(unit: Sequence[Element], parts: CommentParts) -> bool:
        if is_teaser(unit, parts):
            return False
        return unit[0] not in weak or bool(parts.author_text or parts.published)

    return from_elements(units, context, "generic", keep)


def _without_bodies(items: list[Element], context: PageContext) -> list[Element]:
    """Drop items inside another item that have no author or date of their own."""
    chosen = set(items)
    kept = []
    for item in items:
        outer = any(up in chosen for up in item.iterancestors())
        if outer:
            parts = read_comment((item,), chosen, context.read_date, context.default_tz)
            if parts.author_element is None and parts.published is None:
                continue
        kept.append(item)
    return kept


def _paired(items: list[Element]) -> list[Element | tuple[Element, ...]]:
    """A `dt` and the `dd`s after it are one comment, wherever the names fell."""
    units: list[Element | tuple[Element, ...]] = []
    done: set[Element] = set()
    for item in items:
        if item in done:
            continue
        if item.tag not in ("dt", "dd"):
            units.append(item)
            continue
        start = item
        if item.tag == "dd":
            previous = item.getprevious()
            while previous is not None and previous.tag == "dd":
                previous = previous.getprevious()
            if previous is not None and previous.tag == "dt":
                start = previous
        members = [start]
        following = start.getnext()
        while following is not None and following.tag == "dd":
            members.append(following)
            following = following.getnext()
        done.update(members)
        units.append(tuple(members) if len(members) > 1 else start)
    return units


_NEVER = frozenset({"nav", "head", "script", "style", "template", "form", "textarea"})
# "omment", "omentar", "ommentar": Comment, comment, comentario, Kommentar alike; the tests on
# whole class words decide.
_COMMENTISH = re.compile(r"omment|omentar|ommentar")
