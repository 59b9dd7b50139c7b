"""What detection reads from the mentions table: negative mentions per window, severe ones.

A mention counts at the moment it was published, or when we first saw it if no date is known
(never later than first seen: a date in the future is a parsing slip). Mentions marked ignored do
not count. Undated mentions found by a source's first crawl do not count either: they are old news
of unknown age, and counting them "today" would raise a false alarm on every new source.

A source's first crawl (its backfill) lasts until the end of its first *completed* run in
`crawl_runs`: a run that ended by itself (or at its page budget) after fetching pages. A run
killed half-way, shut down or failed does not end it, so the re-run that stores the rest of the
old comments is still the backfill. Undated mentions first seen after that end are new: they
count on the day they were first seen. Mentions of a source with no recorded run at all were not
stored by a crawl; they count when first seen, like any undated mention.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, or_, select
from sqlalchemy.engine import Connection

from crawler.alerts.windows import Calendar
from crawler.store import crawl_runs, mentions

# How a run that ended by itself is recorded: Scrapy's finish reason ("finished", or
# "closespider_pagecount" when it reached `max_pages`).
_COMPLETED = or_(crawl_runs.c.status == "finished", crawl_runs.c.status.like("closespider%"))


def moment(published: datetime | None, first_seen: datetime) -> datetime:
    """When a mention happened: its publication, never later than when we first saw it."""
    return first_seen if published is None else min(published, first_seen)


@dataclass(frozen=True, slots=True)
class Backfills:
    """Where each crawled source's backfill ends: `None` while its first crawl is not complete."""

    ends: dict[str, datetime | None]

    @classmethod
    def read(cls, conn: Connection) -> Backfills:
        ends: dict[str, datetime | None] = {
            url: None for (url,) in conn.execute(select(crawl_runs.c.source_url).distinct())
        }
        completed = (
            select(crawl_runs.c.source_url, func.min(crawl_runs.c.finished))
            .where(crawl_runs.c.finished.is_not(None), crawl_runs.c.pages > 0, _COMPLETED)
            .group_by(crawl_runs.c.source_url)
        )
        ends.update({url: end for url, end in conn.execute(completed)})
        return cls(ends)

    def holds(self, row: Any) -> bool:
        """An undated mention first seen by its source's first crawl is old news of unknown age."""
        if row.published is not None or row.source_url not in self.ends:
            return False
        end = self.ends[row.source_url]
        return end is None or row.first_seen <= end


def negative_mentions(
    engine: Engine, brands: Sequence[str], calendar: Calendar, since: datetime | None = None
) -> dict[str, dict[int, list[str]]]:
    """Ids of negative mentions per brand and window; ignored ones and backfills left out."""
    query = select(
        mentions.c.id,
        mentions.c.brand,
        mentions.c.source_url,
        mentions.c.published,
        mentions.c.first_seen,
    ).where(
        mentions.c.brand.in_(brands),
        mentions.c.label == "negative",
        mentions.c.status != "ignored",
    )
    if since is not None:
        query = query.where(or_(mentions.c.published >= since, mentions.c.first_seen >= since))
    found: dict[str, dict[int, list[str]]] = {brand: defaultdict(list) for brand in brands}
    with engine.connect() as conn:
        backfills = Backfills.read(conn)
        for row in conn.execute(query.order_by(mentions.c.id)):
            when = moment(row.published, row.first_seen)
            if (since is None or when >= since) and not backfills.holds(row):
                found[row.brand][calendar.index(when)].append(row.id)
    return found


def history_starts(engine: Engine, brands: Sequence[str]) -> dict[str, datetime]:
    """The earliest moment each brand has any stored mention about (any label)."""
    query = (
        select(
            mentions.c.brand,
            func.min(mentions.c.published).label("published"),
            func.min(mentions.c.first_seen).label("first_seen"),
        )
        .where(mentions.c.brand.in_(brands))
        .group_by(mentions.c.brand)
    )
    with engine.connect() as conn:
        return {row.brand: moment(row.published, row.first_seen) for row in conn.execute(query)}


def severe_mentions(
    engine: Engine, brands: Sequence[str], threshold: float, since: datetime | None = None
) -> list[dict[str, Any]]:
    """Mentions rated at or below `threshold`, found and published since `since`."""
    query = select(mentions).where(
        mentions.c.brand.in_(brands),
        mentions.c.rating <= threshold,
        mentions.c.status != "ignored",
    )
    if since is not None:
        query = query.where(mentions.c.first_seen >= since)
    with engine.connect() as conn:
        backfills = Backfills.read(conn)
        rows = conn.execute(query.order_by(mentions.c.first_seen, mentions.c.id)).all()
    return [
        dict(row._mapping)
        for row in rows
        if (since is None or moment(row.published, row.first_seen) >= since)
        and not backfills.holds(row)
    ]


def mentions_by_id(engine: Engine, ids: Sequence[str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    with engine.connect() as conn:
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            query = select(mentions).where(mentions.c.id.in_(chunk))
            found += [dict(row._mapping) for row in conn.execute(query)]
    return found
