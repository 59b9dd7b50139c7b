"""The Atom feed of new negative mentions (pure: cards in, XML bytes out).

Entries carry plain text (`type="text"`), never HTML, so a feed reader cannot be made to render
a stranger's markup; links are only http(s).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from crawler.report.escape import one_line, plain
from crawler.report.views import MentionCard

ATOM = "http://www.w3.org/2005/Atom"
FEED_FILE = "feed.xml"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text is not None:
        element.text = plain(text)
    return element


def atom_feed(
    items: Sequence[tuple[MentionCard, datetime]],
    *,
    title: str,
    site_title: str,
    site_url: str | None,
    now: datetime,
) -> bytes:
    """An Atom 1.0 document; `items` pairs each mention with when it was first seen."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _add(feed, "title", one_line(f"{site_title} — {title}"))
    if site_url:
        base = site_url.rstrip("/") + "/"
        feed_id = base + FEED_FILE
        _add(feed, "link", rel="self", href=feed_id, type="application/atom+xml")
        _add(feed, "link", rel="alternate", href=base, type="text/html")
    else:
        digest = hashlib.sha256(site_title.encode("utf-8", "replace")).hexdigest()[:16]
        feed_id = f"urn:passaparola:feed:{digest}"
    _add(feed, "id", feed_id)
    updated = max((seen for _, seen in items), default=now)
    _add(feed, "updated", _iso(updated))
    author = _add(feed, "author")
    _add(author, "name", one_line(site_title) or "passaparola")
    _add(feed, "generator", "passaparola")
    for card, seen in items:
        entry = _add(feed, "entry")
        _add(entry, "id", f"urn:passaparola:mention:{card.id}")
        heading = card.title or card.text[:80]
        _add(entry, "title", one_line(f"[{card.brand}] {card.source}: {heading}"), type="text")
        _add(entry, "updated", _iso(seen))
        if card.dated:
            _add(entry, "published", _iso(card.when))
        if card.url:
            _add(entry, "link", rel="alternate", href=card.url)
        if card.author:
            _add(_add(entry, "author"), "name", card.author)
        _add(entry, "category", term=one_line(card.brand))
        _add(entry, "summary", card.text, type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
