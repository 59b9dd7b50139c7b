"""A `[schedule] cron` expression means exactly what it means in crontab(5)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger

from crawler.schedule.crontab import (
    CrontabError,
    fire_times,
    next_fire_time,
    parse_crontab,
    previous_fire_time,
)

ROME = ZoneInfo("Europe/Rome")
SATURDAY = datetime(2025, 10, 4, 12, 0, tzinfo=ROME)  # a Saturday, far from any clock change


def times(expression: str, count: int = 7, *, after: datetime = SATURDAY, zone=ROME) -> list:
    return fire_times(parse_crontab(expression), zone, after, count)


def weekdays(expression: str, count: int = 14) -> list[str]:
    return [moment.strftime("%a") for moment in times(expression, count)]


def test_weekdays_are_numbered_from_sunday_as_in_cron() -> None:
    assert set(weekdays("0 9 * * 1-5")) == {"Mon", "Tue", "Wed", "Thu", "Fri"}
    assert set(weekdays("0 9 * * 0")) == {"Sun"}
    assert set(weekdays("0 9 * * 7")) == {"Sun"}
    assert set(weekdays("0 9 * * 6,0")) == {"Sat", "Sun"}
    assert set(weekdays("0 9 * * mon-fri")) == set(weekdays("0 9 * * 1-5"))
    assert set(weekdays("0 9 * * 5-7")) == {"Fri", "Sat", "Sun"}
    assert set(weekdays("0 9 * * */2")) == {"Sun", "Tue", "Thu", "Sat"}


def test_weekdays_mon_fri_at_nine_local_time() -> None:
    got = times("0 9 * * 1-5", 5)
    assert [m.isoformat() for m in got] == [
        "2025-10-06T09:00:00+02:00",
        "2025-10-07T09:00:00+02:00",
        "2025-10-08T09:00:00+02:00",
        "2025-10-09T09:00:00+02:00",
        "2025-10-10T09:00:00+02:00",
    ]


def test_the_weekday_is_the_local_one_not_utcs() -> None:
    auckland = ZoneInfo("Pacific/Auckland")
    got = times("0 9 * * 1", 3, zone=auckland)
    assert {m.strftime("%a %H:%M") for m in got} == {"Mon 09:00"}
    assert {m.astimezone(UTC).strftime("%a") for m in got} == {"Sun"}


def test_either_day_field_matches_when_both_are_restricted() -> None:
    # crontab(5): "0 9 1 * mon" runs on the 1st of the month *and* on every Monday.
    got = times("0 9 1 * mon", 8, after=datetime(2025, 10, 25, tzinfo=ROME))
    assert [m.strftime("%a %d") for m in got] == [
        "Mon 27",
        "Sat 01",
        "Mon 03",
        "Mon 10",
        "Mon 17",
        "Mon 24",
        "Mon 01",
        "Mon 08",
    ]


def test_a_day_field_starting_with_a_star_leaves_the_other_alone() -> None:
    # Both must match when either field starts with "*" (cron's own rule, "*/2" included).
    got = times("0 9 */2 * mon", 4, after=datetime(2025, 10, 1, tzinfo=ROME))
    assert all(m.strftime("%a") == "Mon" and m.day % 2 == 1 for m in got)
    assert [m.day for m in got] == [13, 27, 3, 17]


def test_lists_ranges_steps_names_and_seconds() -> None:
    assert [m.strftime("%H:%M") for m in times("10-50/20 8,17 * * *", 6)] == [
        "17:10",
        "17:30",
        "17:50",
        "08:10",
        "08:30",
        "08:50",
    ]
    assert [m.minute for m in times("5/20 * * * *", 3)] == [5, 25, 45]
    assert [m.strftime("%b %d") for m in times("0 0 1 jan,jul *", 2)] == ["Jan 01", "Jul 01"]
    assert [m.strftime("%H:%M:%S") for m in times("*/20 * * * * *", 4)] == [
        "12:00:20",
        "12:00:40",
        "12:01:00",
        "12:01:20",
    ]


@pytest.mark.parametrize(
    ("macro", "same_as"),
    [
        ("@hourly", "0 * * * *"),
        ("@daily", "0 0 * * *"),
        ("@midnight", "0 0 * * *"),
        ("@weekly", "0 0 * * 0"),
        ("@monthly", "0 0 1 * *"),
        ("@yearly", "0 0 1 1 *"),
        ("@annually", "0 0 1 1 *"),
    ],
)
def test_shortcuts(macro: str, same_as: str) -> None:
    assert times(macro, 3) == times(same_as, 3)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("0 9 * *", "has 4 fields; cron needs 5"),
        ("61 * * * *", "minute field '61': 61 is outside 0-59"),
        ("0 9 * * 8", "day of week field '8': 8 is outside 0-7"),
        ("0 9 * * fri-mon", "a range must go from low to high"),
        ("*/0 * * * *", "step after / must be a whole number above 0"),
        ("0 9 * foo *", "expected a number 1-12 or a name (jan…dec)"),
        ("0 0 30 2 *", "names no day that exists"),
        ("@reboot", "@reboot is not a schedule"),
        ("@often", "unknown shortcut"),
    ],
)
def test_mistakes_are_refused_with_the_field_named(expression: str, message: str) -> None:
    with pytest.raises(CrontabError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_crontab(expression)


def test_a_fixed_time_in_the_hour_skipped_in_spring_runs_when_the_clocks_jump() -> None:
    # Europe/Rome, 30 March 2025: 02:00 becomes 03:00. cronie runs the 02:30 job at once.
    got = times("30 2 * * *", 3, after=datetime(2025, 3, 29, 12, tzinfo=ROME))
    assert [m.isoformat() for m in got] == [
        "2025-03-30T03:00:00+02:00",
        "2025-03-31T02:30:00+02:00",
        "2025-04-01T02:30:00+02:00",
    ]


def test_a_fixed_time_in_the_hour_repeated_in_autumn_runs_once() -> None:
    # Europe/Rome, 26 October 2025: 03:00 becomes 02:00 again; APScheduler's own CronTrigger
    # runs "30 2 * * *" twice that night, cron once.
    got = times("30 2 * * *", 3, after=datetime(2025, 10, 25, 12, tzinfo=ROME))
    assert [m.isoformat() for m in got] == [
        "2025-10-26T02:30:00+02:00",
        "2025-10-27T02:30:00+01:00",
        "2025-10-28T02:30:00+01:00",
    ]


def test_frequent_jobs_follow_the_wall_clock_through_both_changes() -> None:
    spring = times("*/30 * * * *", 4, after=datetime(2025, 3, 30, 1, 0, tzinfo=ROME))
    assert [m.strftime("%H:%M%z") for m in spring] == [
        "01:30+0100",
        "03:00+0200",
        "03:30+0200",
        "04:00+0200",
    ]
    autumn = times("*/30 * * * *", 5, after=datetime(2025, 10, 26, 1, 45, tzinfo=ROME))
    assert [m.strftime("%H:%M%z") for m in autumn] == [
        "02:00+0200",
        "02:30+0200",
        "02:00+0100",
        "02:30+0100",
        "03:00+0100",
    ]


def test_the_next_time_is_never_before_the_start_and_can_be_the_start() -> None:
    crontab = parse_crontab("0 9 * * *")
    nine = datetime(2025, 10, 6, 9, 0, tzinfo=ROME)
    assert next_fire_time(crontab, ROME, nine) == nine
    assert next_fire_time(crontab, ROME, nine + timedelta(microseconds=1)) == nine + timedelta(
        days=1
    )


def test_the_last_time_before_a_moment_finds_a_missed_run() -> None:
    crontab = parse_crontab("0 */6 * * *")
    assert previous_fire_time(crontab, ROME, datetime(2025, 10, 6, 11, 59, tzinfo=ROME)) == (
        datetime(2025, 10, 6, 6, 0, tzinfo=ROME)
    )
    yearly = parse_crontab("@yearly")
    assert previous_fire_time(yearly, ROME, datetime(2025, 10, 6, tzinfo=ROME)) == datetime(
        2025, 1, 1, tzinfo=ROME
    )


def _random_expressions(count: int) -> list[str]:
    pick = random.Random(20250601).choice
    found = []
    while len(found) < count:
        day = pick(["*", "*", "1", "15", "1-7", "*/10", "28-31"])
        weekday = pick(["*", "*", "mon-fri", "sat,sun", "wed"])
        if not day.startswith("*") and weekday != "*":
            continue  # APScheduler ANDs the day fields; cron ORs them (tested above)
        minute = pick(["*", "*/7", "5", "0,30", "10-20/5", "59"])
        hour = pick(["*", "*/5", "9", "8-17", "0,12", "23"])
        month = pick(["*", "*", "jan", "3-5", "*/4", "dec"])
        found.append(f"{minute} {hour} {day} {month} {weekday}")
    return found


@pytest.mark.parametrize("expression", _random_expressions(40))
def test_where_apscheduler_means_the_same_it_agrees(expression: str) -> None:
    """An independent implementation (APScheduler's CronTrigger) as the reference, in UTC and
    with weekday names (which both read alike)."""
    start = datetime(2025, 1, 1, 0, 0, 30, tzinfo=UTC)
    ours = fire_times(parse_crontab(expression), UTC, start, 40)
    trigger = CronTrigger.from_crontab(expression, timezone=UTC)
    theirs, previous = [], None
    while len(theirs) < 40:
        previous = trigger.get_next_fire_time(previous, previous or start)
        theirs.append(previous)
    assert ours == theirs
