"""A comment as the extractors find it, before it gets its final URL, and the checks every
extractor applies: pingbacks, trackbacks, deleted stubs and forms are not reader comments."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from crawler.extract.comment_parts import CommentParts, DateReader, read_comment
from crawler.extract.html_tree import Element, class_tokens
from crawler.extract.threads import Block

if TYPE_CHECKING:
    from crawler.extract.page_scan import PageScan


@dataclass(slots=True)
class FoundComment:
    """A comment before it has its final URL; `identity` seeds a fragment when markup has none."""

    text: str
    author: str | None
    published: datetime | None
    anchor: str | None
    platform: str
    identity: str
    elements: tuple[Element, ...] = ()


@dataclass(frozen=True, slots=True)
class PageContext:
    """What every extractor needs besides the tree: how to read dates, what to leave alone
    (`away`: every element inside sidebars, widgets, menus and comment forms), and what the
    page's `PageScan` found (comment lists), so no extractor walks the page for it again."""

    read_date: DateReader
    default_tz: str
    post_body: Element | None = None
    away: Collection[Element] = frozenset()
    scan: PageScan | None = None  # the page's one walk, when the caller made it


_NOT_COMMENTS = re.compile(
    r"^\W{0,3}(?:pingback|trackback|ping|rückverweis)\b"
    r"|^\[(?:…|\.\.\.)\]"
    r"|^(?:questo commento è stato eliminato|this comment has been removed"
    r"|il commento è stato (?:eliminato|rimosso)|this comment was deleted"
    r"|ce commentaire a été supprimé|este comentario ha sido eliminado"
    r"|dieser kommentar wurde gelöscht)",
    re.IGNORECASE,
)
_LINKBACK_CLASSES = frozenset({"pingback", "trackback", "linkback", "pingbacks", "trackbacks"})


def is_reader_comment(found: FoundComment) -> bool:
    """Text, and not a pingback, a trackback or the stub of a deleted comment."""
    return (
        bool(found.text)
        and not _NOT_COMMENTS.match(found.text)
        and not (found.author and _NOT_COMMENTS.match(found.author))
    )


def is_linkback(elements: Sequence[Element]) -> bool:
    """A pingback or trackback by its class."""
    return any(_LINKBACK_CLASSES.intersection(class_tokens(element)) for element in elements)


def is_link_only(elements: Sequence[Element], parts: CommentParts) -> bool:
    """A comment whose whole text is links (how pingbacks read once their class is gone)."""
    roots = [parts.body_element] if parts.body_element is not None else list(elements)
    linked = " ".join(
        "".join(link.itertext())
        for root in roots
        for link in root.iter("a")
        if link is not parts.author_element and (link.get("href") or "").startswith("http")
    )
    text = " ".join(parts.text.split())
    return bool(text) and " ".join(linked.split()) == text


def identity(author_text: str, date_text: str, text: str) -> str:
    author = " ".join(author_text.split())
    if date_text.strip():
        return f"{author}|{' '.join(date_text.split())}"
    return f"{author}|{' '.join(text.split())[:500]}"


def found_from_parts(
    parts: CommentParts, platform: str, elements: tuple[Element, ...] = ()
) -> FoundComment:
    return FoundComment(
        parts.text,
        parts.author,
        parts.published,
        parts.anchor,
        platform,
        identity(parts.author_text, parts.date_text, parts.text),
        elements,
    )


def from_elements(
    items: Sequence[Element | tuple[Element, ...]],
    context: PageContext,
    platform: str,
    keep: Callable[[Sequence[Element], CommentParts], bool] | None = None,
) -> list[FoundComment]:
    """Read each comment (an element or a run of siblings), its nested replies excluded (they
    are items of their own)."""
    units = [item if isinstance(item, tuple) else (item,) for item in items]
    nested = {element for unit in units for element in unit}
    found: list[FoundComment] = []
    for unit in units:
        if is_linkback(unit):
            continue
        parts = read_comment(unit, nested, context.read_date, context.default_tz)
        if parts.has_form or not parts.text or is_link_only(unit, parts):
            continue
        if keep is not None and not keep(unit, parts):
            continue
        found.append(found_from_parts(parts, platform, unit))
    return found


def read_blocks(
    blocks: Sequence[Block],
    nested: Collection[Element],
    read_date: DateReader,
    default_tz: str,
    *,
    with_holders: bool = True,
) -> Iterator[tuple[Block, CommentParts]]:
    """Each block of a repeated run read as a comment, linkbacks left out. `nested` holds every
    block's elements, so a block's replies stay out of its own text; `with_holders` lets a
    block's holder (the comment element beside its replies) give the comment its anchor."""
    for block in blocks:
        if is_linkback(block.elements):
            continue
        mark = block.date
        yield (
            block,
            read_comment(
                block.elements,
                nested,
                read_date,
                default_tz,
                date=(mark.element, mark.published, mark.source),
                holder=block.holder if with_holders else None,
            ),
        )
