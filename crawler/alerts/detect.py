"""Spike detection: is today's number of negative mentions improbably high for this brand?

Pure functions over counts per window (see `windows.Calendar`); no clock, no store.

The method, in plain words (the README copies it):

- For each brand, passaparola counts its negative mentions per window (a day, or a week from
  Monday, in the schedule's time zone), dated by when they were published, or when they were
  first seen if no date is known. Mentions marked "ignored" do not count, nor do undated ones
  found by a source's first crawl, until its first completed run (old news of unknown age).
- The brand's usual level is its average per window over the previous `baseline_windows`
  windows (28 by default), or over its whole history when that is shorter.
- The current window (and the one before, for mentions that arrive late) raises an alert when
  it has at least `min_count` negative mentions *and* so many that a brand at its usual level
  would see that many or more with a chance below `probability` (0.1 % by default). The chance
  treats mentions as random arrivals whose rate also wanders by about 20 % from day to day (a
  negative binomial distribution, the Poisson distribution with room for busy weekdays). The
  usual level is never taken as lower than 0.1 per window, so a brand with no history yet
  raises an alert at `min_count` negative mentions.
- One alert per episode: while a spike goes on there is no new alert. It ends after two windows
  in a row that are no longer even mildly unusual (chance above 5 %); a later spike is a new
  episode and a new alert. While it goes on, a later window with at least twice as many negative
  mentions as the window of the last alert (and itself a spike) raises one more alert.
- Because the usual level is a moving average, a level that stays high becomes the new normal
  within about two weeks: a steady stream of complaints, however large, does not alert daily.
- Instant alerts (`instant_min_rating`, off by default): a single mention rated at or below it
  (0-1; 0 is one star), published and found since yesterday, is an alert of its own, except
  while its brand is in a spike episode (that alert has already called the team in).
- What it cannot do: on a brand with one or two negative mentions a day, a day with three times
  as many is within chance; a daily spike is caught 9 times in 10 when it is about 9x the usual
  level at 1 a day, 4x at 5 a day, 3x at 10 a day, and no rule does much better
  (`python bench/alerts.py`). For a quiet brand, `window = "week"` catches a bad week that no
  single day shows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crawler.config import AlertsConfig

BASELINE_FLOOR = 0.1  # negative mentions per window assumed at least, whatever the history
ELEVATED_PROBABILITY = 0.05  # a window below this chance keeps an episode open
QUIET_WINDOWS_TO_CLOSE = 2  # windows in a row at the usual level that end an episode
GROWTH = 2.0  # a further alert in the same episode when the count doubles
DISPERSION = 0.04  # day-to-day wander of the usual level beyond chance: about 20 %


def poisson_tail(count: int, rate: float) -> float:
    """P(X >= count) for X ~ Poisson(rate)."""
    return tail(count, rate, 0.0)


def tail(count: int, mean: float, dispersion: float) -> float:
    """P(X >= count) for counts with this mean and variance mean + dispersion * mean².

    Dispersion 0 is the Poisson distribution; above 0 the negative binomial, the Poisson's
    cousin for counts whose own rate wanders (weekdays, seasons). Summed from `count` upwards
    in the upper tail, so tiny probabilities stay accurate (no 1 - cdf cancellation).
    """
    if count <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    if dispersion > 0:
        size = 1 / dispersion
        stay = mean / (size + mean)  # the negative binomial's "failure" probability

        def log_pmf(k: int) -> float:
            return (
                math.lgamma(k + size)
                - math.lgamma(size)
                - math.lgamma(k + 1)
                + size * math.log1p(-stay)
                + k * math.log(stay)
            )

        def ratio(k: int) -> float:  # pmf(k + 1) / pmf(k)
            return (k + size) / (k + 1) * stay
    else:

        def log_pmf(k: int) -> float:
            return k * math.log(mean) - mean - math.lgamma(k + 1)

        def ratio(k: int) -> float:
            return mean / (k + 1)

    if count <= mean:  # not in the upper tail: the short lower sum is exact enough
        return max(0.0, 1.0 - sum(math.exp(log_pmf(k)) for k in range(count)))
    total, k, term = 0.0, count, math.exp(log_pmf(count))
    while term > 0.0 and term > total * 1e-17:
        total += term
        term *= ratio(k)
        k += 1
    return min(1.0, total)


@dataclass(frozen=True, slots=True)
class Rules:
    """The knobs of detection; `from_config` maps `[alerts]` onto them."""

    min_count: int = 3
    probability: float = 0.001
    baseline_windows: int = 28
    floor: float = BASELINE_FLOOR
    dispersion: float = DISPERSION
    elevated_probability: float = ELEVATED_PROBABILITY
    quiet_to_close: int = QUIET_WINDOWS_TO_CLOSE
    growth: float = GROWTH

    @classmethod
    def from_config(cls, alerts: AlertsConfig) -> Rules:
        return cls(
            min_count=alerts.min_count,
            probability=alerts.probability,
            baseline_windows=alerts.baseline_windows,
        )


@dataclass(frozen=True, slots=True)
class Assessment:
    """One window judged against the brand's usual level."""

    window: int
    count: int
    baseline: float  # average per window over the baseline windows (0 with no history)
    history: int  # how many baseline windows there were
    p_value: float  # chance of `count` or more at max(baseline, floor)
    significant: bool  # a spike: raise an alert
    elevated: bool  # mildly unusual: keeps an open episode open


def assess(counts: Mapping[int, int], window: int, first: int, rules: Rules) -> Assessment:
    """Judge `window` against the windows before it, back to the brand's first window `first`."""
    earliest = max(first, window - rules.baseline_windows)
    history = max(0, window - earliest)
    baseline = sum(counts.get(w, 0) for w in range(earliest, window)) / history if history else 0.0
    count = counts.get(window, 0)
    p_value = tail(count, max(baseline, rules.floor), rules.dispersion)
    return Assessment(
        window=window,
        count=count,
        baseline=baseline,
        history=history,
        p_value=p_value,
        significant=count >= rules.min_count and p_value < rules.probability,
        elevated=count > 0 and p_value < max(rules.elevated_probability, rules.probability),
    )


@dataclass(frozen=True, slots=True)
class Episode:
    """An open spike: what is needed to decide about the next windows."""

    start: int  # window of the first alert
    last_window: int  # window of the latest alert
    alerted_count: int  # count at the latest alert (growth is measured from it)
    stage: int  # 0 after the first alert, +1 per growth alert


@dataclass(frozen=True, slots=True)
class Spike:
    """An alert to raise: the window, its count and what it was compared with."""

    window: int
    count: int
    baseline: float
    p_value: float
    episode: int  # window where the episode started
    stage: int


@dataclass(frozen=True, slots=True)
class Progress:
    episode: Episode | None  # open after this step, if any
    closed: int | None = None  # window at whose end the previous episode ended
    spikes: list[Spike] = field(default_factory=list)


def advance(
    counts: Mapping[int, int], first: int, episode: Episode | None, latest: int, rules: Rules
) -> Progress:
    """One detection step at a moment inside window `latest` (which may still be filling).

    Looks at the window before `latest` too, because mentions arrive late: a review published
    at 23:50 and found by the crawl after midnight still belongs to yesterday.
    """
    closed = None
    if episode is not None:
        quiet = 0
        for window in range(episode.last_window + 1, latest):  # complete windows only
            if assess(counts, window, first, rules).elevated:
                quiet = 0
                continue
            quiet += 1
            if quiet >= rules.quiet_to_close:
                closed, episode = window, None
                break
    spikes: list[Spike] = []
    for window in (latest - 1, latest):
        if window < first or (closed is not None and window <= closed):
            continue
        if episode is not None and window <= episode.last_window:
            continue  # the alerted window itself keeps filling up: that is not growth
        found = assess(counts, window, first, rules)
        if not found.significant:
            continue
        if episode is None:
            episode = Episode(window, window, found.count, 0)
        elif found.count >= rules.growth * _alerted(counts, episode):
            episode = replace(
                episode, last_window=window, alerted_count=found.count, stage=episode.stage + 1
            )
        else:
            continue
        spikes.append(
            Spike(
                window=window,
                count=found.count,
                baseline=found.baseline,
                p_value=found.p_value,
                episode=episode.start,
                stage=episode.stage,
            )
        )
    return Progress(episode=episode, closed=closed, spikes=spikes)


def _alerted(counts: Mapping[int, int], episode: Episode) -> int:
    """The count of the last alerted window as known now (it may have grown since the alert)."""
    return max(episode.alerted_count, counts.get(episode.last_window, 0))


@dataclass(frozen=True, slots=True)
class Replayed:
    """A spike the rules raise in a replay, with the window in which it was raised and ended."""

    spike: Spike
    raised: int  # window during which the alert would have gone out
    closed: int | None  # window at whose end its episode ended (None: still open)


def replay(
    counts: Mapping[int, int], first: int, last: int, rules: Rules, *, start: int | None = None
) -> list[Replayed]:
    """Run `advance` once per window from `start` (default `first`) to `last`, as a run at each
    window's end; windows from `first` to `start` serve as history only."""
    found: list[Replayed] = []
    episode: Episode | None = None
    for latest in range(first if start is None else max(first, start), last + 1):
        step = advance(counts, first, episode, latest, rules)
        if step.closed is not None:
            found = [replace(r, closed=step.closed) if r.closed is None else r for r in found]
        found.extend(Replayed(spike, latest, None) for spike in step.spikes)
        episode = step.episode
    return found


def is_severe(rating: float | None, threshold: float | None) -> bool:
    """A single mention worth an instant alert: a rating at or below the configured threshold."""
    return threshold is not None and rating is not None and rating <= threshold
