"""Time windows and chart buckets, in the report's time zone (pure).

Days, weeks and months start at local midnight (the team's day, not UTC's), so the boundaries
are computed here as aware datetimes and the database only compares timestamps: the same SQL
works on SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@dataclass(frozen=True, slots=True)
class Window:
    """A half-open interval [start, end)."""

    start: datetime
    end: datetime


def zone_named(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def last_days(now: datetime, days: int) -> tuple[Window, Window]:
    """The last `days` days up to `now` and the same span just before it."""
    span = timedelta(days=days)
    return Window(now - span, now), Window(now - 2 * span, now - span)


def _local_midnight(moment: datetime, zone: tzinfo) -> datetime:
    local = moment.astimezone(zone)
    return datetime(local.year, local.month, local.day, tzinfo=zone)


def day_edges(now: datetime, count: int, zone: tzinfo) -> list[datetime]:
    """count+1 edges: local midnights of the last `count` days (today included), then tomorrow."""
    today = _local_midnight(now, zone).date()
    days = [today - timedelta(days=offset) for offset in range(count - 1, -2, -1)]
    return [datetime(d.year, d.month, d.day, tzinfo=zone).astimezone(UTC) for d in days]


def week_edges(now: datetime, count: int, zone: tzinfo) -> list[datetime]:
    """count+1 edges: Mondays starting the last `count` weeks (this one included), then next."""
    today = _local_midnight(now, zone).date()
    monday = today - timedelta(days=today.weekday())
    weeks = [monday - timedelta(weeks=offset) for offset in range(count - 1, -2, -1)]
    return [datetime(d.year, d.month, d.day, tzinfo=zone).astimezone(UTC) for d in weeks]


def month_of(moment: datetime, zone: tzinfo) -> tuple[int, int]:
    local = moment.astimezone(zone)
    return local.year, local.month
