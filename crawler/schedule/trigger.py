"""The APScheduler trigger for a `[schedule] cron` expression, with cron's own meaning.

APScheduler asks a trigger one question: the next run time after the previous one. Answering it
with `crontab.next_fire_time` keeps weekdays, the day-of-month/day-of-week rule and daylight
saving time as crontab(5) has them (see `crontab.py` for where APScheduler 3's CronTrigger
differs), while APScheduler does the rest: waiting, catching up late runs and coalescing them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger

from crawler.config import ScheduleConfig
from crawler.schedule.crontab import (
    Crontab,
    fire_times,
    next_fire_time,
    parse_crontab,
    previous_fire_time,
)


class CrontabTrigger(BaseTrigger):
    """Fires when cron would, in the configured time zone."""

    __slots__ = ("crontab", "zone")

    def __init__(self, crontab: Crontab, zone: ZoneInfo) -> None:
        self.crontab = crontab
        self.zone = zone

    @classmethod
    def from_config(cls, schedule: ScheduleConfig) -> CrontabTrigger:
        return cls(parse_crontab(schedule.cron), ZoneInfo(schedule.timezone))

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        # As APScheduler's own triggers: the first time after the previous run, even if that is
        # already past (the scheduler counts it as late, and coalesces), else from now.
        start = now
        if previous_fire_time is not None:
            start = min(now, previous_fire_time + timedelta(microseconds=1))
        moment = next_fire_time(self.crontab, self.zone, start)
        return None if moment is None else moment.astimezone(self.zone)

    def next_times(self, after: datetime, count: int) -> list[datetime]:
        """The next `count` run times after `after`, in the schedule's time zone."""
        return fire_times(self.crontab, self.zone, after, count)

    def last_time(self, before: datetime) -> datetime | None:
        """The last run time at or before `before` (to notice a run missed while stopped)."""
        moment = previous_fire_time(self.crontab, self.zone, before)
        return None if moment is None else moment.astimezone(self.zone)

    def __str__(self) -> str:
        return f"cron[{self.crontab.expression!r}, {self.zone.key}]"

    def __repr__(self) -> str:
        return f"<CrontabTrigger ({self.crontab.expression!r}, timezone={self.zone.key!r})>"
