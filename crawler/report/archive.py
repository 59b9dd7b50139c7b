"""Monthly archive pages: every mention exactly once, newest first, a bounded number per page.

Mentions are streamed in date order and written page by page, so memory holds one page at a
time. Month totals are counted first so each page's pager knows how many pages its month has;
the archive index is written last, from the pages actually written.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from sqlalchemy import Engine

from crawler.report.labels import Words
from crawler.report.mention_search import MentionIndex
from crawler.report.pages import PageWriter
from crawler.report.periods import month_of
from crawler.report.queries import month_counts, stream_mentions
from crawler.report.views import MentionCard, mention_card

PAGE_SIZE = 200


@dataclass
class Month:
    key: str  # YYYY-MM
    title: str
    count: int
    pages: list[str] = field(default_factory=list)


def month_page(key: str, number: int) -> str:
    return f"archive/{key}.md" if number == 1 else f"archive/{key}-{number}.md"


def pager_numbers(number: int, count: int, around: int = 2) -> list[int | None]:
    """Page numbers a pager shows: first, last and `around` either side of `number`; None for
    a gap. Bounded, so a month of many pages does not make every page list every other."""
    shown = {1, count, *range(number - around, number + around + 1)}
    numbers: list[int | None] = []
    for n in sorted(n for n in shown if 1 <= n <= count):
        if numbers and n - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(n)
    return numbers


@dataclass
class Archive:
    months: list[Month]  # newest first
    locations: dict[str, str]  # mention id -> archive page, for the ids asked for


def write_archive(
    engine: Engine,
    writer: PageWriter,
    words: Words,
    zone: tzinfo,
    *,
    cutoff: datetime | None,
    locate: Collection[str] = (),
    page_size: int = PAGE_SIZE,
    search: MentionIndex | None = None,
    progress: Callable[[str], None] = lambda _message: None,
) -> Archive:
    """Write archive/YYYY-MM[-N].md for every month with mentions, then archive/index.md.

    `cutoff` (the newest first_seen when the report started) keeps mentions stored by a crawl
    running meanwhile out of both the counts and the pages, so they agree. The pages holding the
    mentions in `locate` (those alerts name) are noted, so other pages can link to them.
    Every mention written is also added to `search`, the archive's own search index.
    """
    wanted = set(locate)
    locations: dict[str, str] = {}
    totals = month_counts(engine, zone, cutoff=cutoff)
    planned = {
        (year, month): [
            month_page(f"{year:04d}-{month:02d}", n)
            for n in range(1, math.ceil(count / page_size) + 1)
        ]
        for (year, month), count in totals.items()
    }
    written: dict[tuple[int, int], Month] = {}
    buffer: list[MentionCard] = []
    texts: list[str] = []  # the whole text of each card in `buffer`, for the search index
    current: tuple[int, int] | None = None
    # What the archive index's filters offer, over every mention written.
    sources: set[str] = set()
    kinds: set[str] = set()
    brands: set[str] = set()

    def flush() -> None:
        if current is None or not buffer:
            return
        year, month = current
        key = f"{year:04d}-{month:02d}"
        entry = written.setdefault(
            current, Month(key, words.month(year, month), totals.get(current, 0))
        )
        number = len(entry.pages) + 1
        pages = planned.setdefault(current, [])
        while len(pages) < number:  # the month grew while we read it: never lose a mention
            pages.append(month_page(key, len(pages) + 1))
        page = pages[number - 1]
        writer.write(
            page,
            "archive_page.md.j2",
            title=entry.title,
            number=number,
            pages=pages,
            shown_pages=pager_numbers(number, len(pages)),
            count=entry.count,
            items=buffer,
        )
        entry.pages.append(page)
        if search is not None:
            for card, text in zip(buffer, texts, strict=True):
                search.add(card, page, text)
        locations.update((card.id, page) for card in buffer if card.id in wanted)
        buffer.clear()
        texts.clear()

    for done, row in enumerate(stream_mentions(engine, cutoff=cutoff), start=1):
        key = month_of(row.when, zone)
        if key != current or len(buffer) >= page_size:
            flush()
            current = key
        card = mention_card(row)
        buffer.append(card)
        sources.add(card.source)
        kinds.add(card.kind)
        brands.add(card.brand)
        texts.append(row.text or "")
        if done % 20000 == 0:
            progress(f"archive: {done} mentions written")
    flush()
    months = sorted(written.values(), key=lambda month: month.key, reverse=True)
    writer.write(
        "archive/index.md",
        "archive.md.j2",
        months=months,
        sources=sorted(sources),
        kinds=sorted(kinds),
        brands=sorted(brands),
    )
    return Archive(months, locations)
