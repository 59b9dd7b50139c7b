"""What a digest says, read from the store: per brand, the period against the one before.

A handful of aggregate queries (per brand, not per mention), so a digest of a store with
100 000 mentions takes well under a second; `bench/alerts.py` measures it.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, func, select

from crawler.alerts import evidence
from crawler.alerts.message import headline
from crawler.alerts.outbox import open_alerts
from crawler.alerts.windows import Calendar
from crawler.config import Config
from crawler.report.dashboard import brand_names
from crawler.report.health import read_health
from crawler.report.periods import Window
from crawler.report.queries import MENTION_COLUMNS, counts_by_brand, happened, is_negative
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
    counts = counts_by_brand(engine, {"now": now, "before": before})
    configured = [brand.name for brand in config.brands]
    names = brand_names(configured, counts)
    taken = {"index"}  # the report's own slugs (crawler/report/dashboard.py), same order
    slugs = {name: slug(name, taken, "brand") for name in names}
    ratings = _ratings(engine, now)
    handled = _handled(engine, now)
    oldest = _oldest_open(engine, configured)
    calendar = Calendar.named(config.alerts.window, config.schedule.timezone)
    lang = config.site.language
    alerts: dict[str, list[str]] = defaultdict(list)
    for alert in open_alerts(engine):
        first = evidence.mentions_by_id(engine, alert.mention_ids[:1])
        alerts[alert.brand].append(headline(alert, first, calendar, lang))
    brands = []
    for name in configured:
        brand_counts = counts.get(name)
        windows = brand_counts.windows if brand_counts else {}
        this, prior = windows.get("now", {}), windows.get("before", {})
        done = handled.get(name, {})
        durations = done.get("durations", [])
        brands.append(
            BrandFacts(
                brand=name,
                slug=slugs[name],
                volume=sum(this.values()),
                volume_before=sum(prior.values()),
                negative=this.get("negative", 0),
                negative_before=prior.get("negative", 0),
                rating=ratings.get(name, (None, 0))[0],
                rated=ratings.get(name, (None, 0))[1],
                alerts=alerts.get(name, []),
                to_handle=brand_counts.open.get("negative", 0) if brand_counts else 0,
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


def _ratings(engine: Engine, window: Window) -> dict[str, tuple[float, int]]:
    query = (
        select(mentions.c.brand, func.avg(mentions.c.rating), func.count(mentions.c.rating))
        .where(happened >= window.start, happened < window.end, mentions.c.rating.is_not(None))
        .group_by(mentions.c.brand)
    )
    with engine.connect() as conn:
        return {brand: (float(avg), int(n)) for brand, avg, n in conn.execute(query) if n}


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


def _oldest_open(engine: Engine, brands: list[str]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    with engine.connect() as conn:
        for brand in brands:
            query = (
                select(*MENTION_COLUMNS)
                .where(and_(mentions.c.brand == brand, is_negative, mentions.c.status == "new"))
                .order_by(happened, mentions.c.id)
                .limit(OLDEST_LISTED)
            )
            found[brand] = conn.execute(query).all()
    return found
