"""The report's questions to the store, as SQLAlchemy Core over `mentions`, `alerts`, `crawl_runs`.

Counts are aggregated by the database (GROUP BY, sums of CASE expressions over time windows), so
100,000 mentions cost a few scans, not 100,000 Python objects; mention lists are streamed. Only
timestamps are compared, with boundaries computed in Python (see `periods`), so the SQL is the
same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Engine,
    and_,
    case,
    distinct,
    func,
    literal,
    or_,
    select,
)

from crawler.report.labels import LABEL_KEYS
from crawler.report.periods import Window, month_of
from crawler.store import UTCDateTime, alerts, crawl_runs, deliveries, mentions

# When a mention happened: its publication date, or when we first saw it if the page gave none.
happened = func.coalesce(mentions.c.published, mentions.c.first_seen, type_=UTCDateTime())
# The sentiment label as the report shows it. Unknown unless a judgement backs it: a text score
# or a star rating (the scorer labels a review by its stars even in a language it cannot read).
# So a mention not scored yet, or in a language no analyzer reads, never passes for neutral.
# The team's correction is a judgement too, the best one.
label_or_unknown = case(
    (mentions.c.label_correction.in_(LABEL_KEYS[:3]), mentions.c.label_correction),
    (
        and_(
            mentions.c.label.in_(LABEL_KEYS[:3]),
            or_(mentions.c.score.is_not(None), mentions.c.rating.is_not(None)),
        ),
        mentions.c.label,
    ),
    else_=literal("unknown"),
)
is_negative = label_or_unknown == "negative"
MENTION_COLUMNS = (
    mentions.c.id,
    mentions.c.brand,
    mentions.c.source,
    mentions.c.kind,
    mentions.c.url,
    mentions.c.title,
    mentions.c.author,
    mentions.c.first_seen,
    mentions.c.published,
    mentions.c.score,
    mentions.c.rating,
    mentions.c.status,
    mentions.c.note,
    mentions.c.handled_by,
    mentions.c.handled_at,
    mentions.c.label_correction,
    mentions.c.corrected_by,
    label_or_unknown.label("label"),
    happened.label("when"),
    # The whole text, not a SQL prefix: SQLite's substr() stops at a NUL character.
    mentions.c.text,
)


def _inside(window: Window) -> ColumnElement[bool]:
    return and_(happened >= window.start, happened < window.end)


def count_if(condition: ColumnElement[bool]) -> Any:
    return func.sum(case((condition, 1), else_=0))


@dataclass
class LabelCounts:
    """Mentions of one group (a brand, a source) per label: all, still open, per window."""

    total: Counter[str] = field(default_factory=Counter)
    open: Counter[str] = field(default_factory=Counter)
    windows: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))


def counts_by_brand(engine: Engine, windows: dict[str, Window]) -> dict[str, LabelCounts]:
    """Per brand and label: all mentions, open ones (status new) and those in each window."""
    window_columns = [count_if(_inside(w)).label(f"w{i}") for i, w in enumerate(windows.values())]
    query = select(
        mentions.c.brand,
        label_or_unknown.label("label"),
        func.count().label("total"),
        count_if(mentions.c.status == "new").label("open"),
        *window_columns,
    ).group_by(mentions.c.brand, label_or_unknown)
    result: dict[str, LabelCounts] = defaultdict(LabelCounts)
    with engine.connect() as conn:
        for row in conn.execute(query):
            counts = result[row.brand]
            counts.total[row.label] += row.total
            counts.open[row.label] += row.open or 0
            for i, name in enumerate(windows):
                counts.windows[name][row.label] += getattr(row, f"w{i}") or 0
    return dict(result)


def trend(
    engine: Engine,
    edges: Sequence[datetime],
    group: ColumnElement[Any] | None = None,
    where: ColumnElement[bool] | None = None,
) -> dict[Any, list[Counter[str]]]:
    """Mentions per bucket [edges[i], edges[i+1]) and label, for each value of `group`."""
    bucket = case(*[(happened < edge, index) for index, edge in enumerate(edges[1:])])
    key = group if group is not None else literal("all")
    query = (
        select(
            key.label("key"), label_or_unknown.label("label"), bucket.label("bucket"), func.count()
        )
        .where(happened >= edges[0], happened < edges[-1])
        .group_by(key, label_or_unknown, bucket)
    )
    if where is not None:
        query = query.where(where)
    series: dict[Any, list[Counter[str]]] = defaultdict(
        lambda: [Counter() for _ in range(len(edges) - 1)]
    )
    with engine.connect() as conn:
        for key_value, label, index, count in conn.execute(query):
            series[key_value][index][label] += count
    return dict(series)


def median_handling_seconds(engine: Engine) -> dict[str, tuple[float, int]]:
    """Per brand: median seconds from first seen to handled, and how many were handled."""
    query = select(mentions.c.brand, mentions.c.first_seen, mentions.c.handled_at).where(
        mentions.c.status == "handled", mentions.c.handled_at.is_not(None)
    )
    durations: dict[str, list[float]] = defaultdict(list)
    with engine.connect() as conn:
        for brand, first_seen, handled_at in conn.execution_options(yield_per=5000).execute(query):
            durations[brand].append(max(0.0, (handled_at - first_seen).total_seconds()))
    return {brand: (statistics.median(values), len(values)) for brand, values in durations.items()}


def to_handle(
    engine: Engine,
    brand: str,
    now: datetime,
    limit: int,
    *,
    candidates: int = 200,
) -> list[Any]:
    """The open negative mentions to answer first: the most negative among the most recent.

    Priority is the score plus a day's age worth 1/14: a -0.9 from today comes before a -1.0 from
    three days ago, and a two-week-old complaint ranks like a fresh mildly negative one.
    """
    query = (
        select(*MENTION_COLUMNS)
        .where(
            mentions.c.brand == brand,
            is_negative,
            mentions.c.status == "new",
        )
        .order_by(happened.desc(), mentions.c.id)
        .limit(candidates)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()

    def priority(row: Any) -> float:
        # No text score (a language no analyzer reads): the stars say how bad, 1 of 5 = -1.
        score = row.score if row.score is not None else 2 * row.rating - 1
        age_days = max(0.0, (now - row.when).total_seconds() / 86400)
        return score + age_days / 14

    return sorted(rows, key=lambda row: (priority(row), row.id))[:limit]


def mention_by_id(engine: Engine, mention: str) -> Any | None:
    """One mention as the lists show it, or None."""
    query = select(*MENTION_COLUMNS).where(mentions.c.id == mention)
    with engine.connect() as conn:
        return conn.execute(query).first()


def mentions_by_ids(engine: Engine, ids: Iterable[str]) -> dict[str, Any]:
    """The stored mentions with these ids, as lists show them, by id."""
    wanted = sorted(set(ids))
    found: dict[str, Any] = {}
    with engine.connect() as conn:
        for start in range(0, len(wanted), 500):
            query = select(*MENTION_COLUMNS).where(mentions.c.id.in_(wanted[start : start + 500]))
            found.update((row.id, row) for row in conn.execute(query))
    return found


def latest(engine: Engine, where: ColumnElement[bool], limit: int) -> list[Any]:
    query = (
        select(*MENTION_COLUMNS).where(where).order_by(happened.desc(), mentions.c.id).limit(limit)
    )
    with engine.connect() as conn:
        return conn.execute(query).all()


@dataclass(frozen=True, slots=True)
class SourceRank:
    source: str
    total: int
    negative: int
    recent: int
    recent_negative: int


def ranked_sources(
    engine: Engine,
    recent: Window,
    limit: int,
    where: ColumnElement[bool] | None = None,
) -> tuple[list[SourceRank], int]:
    """Source domains by negative mentions in the recent window, then overall; and how many."""
    negative = is_negative
    recent_negative = count_if(and_(negative, _inside(recent))).label("recent_negative")
    all_negative = count_if(negative).label("negative")
    total = func.count().label("total")
    query = (
        select(
            mentions.c.source,
            total,
            all_negative,
            count_if(_inside(recent)).label("recent"),
            recent_negative,
        )
        .group_by(mentions.c.source)
        .order_by(recent_negative.desc(), all_negative.desc(), total.desc(), mentions.c.source)
        .limit(limit)
    )
    count_query = select(func.count(distinct(mentions.c.source)))
    if where is not None:
        query, count_query = query.where(where), count_query.where(where)
    with engine.connect() as conn:
        rows = [SourceRank(*row) for row in conn.execute(query)]
        count = conn.execute(count_query).scalar() or 0
    return rows, count


def alert_rows(engine: Engine, *, open_only: bool, limit: int) -> list[Any]:
    query = select(alerts).order_by(alerts.c.created.desc(), alerts.c.id.desc()).limit(limit)
    if open_only:
        query = query.where(alerts.c.closed.is_(None))
    with engine.connect() as conn:
        return conn.execute(query).all()


def channel_deliveries(engine: Engine, alert_ids: Iterable[int]) -> dict[int, list[Any]]:
    """Each alert's chat deliveries (channel, state, sent_at), in the order they were made."""
    wanted = sorted(set(alert_ids))
    if not wanted:
        return {}
    chats = deliveries.c
    query = (
        select(chats.alert_id, chats.channel, chats.state, chats.sent_at)
        .where(deliveries.c.alert_id.in_(wanted))
        .order_by(deliveries.c.alert_id, deliveries.c.id)
    )
    found: dict[int, list[Any]] = {}
    with engine.connect() as conn:
        for row in conn.execute(query):
            found.setdefault(row.alert_id, []).append(row)
    return found


def alert_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(alerts)).scalar() or 0


def last_refresh(engine: Engine) -> datetime | None:
    """When the data was last refreshed: the end of the latest finished crawl run.

    A run that failed outright (errors and no page fetched) refreshed nothing and is skipped; a
    run still going (or killed) has no end and does not count either.
    """
    query = select(func.max(crawl_runs.c.finished)).where(crawl_runs.c.status != "failed")
    with engine.connect() as conn:
        return conn.execute(query).scalar()


def mention_total(engine: Engine, *, cutoff: datetime | None = None) -> int:
    query = _seen_by(select(func.count()).select_from(mentions), cutoff)
    with engine.connect() as conn:
        return conn.execute(query).scalar() or 0


def newest_first_seen(engine: Engine) -> datetime | None:
    """When the newest stored mention was first seen: the report's snapshot of the store."""
    with engine.connect() as conn:
        return conn.execute(select(func.max(mentions.c.first_seen))).scalar()


def _seen_by(query: Any, cutoff: datetime | None) -> Any:
    return query if cutoff is None else query.where(mentions.c.first_seen <= cutoff)


def month_counts(
    engine: Engine, zone: tzinfo, *, cutoff: datetime | None = None
) -> Counter[tuple[int, int]]:
    """Mentions per local calendar month (streamed timestamps; months are local, not UTC)."""
    counts: Counter[tuple[int, int]] = Counter()
    with engine.connect() as conn:
        query = _seen_by(select(happened), cutoff)
        result = conn.execution_options(yield_per=10000).execute(query)
        for (when,) in result:
            counts[month_of(when, zone)] += 1
    return counts


def stream_mentions(
    engine: Engine, *, cutoff: datetime | None = None, batch: int = 2000
) -> Iterator[Any]:
    """Every mention (first seen by `cutoff`), newest first (ties by id), streamed in batches."""
    query = _seen_by(select(*MENTION_COLUMNS), cutoff).order_by(happened.desc(), mentions.c.id)
    with engine.connect() as conn:
        yield from conn.execution_options(yield_per=batch).execute(query)


def newest_negative(engine: Engine, limit: int) -> list[Any]:
    """The negative mentions found most recently, for the Atom feed."""
    query = (
        select(*MENTION_COLUMNS)
        .where(is_negative)
        .order_by(mentions.c.first_seen.desc(), mentions.c.id)
        .limit(limit)
    )
    with engine.connect() as conn:
        return conn.execute(query).all()
