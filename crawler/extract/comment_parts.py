"""Who wrote a comment, when, and what it says: read from one comment element's own markup.

WordPress, threaded Blogger and hand-made themes all wrap a comment in one element holding an
author, a date, the text and some chrome (reply links, avatars, edit links). The element is
walked once; nested replies are comments of their own and are skipped, not repeated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from zoneinfo import ZoneInfo

from lxml import etree

from crawler.extract.html_tree import Element, class_tokens, visible_text
from crawler.extract.signatures import clean_author

DateReader = Callable[[str | None], datetime | None]

_AUTHOR_ITEMPROPS = frozenset({"author", "creator"})
_AUTHOR_CLASSES = {
    "fn": 1,
    "comment-author-name": 2,
    "wp-block-comment-author-name": 2,
    "user": 3,
    "username": 3,
    "user-name": 3,
    "author-name": 3,
    "commenter": 3,
    "comment-user": 3,
    "nickname": 3,
    "comment-author": 4,
    "author": 4,
    "name": 5,
}
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
    "comment_text": 1,
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
        "avatar",
        "avatar-image-container",
        "blog-admin",
        "comment-actions",
        "comment-awaiting-moderation",
        "comment-edit-link",
        "comment-flag",
        "comment-footer",
        "comment-header",
        "comment-info",
        "comment-likes",
        "comment-meta",
        "comment-metadata",
        "commentmetadata",
        "comment-permalink",
        "comment-replies",
        "comment-reply",
        "comment-reply-link",
        "comment-replybox-single",
        "comment-replybox-thread",
        "comment-report",
        "comment-tools",
        "continue",
        "edit-link",
        "item-control",
        "like",
        "likes",
        "meta",
        "permalink",
        "reply",
        "reply-link",
        "says",
        "screen-reader-text",
        "share",
        "sharedaddy",
        "sharing",
        "sr-only",
        "thread-toggle",
        "visually-hidden",
        "vote",
        "votes",
    }
)
_FORM_CONTROLS = frozenset({"textarea", "input", "select"})
_NOISE_TAGS = frozenset({"img", "picture", "figure"})
NOISE_LINES = frozenset(
    {
        "rispondi",
        "reply",
        "risposta",
        "risposte",
        "rispondi a questo commento",
        "reply to this comment",
        "modifica",
        "edit",
        "elimina",
        "delete",
        "segnala",
        "report",
        "mi piace",
        "like",
        "cita",
        "quote",
        "dice:",
        "says:",
        "ha detto...",
        "said...",
        "permalink",
    }
)
_SHOW_COMMENT = re.compile(r"[?&]showComment=(\d{10,13})")
_GOOD_ANCHOR = re.compile(r"^[A-Za-z][\w:.-]{0,99}$")
_COMMENT_ID = re.compile(r"^(?:(?:li|div)-)?(comment-?\d+|c\d+)$", re.IGNORECASE)
_LEADING_NOISE = re.compile(r"^(?:dice|says|ha detto\.*|said\.*)\s*:?\s*", re.IGNORECASE)


@dataclass(slots=True)
class CommentParts:
    """What one comment element says about itself."""

    text: str
    author: str | None
    published: datetime | None
    anchor: str | None
    author_text: str
    date_text: str
    has_form: bool


def read_comment_element(
    item: Element, nested: Collection[Element], read_date: DateReader, default_tz: str
) -> CommentParts:
    """Author, date, text and anchor of the comment `item`, ignoring the comments in `nested`.

    `nested` is shared by every comment of the page and only ever looked up, never copied, so a
    thread of thousands of comments stays linear.
    """
    found = _Found()
    walker = etree.iterwalk(item, events=("start",))
    for order, (_, node) in enumerate(walker):
        if node is item:
            continue
        tag = node.tag
        if node in nested or not isinstance(tag, str) or tag in _UNREAD:
            walker.skip_subtree()
            continue
        found.look_at(node, order, tag)
    author_el, author_text = _first_author(found.authors)
    date_el, published, date_text = _first_date(found.dates, read_date, default_tz)
    left_out = found.noise
    left_out.update(chosen for chosen in (author_el, date_el) if chosen is not None)

    def skip(node: Element) -> bool:
        return node in left_out or node in nested

    text = comment_text(min(found.texts)[2], skip) if found.texts else ""
    if not text:
        text = comment_text(item, skip)
    if not text:
        # Broken markup can leave the text inside the date or reply box: keep everything but
        # links, times, avatars and the author.
        text = comment_text(item, partial(_is_link_or_label, nested, author_el))
    return CommentParts(
        text=text,
        author=clean_author(author_text),
        published=published,
        anchor=anchor_of(item, found.own_ids),
        author_text=author_text,
        date_text=date_text,
        has_form=found.has_form,
    )


_UNREAD = frozenset({"script", "style", "template"})
Ranked = list[tuple[int, int, Element]]


class _Found:
    """Candidates for author, date and text met while walking one comment, with their rank."""

    __slots__ = ("authors", "dates", "has_form", "noise", "own_ids", "texts")

    def __init__(self) -> None:
        self.authors: Ranked = []
        self.dates: Ranked = []
        self.texts: Ranked = []
        self.noise: set[Element] = set()
        self.own_ids: list[str] = []
        self.has_form = False

    def look_at(self, node: Element, order: int, tag: str) -> None:
        if tag in _FORM_CONTROLS:
            self.has_form = True
        elif tag in _NOISE_TAGS:
            self.noise.add(node)
        classes = node.get("class")
        if classes:
            for token in classes.lower().split():
                if token in NOISE_CLASSES:
                    self.noise.add(node)
                if token in _AUTHOR_CLASSES:
                    self.authors.append((_AUTHOR_CLASSES[token], order, node))
                if token in _DATE_CLASSES:
                    self.dates.append((_DATE_CLASSES[token], order, node))
                if token in _TEXT_CLASSES:
                    self.texts.append((_TEXT_CLASSES[token], order, node))
        itemprop = node.get("itemprop")
        if itemprop:
            itemprop = itemprop.lower()
            if itemprop in _AUTHOR_ITEMPROPS:
                self.authors.append((0, order, node))
            elif itemprop in _DATE_ITEMPROPS:
                self.dates.append((0, order, node))
            elif itemprop in _TEXT_ITEMPROPS:
                self.texts.append((0, order, node))
        if tag == "cite":
            if not _in_quotation(node):
                self.authors.append((6, order, node))
        elif tag == "time":
            if node.get("datetime"):
                self.dates.append((0, order, node))
        elif tag == "a":
            if "showComment=" in (node.get("href") or ""):
                self.dates.append((1, order, node))
        elif tag == "abbr" and node.get("title"):
            self.dates.append((2, order, node))
        node_id = node.get("id") or node.get("name")
        if node_id and _COMMENT_ID.match(node_id):
            self.own_ids.append(node_id)


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
    return any(parent.tag in ("blockquote", "q", "p") for parent in node.iterancestors())


def _first_author(candidates: list[tuple[int, int, Element]]) -> tuple[Element | None, str]:
    """The best-ranked author element that names someone (icons and empty spans skipped)."""
    for _, _, element in sorted(candidates)[:4]:
        text = _author_text(element)
        if text.strip():
            return element, text
    return None, ""


def _author_text(element: Element) -> str:
    if (element.get("itemprop") or "").lower() in _AUTHOR_ITEMPROPS:
        for name in element.iter():
            if (name.get("itemprop") or "").lower() == "name":
                return name.get("content") or visible_text(name)
        if element.get("content"):
            return element.get("content") or ""
    return visible_text(element, skip=_is_says)


def _is_says(node: Element) -> bool:
    return "says" in class_tokens(node) or node.tag in _NOISE_TAGS


def _first_date(
    candidates: list[tuple[int, int, Element]], read_date: DateReader, default_tz: str
) -> tuple[Element | None, datetime | None, str]:
    """The best-ranked date element that can be read (at most a few are tried)."""
    for _, _, element in sorted(candidates)[:4]:
        for text in _date_texts(element):
            epoch = _SHOW_COMMENT.search(text)
            published = epoch_date(epoch.group(1), default_tz) if epoch else read_date(text)
            if published is not None:
                return element, published, text
    fallback = sorted(candidates)[0][2] if candidates else None
    return fallback, None, visible_text(fallback) if fallback is not None else ""


def _date_texts(element: Element) -> list[str]:
    texts = [
        element.get(attribute) or ""
        for attribute in ("datetime", "content", "title")
        if element.get(attribute)
    ]
    links = [element] if element.tag == "a" else element.iter("a")
    texts.extend(href for link in links if "showComment=" in (href := link.get("href") or ""))
    texts.append(visible_text(element, skip=_is_edit_link))
    return [text for text in texts if text]


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


def comment_text(element: Element, skip: Callable[[Element], bool] | None = None) -> str:
    """A comment's visible text without reply/edit/like chrome and "dice:"-style leftovers."""
    text = visible_text(element, skip)
    lines = [line for line in text.split("\n") if line.strip().lower() not in NOISE_LINES]
    return _LEADING_NOISE.sub("", "\n".join(lines).strip()).strip()


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
    if previous is not None and previous.tag == "a" and not (previous.text or "").strip():
        name = previous.get("id") or previous.get("name") or ""
        if _GOOD_ANCHOR.match(name):
            return name
    return None
