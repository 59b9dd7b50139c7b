"""The alert stage: detect spikes of negative mentions, record them, e-mail the team.

`run_alerts` is one pass: detection (pure, `detect.py`) over the stored mentions, new alerts
written to the outbox *before* any delivery is tried, then every pending alert whose retry time
has come is sent. Delivery is at most once: see `outbox.py` for the states and `DELIVERY` below.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial

from sqlalchemy import Engine

from crawler.alerts import evidence, outbox
from crawler.alerts.detect import Rules, advance, is_severe, replay
from crawler.alerts.errors import AlertConfigError, AlertError, DeliveryError
from crawler.alerts.message import RenderedMessage, new_message_id, render
from crawler.alerts.outbox import AlertRecord, open_alerts
from crawler.alerts.smtp import SmtpSession
from crawler.alerts.windows import Calendar
from crawler.config import Config

__all__ = [
    "DELIVERY",
    "AlertConfigError",
    "AlertError",
    "AlertRecord",
    "AlertRun",
    "BacktestAlert",
    "RenderedMessage",
    "backtest",
    "open_alerts",
    "run_alerts",
]

DELIVERY = """\
Every alert is written to the database before passaparola tries to send it, so none is lost.
Sending is at most once: just before the message text goes to the SMTP server the alert is marked
as being handed over, and once the server accepts it, as sent. If the server cannot be reached or
refuses the message, the alert stays pending and is retried by the next runs, waiting 1 minute,
then 2, 4 … up to 6 hours between attempts. If passaparola is killed, or the connection breaks,
while the server is receiving the message, nobody can know whether it arrived: that alert is
marked "unconfirmed" (shown in the report and by `passaparola alert`, with its Message-ID to look
for in the inbox) and is never sent again automatically, so nobody gets the same alert twice."""


@dataclass(slots=True)
class AlertRun:
    """What one run did: alerts raised, delivered, failed, and the messages (for a dry run)."""

    dry_run: bool = False
    raised: list[AlertRecord] = field(default_factory=list)
    sent: list[AlertRecord] = field(default_factory=list)
    failed: list[tuple[AlertRecord, str]] = field(default_factory=list)
    unconfirmed: list[AlertRecord] = field(default_factory=list)
    closed: int = 0
    messages: list[RenderedMessage] = field(default_factory=list)

    def summary(self) -> str:
        if self.dry_run:
            return (
                f"dry run: {len(self.raised)} new alert(s) would be raised and "
                f"{len(self.messages)} e-mail(s) sent; nothing was sent or recorded"
            )
        parts = [
            f"{len(self.raised)} new alert(s)",
            f"{len(self.sent)} sent",
            f"{len(self.failed)} failed (will retry)" if self.failed else "",
            f"{len(self.unconfirmed)} unconfirmed" if self.unconfirmed else "",
            f"{self.closed} closed" if self.closed else "",
        ]
        lines = [", ".join(p for p in parts if p)]
        lines += [f"  not sent: {alert.brand}: {error}" for alert, error in self.failed]
        lines += [
            f"  unconfirmed: {alert.brand} (Message-ID {alert.message_id}): {alert.last_error}"
            for alert in self.unconfirmed
        ]
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class BacktestAlert:
    """An alert the current rules would have raised on the stored history."""

    brand: str
    kind: str
    window_start: datetime
    window_end: datetime
    count: int
    baseline: float | None
    p_value: float | None
    stage: int
    raised_by: datetime  # the end of the window in which the alert would have gone out
    closed: datetime | None  # when its episode would have ended


def calendar_for(config: Config) -> Calendar:
    """Windows are the team's days or weeks, in the schedule's time zone."""
    return Calendar.named(config.alerts.window, config.schedule.timezone)


def run_alerts(
    config: Config,
    engine: Engine,
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    env: Mapping[str, str] | None = None,
) -> AlertRun:
    """Detect, record (before sending), and deliver due alerts; a dry run records nothing."""
    now = _aware(now)
    env = os.environ if env is None else env
    if not dry_run and not config.alerts.to:
        raise AlertConfigError(
            "alerts.to is empty: add the addresses to e-mail under [alerts] in passaparola.toml"
        )
    calendar = calendar_for(config)
    new, closings = _detect(config, engine, calendar, now)
    if dry_run:
        pending = outbox.due(engine, now)
        return AlertRun(
            dry_run=True,
            raised=new,
            messages=[_render(config, engine, calendar, a) for a in [*new, *pending]],
        )
    run = AlertRun()
    for brand, label, when in closings:
        run.closed += outbox.close_episode(engine, brand, label, when)
    run.closed += outbox.close_instants(engine, calendar, now)
    run.raised = [stored for record in new if (stored := outbox.insert(engine, record))]
    stale_after = max(outbox.STALE_CLAIM, 4 * timedelta(seconds=config.alerts.timeout))
    run.unconfirmed = outbox.recover_stale(engine, now, stale_after)
    _deliver(config, engine, calendar, now, env, run)
    return run


def _detect(
    config: Config, engine: Engine, calendar: Calendar, now: datetime
) -> tuple[list[AlertRecord], list[tuple[str, str, datetime]]]:
    """New alerts to record and episodes to close, from the store's mentions and open alerts."""
    rules = Rules.from_config(config.alerts)
    brands = [brand.name for brand in config.brands]
    latest = calendar.index(now)
    episodes = outbox.open_episodes(engine, calendar)
    closings: list[tuple[str, str, datetime]] = []
    oldest = latest - 1
    for brand, (label, episode) in list(episodes.items()):
        if episode is None or brand not in brands:  # window changed, or brand removed
            closings.append((brand, label, now))
            del episodes[brand]
        else:
            oldest = min(oldest, episode.last_window + 1)
    since = calendar.start(oldest - rules.baseline_windows)
    negatives = evidence.negative_mentions(engine, brands, calendar, since)
    starts = evidence.history_starts(engine, brands)
    new: list[AlertRecord] = []
    for brand in brands:
        windows = negatives[brand]
        counts = {window: len(ids) for window, ids in windows.items()}
        first = calendar.index(starts[brand]) if brand in starts else latest
        label, episode = episodes.get(brand, ("", None))
        step = advance(counts, first, episode, latest, rules)
        if step.closed is not None:
            closings.append((brand, label, calendar.end(step.closed)))
        for spike in step.spikes:
            new.append(
                AlertRecord(
                    brand=brand,
                    kind="spike",
                    episode=calendar.label(spike.episode),
                    stage=spike.stage,
                    window_start=calendar.start(spike.window),
                    window_end=calendar.end(spike.window),
                    count=spike.count,
                    baseline=spike.baseline,
                    p_value=spike.p_value,
                    created=now,
                    mention_ids=sorted(windows[spike.window]),
                    message_id=new_message_id(config.alerts.from_),
                )
            )
    threshold = config.alerts.instant_min_rating
    if threshold is not None:
        recent = calendar.start(latest - 1)
        for mention in evidence.severe_mentions(engine, brands, threshold, recent):
            if is_severe(mention["rating"], threshold):
                new.append(_instant(mention, calendar, now, config))
    known = outbox.existing_keys(engine, [record.key for record in new])
    return [record for record in new if record.key not in known], closings


def _instant(mention: dict, calendar: Calendar, now: datetime, config: Config) -> AlertRecord:
    window = calendar.index(evidence.moment(mention["published"], mention["first_seen"]))
    return AlertRecord(
        brand=mention["brand"],
        kind="instant",
        episode=mention["id"],
        stage=0,
        window_start=calendar.start(window),
        window_end=calendar.end(window),
        count=1,
        baseline=None,
        p_value=None,
        created=now,
        mention_ids=[mention["id"]],
        message_id=new_message_id(config.alerts.from_),
    )


def _render(
    config: Config, engine: Engine, calendar: Calendar, alert: AlertRecord
) -> RenderedMessage:
    return render(alert, evidence.mentions_by_id(engine, alert.mention_ids), config, calendar)


def _deliver(
    config: Config,
    engine: Engine,
    calendar: Calendar,
    now: datetime,
    env: Mapping[str, str],
    run: AlertRun,
) -> None:
    """Send due alerts over one SMTP connection; every outcome is committed as it happens."""
    due = outbox.due(engine, now)
    if not due:
        return
    with SmtpSession(config.alerts, env) as session:
        for index, alert in enumerate(due):
            assert alert.id is not None
            if not outbox.claim(engine, alert.id, new_message_id(config.alerts.from_), now):
                continue  # another run took it
            claimed = outbox.get(engine, alert.id)
            rendered = _render(config, engine, calendar, claimed)
            rest = [a.id for a in due[index + 1 :] if a.id is not None]
            try:
                reply = session.send(
                    rendered.email(now),
                    before_data=partial(outbox.mark_handed_over, engine, alert.id, now),
                )
            except AlertConfigError as error:
                outbox.retry_later(engine, [alert.id, *rest], str(error), now, backoff=False)
                raise
            except DeliveryError as error:
                if error.ambiguous:
                    outbox.mark_unconfirmed(engine, alert.id, str(error))
                    run.unconfirmed.append(outbox.get(engine, alert.id))
                    continue
                outbox.retry_later(engine, [alert.id], str(error), now)
                run.failed.append((claimed, str(error)))
                if error.connection:  # nothing will get through in this run
                    outbox.retry_later(engine, rest, str(error), now)
                    run.failed += [(a, str(error)) for a in due[index + 1 :]]
                    return
            else:
                outbox.mark_sent(engine, alert.id, now, reply)
                run.sent.append(outbox.get(engine, alert.id))


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
    last = calendar.index(_aware(None))
    since = None if since is None else _aware(since)
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
                    window_start=calendar.start(spike.window),
                    window_end=calendar.end(spike.window),
                    count=spike.count,
                    baseline=spike.baseline,
                    p_value=spike.p_value,
                    stage=spike.stage,
                    raised_by=calendar.end(replayed.raised),
                    closed=None if replayed.closed is None else calendar.end(replayed.closed),
                )
            )
    threshold = config.alerts.instant_min_rating
    if threshold is not None:
        for mention in evidence.severe_mentions(engine, brands, threshold):
            record = _instant(mention, calendar, mention["first_seen"], config)
            assert record.window_start is not None and record.window_end is not None
            found.append(
                BacktestAlert(
                    brand=record.brand,
                    kind="instant",
                    window_start=record.window_start,
                    window_end=record.window_end,
                    count=1,
                    baseline=None,
                    p_value=None,
                    stage=0,
                    raised_by=record.window_end,
                    closed=None,
                )
            )
    if since is not None:
        found = [alert for alert in found if alert.window_end > since]
    return sorted(found, key=lambda alert: (alert.raised_by, alert.brand, alert.kind))


def _aware(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime.now(UTC)
    if moment.tzinfo is None:
        raise ValueError("naive datetime: attach a timezone")
    return moment.astimezone(UTC)
