"""What detection reads from the mentions table: negative mentions per window, severe ones.

A mention counts at the moment it was published, or when we first saw it if no date is known
(never later than first seen: a date in the future is a parsing slip). Mentions marked ignored do
not count. Undated mentions found by a source's first crawl do not count either: they are old news
of unknown age, and counting them "today" would raise a false alarm on every new source.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, or_, select

from crawler.alerts.windows import Calendar
from crawler.store import mentions

BACKLOG = timedelta(days=1)  # undated mentions found this soon after a source's first crawl


def moment(published: datetime | None, first_seen: datetime) -> datetime:
    """When a mention happened: its publication, never later than when we first saw it."""
    return first_seen if published is None else min(published, first_seen)


def _source_first_seen(engine: Engine, brands: Sequence[str]) -> dict[tuple[str, str], datetime]:
    query = (
        select(mentions.c.brand, mentions.c.source, func.min(mentions.c.first_seen))
        .where(mentions.c.brand.in_(brands))
        .group_by(mentions.c.brand, mentions.c.source)
    )
    with engine.connect() as conn:
        return {(b, s): first for b, s, first in conn.execute(query)}


def _is_backlog(row: Any, first_crawl: dict[tuple[str, str], datetime]) -> bool:
    """An undated mention found by its source's first crawl is old news of unknown age."""
    first = first_crawl.get((row.brand, row.source))
    return row.published is None and first is not None and row.first_seen < first + BACKLOG


def negative_mentions(
    engine: Engine, brands: Sequence[str], calendar: Calendar, since: datetime | None = None
) -> dict[str, dict[int, list[str]]]:
    """Ids of negative mentions per brand and window; ignored mentions and backlog left out."""
    query = select(
        mentions.c.id,
        mentions.c.brand,
        mentions.c.source,
        mentions.c.published,
        mentions.c.first_seen,
    ).where(
        mentions.c.brand.in_(brands),
        mentions.c.label == "negative",
        mentions.c.status != "ignored",
    )
    if since is not None:
        query = query.where(or_(mentions.c.published >= since, mentions.c.first_seen >= since))
    first_crawl = _source_first_seen(engine, brands)
    found: dict[str, dict[int, list[str]]] = {brand: defaultdict(list) for brand in brands}
    with engine.connect() as conn:
        for row in conn.execute(query.order_by(mentions.c.id)):
            when = moment(row.published, row.first_seen)
            if (since is None or when >= since) and not _is_backlog(row, first_crawl):
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
    first_crawl = _source_first_seen(engine, brands)
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(mentions.c.first_seen, mentions.c.id)).all()
    return [
        dict(row._mapping)
        for row in rows
        if (since is None or moment(row.published, row.first_seen) >= since)
        and not _is_backlog(row, first_crawl)
    ]


def mentions_by_id(engine: Engine, ids: Sequence[str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    with engine.connect() as conn:
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            query = select(mentions).where(mentions.c.id.in_(chunk))
            found += [dict(row._mapping) for row in conn.execute(query)]
    return found
