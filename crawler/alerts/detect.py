"""Spike detection: is today's number of negative mentions improbably high for this brand?

Pure functions over counts per window (see `windows.Calendar`); no clock, no store.

The method, in plain words:

- For each brand we count its negative mentions per window (a day or a week in the team's time
  zone), dated by when they were published, or when we first saw them if no date is known.
- The brand's *usual level* is its average per window over the previous `baseline_windows`
  windows (28 days by default), or over its whole history when that is shorter.
- The latest window is a spike when it has at least `min_count` negative mentions *and* so many
  that a brand at its usual level would see that many or more with a chance below `probability`
  (0.1 % by default), treating mentions as random arrivals (a Poisson distribution). The usual
  level is never taken as lower than 0.1 per window, so a brand with no history needs
  `min_count` complaints to raise an alert, and then exactly `min_count`.
- One alert per episode: while the spike goes on there is no new alert. The episode ends after
  two windows in a row that are no longer even mildly unusual (chance above 5 %); a later spike
  is a new episode and a new alert. While it goes on, a window with at least twice as many
  negative mentions as the last alert (and itself a spike) raises one more alert, "still growing".
- Because the usual level is a moving average, a level that stays high becomes the new normal
  within a few weeks: a steady trickle of complaints never alerts, however large.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

BASELINE_FLOOR = 0.1  # negative mentions per window assumed at least, whatever the history
ELEVATED_PROBABILITY = 0.05  # a window below this chance keeps an episode open
QUIET_WINDOWS_TO_CLOSE = 2  # windows in a row at the usual level that end an episode
GROWTH = 2.0  # a further alert in the same episode when the count doubles


def poisson_tail(count: int, rate: float) -> float:
    """P(X >= count) for X ~ Poisson(rate), accurate in the far tail (no 1 - cdf cancellation)."""
    if count <= 0:
        return 1.0
    if rate <= 0:
        return 0.0
    if count <= rate:
        # Not in the upper tail: 1 - P(X <= count - 1), the lower sum is short and exact enough.
        return max(0.0, 1.0 - sum(_pmf(i, rate) for i in range(count)))
    total = 0.0
    i = count
    term = _pmf(i, rate)
    while term > 0.0 and term > total * 1e-17:
        total += term
        i += 1
        term *= rate / i
    return min(1.0, total)


def _pmf(k: int, rate: float) -> float:
    return math.exp(k * math.log(rate) - rate - math.lgamma(k + 1))


@dataclass(frozen=True, slots=True)
class Rules:
    """The knobs of detection; `from_config` maps `[alerts]` onto them."""

    min_count: int = 3
    probability: float = 0.001
    baseline_windows: int = 28
    floor: float = BASELINE_FLOOR
    elevated_probability: float = ELEVATED_PROBABILITY
    quiet_to_close: int = QUIET_WINDOWS_TO_CLOSE
    growth: float = GROWTH

    @classmethod
    def from_config(cls, alerts: object) -> Rules:
        return cls(
            min_count=alerts.min_count,  # type: ignore[attr-defined]
            probability=alerts.probability,  # type: ignore[attr-defined]
            baseline_windows=alerts.baseline_windows,  # type: ignore[attr-defined]
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
    p_value = poisson_tail(count, max(baseline, rules.floor))
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
        if episode is not None and window < episode.last_window:
            continue
        found = assess(counts, window, first, rules)
        if not found.significant:
            continue
        if episode is None:
            episode = Episode(window, window, found.count, 0)
        elif found.count >= rules.growth * episode.alerted_count:
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


@dataclass(frozen=True, slots=True)
class Replayed:
    """A spike the rules raise in a replay, with the window in which it was raised and ended."""

    spike: Spike
    raised: int  # window during which the alert would have gone out
    closed: int | None  # window at whose end its episode ended (None: still open)


def replay(counts: Mapping[int, int], first: int, last: int, rules: Rules) -> list[Replayed]:
    """Run `advance` once per window from `first` to `last`, as a run at each window's end."""
    found: list[Replayed] = []
    episode: Episode | None = None
    for latest in range(first, last + 1):
        step = advance(counts, first, episode, latest, rules)
        if step.closed is not None:
            found = [
                replace(r, closed=step.closed) if r.closed is None else r for r in found
            ]
        found.extend(Replayed(spike, latest, None) for spike in step.spikes)
        episode = step.episode
    return found


def is_severe(rating: float | None, threshold: float | None) -> bool:
    """A single mention worth an instant alert: a rating at or below the configured threshold."""
    return threshold is not None and rating is not None and rating <= threshold
