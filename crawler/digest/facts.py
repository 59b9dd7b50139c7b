"""What a digest says, read from the store: per brand, the period against the one before.

A handful of queries, each one pass over the mentions grouped or ranked per brand (not one per
brand); `python bench/alerts.py --digest` times it on a store of 100 000 mentions.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, case, func, select

from crawler.alerts import evidence
from crawler.alerts.message import headline
from crawler.alerts.outbox import open_alerts
from crawler.alerts.windows import Calendar
from crawler.config import Config
from crawler.report.dashboard import brand_names
from crawler.report.health import read_health
from crawler.report.periods import Window
from crawler.report.queries import MENTION_COLUMNS, count_if, happened, is_negative
from crawler.report.views import slug
from crawler.store import mentions

OLDEST_LISTED = 5  # mentions still to handle, listed oldest first; the report has the rest


@dataclass(frozen=True, slots=True)
class BrandFacts:
    brand: str
    slug: str  # its page in the report: brands/<slug>.html
    volume: int
    volume_before: int
    negative: int
    negative_before: int
    rating: float | None  # average 0–1 rating of the period's rated mentions
    rated: int
    alerts: list[str]  # the open alerts' headlines
    to_handle: int  # negative mentions still open (status new), whenever they came
    oldest: list[Any]  # the oldest of those, as MENTION_COLUMNS rows
    handled: int  # handled in the period
    ignored: int
    median_seconds: float | None  # first seen → handled, over the period's handled ones


@dataclass(frozen=True, slots=True)
class Problem:
    source: str  # host and path as configured
    note: str


@dataclass(frozen=True, slots=True)
class DigestFacts:
    key: str  # "week/2026-W49": one digest per key, ever
    period: str  # "week" or "day"
    label: str  # "2026-W49" / "2026-12-07"
    start: datetime
    end: datetime
    brands: list[BrandFacts] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_facts(
    config: Config, engine: Engine, key: str, label: str, start: datetime, end: datetime
) -> DigestFacts:
    """The digest of [start, end), compared with the span of the same length before it."""
    now, before = Window(start, end), Window(start - (end - start), start)
    counts = _counts(engine, now, before)
    configured = [brand.name for brand in config.brands]
    names = brand_names(configured, counts)
    taken = {"index"}  # the report's own slugs (crawler/report/dashboard.py), same order
    slugs = {name: slug(name, taken, "brand") for name in names}
    handled = _handled(engine, now)
    oldest = _oldest_open(engine)
    calendar = Calendar.named(config.alerts.window, config.schedule.timezone)
    lang = config.site.language
    alerts: dict[str, list[str]] = defaultdict(list)
    for alert in open_alerts(engine):
        first = evidence.mentions_by_id(engine, alert.mention_ids[:1])
        alerts[alert.brand].append(headline(alert, first, calendar, lang))
    brands = []
    for name in configured:
        c = counts.get(name, _NO_COUNTS)
        done = handled.get(name, {})
        durations = done.get("durations", [])
        brands.append(
            BrandFacts(
                brand=name,
                slug=slugs[name],
                volume=c.volume,
                volume_before=c.volume_before,
                negative=c.negative,
                negative_before=c.negative_before,
                rating=c.rating,
                rated=c.rated,
                alerts=alerts.get(name, []),
                to_handle=c.to_handle,
                oldest=oldest.get(name, []),
                handled=done.get("handled", 0),
                ignored=done.get("ignored", 0),
                median_seconds=statistics.median(durations) if durations else None,
            )
        )
    health = read_health(config, engine, end, now, lang)
    troubled = [h for h in health if h.problem or h.state in ("interrupted", "warning")]
    problems = [Problem(h.shown, h.note or h.state) for h in troubled]
    return DigestFacts(key, config.digest.period, label, start, end, brands, problems)


@dataclass(frozen=True, slots=True)
class _Counts:
    volume: int = 0
    volume_before: int = 0
    negative: int = 0
    negative_before: int = 0
    rating: float | None = None
    rated: int = 0
    to_handle: int = 0


_NO_COUNTS = _Counts()


def _counts(engine: Engine, now: Window, before: Window) -> dict[str, _Counts]:
    """Per brand, in one pass: the two spans' volumes and negatives, the period's ratings, and
    the negative mentions still open."""
    inside = and_(happened >= now.start, happened < now.end)
    earlier = and_(happened >= before.start, happened < before.end)
    rated = and_(inside, mentions.c.rating.is_not(None))
    query = select(
        mentions.c.brand,
        count_if(inside),
        count_if(earlier),
        count_if(and_(inside, is_negative)),
        count_if(and_(earlier, is_negative)),
        func.avg(case((rated, mentions.c.rating))),
        count_if(rated),
        count_if(and_(is_negative, mentions.c.status == "new")),
    ).group_by(mentions.c.brand)
    with engine.connect() as conn:
        return {
            row[0]: _Counts(
                *(int(value or 0) for value in row[1:5]),
                rating=None if row[5] is None else float(row[5]),
                rated=int(row[6] or 0),
                to_handle=int(row[7] or 0),
            )
            for row in conn.execute(query)
        }


def _handled(engine: Engine, window: Window) -> dict[str, dict[str, Any]]:
    query = select(
        mentions.c.brand, mentions.c.status, mentions.c.first_seen, mentions.c.handled_at
    ).where(
        mentions.c.status.in_(("handled", "ignored")),
        mentions.c.handled_at >= window.start,
        mentions.c.handled_at < window.end,
    )
    found: dict[str, dict[str, Any]] = defaultdict(lambda: {"durations": []})
    with engine.connect() as conn:
        for brand, status, first_seen, handled_at in conn.execute(query):
            entry = found[brand]
            entry[status] = entry.get(status, 0) + 1
            if status == "handled":
                entry["durations"].append(max(0.0, (handled_at - first_seen).total_seconds()))
    return found


def _oldest_open(engine: Engine) -> dict[str, list[Any]]:
    """Per brand, its oldest open negative mentions: one query, ranked within each brand."""
    rank = (
        func.row_number()
        .over(partition_by=mentions.c.brand, order_by=(happened, mentions.c.id))
        .label("rank")
    )
    ranked = (
        select(*MENTION_COLUMNS, rank)
        .where(and_(is_negative, mentions.c.status == "new"))
        .subquery()
    )
    query = (
        select(*[ranked.c[column.name] for column in MENTION_COLUMNS])
        .where(ranked.c.rank <= OLDEST_LISTED)
        .order_by(ranked.c.brand, ranked.c.rank)
    )
    found: dict[str, list[Any]] = defaultdict(list)
    with engine.connect() as conn:
        for row in conn.execute(query):
            found[row.brand].append(row)
    return found
