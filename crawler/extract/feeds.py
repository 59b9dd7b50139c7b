"""RSS (0.9x, 1.0, 2.0) and Atom feeds as entries of plain text, via feedparser.

feedparser is always handed the body as a stream: given bytes it first tries them as a local
file name, and given a str that looks like a URL it fetches it. A broken feed (feedparser's
"bozo") keeps every entry that could be read, and says what was wrong.
"""

from __future__ import annotations

import io
import re
from calendar import timegm
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from crawler.extract.dates import DEFAULT_TZ, parse_date
from crawler.extract.text import clean_text, html_to_text

_FEED_TYPES = ("rss", "atom", "rdf+xml")
_XML_TYPES = ("application/xml", "text/xml")
_PROLOG = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--.*?-->|<\?[^>]*\?>|<!DOCTYPE[^>]*>)\s*)*"
    rb"<([A-Za-z_][\w:.-]*)",
    re.DOTALL,
)
_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.IGNORECASE)
_FEED_ROOTS = frozenset({b"rss", b"feed", b"rdf:rdf", b"rdf"})


@dataclass(frozen=True, slots=True)
class FeedEntry:
    id: str | None
    title: str | None
    link: str | None
    text: str
    author: str | None
    published: datetime | None


@dataclass(frozen=True, slots=True)
class Feed:
    title: str | None
    entries: list[FeedEntry]
    bozo_error: str | None


def _root_tag(body: bytes) -> bytes | None:
    head = body[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", "ignore").encode("utf-8")
    match = _PROLOG.match(head)
    return match.group(1).lower() if match else None


def looks_like_feed(body: bytes, content_type: str | None) -> bool:
    """Whether a response is an RSS or Atom feed: by its root element, else by its type.

    The body wins over the header because servers label feeds `text/html` or `text/plain`
    and HTML pages `application/xml` often enough.
    """
    if not body.strip():
        return False
    root = _root_tag(body)
    if root is not None:
        return root in _FEED_ROOTS
    kind = (content_type or "").split(";")[0].strip().lower()
    return any(marker in kind for marker in _FEED_TYPES)


def _text(detail: Any, fallback: str | None) -> str:
    """feedparser's text constructs: HTML ones to plain text, plain ones kept as they are."""
    value = detail.get("value") if detail else fallback
    if not value:
        return ""
    kind = (detail.get("type") if detail else "") or "text/html"
    return html_to_text(value) if "html" in kind else clean_text(value)


def _published(entry: Any, default_tz: str) -> datetime | None:
    for parsed_key, raw_key in (("published_parsed", "published"), ("updated_parsed", "updated")):
        parsed = entry.get(parsed_key)
        if parsed:
            return datetime.fromtimestamp(timegm(parsed), tz=UTC)
        # feedparser knows RFC 822 and ISO 8601, not "lunedì 9 luglio 2007" or "08/04/2019".
        fallback = parse_date(entry.get(raw_key), default_tz=default_tz)
        if fallback:
            return fallback
    return None


def _link(entry: Any, base: str) -> str | None:
    href = entry.get("link")
    if not href:
        alternates = [
            link.get("href") for link in entry.get("links", []) if link.get("rel") == "alternate"
        ]
        href = next((h for h in alternates if h), None)
    if not href:
        return None
    absolute = urljoin(base, href.strip())
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None


def _entry(entry: Any, base: str, default_tz: str) -> FeedEntry:
    contents = [c for c in entry.get("content", []) if c.get("value")]
    if contents:
        text = _text(max(contents, key=lambda c: len(c.get("value", ""))), None)
    else:
        text = _text(entry.get("summary_detail"), entry.get("summary"))
    author_detail = entry.get("author_detail") or {}
    author = author_detail.get("name") or entry.get("author")
    title = _text(entry.get("title_detail"), entry.get("title")) or None
    return FeedEntry(
        id=entry.get("id") or None,
        title=title,
        link=_link(entry, base),
        text=text,
        author=clean_text(author) if author else None,
        published=_published(entry, default_tz),
    )


def _is_fatal(error: BaseException) -> bool:
    """feedparser also flags feeds it read perfectly well (no or odd Content-Type, a charset
    that had to be overridden); only real breakage is worth reporting."""
    return not isinstance(error, feedparser.ThingsNobodyCaresAboutButMe)


def parse_feed(
    body: bytes, url: str, *, content_type: str | None = None, default_tz: str = DEFAULT_TZ
) -> Feed:
    """Every entry of a feed with absolute links and plain text; `bozo_error` when it is broken.

    `content_type` only lends its charset: feedparser would read `text/xml` without one as
    ASCII, so the body is always declared `application/xml` and its own XML declaration rules.
    """
    charset = _CHARSET.search(content_type or "")
    declared = "application/xml" + (f"; charset={charset.group(1)}" if charset else "")
    parsed = feedparser.parse(
        io.BytesIO(body),
        response_headers={"content-location": url, "content-type": declared},
        resolve_relative_uris=True,
        sanitize_html=True,
    )
    entries = [_entry(entry, url, default_tz) for entry in parsed.entries]
    title = _text(parsed.feed.get("title_detail"), parsed.feed.get("title")) or None
    error = parsed.get("bozo_exception") if parsed.get("bozo") else None
    message = (str(error) or type(error).__name__) if error and _is_fatal(error) else None
    return Feed(title, entries, message)
