"""What the pages show, computed from query results (pure): shares, net sentiment, mention cards.

Templates only lay these out; every number a page prints is computed here, once, so tests can
recompute it from the store and compare.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crawler.extract.text import excerpt
from crawler.report.escape import html_text, one_line, plain, safe_url
from crawler.report.labels import Words

SCORED = ("negative", "neutral", "positive")
SHORT_ID = 10  # enough to be unique for `passaparola handle ID`, short enough to type


@dataclass(frozen=True, slots=True)
class Figures:
    """One brand (or all) over one period."""

    mentions: int
    negative: int
    scored: int
    negative_share: float | None  # of the scored mentions
    positive_share: float | None  # of the scored mentions (the rest are neutral)


def figures(counts: Counter[str]) -> Figures:
    scored = sum(counts[label] for label in SCORED)
    negative = counts["negative"]
    return Figures(
        mentions=sum(counts.values()),
        negative=negative,
        scored=scored,
        negative_share=negative / scored if scored else None,
        positive_share=counts["positive"] / scored if scored else None,
    )


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True, slots=True)
class MentionCard:
    """A mention as lists show it; every field is plain text, escaped by the template."""

    id: str
    short_id: str
    brand: str
    source: str
    kind: str
    label: str
    status: str
    score: float | None
    rating: float | None  # 0-1 (1 of 5 stars = 0)
    when: datetime  # published, or first seen when the page gave no date
    dated: bool  # False: the page gave no date; `when` is when it was first seen
    title: str
    author: str
    text: str
    url: str | None  # only when http(s); else None and `url_text` is shown as text
    url_text: str
    note: str = ""
    handled_by: str = ""
    handled_at: datetime | None = None
    corrected: bool = False  # the label is the team's correction, not the analyzer's
    corrected_by: str = ""


def mention_card(row: Any, text_limit: int = 600) -> MentionCard:
    url = safe_url(row.url)
    return MentionCard(
        id=row.id,
        short_id=row.id[:SHORT_ID],
        brand=one_line(row.brand),
        source=one_line(row.source),
        kind=one_line(row.kind),
        label=row.label,
        status=row.status,
        score=row.score,
        rating=row.rating,
        when=row.when,
        dated=row.published is not None,
        title=one_line(row.title or ""),
        author=one_line(row.author or ""),
        text=excerpt(plain(row.text or ""), text_limit),
        url=url,
        url_text="" if url else one_line(row.url or "")[:200],
        note=one_line(getattr(row, "note", None) or ""),
        handled_by=one_line(getattr(row, "handled_by", None) or ""),
        handled_at=getattr(row, "handled_at", None),
        corrected=getattr(row, "label_correction", None) is not None,
        corrected_by=one_line(getattr(row, "corrected_by", None) or ""),
    )


def cards(rows: Iterable[Any], text_limit: int = 600) -> list[MentionCard]:
    return [mention_card(row, text_limit) for row in rows]


_ISOLATE, _END_ISOLATE = "\u2068", "\u2069"  # FSI/PDI: a right-to-left name stays in its place


def card_start(card: MentionCard) -> str:
    """The card's opening tag: its id and handling status (what `serve` patches), and the
    label, kind and source the archive's filters read."""
    return (
        f'<article class="pp-mention pp-{card.label} pp-status-{card.status}" '
        f'id="m-{card.short_id}" data-id="{html_text(card.id)}" data-status="{card.status}" '
        f'data-label="{card.label}" data-kind="{html_text(card.kind)}" '
        f'data-source="{html_text(card.source)}">'
    )


def card_state(card: MentionCard, words: Words) -> str:
    """The line saying a mention was handled or ignored, by whom, when, with the note."""
    if card.status == "new":
        return ""
    facts = [words.word(f"status_{card.status}").capitalize()]
    if card.handled_by:
        facts[0] += " " + words.by.format(name=_ISOLATE + card.handled_by + _END_ISOLATE)
    if card.handled_at is not None:
        facts.append(words.datetime(card.handled_at))
    state = html_text(" · ".join(facts))
    if card.note:
        state += f' · <span class="pp-note-text" dir="auto">{html_text(card.note)}</span>'
    return f'<p class="pp-state">{state}</p>'


def card_meta(card: MentionCard, words: Words) -> str:
    """The card's first line: the label (and who corrected it), brand, source, kind, author,
    date, the text's score in words, the stars, the id."""
    meta = [card.brand, card.source, words.word(f"mention_kind_{card.kind}")]
    if card.author:
        meta.append(_ISOLATE + card.author + _END_ISOLATE)
    when = words.datetime(card.when) if card.dated else words.undated(card.when)
    meta.append(when)
    if card.score is not None:
        meta.append(words.tone(card.score))
    if card.rating is not None:
        meta.append(words.stars(card.rating))
    meta.append(f"{words.id} {card.short_id}")
    label = f"<b>{html_text(words[card.label])}</b>"
    if card.corrected:
        who = (
            words.corrected_by.format(name=_ISOLATE + card.corrected_by + _END_ISOLATE)
            if card.corrected_by
            else words.corrected
        )
        label += f' <span class="pp-corrected">({html_text(who)})</span>'
    return f'<p class="pp-meta">{label} · {html_text(" · ".join(meta))}</p>'


def mention_html(card: MentionCard, words: Words) -> str:
    """One mention as a single line of HTML; every scraped field is escaped here.

    Few tags and no whitespace between them on purpose: the build parses every tag and text node
    of 100,000 mentions (search indexing), and this markup is what it costs.
    """
    parts = [card_start(card), card_meta(card, words), card_state(card, words)]
    if card.title:
        parts.append(f'<p class="pp-title" dir="auto">{html_text(card.title)}</p>')
    parts.append(f'<p class="pp-text" dir="auto">{html_text(card.text)}</p>')
    if card.url:
        parts.append(
            f'<a class="pp-link" href="{html_text(card.url)}" '
            f'rel="nofollow noopener noreferrer ugc">{html_text(words.original)} ↗</a>'
        )
    else:
        parts.append(
            f'<span class="pp-unsafe-url" title="{html_text(words.no_link)}">'
            f"{html_text(card.url_text)}</span>"
        )
    parts.append("</article>")
    return "".join(parts)


def patch_card(page: str, card: MentionCard, words: Words) -> str:
    """The page with this mention's cards showing its status, note, who and when, and its label.

    Only the opening tag, the first line and the state line change, so a card keeps the excerpt
    length of the list it is in. Cards are single lines the report wrote, with every `<` of
    scraped text escaped, so their parts are found by plain patterns.
    """
    pattern = re.compile(
        r'<article class="pp-mention[^"]*" id="m-[0-9a-f]+" data-id="'
        + re.escape(card.id)
        + r'"[^>]*><p class="pp-meta">.*?</p>(?:<p class="pp-state">.*?</p>)?'
    )
    head = card_start(card) + card_meta(card, words) + card_state(card, words)
    return pattern.sub(lambda _match: head, page)


def slug(name: str, taken: set[str], fallback: str = "page") -> str:
    """A file name for a brand or source: ASCII, lower case, unique among `taken`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or fallback
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    taken.add(candidate)
    return candidate
