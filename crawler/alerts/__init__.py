"""The alert stage: detect spikes of negative mentions, record them, e-mail the team.

`run_alerts` is one pass: detection (pure, `detect.py`) over the stored mentions, new alerts
written to the outbox *before* any delivery is tried, then every pending alert whose retry time
has come is sent. `DELIVERY` below is the guarantee, in words the README repeats; `outbox.py`
has the states.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import partial

from sqlalchemy import Engine

from crawler.alerts import channel_delivery, deliveries, evidence, outbox
from crawler.alerts.backtest import BacktestAlert, backtest, calendar_for
from crawler.alerts.channel_delivery import ChannelOutcomes
from crawler.alerts.channels import channels_of
from crawler.alerts.detect import Rules, advance, is_severe
from crawler.alerts.errors import AlertConfigError, AlertError, DeliveryError
from crawler.alerts.message import RenderedMessage, new_message_id, render
from crawler.alerts.outbox import AlertRecord, open_alerts
from crawler.alerts.short import ShortMessage, alert_short
from crawler.alerts.smtp import SmtpSession, plaintext_login_warning
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
Every alert is written to the database, as "pending", before passaparola tries to send it, so
none is lost. Delivery is at most once: an alert is e-mailed once, never twice, and in the one
case where passaparola cannot know whether it arrived, it says so instead of sending it again.
Each alert has its own Message-ID, fixed when it is recorded. A run marks the alert "sending",
records the moment it starts handing the message text to the SMTP server, and marks it "sent"
as soon as the server accepts it. If the server cannot be reached, refuses the login or refuses
the message, nothing was delivered: the alert goes back to "pending" with the error and the
number of attempts, and later runs retry it, waiting 1 minute, then 2, 4 … up to 6 hours
between attempts (a login or configuration error is retried by the next run, once fixed). If
passaparola is killed, or the connection breaks, after it started handing the message over and
before it recorded the server's answer, the message may or may not have arrived: the alert
becomes "unconfirmed" (reported by the `passaparola alert` run that finds it, with its
Message-ID to look for in the inbox, and shown so in the report) and is never sent again
automatically. A run killed before that moment has delivered nothing: a run 15 minutes later or
more (4 x `timeout` if that is longer) puts the alert back to "pending" and sends it. Alerts
raised while [alerts] to is empty are recorded as "unsent" and shown in the report, never
e-mailed.

Each chat channel of [alerts] notify has its own delivery of each alert, recorded with the
alert, with the same guarantee: "sending" and the moment it is handed to the channel are
recorded first; a channel that answers with an error or cannot be reached is retried with the
same waits; one that takes the message and then gives no answer (a timeout, a connection closed
before its reply) is "unconfirmed" and never sent again. A channel that fails costs nothing to
the others or to the e-mail. A channel is stored by its scheme and a hash of its URL as
written in the config, never by the URL or its secrets."""

NO_RECIPIENTS = "not e-mailed: [alerts] to was empty when it was raised"


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
    recipients: bool = True  # False: [alerts] to is empty, alerts are recorded, not e-mailed
    calendar: Calendar | None = None
    warnings: list[str] = field(default_factory=list)  # for stderr: the run went on regardless
    channels: ChannelOutcomes = field(default_factory=ChannelOutcomes)
    brands: dict[int, str] = field(default_factory=dict)  # alert id → brand, for channel lines
    chat: list[ShortMessage] = field(default_factory=list)  # dry run: what channels would get
    channel_count: int = 0  # dry run: the channels each chat message would go to

    @property
    def posts(self) -> int:
        """On a dry run: the chat messages the new alerts would post, over every channel."""
        return len(self.chat) * self.channel_count

    @property
    def delivery_failed(self) -> bool:
        """Whether a message failed or may not have arrived: `alert` and `run` then exit 1."""
        channels = self.channels
        return bool(self.failed or self.unconfirmed or channels.failed or channels.unconfirmed)

    def window_of(self, alert: AlertRecord) -> str:
        """The counted window as the team names it: 2025-03-12, or 2025-W11 for weeks."""
        if alert.window_start is None:
            return ""
        if self.calendar is None:
            return alert.window_start.date().isoformat()
        return self.calendar.label(self.calendar.index(alert.window_start))

    def summary(self) -> str:
        if self.dry_run:
            return (
                f"dry run: {len(self.raised)} new alert(s) would be raised and "
                f"{len(self.messages)} e-mail(s) sent"
                + (f" and {self.posts} chat message(s) posted" if self.posts else "")
                + "; nothing was sent or recorded"
            )
        parts = [
            f"{len(self.raised)} new alert(s)",
            f"{len(self.sent)} sent" if self.recipients else "none e-mailed ([alerts] to is empty)",
            f"{len(self.failed)} failed (will retry)" if self.failed else "",
            f"{len(self.unconfirmed)} unconfirmed" if self.unconfirmed else "",
            f"{self.closed} closed" if self.closed else "",
            self._channel_counts(),
        ]
        lines = [", ".join(p for p in parts if p)]
        lines += [f"  not sent: {alert.brand}: {error}" for alert, error in self.failed]
        lines += [
            f"  unconfirmed: {alert.brand} (Message-ID {alert.message_id}): {alert.last_error}"
            for alert in self.unconfirmed
        ]
        lines += self.channels.lines(lambda d: self.brands.get(d.alert_id or 0, "alert"))
        return "\n".join(lines)

    def _channel_counts(self) -> str:
        c = self.channels
        if not (c.sent or c.failed or c.unconfirmed):
            return ""
        parts = [f"{len(c.sent)} chat message(s) sent"]
        parts += [f"{len(c.failed)} failed (will retry)"] if c.failed else []
        parts += [f"{len(c.unconfirmed)} unconfirmed"] if c.unconfirmed else []
        return ", ".join(parts)


def run_alerts(
    config: Config,
    engine: Engine,
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    env: Mapping[str, str] | None = None,
) -> AlertRun:
    """Detect, record (before sending), and deliver due alerts; a dry run records nothing.

    `env` holds PASSAPAROLA_SMTP_USER / PASSAPAROLA_SMTP_PASSWORD (default: os.environ).
    Raises AlertConfigError when delivery cannot work until the user fixes config or env.
    """
    now = _aware(now)
    env = os.environ if env is None else env
    calendar = calendar_for(config)
    new, closings = _detect(config, engine, calendar, now)
    if dry_run:
        pending = outbox.due(engine, now) if config.alerts.to else []
        channel_count = len(set(config.alerts.notify))
        return AlertRun(
            dry_run=True,
            calendar=calendar,
            raised=new,
            messages=[_render(config, engine, calendar, a) for a in [*new, *pending]],
            chat=[
                alert_short(a, evidence.mentions_by_id(engine, a.mention_ids), config, calendar)
                for a in (new if channel_count else [])
            ],
            channel_count=channel_count,
        )
    run = AlertRun(recipients=bool(config.alerts.to), calendar=calendar)
    if run.recipients and (warning := plaintext_login_warning(config.alerts, env)):
        run.warnings.append(warning)
    for brand, label, when in closings:
        run.closed += outbox.close_episode(engine, brand, label, when)
    run.closed += outbox.close_instants(engine, calendar, now)
    if not run.recipients:
        new = [replace(record, state="unsent", last_error=NO_RECIPIENTS) for record in new]
    channels = channels_of("alerts", config.alerts.notify)
    identities = [channel.identity for channel in channels]
    run.raised = [s for record in new if (s := outbox.insert(engine, record, identities))]
    stale_after = max(outbox.STALE_CLAIM, 4 * timedelta(seconds=config.alerts.timeout))
    stale = outbox.recover_stale(engine, now, stale_after)
    run.unconfirmed = [outbox.get(engine, alert_id) for alert_id in stale]
    for left in deliveries.recover_stale(engine, now, stale_after):
        run.channels.unconfirmed.append((left, left.channel, left.last_error or ""))
    config_error: AlertConfigError | None = None
    if run.recipients:
        try:
            _deliver(config, engine, calendar, now, env, run)
        except AlertConfigError as error:  # the channels still go out; then the CLI says it
            config_error = error
    _deliver_channels(config, engine, calendar, now, env, run)
    run.raised = [outbox.get(engine, alert.id) for alert in run.raised if alert.id]
    if config_error is not None:
        raise config_error
    return run


def _deliver_channels(
    config: Config,
    engine: Engine,
    calendar: Calendar,
    now: datetime,
    env: Mapping[str, str],
    run: AlertRun,
) -> None:
    cache: dict[int, AlertRecord] = {}

    def message_for(delivery: deliveries.Delivery) -> object:
        assert delivery.alert_id is not None
        alert = cache.get(delivery.alert_id) or outbox.get(engine, delivery.alert_id)
        cache[delivery.alert_id] = alert
        run.brands[delivery.alert_id] = alert.brand
        found = evidence.mentions_by_id(engine, alert.mention_ids)
        return alert_short(alert, found, config, calendar)

    channel_delivery.deliver(
        engine,
        now,
        of="alert",
        channels=channels_of("alerts", config.alerts.notify),
        timeout=config.alerts.timeout,
        env=env,
        message_for=message_for,  # type: ignore[arg-type]
        outcomes=run.channels,
    )


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
    spiking: set[str] = set()  # brands with an open spike episode after this run
    for brand in brands:
        windows = negatives[brand]
        counts = {window: len(ids) for window, ids in windows.items()}
        first = calendar.index(starts[brand]) if brand in starts else latest
        label, episode = episodes.get(brand, ("", None))
        step = advance(counts, first, episode, latest, rules)
        if step.closed is not None:
            closings.append((brand, label, calendar.end(step.closed)))
        if step.episode is not None:
            spiking.add(brand)
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
        # A brand in a spike episode already called the team in: no e-mail per bad review.
        calm = [brand for brand in brands if brand not in spiking]
        for mention in evidence.severe_mentions(engine, calm, threshold, recent):
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


def _aware(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime.now(UTC)
    if moment.tzinfo is None:
        raise ValueError("naive datetime: attach a timezone")
    return moment.astimezone(UTC)
