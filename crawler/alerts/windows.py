"""Counting windows: the team's days or weeks (Monday to Sunday), in the team's time zone.

A window is numbered by an integer so detection can do arithmetic on it (the window before, the
28 before); the calendar turns numbers into the local midnights where windows start and end, so a
"day" is a day in Rome, 23 or 25 hours long when the clocks change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class Calendar:
    unit: str  # "day" or "week"
    zone: ZoneInfo

    @classmethod
    def named(cls, unit: str, zone: str) -> Calendar:
        if unit not in ("day", "week"):
            raise ValueError(f"window must be 'day' or 'week', not {unit!r}")
        return cls(unit, ZoneInfo(zone))

    @property
    def days(self) -> int:
        return 1 if self.unit == "day" else 7

    def index(self, moment: datetime) -> int:
        """The number of the window containing an aware moment."""
        if moment.tzinfo is None:
            raise ValueError("naive datetime: attach a timezone first")
        day = moment.astimezone(self.zone).date()
        return (day.toordinal() - 1) // self.days

    def first_day(self, window: int) -> date:
        return date.fromordinal(window * self.days + 1)

    def start(self, window: int) -> datetime:
        """Local midnight at which the window starts, as an aware UTC datetime."""
        local = datetime.combine(self.first_day(window), time(0), tzinfo=self.zone)
        return local.astimezone(UTC)

    def end(self, window: int) -> datetime:
        return self.start(window + 1)

    def label(self, window: int) -> str:
        """The window in ISO form, used as an episode key: 2025-03-12 or 2025-W11."""
        first = self.first_day(window)
        if self.unit == "day":
            return first.isoformat()
        year, week, _ = first.isocalendar()
        return f"{year}-W{week:02d}"

    def span(self, window: int) -> timedelta:
        return self.end(window) - self.start(window)

    def parse_label(self, label: str) -> int:
        """The window a `label` names (the inverse of `label`)."""
        if self.unit == "day":
            first = date.fromisoformat(label)
        else:
            year, _, week = label.partition("-W")
            first = date.fromisocalendar(int(year), int(week), 1)
        return (first.toordinal() - 1) // self.days

    def is_boundary(self, moment: datetime) -> bool:
        """True when `moment` is where one of this calendar's windows starts."""
        return self.start(self.index(moment)) == moment
