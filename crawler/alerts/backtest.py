"""Backtest: the alerts the current rules would have raised over the stored history.

A team tunes `min_count`, `probability` and the window on its own past before trusting the
rules; nothing is recorded or sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine

from crawler.alerts import evidence
from crawler.alerts.detect import Rules, replay
from crawler.alerts.windows import Calendar
from crawler.config import Config


@dataclass(frozen=True, slots=True)
class BacktestAlert:
    """An alert the current rules would have raised on the stored history."""

    brand: str
    kind: str  # "spike" or "instant"
    window: str  # the window counted, as a label: 2025-03-12 or 2025-W11
    window_start: datetime
    window_end: datetime
    count: int
    baseline: float | None  # usual negative mentions per window before it
    p_value: float | None  # chance of that many or more at the usual level
    stage: int  # 0 first alert of its episode, 1.. each doubling
    delay: int  # windows between the counted window and the run that raises the alert
    raised_by: datetime  # the end of the window in which the alert would have gone out
    closed: datetime | None  # when its episode would have ended (None: still open)
    ended: str | None = None  # label of the window at whose end the episode ended


def calendar_for(config: Config) -> Calendar:
    """Windows are the team's days or weeks, in the schedule's time zone."""
    return Calendar.named(config.alerts.window, config.schedule.timezone)


def backtest(
    config: Config, engine: Engine, *, since: datetime | None = None
) -> list[BacktestAlert]:
    """The alerts the current rules would have raised over the stored history, oldest first.

    Replays detection as a run at the end of every window, with every stored mention known (in
    reality some were found later), so it shows what the rules make of the brand's own past.
    Windows before `since` serve as history; without it the replay starts at the brand's first
    stored mention, where the brand has no history yet (`min_count` alone decides there).
    """
    calendar = calendar_for(config)
    rules = Rules.from_config(config.alerts)
    brands = [brand.name for brand in config.brands]
    last = calendar.index(datetime.now(UTC))
    if since is not None and since.tzinfo is None:
        raise ValueError("naive datetime: attach a timezone")
    negatives = evidence.negative_mentions(engine, brands, calendar)
    starts = evidence.history_starts(engine, brands)
    found: list[BacktestAlert] = []
    for brand in brands:
        if brand not in starts:
            continue
        counts = {window: len(ids) for window, ids in negatives[brand].items()}
        first = calendar.index(starts[brand])
        judged = calendar.index(since) if since is not None else None
        for replayed in replay(counts, first, last, rules, start=judged):
            spike = replayed.spike
            found.append(
                BacktestAlert(
                    brand=brand,
                    kind="spike",
                    window=calendar.label(spike.window),
                    window_start=calendar.start(spike.window),
                    window_end=calendar.end(spike.window),
                    count=spike.count,
                    baseline=spike.baseline,
                    p_value=spike.p_value,
                    stage=spike.stage,
                    delay=replayed.raised - spike.window,
                    raised_by=calendar.end(replayed.raised),
                    closed=None if replayed.closed is None else calendar.end(replayed.closed),
                    ended=None if replayed.closed is None else calendar.label(replayed.closed),
                )
            )
    threshold = config.alerts.instant_min_rating
    if threshold is not None:
        for mention in evidence.severe_mentions(engine, brands, threshold):
            found_at = evidence.moment(mention["published"], mention["first_seen"])
            window = calendar.index(found_at)
            raised = calendar.index(mention["first_seen"])
            if window < raised - 1:
                continue  # old news found late: a live run would not raise it either
            found.append(
                BacktestAlert(
                    brand=mention["brand"],
                    kind="instant",
                    window=calendar.label(window),
                    window_start=calendar.start(window),
                    window_end=calendar.end(window),
                    count=1,
                    baseline=None,
                    p_value=None,
                    stage=0,
                    delay=raised - window,
                    raised_by=calendar.end(raised),
                    closed=None,
                )
            )
    if since is not None:
        found = [alert for alert in found if alert.window_end > since]
    return sorted(found, key=lambda alert: (alert.raised_by, alert.brand, alert.kind))
