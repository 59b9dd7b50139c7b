"""Spike detection on realistic daily series of negative mentions (pure: no store, no clock)."""

from __future__ import annotations

import math

import pytest

from crawler.alerts.detect import Episode, Rules, advance, assess, poisson_tail, replay, tail

RULES = Rules()  # min_count 3, probability 0.001, 28 baseline days

# Four weeks of a small bakery: a complaint every week or so.
QUIET = [0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]
# A busy chain: complaints every day, 4 to 9, with a weekly rhythm.
STEADY = [6, 5, 7, 4, 8, 9, 6, 5, 6, 7, 5, 8, 9, 7, 6, 4, 6, 7, 5, 9, 8, 5, 6, 7, 4, 8, 9, 6]


def alerts_of(series: list[int], rules: Rules = RULES) -> list[tuple[int, int, int]]:
    """(window, count, stage) of every alert a run at each day's end would raise after the
    four weeks of history (or from the start when the series is shorter)."""
    counts = dict(enumerate(series))
    start = 28 if len(series) > 28 else 0
    return [
        (r.spike.window, r.spike.count, r.spike.stage)
        for r in replay(counts, 0, len(series) - 1, rules, start=start)
    ]


@pytest.mark.parametrize(
    ("story", "series", "expected"),
    [
        ("quiet brand, one grumpy review", QUIET + [1], []),
        ("quiet brand, two complaints on a day", QUIET + [2], []),
        ("quiet brand, a bad batch: five complaints", QUIET + [5], [(28, 5, 0)]),
        ("steady complaints, a normal busy day", STEADY + [10], []),
        ("steady complaints for three months never alert", STEADY * 3, []),
        ("steady complaints, then a burst", STEADY + [25], [(28, 25, 0)]),
        ("sudden burst that continues: one alert", QUIET + [7, 6, 8, 5], [(28, 7, 0)]),
        ("burst that doubles the next day: one more", QUIET + [7, 15], [(28, 7, 0), (29, 15, 1)]),
        (
            "recurrence after the spike ended",
            QUIET + [7, 0, 0, 0, 0] + [0] * 9 + [8],
            [(28, 7, 0), (42, 8, 0)],
        ),
        ("no history: min_count complaints alert", [3], [(0, 3, 0)]),
        ("no history: fewer than min_count do not", [2], []),
    ],
)
def test_alerts_raised_over_a_series(story: str, series: list[int], expected: list) -> None:
    assert alerts_of(series) == expected, story


def test_a_spike_that_stays_becomes_the_new_normal_without_realerting() -> None:
    # Two months at 1 a day, then 8 a day for ever after (a new product line, say).
    series = [1] * 60 + [8] * 60
    raised = replay(dict(enumerate(series)), 0, len(series) - 1, RULES, start=28)
    assert [(r.spike.window, r.spike.stage) for r in raised] == [(60, 0)]
    assert raised[0].closed is not None and 60 < raised[0].closed < 119


def test_one_quiet_day_does_not_end_an_episode_two_do() -> None:
    assert alerts_of(QUIET + [7, 0, 7]) == [(28, 7, 0)]
    assert alerts_of(QUIET + [7, 0, 0, 7]) == [(28, 7, 0), (31, 7, 0)]


def test_an_open_episode_ends_only_on_complete_windows() -> None:
    counts = dict(enumerate(QUIET + [7, 0]))
    episode = Episode(start=28, last_window=28, alerted_count=7, stage=0)
    # Day 30 has just begun: day 29 was quiet but one quiet day is not enough.
    assert advance(counts, 0, episode, 30, RULES).episode == episode
    step = advance(counts, 0, episode, 31, RULES)  # days 29 and 30 both complete and quiet
    assert step.episode is None and step.closed == 30


def test_a_late_arrival_raises_the_alert_for_yesterday() -> None:
    # Last night's run saw 1 complaint; after midnight the crawl found 6 more dated yesterday.
    counts = dict(enumerate(QUIET + [7, 0]))
    step = advance(counts, 0, None, 29, RULES)
    assert [(s.window, s.count) for s in step.spikes] == [(28, 7)]


def test_the_window_of_the_alert_filling_up_is_not_growth() -> None:
    episode = Episode(start=28, last_window=28, alerted_count=3, stage=0)
    counts = dict(enumerate(QUIET + [12]))  # 3 at the morning run, 12 by the evening
    assert advance(counts, 0, episode, 28, RULES).spikes == []
    counts[29] = 20  # the next day: less than twice the 12 of the alerted day
    assert advance(counts, 0, episode, 29, RULES).spikes == []
    counts[29] = 24
    assert [s.stage for s in advance(counts, 0, episode, 29, RULES).spikes] == [1]


def test_the_baseline_is_the_brands_own_recent_average() -> None:
    found = assess(dict(enumerate(STEADY + [25])), 28, 0, RULES)
    assert found.history == 28
    assert found.baseline == pytest.approx(sum(STEADY) / 28)
    assert found.significant and found.p_value < 1e-4


def test_a_brand_with_short_history_is_judged_on_what_there_is() -> None:
    found = assess({0: 2, 1: 3, 2: 2, 3: 9}, 3, 0, RULES)
    assert found.history == 3 and found.baseline == pytest.approx(7 / 3)


def test_min_count_and_probability_are_the_users_knobs() -> None:
    assert alerts_of(QUIET + [5], Rules(min_count=6)) == []
    assert alerts_of(STEADY + [14]) == []
    assert alerts_of(STEADY + [14], Rules(probability=0.05)) == [(28, 14, 0)]


def test_poisson_tail_matches_the_textbook_values() -> None:
    # P(X >= 3) for rate 0.1 is 1 - e^-0.1 (1 + 0.1 + 0.005)
    assert poisson_tail(3, 0.1) == pytest.approx(1 - math.exp(-0.1) * 1.105, rel=1e-9)
    assert poisson_tail(0, 2.0) == 1.0
    assert poisson_tail(5, 0.0) == 0.0
    direct = 1 - sum(math.exp(-4) * 4**k / math.factorial(k) for k in range(9))
    assert poisson_tail(9, 4.0) == pytest.approx(direct, rel=1e-9)
    assert 0 < poisson_tail(400, 100.0) < 1e-100  # far tail: no underflow to 0, no cancellation


def test_negative_binomial_tail_is_wider_than_poisson_and_tends_to_it() -> None:
    assert tail(30, 15, 0.04) > tail(30, 15, 0.0)
    assert tail(30, 15, 1e-9) == pytest.approx(tail(30, 15, 0.0), rel=1e-6)
    # Exact: mean 2, size 1 (dispersion 1) is geometric with P(X >= k) = (2/3)^k
    assert tail(4, 2.0, 1.0) == pytest.approx((2 / 3) ** 4, rel=1e-9)
