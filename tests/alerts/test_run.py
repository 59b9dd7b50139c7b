"""The alert stage over a real store: episodes across runs, backtest, instant alerts, counting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from crawler.alerts import backtest, open_alerts, run_alerts
from crawler.config import ConfigError, parse_config
from crawler.store import alerts, mentions, set_status

from .conftest import ROME, Server, Store, make_config

NOW = dt.datetime(2025, 3, 12, 18, 0, tzinfo=ROME)
TODAY = NOW.date()
DAY = dt.timedelta(days=1)
QUIET_MONTH = [0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]

pytestmark = pytest.mark.usefixtures("inboxes")


def rows(store: Store) -> list:
    with store.engine.connect() as conn:
        return conn.execute(select(alerts).order_by(alerts.c.id)).all()


def test_one_alert_per_episode_across_runs_then_a_new_one_when_it_recurs(
    tmp_path: Path, store: Store, plain_server: Server
) -> None:
    config = make_config(tmp_path, port=plain_server.port)
    store.history("Panificio Rossi", TODAY, [*QUIET_MONTH, 6])
    run_alerts(config, store.engine, now=NOW - dt.timedelta(hours=4), env={})
    store.daily("Panificio Rossi", TODAY, 2, hour=16)  # more complaints the same afternoon
    run_alerts(config, store.engine, now=NOW, env={})
    store.daily("Panificio Rossi", TODAY + DAY, 7)  # it goes on the next day
    run_alerts(config, store.engine, now=NOW + DAY, env={})
    assert [(r.count, r.stage) for r in rows(store)] == [(6, 0)]
    assert len(plain_server.inbox.received) == 1

    # Two quiet days: the episode ends, the report stops showing it as open.
    run = run_alerts(config, store.engine, now=NOW + 4 * DAY, env={})
    assert run.closed == 1
    assert rows(store)[0].closed == dt.datetime(2025, 3, 16, tzinfo=ROME)
    assert open_alerts(store.engine) == []

    # A week later it happens again: a new episode, a new e-mail.
    store.daily("Panificio Rossi", TODAY + 11 * DAY, 8)
    run_alerts(config, store.engine, now=NOW + 11 * DAY, env={})
    assert [(r.count, r.episode) for r in rows(store)] == [(6, "2025-03-12"), (8, "2025-03-23")]
    assert len(plain_server.inbox.received) == 2


def test_a_spike_that_doubles_the_next_day_alerts_again(
    tmp_path: Path, store: Store, plain_server: Server
) -> None:
    config = make_config(tmp_path, port=plain_server.port)
    store.history("Panificio Rossi", TODAY, [*QUIET_MONTH, 6])
    run_alerts(config, store.engine, now=NOW, env={})
    store.daily("Panificio Rossi", TODAY + DAY, 13)
    run_alerts(config, store.engine, now=NOW + DAY, env={})
    assert [(r.count, r.stage, r.episode) for r in rows(store)] == [
        (6, 0, "2025-03-12"),
        (13, 1, "2025-03-12"),
    ]
    subjects = [m["Subject"] for m in plain_server.inbox.messages]
    assert subjects[1] == (
        "[passaparola] Panificio Rossi: 13 negative mentions today, still growing (usually 0.4)"
    )
    assert len(open_alerts(store.engine)) == 1  # one open episode, shown by its latest alert


def test_only_negative_not_ignored_mentions_count(
    tmp_path: Path, store: Store, plain_server: Server
) -> None:
    config = make_config(tmp_path, port=plain_server.port)
    store.history("Panificio Rossi", TODAY, [*QUIET_MONTH, 2])
    store.daily("Panificio Rossi", TODAY, 5, label="positive", hour=10)
    store.daily("Panificio Rossi", TODAY, 3, label="unknown", hour=11)
    spam = store.add("Panificio Rossi", NOW - dt.timedelta(hours=2))
    assert set_status(store.engine, spam, "ignored")
    assert run_alerts(config, store.engine, now=NOW, env={}).raised == []
    store.add("Panificio Rossi", NOW - dt.timedelta(hours=1))
    assert [r.count for r in run_alerts(config, store.engine, now=NOW, env={}).raised] == [3]


BLOG = "blog.example.it"
HOUR = dt.timedelta(hours=1)


def undated(store: Store, count: int, seen: dt.datetime, **kwargs: Any) -> None:
    """`count` negative mentions of the blog without a readable date, first seen at `seen`."""
    for _ in range(count):
        store.add("Panificio Rossi", None, first_seen=seen, source=BLOG, **kwargs)


def test_undated_mentions_of_a_first_crawl_are_backfill_later_ones_count(
    tmp_path: Path, store: Store, plain_server: Server
) -> None:
    config = make_config(tmp_path, port=plain_server.port)
    first_crawl = NOW - 3 * HOUR
    undated(store, 12, first_crawl)  # a blog's old comments without readable dates
    store.crawl_run(BLOG, first_crawl - HOUR, first_crawl + HOUR)
    assert run_alerts(config, store.engine, now=NOW, env={}).raised == []

    later = NOW + 5 * DAY
    for hours in (5, 4, 3, 2):  # new undated comments found by later crawls: counted when seen
        store.crawl_run(BLOG, later - hours * HOUR, later - hours * HOUR + HOUR / 2)
        undated(store, 1, later - hours * HOUR)
    (raised,) = run_alerts(config, store.engine, now=later, env={}).raised
    assert raised.count == 4 and raised.window_start == dt.datetime(2025, 3, 17, tzinfo=ROME)


def test_a_second_crawl_on_the_same_day_counts_its_new_undated_mentions(
    tmp_path: Path, store: Store, plain_server: Server
) -> None:
    config = make_config(tmp_path, port=plain_server.port)
    morning = NOW - 10 * HOUR
    undated(store, 30, morning)
    store.crawl_run(BLOG, morning - HOUR, morning)
    store.crawl_run(BLOG, NOW - 2 * HOUR, NOW - HOUR)  # the next scheduled crawl, six hours on
    undated(store, 5, NOW - 90 * dt.timedelta(minutes=1))
    (raised,) = run_alerts(config, store.engine, now=NOW, env={}).raised
    assert raised.count == 5


def test_a_first_crawl_killed_half_way_and_its_rerun_are_one_backfill(
    tmp_path: Path, store: Store, plain_server: Server
) -> None:
    config = make_config(tmp_path, port=plain_server.port)
    store.crawl_run(BLOG, NOW - 9 * HOUR, None)  # killed: no end, still "running"
    undated(store, 20, NOW - 8 * HOUR)
    store.crawl_run(BLOG, NOW - 7 * HOUR, NOW - 6 * HOUR, status="shutdown")  # stopped again
    undated(store, 20, NOW - 6 * HOUR - dt.timedelta(minutes=30))
    assert run_alerts(config, store.engine, now=NOW - 5 * HOUR, env={}).raised == []
    store.crawl_run(BLOG, NOW - 4 * HOUR, NOW - 3 * HOUR)  # the rest of the old comments
    undated(store, 20, NOW - 3 * HOUR - dt.timedelta(minutes=10))
    assert run_alerts(config, store.engine, now=NOW, env={}).raised == []


def test_a_failed_first_crawl_does_not_end_the_backfill(
    tmp_path: Path, store: Store, plain_server: Server
) -> None:
    config = make_config(tmp_path, port=plain_server.port)
    store.crawl_run(BLOG, NOW - 9 * HOUR, NOW - 9 * HOUR, status="failed", pages=0)  # site down
    store.crawl_run(BLOG, NOW - 3 * HOUR, NOW - 2 * HOUR)
    undated(store, 15, NOW - 2 * HOUR - dt.timedelta(minutes=20))
    assert run_alerts(config, store.engine, now=NOW, env={}).raised == []


def test_backfill_is_per_source_and_dated_mentions_always_count(
    tmp_path: Path, store: Store, plain_server: Server
) -> None:
    config = make_config(tmp_path, port=plain_server.port)
    store.crawl_run("recensioni.example.it", NOW - 30 * DAY, NOW - 30 * DAY + HOUR)
    store.crawl_run(BLOG, NOW - 2 * HOUR, NOW - HOUR)  # a blog added to the config today
    undated(store, 25, NOW - 90 * dt.timedelta(minutes=1))
    assert run_alerts(config, store.engine, now=NOW, env={}).raised == []
    for minutes in (80, 75, 70):  # dated complaints found by the same first crawl do count
        store.add(
            "Panificio Rossi",
            NOW - 3 * HOUR,
            first_seen=NOW - minutes * dt.timedelta(minutes=1),
            source=BLOG,
        )
    (raised,) = run_alerts(config, store.engine, now=NOW, env={}).raised
    assert raised.count == 3


def test_undated_mentions_of_a_source_never_crawled_count_when_first_seen(
    tmp_path: Path, store: Store, plain_server: Server
) -> None:
    config = make_config(tmp_path, port=plain_server.port)
    undated(store, 4, NOW - HOUR)  # stored without a crawl run (an import, an old store)
    (raised,) = run_alerts(config, store.engine, now=NOW, env={}).raised
    assert raised.count == 4


def test_a_future_date_counts_when_the_mention_was_first_seen(
    tmp_path: Path, store: Store, plain_server: Server
) -> None:
    config = make_config(tmp_path, port=plain_server.port)
    for _ in range(3):  # "12/04/2025" read as 12 April, found on 12 March: a slip, counts today
        store.add(
            "Panificio Rossi",
            dt.datetime(2025, 4, 12, tzinfo=ROME),
            first_seen=NOW - dt.timedelta(hours=1),
        )
    (raised,) = run_alerts(config, store.engine, now=NOW, env={}).raised
    assert raised.window_start == dt.datetime(2025, 3, 12, tzinfo=ROME)


def test_weekly_windows_follow_the_teams_weeks(
    tmp_path: Path, store: Store, plain_server: Server
) -> None:
    config = make_config(tmp_path, port=plain_server.port, extra='window = "week"')
    for week in range(1, 9):  # one complaint a week for two months
        store.add("Panificio Rossi", NOW - week * 7 * DAY)
    store.daily("Panificio Rossi", TODAY - 2 * DAY, 3)  # Monday
    store.daily("Panificio Rossi", TODAY, 3)  # Wednesday
    (raised,) = run_alerts(config, store.engine, now=NOW, env={}).raised
    assert raised.count == 6 and raised.episode == "2025-W11"
    assert raised.window_start == dt.datetime(2025, 3, 10, tzinfo=ROME)
    assert plain_server.inbox.messages[0]["Subject"] == (
        "[passaparola] Panificio Rossi: 6 negative mentions this week (usually 1)"
    )


def test_instant_alert_for_a_one_star_review_when_configured(
    tmp_path: Path, store: Store, plain_server: Server
) -> None:
    plain = make_config(tmp_path, port=plain_server.port)
    config = make_config(tmp_path, port=plain_server.port, extra="instant_min_rating = 0.0")
    old = store.add("Panificio Rossi", NOW - 40 * DAY, rating=0.0, first_seen=NOW - 2 * DAY)
    fresh = store.add(
        "Panificio Rossi", NOW - dt.timedelta(hours=3), rating=0.0, source="tripadvisor.example"
    )
    store.add("Panificio Rossi", NOW - dt.timedelta(hours=2), rating=0.25)  # two stars: no
    assert run_alerts(plain, store.engine, now=NOW, env={}).raised == []

    (raised,) = run_alerts(config, store.engine, now=NOW, env={}).raised
    assert (raised.kind, raised.mention_ids) == ("instant", [fresh])
    assert old not in raised.mention_ids  # published long ago: old news found late
    assert plain_server.inbox.messages[0]["Subject"] == (
        "[passaparola] Panificio Rossi: very negative review on tripadvisor.example (rating 1/5)"
    )
    assert run_alerts(config, store.engine, now=NOW + dt.timedelta(hours=6), env={}).raised == []

    assert set_status(store.engine, fresh, "handled")
    run_alerts(config, store.engine, now=NOW + dt.timedelta(hours=7), env={})
    assert open_alerts(store.engine) == [] and len(plain_server.inbox.received) == 1


def test_no_instant_alert_per_bad_review_while_the_brand_is_in_a_spike(
    tmp_path: Path, store: Store, plain_server: Server
) -> None:
    config = make_config(tmp_path, port=plain_server.port, extra="instant_min_rating = 0.0")
    store.history("Panificio Rossi", TODAY, [*QUIET_MONTH, 3])
    store.daily("Panificio Rossi", TODAY, 3, hour=12, rating=0.0)  # three 1-star reviews
    one_star = store.add("Caffè Bianchi", NOW - dt.timedelta(hours=1), rating=0.0)
    raised = run_alerts(config, store.engine, now=NOW, env={}).raised
    assert sorted((a.brand, a.kind, a.count) for a in raised) == [
        ("Caffè Bianchi", "instant", 1),
        ("Panificio Rossi", "spike", 6),
    ]
    assert [a.mention_ids for a in raised if a.kind == "instant"] == [[one_star]]
    # The next morning more 1-star reviews of the spiking brand: still no instant e-mails.
    store.daily("Panificio Rossi", TODAY + DAY, 2, hour=7, rating=0.0)
    later = dt.datetime.combine(TODAY + DAY, dt.time(9), tzinfo=ROME)
    assert run_alerts(config, store.engine, now=later, env={}).raised == []
    assert len(plain_server.inbox.received) == 2


def test_backtest_replays_the_history_with_the_current_rules(tmp_path: Path, store: Store) -> None:
    config = make_config(tmp_path, port=1)
    start = dt.date(2025, 1, 1)
    series = [0, 1, 0, 0] * 15  # two months of a quiet brand …
    series[30] = 7  # … with a bad batch on 31 January
    series[31] = 5  # that goes on on 1 February
    series[50] = 6  # and another on 20 February
    for offset, count in enumerate(series):
        store.daily("Panificio Rossi", start + dt.timedelta(days=offset), count)

    found = backtest(config, store.engine, since=dt.datetime(2025, 1, 20, tzinfo=ROME))
    assert [(a.window_start.astimezone(ROME).date(), a.count, a.stage) for a in found] == [
        (dt.date(2025, 1, 31), 7, 0),
        (dt.date(2025, 2, 20), 6, 0),
    ]
    assert found[0].raised_by == dt.datetime(2025, 2, 1, tzinfo=ROME)
    assert found[0].closed == dt.datetime(2025, 2, 4, tzinfo=ROME)
    assert found[0].baseline == pytest.approx(7 / 28)
    assert rows(store) == []  # a backtest records nothing

    assert (found[0].window, found[0].delay, found[0].ended) == ("2025-01-31", 0, "2025-02-03")

    strict = make_config(tmp_path, port=1, extra="min_count = 7")
    assert [a.count for a in backtest(strict, store.engine, since=None)] == [7]


def test_backtest_lists_instant_alerts_when_found_not_old_news(
    tmp_path: Path, store: Store
) -> None:
    config = make_config(tmp_path, port=1, extra="instant_min_rating = 0.25")
    fresh = dt.datetime(2025, 2, 10, 20, 0, tzinfo=ROME)
    store.add("Panificio Rossi", fresh, rating=0.0, first_seen=fresh + dt.timedelta(hours=5))
    store.add("Panificio Rossi", fresh - 60 * DAY, rating=0.0, first_seen=fresh)  # found late
    store.add("Panificio Rossi", fresh, rating=0.5, first_seen=fresh)  # three stars
    (found,) = backtest(config, store.engine)
    assert (found.kind, found.window, found.delay) == ("instant", "2025-02-10", 1)
    assert found.raised_by == dt.datetime(2025, 2, 12, tzinfo=ROME)


def test_a_window_change_in_the_config_closes_open_daily_episodes(
    tmp_path: Path, store: Store, plain_server: Server
) -> None:
    store.history("Panificio Rossi", TODAY, [*QUIET_MONTH, 6])
    run_alerts(make_config(tmp_path, port=plain_server.port), store.engine, now=NOW, env={})
    weekly = make_config(tmp_path, port=plain_server.port, extra='window = "week"')
    run = run_alerts(weekly, store.engine, now=NOW + DAY, env={})
    assert rows(store)[0].closed == NOW + DAY
    assert [r.episode for r in run.raised] == ["2025-W11"]


def test_alert_addresses_are_checked_when_the_config_is_read(tmp_path: Path) -> None:
    base = '[[brands]]\nname = "Rossi"\n[alerts]\n'
    config = parse_config(base + 'to = "team@example.org"', path=tmp_path / "p.toml")
    assert config.alerts.to == ["team@example.org"] and config.alerts.port == 587
    for bad in ('to = ["not an address"]', 'to = ["a@b.org\\nBcc: x@y.org"]', 'from = "me"'):
        with pytest.raises(ConfigError, match="is not an e-mail address"):
            parse_config(base + bad, path=tmp_path / "p.toml")
    ssl = parse_config(base + 'security = "ssl"', path=tmp_path / "p.toml")
    assert ssl.alerts.port == 465


def test_labels_set_by_rescoring_change_the_counts(
    tmp_path: Path, store: Store, plain_server: Server
) -> None:
    config = make_config(tmp_path, port=plain_server.port)
    store.history("Panificio Rossi", TODAY, [*QUIET_MONTH, 5], label="neutral")
    assert run_alerts(config, store.engine, now=NOW, env={}).raised == []
    with store.engine.begin() as conn:  # a better analyzer judges them negative
        conn.execute(update(mentions).values(label="negative"))
    assert [r.count for r in run_alerts(config, store.engine, now=NOW, env={}).raised] == [5]
