"""At a glance, per brand: the stars people gave, and where the mentions come from.

Star ratings are what a marketing team reads first: the average and how many 1 to 5 star
reviews came in the last 30 days against the 30 before. Mentions are counted per configured
source (five sources on one host stay five rows) and per kind (review, comment, post …).
The database groups and counts; this module only arranges the numbers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, case, func, select

from crawler.report.health import shown_url
from crawler.report.periods import Window
from crawler.report.queries import count_if, happened
from crawler.store import mentions

STARS = (5, 4, 3, 2, 1)  # shown best first


@dataclass(frozen=True, slots=True)
class Ratings:
    """Star ratings given in one period: how many of each, and their average in stars."""

    stars: dict[int, int]  # 1..5 -> how many
    average: float | None  # 1..5, from the exact ratings (half stars included)

    @property
    def count(self) -> int:
        return sum(self.stars.values())

    def share(self, star: int) -> float:
        return self.stars.get(star, 0) / self.count if self.count else 0.0


@dataclass(frozen=True, slots=True)
class Breakdown:
    """Mentions of one group (a configured source, a kind): now, before, all time."""

    key: str
    recent: int
    before: int
    total: int


@dataclass
class Glance:
    ratings: Ratings = field(default_factory=lambda: Ratings({}, None))
    ratings_before: Ratings = field(default_factory=lambda: Ratings({}, None))
    sources: list[Breakdown] = field(default_factory=list)
    kinds: list[Breakdown] = field(default_factory=list)


def star_of(rating: ColumnElement[Any]) -> Any:
    """A 0-1 rating as whole stars: 0 is one star, 1 is five; half stars round up."""
    return case(
        (rating < 0.125, 1),
        (rating < 0.375, 2),
        (rating < 0.625, 3),
        (rating < 0.875, 4),
        else_=5,
    )


def _inside(window: Window) -> ColumnElement[bool]:
    return and_(happened >= window.start, happened < window.end)


def _sum_if(condition: ColumnElement[bool], value: ColumnElement[Any]) -> Any:
    return func.sum(case((condition, value), else_=0.0))


def glances(engine: Engine, recent: Window, before: Window) -> dict[str, Glance]:
    """Per brand: ratings in `recent` and `before`, mentions per source URL and per kind."""
    result: dict[str, Glance] = defaultdict(Glance)
    star = star_of(mentions.c.rating)
    rating_query = (
        select(
            mentions.c.brand,
            star.label("star"),
            count_if(_inside(recent)).label("recent"),
            count_if(_inside(before)).label("before"),
            _sum_if(_inside(recent), mentions.c.rating).label("recent_sum"),
            _sum_if(_inside(before), mentions.c.rating).label("before_sum"),
        )
        .where(mentions.c.rating.is_not(None), happened >= before.start, happened < recent.end)
        .group_by(mentions.c.brand, star)
    )
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    stars: dict[str, tuple[dict[int, int], dict[int, int]]] = defaultdict(lambda: ({}, {}))
    with engine.connect() as conn:
        for row in conn.execute(rating_query):
            now_stars, old_stars = stars[row.brand]
            now_stars[int(row.star)] = int(row.recent or 0)
            old_stars[int(row.star)] = int(row.before or 0)
            sums[row.brand][0] += float(row.recent_sum or 0)
            sums[row.brand][1] += float(row.before_sum or 0)
        for brand, (now_stars, old_stars) in stars.items():
            result[brand].ratings = _ratings(now_stars, sums[brand][0])
            result[brand].ratings_before = _ratings(old_stars, sums[brand][1])
        for column, target in ((mentions.c.source_url, "sources"), (mentions.c.kind, "kinds")):
            query = select(
                mentions.c.brand,
                column.label("key"),
                count_if(_inside(recent)).label("recent"),
                count_if(_inside(before)).label("before"),
                func.count().label("total"),
            ).group_by(mentions.c.brand, column)
            for row in conn.execute(query):
                line = Breakdown(
                    row.key or "", int(row.recent or 0), int(row.before or 0), row.total
                )
                getattr(result[row.brand], target).append(line)
    return dict(result)


def _ratings(stars: dict[int, int], rating_sum: float) -> Ratings:
    count = sum(stars.values())
    return Ratings(stars, 1 + 4 * rating_sum / count if count else None)


def by_configured_source(lines: Sequence[Breakdown], configured: Sequence[Any]) -> list[dict]:
    """Mentions per configured source, in config order (those without any too), then the
    sources no longer configured, by count."""
    found = {line.key: line for line in lines}
    rows = []
    for source in configured:
        line = found.pop(source.url, Breakdown(source.url, 0, 0, 0))
        rows.append(
            {"url": source.url, "shown": shown_url(source.url), "kind": source.kind, "b": line}
        )
    for line in sorted(found.values(), key=lambda b: (-b.total, b.key)):
        rows.append({"url": line.key, "shown": shown_url(line.key), "kind": None, "b": line})
    return rows
