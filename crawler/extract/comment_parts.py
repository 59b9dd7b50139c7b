"""Who wrote a comment, when, and what it says: read from the comment's own markup.

A comment is one element (WordPress's `li.comment`, a Drupal `div.comment`) or a few siblings
side by side (Blogger's `dt` + `dd`). It holds a header (the author, the date, words such as
"dice:", "Commento di", "Posted by:", reply and permalink links) and a body, told apart in
`comment_body.py`. Nested replies are comments of their own and are skipped, not repeated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from itertools import islice
from zoneinfo import ZoneInfo

from lxml import etree

from crawler.extract.comment_authors import (
    AUTHOR_ITEMPROPS,
    author_from_words,
    author_rank,
    is_name_like,
    itemprop_author_text,
)
from crawler.extract.comment_body import (
    comment_text,
    contains,
    find_body,
    find_header,
    surely_outside,
    text_of,
    within,
)
from crawler.extract.html_tree import Element, class_tokens, visible_text
from crawler.extract.signatures import clean_author

DateReader = Callable[[str | None], datetime | None]

_DATE_ITEMPROPS = frozenset({"datecreated", "datepublished", "commenttime", "dateposted"})
_DATE_CLASSES = {
    "comment-date": 3,
    "comment-time": 3,
    "wp-block-comment-date": 3,
    "datetime": 3,
    "timestamp": 3,
    "comment-timestamp": 3,
    "date": 3,
    "time": 3,
    "published": 3,
    "data": 3,
    "posted-on": 3,
    "post-time": 3,
    "comment-metadata": 4,
    "commentmetadata": 4,
    "comment-meta": 4,
    "comment-info": 4,
    "meta": 4,
}
_TEXT_ITEMPROPS = frozenset({"text", "commenttext", "comment-text", "description"})
_TEXT_CLASSES = {
    "comment-content": 1,
    "wp-block-comment-content": 1,
    "comment-text": 1,
    "commenttext": 1,
    "comment-message": 1,
    "comment-body": 2,
    "text": 2,
    "content": 2,
    "body": 2,
    "message": 2,
}
# Chrome around a comment: never part of what the commenter wrote.
NOISE_CLASSES = frozenset(
    {
        *("avatar", "avatar-image-container", "blog-admin", "comment-actions"),
        *("comment-awaiting-moderation", "comment-edit-link", "comment-flag", "comment-footer"),
        *("comment-header", "comment-info", "comment-likes", "comment-meta", "comment-metadata"),
        *("commentmetadata", "comment-permalink", "comment-replies", "comment-reply"),
        *("comment-reply-link", "comment-replybox-single", "comment-replybox-thread"),
        *("comment-report", "comment-tools", "continue", "edit-link", "item-control", "like"),
        *("likes", "meta", "permalink", "reply", "reply-link", "says", "screen-reader-text"),
        *("share", "sharedaddy", "sharing", "sr-only", "thread-toggle", "visually-hidden"),
        *("vote", "votes", "comment-report-link", "report-link", "moderation"),
    }
)
_FORM_CONTROLS = frozenset({"textarea", "input", "select"})
_NOISE_TAGS = frozenset({"img", "picture", "figure"})
_UNREAD = frozenset({"script", "style", "template"})
_NAME_TAGS = frozenset({"a", "strong", "b", "cite", "h2", "h3", "h4", "h5", "h6", "span", "em"})
_SHOW_COMMENT = re.compile(r"[?&]showComment=(\d{10,13})")
_GOOD_ANCHOR = re.compile(r"^[A-Za-z][\w:.-]{0,99}$")
_COMMENT_ID = re.compile(r"^(?:(?:li|div)-)?(comment-?\d+|c\d+)$", re.IGNORECASE)


@dataclass(slots=True)
class CommentParts:
    """What one comment says about itself."""

    text: str
    author: str | None
    published: datetime | None
    anchor: str | None
    author_text: str
    date_text: str
    has_form: bool
    author_element: Element | None = None
    body_element: Element | None = None


def read_comment_element(
    item: Element, nested: Collection[Element], read_date: DateReader, default_tz: str
) -> CommentParts:
    """Author, date, text and anchor of the comment `item`, ignoring the comments in `nested`.

    `nested` is shared by every comment of the page and only ever looked up, never copied, so a
    thread of thousands of comments stays linear.
    """
    return read_comment((item,), nested, read_date, default_tz)


def read_comment(
    elements: Sequence[Element],
    nested: Collection[Element],
    read_date: DateReader,
    default_tz: str,
    *,
    date: tuple[Element, datetime | None, str] | None = None,
    holder: Element | None = None,
) -> CommentParts:
    """Read a comment made of `elements` (one, or siblings side by side); `date` gives its date
    element, date and date text when the caller found them already; `holder` the element the
    comment's parts sit in beside its replies (its id may be the comment's anchor)."""
    found = _Found(elements)
    for number, element in enumerate(elements):
        walker = etree.iterwalk(element, events=("start",))
        for position, (_, node) in enumerate(walker):
            order = (number, position)
            tag = node.tag
            if node is not element and (
                node in nested or not isinstance(tag, str) or tag in _UNREAD
            ):
                walker.skip_subtree()
                continue
            found.order[node] = order
            if node is not element or len(elements) > 1:
                found.look_at(node, order, tag)
    if date is not None:
        date_el, published, date_text = date
    else:
        date_el, published, date_text = _first_date(found, read_date, default_tz)
    author_el, author_text = _author(found, date_el, date_text)
    skip_base = found.noise | {node for node in (author_el, date_el) if node is not None}

    own = set(elements)

    def skip(node: Element) -> bool:
        return node in skip_base or (node in nested and node not in own)

    named_bodies = [element for _, _, element in sorted(found.texts, key=lambda c: c[:2])]
    measured: dict[Element, str] = {}
    body = find_body(named_bodies, elements, skip, measured)
    header = find_header(elements, author_el, date_el, body)
    body_text = measured.get(body) if body is not None else None
    if header is not None:
        skip_base.add(header)
        if body_text is not None and not surely_outside(header, body, elements):
            body_text = None  # the header is in the body's text: read it again without
    text = text_of(body, elements, skip, (date_text, author_text), body_text)
    if not text:
        # Broken markup can leave the text inside the date or reply box: keep everything but
        # links, times, avatars and the author.
        text = "\n".join(
            comment_text(element, lambda n: _is_link_or_label(nested, author_el, n))
            for element in elements
        ).strip()
    return CommentParts(
        text=text,
        author=clean_author(author_text),
        published=published,
        anchor=_anchor(elements, found.own_ids)
        or (anchor_of(holder) if holder is not None else None),
        author_text=author_text,
        date_text=date_text,
        has_form=found.has_form,
        author_element=author_el,
        body_element=body,
    )


Ranked = list[tuple[int, tuple[int, int], Element]]


class _Found:
    """Candidates for author, date and text met while walking one comment, with their rank."""

    __slots__ = (
        *("authors", "dates", "elements", "has_form", "names", "noise", "order", "own_ids"),
        "texts",
    )

    def __init__(self, elements: Sequence[Element]) -> None:
        self.elements = elements
        self.authors: Ranked = []
        self.dates: Ranked = []
        self.texts: Ranked = []
        self.names: list[Element] = []
        self.noise: set[Element] = set()
        self.own_ids: list[str] = []
        self.order: dict[Element, tuple[int, int]] = {}
        self.has_form = False

    def look_at(self, node: Element, order: tuple[int, int], tag: str) -> None:
        if tag in _FORM_CONTROLS:
            self.has_form = True
        elif tag in _NOISE_TAGS:
            self.noise.add(node)
        if not node.keys():  # no attribute: one call says so, instead of one per attribute
            if tag == "cite" and not _in_quotation(node):
                self.authors.append((7, order, node))
            if tag in _NAME_TAGS and len(self.names) < 12:
                self.names.append(node)
            return
        classes = node.get("class")
        if classes:
            author, noise, date, text = _class_roles(classes)
            if author is not None:
                self.authors.append((author, order, node))
            if noise:
                self.noise.add(node)
            if date is not None:
                self.dates.append((date, order, node))
            if text is not None:
                self.texts.append((text, order, node))
        itemprop = node.get("itemprop")
        if itemprop:
            props = itemprop.lower().split()
            if AUTHOR_ITEMPROPS.intersection(props):
                self.authors.append((0, order, node))
            elif _DATE_ITEMPROPS.intersection(props):
                self.dates.append((0, order, node))
            elif _TEXT_ITEMPROPS.intersection(props):
                self.texts.append((0, order, node))
        if tag == "cite":
            if not _in_quotation(node):
                self.authors.append((7, order, node))
        elif tag == "time":
            if node.get("datetime"):
                self.dates.append((0, order, node))
        elif tag == "a":
            if "showComment=" in (node.get("href") or ""):
                self.dates.append((1, order, node))
        elif tag == "abbr" and node.get("title"):
            self.dates.append((2, order, node))
        if tag in _NAME_TAGS and len(self.names) < 12:
            self.names.append(node)
        node_id = node.get("id") or node.get("name")
        if node_id and _COMMENT_ID.match(node_id):
            self.own_ids.append(node_id)


@lru_cache(maxsize=4096)
def _class_roles(classes: str) -> tuple[int | None, bool, int | None, int | None]:
    """What a class attribute says an element is: author (rank), chrome, date (rank), text
    (rank). Themes repeat the same few class lists on every comment: read each once."""
    tokens = classes.lower().split()
    normal = [token.replace("_", "-") for token in tokens]
    dates = [_DATE_CLASSES[token] for token in normal if token in _DATE_CLASSES]
    texts = [_TEXT_CLASSES[token] for token in normal if token in _TEXT_CLASSES]
    return (
        author_rank(tokens),
        not NOISE_CLASSES.isdisjoint(normal),
        min(dates) if dates else None,
        min(texts) if texts else None,
    )


def _is_link_or_label(nested: Collection[Element], author: Element | None, node: Element) -> bool:
    return (
        node is author
        or node in nested
        or node.tag in ("a", "time")
        or node.tag in _NOISE_TAGS
        or "says" in class_tokens(node)
    )


def _in_quotation(node: Element) -> bool:
    """A `<cite>` in a quotation names the quoted source, not the commenter."""
    return any(
        parent.tag in ("blockquote", "q", "p") for parent in islice(node.iterancestors(), 100)
    )


# --- the author -------------------------------------------------------------------------------
def _author(found: _Found, date_el: Element | None, date_text: str) -> tuple[Element | None, str]:
    """The author: a marked element, else the header's words, else a name next to the date."""
    for _, _, element in sorted(found.authors, key=lambda c: c[:2])[:6]:
        if date_el is not None and (element is date_el or contains(element, date_el)):
            continue
        text = _author_text(element)
        if text.strip() and is_name_like(text):
            return element, text
    if date_el is not None:
        header_line = " ".join(visible_text(date_el).split()) or date_text
        for element in (date_el, date_el.getparent()):
            if element is None or not within(element, found.elements):
                continue
            name = author_from_words(" ".join(visible_text(element).split()) or header_line)
            if name:
                return _name_element(element, name), name
    return _name_near(found, date_el)


def _author_text(element: Element) -> str:
    if AUTHOR_ITEMPROPS.intersection((element.get("itemprop") or "").lower().split()):
        return itemprop_author_text(element, visible_text(element, skip=_is_says))
    return visible_text(element, skip=_is_says)


def _is_says(node: Element) -> bool:
    return "says" in class_tokens(node) or node.tag in _NOISE_TAGS


def _name_element(element: Element, name: str) -> Element:
    """The smallest element inside `element` whose whole text is `name` (else `element`)."""
    for node in element.iter("a", "span", "b", "strong", "cite", "em"):
        if " ".join("".join(node.itertext()).split()) == name:
            return node
    return element


def _name_near(found: _Found, date_el: Element | None) -> tuple[Element | None, str]:
    """A short name-like link, `<strong>`, `<cite>` or heading nearest before the date, else
    the first one after it; never one inside the date, a quotation or the text."""
    candidates = []
    for node in found.names:
        if date_el is not None and (node is date_el or contains(date_el, node)):
            continue
        if node in found.noise or _in_quotation(node):
            continue
        text = " ".join("".join(node.itertext()).split())
        if is_name_like(text, strict=True):
            candidates.append((node, text))
    if not candidates:
        return None, ""
    if date_el is None or date_el not in found.order:
        return candidates[0]
    date_at = found.order[date_el]
    before = [pair for pair in candidates if found.order[pair[0]] < date_at]
    return before[-1] if before else candidates[0]


# --- the date ---------------------------------------------------------------------------------
def _first_date(
    found: _Found, read_date: DateReader, default_tz: str
) -> tuple[Element | None, datetime | None, str]:
    """The best-ranked date element that can be read (at most a few are tried)."""
    candidates = sorted(found.dates, key=lambda c: c[:2])
    for _, _, element in candidates[:4]:
        for text in _date_texts(element):
            epoch = _SHOW_COMMENT.search(text)
            published = epoch_date(epoch.group(1), default_tz) if epoch else read_date(text)
            if published is not None:
                return element, published, text
    fallback = candidates[0][2] if candidates else None
    return fallback, None, visible_text(fallback) if fallback is not None else ""


def _date_texts(element: Element) -> Iterator[str]:
    """Where a date element may spell its date: its own attributes and those of what it holds
    (a `<span title="2016-07-28 13:42:44Z">` inside a `.comment-date`), Blogger's
    `showComment=` links, then its text (read only if none of those gave the date: the caller
    stops at the first that does)."""
    texts = []
    for node in islice(element.iter(), 6):
        if isinstance(node.tag, str):
            texts.extend(
                node.get(attribute) or ""
                for attribute in ("datetime", "content", "title")
                if node.get(attribute)
            )
    links = [element] if element.tag == "a" else element.iter("a")
    texts.extend(href for link in links if "showComment=" in (href := link.get("href") or ""))
    yield from (text for text in texts if text)
    text = visible_text(element, skip=_is_edit_link)
    if text:
        yield text


def _is_edit_link(node: Element) -> bool:
    tokens = class_tokens(node)
    return "comment-edit-link" in tokens or "edit-link" in tokens or "item-control" in tokens


def epoch_date(digits: str, default_tz: str) -> datetime | None:
    """Blogger's `showComment=` milliseconds since the epoch, the comment's exact instant."""
    seconds = int(digits) / (1000 if len(digits) == 13 else 1)
    try:
        return datetime.fromtimestamp(seconds, UTC).astimezone(ZoneInfo(default_tz))
    except (OverflowError, OSError, ValueError):
        return None


def _anchor(elements: Sequence[Element], own_ids: list[str]) -> str | None:
    for element in elements:
        found = anchor_of(element, own_ids)
        if found:
            return found
    return None


def anchor_of(item: Element, own_ids: list[str] | None = None) -> str | None:
    """The comment's own fragment id as the page links to it (`comment-12`, Blogger `c123`)."""
    item_id = item.get("id") or ""
    match = _COMMENT_ID.match(item_id)
    if match:
        return match.group(1)
    if _GOOD_ANCHOR.match(item_id):
        return item_id
    for own in own_ids or ():
        match = _COMMENT_ID.match(own)
        if match:
            return match.group(1)
    previous = item.getprevious()
    for _ in range(3):
        if previous is None:
            break
        if previous.tag == "a" and not "".join(previous.itertext()).strip():
            name = previous.get("id") or previous.get("name") or ""
            if _GOOD_ANCHOR.match(name):
                return name
        elif "".join(previous.itertext()).strip():
            break
        previous = previous.getprevious()
    return None
