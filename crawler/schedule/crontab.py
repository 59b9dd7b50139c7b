"""crontab(5) expressions read exactly as cron reads them, and their run times in a time zone.

APScheduler 3's own `CronTrigger.from_crontab` differs from cron in three ways that matter to a
user copying a line from their crontab: it numbers weekdays from Monday (cron: 0 and 7 are
Sunday), it requires day-of-month *and* day-of-week to match (cron: when both are restricted,
either one is enough) and it runs a job at a fixed time twice when the clocks go back. This module
keeps cron's meaning:

- five fields `minute hour day-of-month month day-of-week`, or six with a leading `second`
  field (`*/5 * * * * *`: every five seconds, for tests and demos); `@hourly`, `@daily`,
  `@midnight`, `@weekly`, `@monthly`, `@yearly` and `@annually`;
- lists, ranges and steps (`1,15`, `9-17`, `*/15`, `10-50/20`, `5/10` = `5-59/10`), month and
  weekday names (`jan`, `mon-fri`), 0 or 7 for Sunday;
- when both day fields are restricted (neither starts with `*`) a day matches if either does;
- daylight saving time as cronie does it: a job at a fixed time (minute and hour fields not
  starting with `*`) that falls in the hour skipped in spring runs when the clocks jump, and runs
  once, not twice, in the hour repeated in autumn; other jobs follow the wall clock (none in the
  skipped hour, both passes of the repeated one).
"""

from __future__ import annotations

import bisect
import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
WEEKDAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
# A change of the clocks shorter than this is daylight saving time, not a clock reset (cronie
# draws the line at three hours too); it bounds how far apart a wall time and its instant move.
CLOCK_CHANGE = timedelta(hours=3)
HORIZON_YEARS = 30  # search no further: an expression that matches nothing is refused earlier


class CrontabError(ValueError):
    """A cron expression cron would not accept; the message names the field and the fix."""


@dataclass(frozen=True, slots=True)
class _Field:
    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()
    name_base: int = 0  # the number of the first name


_SECOND = _Field("second", 0, 59)
_MINUTE = _Field("minute", 0, 59)
_HOUR = _Field("hour", 0, 23)
_DAY = _Field("day of month", 1, 31)
_MONTH = _Field("month", 1, 12, MONTH_NAMES, 1)
_WEEKDAY = _Field("day of week", 0, 7, WEEKDAY_NAMES, 0)


@dataclass(frozen=True, slots=True)
class Crontab:
    """A parsed expression: the values each field allows, and cron's two special rules."""

    expression: str
    seconds: tuple[int, ...]
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday … 6 = Saturday (a 7 in the expression is stored as 0)
    either_day: bool  # both day fields restricted: a day matches if either field does
    fixed_time: bool  # minute and hour fields do not start with "*": cron's DST special case

    def matches_day(self, day: date) -> bool:
        if day.month not in self.months:
            return False
        by_date = day.day in self.days
        by_weekday = day.isoweekday() % 7 in self.weekdays
        return (by_date or by_weekday) if self.either_day else (by_date and by_weekday)

    def wall_times(self, start: datetime) -> Iterator[datetime]:
        """Naive local times the expression names, from `start` (naive) on, in order."""
        day = start.date()
        first = start.time().replace(microsecond=0)
        if start.microsecond:
            first = (datetime.combine(day, first) + timedelta(seconds=1)).time()
            if first == time(0):
                day += timedelta(days=1)
        last = date(min(day.year + HORIZON_YEARS, 9999), 1, 1)
        while day < last:
            if self.matches_day(day):
                for moment in self._times_from(first):
                    yield datetime.combine(day, moment)
            day += timedelta(days=1)
            first = time(0)

    def _times_from(self, first: time) -> Iterator[time]:
        for hour in self.hours[bisect.bisect_left(self.hours, first.hour) :]:
            minutes = self.minutes
            if hour == first.hour:
                minutes = minutes[bisect.bisect_left(minutes, first.minute) :]
            for minute in minutes:
                seconds = self.seconds
                if (hour, minute) == (first.hour, first.minute):
                    seconds = seconds[bisect.bisect_left(seconds, first.second) :]
                for second in seconds:
                    yield time(hour, minute, second)


def parse_crontab(expression: str) -> Crontab:
    """Read a crontab(5) schedule (optionally with a leading seconds field); raise CrontabError."""
    text = " ".join(expression.split())
    if text.startswith("@"):
        if text.lower() == "@reboot":
            raise CrontabError(
                "@reboot is not a schedule; start `passaparola run` from your init system instead"
            )
        if text.lower() not in MACROS:
            raise CrontabError(f"unknown shortcut {text!r}; use one of {', '.join(MACROS)}")
        text = MACROS[text.lower()]
    parts = text.split(" ")
    if len(parts) == 5:
        parts = ["0", *parts]
    elif len(parts) != 6:
        raise CrontabError(
            f"{expression!r} has {len(parts) if text else 0} fields; cron needs 5 "
            '(minute hour day-of-month month day-of-week, e.g. "0 */6 * * *") '
            "or 6 with a leading seconds field"
        )
    seconds, minutes, hours, days, months, weekdays = (
        _values(part, spec)
        for part, spec in zip(parts, (_SECOND, _MINUTE, _HOUR, _DAY, _MONTH, _WEEKDAY), strict=True)
    )
    weekdays = {0 if value == 7 else value for value in weekdays}
    day_star, weekday_star = parts[3].startswith("*"), parts[5].startswith("*")
    crontab = Crontab(
        expression=expression,
        seconds=tuple(sorted(seconds)),
        minutes=tuple(sorted(minutes)),
        hours=tuple(sorted(hours)),
        days=frozenset(days),
        months=frozenset(months),
        weekdays=frozenset(weekdays),
        either_day=not day_star and not weekday_star,
        fixed_time=not parts[1].startswith("*") and not parts[2].startswith("*"),
    )
    if not crontab.either_day and not any(
        day <= calendar.monthrange(2000, month)[1] for month in months for day in days
    ):
        raise CrontabError(f"{expression!r} names no day that exists (e.g. 30 February)")
    return crontab


def _values(field: str, spec: _Field) -> set[int]:
    values: set[int] = set()
    for item in field.split(","):
        values |= _item(item, spec)
    return values


def _item(item: str, spec: _Field) -> set[int]:
    where = f"{spec.name} field {item!r}"
    span, _, step_text = item.partition("/")
    step = 1
    if step_text:
        if not step_text.isdigit() or int(step_text) == 0:
            raise CrontabError(f"{where}: the step after / must be a whole number above 0")
        step = int(step_text)
    if span == "*":
        first, last = spec.low, spec.high
        if spec is _WEEKDAY:
            last = 6  # "*" is every day once; 7 would be Sunday again
    elif "-" in span:
        low, _, high = span.partition("-")
        first, last = _number(low, spec, where), _number(high, spec, where)
        if first > last:
            raise CrontabError(
                f"{where}: a range must go from low to high; split it, e.g. 22-23,0-2"
            )
    else:
        first = _number(span, spec, where)
        last = spec.high if step_text else first
    return set(range(first, last + 1, step))


def _number(text: str, spec: _Field, where: str) -> int:
    if text.lower() in spec.names:
        return spec.names.index(text.lower()) + spec.name_base
    if not text.isdigit():
        allowed = f" or a name ({spec.names[0]}…{spec.names[-1]})" if spec.names else ""
        raise CrontabError(f"{where}: expected a number {spec.low}-{spec.high}{allowed}")
    value = int(text)
    if not spec.low <= value <= spec.high:
        raise CrontabError(f"{where}: {value} is outside {spec.low}-{spec.high}")
    return value


def next_fire_time(crontab: Crontab, zone: tzinfo, start: datetime) -> datetime | None:
    """The first moment at or after `start` (aware) when cron would run the job, in UTC.

    Walks the expression's wall times in the zone and turns each into the moments it names:
    one normally, two or one (`fixed_time`) in the hour repeated in autumn, none or the moment
    of the jump (`fixed_time`) in the hour skipped in spring.
    """
    if start.tzinfo is None:
        raise ValueError("naive datetime: attach a time zone")
    start = start.astimezone(UTC)
    wall_start = _wall(start, zone)
    # When the clocks are about to go back, times just before `start` on the wall clock come
    # again after it.
    later_offset = _offset(start + CLOCK_CHANGE, zone)
    wall_start -= max(timedelta(0), _offset(start, zone) - later_offset)
    best: datetime | None = None
    stop_at: datetime | None = None
    for wall in crontab.wall_times(wall_start):
        if stop_at is not None and wall > stop_at:
            break
        for moment in _moments(wall, zone, crontab.fixed_time):
            if moment >= start and (best is None or moment < best):
                best = moment
                # A later wall time can only name an earlier moment across a change back.
                back = _offset(best - CLOCK_CHANGE, zone) - _offset(best, zone)
                stop_at = _wall(best, zone) + max(timedelta(0), back)
    return best


def fire_times(crontab: Crontab, zone: tzinfo, after: datetime, count: int) -> list[datetime]:
    """The next `count` run times strictly after `after`, in the zone."""
    found: list[datetime] = []
    moment = after
    while len(found) < count:
        following = next_fire_time(crontab, zone, moment + timedelta(microseconds=1))
        if following is None:
            break
        found.append(following.astimezone(zone))
        moment = following
    return found


def previous_fire_time(crontab: Crontab, zone: tzinfo, before: datetime) -> datetime | None:
    """The last run time at or before `before`: was a run missed while nothing was running?"""
    for reach in (
        timedelta(minutes=2),
        timedelta(hours=2),
        timedelta(days=2),
        timedelta(days=40),
        timedelta(days=400),
        timedelta(days=366 * 9),
    ):
        moment = next_fire_time(crontab, zone, before - reach)
        last = None
        while moment is not None and moment <= before:
            last = moment
            moment = next_fire_time(crontab, zone, moment + timedelta(microseconds=1))
        if last is not None:
            return last
    return None


def _wall(moment: datetime, zone: tzinfo) -> datetime:
    return moment.astimezone(zone).replace(tzinfo=None)


def _offset(moment: datetime, zone: tzinfo) -> timedelta:
    return moment.astimezone(zone).utcoffset() or timedelta(0)


def _moments(wall: datetime, zone: tzinfo, fixed_time: bool) -> list[datetime]:
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    second = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    if first == second:
        return [first]
    if _wall(first, zone) == wall:  # the hour repeated when the clocks go back
        return [first] if fixed_time else [first, second]
    # The hour skipped when the clocks go forward: `second` is before the jump, `first` after.
    return [_jump(second, first, zone)] if fixed_time else []


def _jump(before: datetime, after: datetime, zone: tzinfo) -> datetime:
    """The first second after `before` whose offset is that of `after`: when the clocks moved."""
    target = _offset(after, zone)
    low, high = before, after
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if middle <= low:
            break
        if _offset(middle, zone) == target:
            high = middle
        else:
            low = middle
    return high
