"""The digest: per brand, what happened since the last one, e-mailed and posted once a period.

`run_digest` records the period's digest (its messages frozen, and one pending delivery per
target: the e-mail, each `notify` channel) in one transaction *before* sending anything, then
delivers what is due through the alert outbox's states. So a digest is sent once per period,
never twice, and a run killed half-way is finished by the next one exactly as alerts are
(crawler/alerts/__init__.py, DELIVERY).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select

from crawler.alerts import channel_delivery, deliveries, outbox
from crawler.alerts.channel_delivery import ChannelOutcomes
from crawler.alerts.channels import EMAIL, Channel, channels_of
from crawler.alerts.errors import AlertConfigError, DeliveryError
from crawler.alerts.message import RenderedMessage, new_message_id
from crawler.alerts.windows import Calendar
from crawler.config import Config
from crawler.digest.facts import read_facts
from crawler.digest.render import DigestText, render_digest
from crawler.store import deliveries as deliveries_table
from crawler.store import digests

__all__ = ["DigestRun", "due_period", "run_digest"]


@dataclass(slots=True)
class DigestRun:
    key: str
    dry_run: bool = False
    recorded: bool = False  # this run recorded the period's digest
    already: datetime | None = None  # when an earlier run recorded it
    message: DigestText | None = None
    sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    unconfirmed: list[tuple[str, str]] = field(default_factory=list)
    channels: ChannelOutcomes = field(default_factory=ChannelOutcomes)

    @property
    def delivery_failed(self) -> bool:
        c = self.channels
        return bool(self.failed or self.unconfirmed or c.failed or c.unconfirmed)

    def summary(self) -> str:
        if self.dry_run:
            return f"dry run: the digest {self.key} was not sent or recorded"
        if self.already is not None:
            head = (
                f"the digest {self.key} was recorded on {self.already:%Y-%m-%d %H:%M} UTC; "
                "nothing new to send this period"
            )
        else:
            head = f"digest {self.key} recorded"
        c = self.channels
        parts = [head, f"{len(self.sent)} e-mail(s) sent" if self.sent else ""]
        parts += [f"{len(c.sent)} chat message(s) sent" if c.sent else ""]
        parts += (
            [f"{len(self.failed) + len(c.failed)} failed (will retry)"]
            if (self.failed or c.failed)
            else []
        )
        parts += (
            [f"{len(self.unconfirmed) + len(c.unconfirmed)} unconfirmed"]
            if (self.unconfirmed or c.unconfirmed)
            else []
        )
        lines = [", ".join(p for p in parts if p)]
        lines += [f"  not sent: {target}: {error}" for target, error in self.failed]
        lines += [f"  unconfirmed: {target}: {error}" for target, error in self.unconfirmed]
        lines += c.lines(lambda d: "digest")
        return "\n".join(lines)


def calendar_of(config: Config) -> Calendar:
    return Calendar.named(config.digest.period, config.schedule.timezone)


def due_period(config: Config, now: datetime) -> datetime | None:
    """The last `[digest] cron` time at or before `now`, or None (no cron, or never yet)."""
    if not config.digest.cron.strip():
        return None
    from crawler.schedule.crontab import parse_crontab, previous_fire_time

    crontab = parse_crontab(config.digest.cron)
    return previous_fire_time(crontab, ZoneInfo(config.schedule.timezone), now)


def run_digest(
    config: Config,
    engine: Engine,
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    since: datetime | None = None,
    at: datetime | None = None,
    env: Mapping[str, str] | None = None,
) -> DigestRun:
    """Record (once per period) and deliver the digest of the period containing `at` (default
    `now`); a period already recorded only has its unsent deliveries finished."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    env = os.environ if env is None else env
    calendar = calendar_of(config)
    label = calendar.label(calendar.index(at or now))
    run = DigestRun(key=f"{config.digest.period}/{label}", dry_run=dry_run)
    existing = _recorded(engine, run.key)
    if existing is not None and not dry_run:
        run.already = existing
    else:
        start = since or _last_end(engine) or now - timedelta(days=calendar.days)
        facts = read_facts(config, engine, run.key, label, start.astimezone(UTC), now)
        run.message = render_digest(
            facts,
            lang=config.site.language,
            zone=config.schedule.timezone,
            site_url=config.site.url,
        )
        if dry_run:
            return run
        run.recorded = _record(config, engine, run.key, start, now, run.message)
    _deliver(config, engine, now, env, run)
    return run


def _recorded(engine: Engine, key: str) -> datetime | None:
    with engine.connect() as conn:
        return conn.execute(select(digests.c.created).where(digests.c.key == key)).scalar()


def _last_end(engine: Engine) -> datetime | None:
    query = select(digests.c.period_end).order_by(digests.c.period_end.desc()).limit(1)
    with engine.connect() as conn:
        return conn.execute(query).scalar()


def _targets(config: Config) -> tuple[list[str], list[Channel]]:
    """The digest's e-mail recipients and channels: its own, else the [alerts] ones."""
    to = config.digest.to if config.digest.to is not None else config.alerts.to
    if config.digest.notify is not None:
        return list(to), channels_of("digest", config.digest.notify)
    return list(to), channels_of("alerts", config.alerts.notify)


def _record(
    config: Config, engine: Engine, key: str, start: datetime, end: datetime, text: DigestText
) -> bool:
    """The digest and its deliveries in one transaction; False if another run was first."""
    from sqlalchemy.exc import IntegrityError

    to, notify = _targets(config)
    targets = ([EMAIL] if to else []) + [channel.identity for channel in notify]
    try:
        with engine.begin() as conn:
            if conn.execute(select(digests.c.id).where(digests.c.key == key)).first():
                return False
            result = conn.execute(
                digests.insert().values(
                    key=key,
                    period_start=start,
                    period_end=end,
                    created=end,
                    content=json.dumps(text.as_dict()),
                )
            )
            digest_id = int(result.inserted_primary_key[0])
            deliveries.add(conn, targets, end, digest_id=digest_id)
    except IntegrityError:
        return False
    return True


def _content(engine: Engine, digest_id: int) -> DigestText:
    with engine.connect() as conn:
        raw = conn.execute(select(digests.c.content).where(digests.c.id == digest_id)).scalar()
    return DigestText.from_dict(json.loads(raw))


def _deliver(
    config: Config, engine: Engine, now: datetime, env: Mapping[str, str], run: DigestRun
) -> None:
    stale_after = max(outbox.STALE_CLAIM, 4 * timedelta(seconds=config.alerts.timeout))
    for left in deliveries.recover_stale(engine, now, stale_after):
        run.unconfirmed.append((left.channel, left.last_error or ""))
    to, notify = _targets(config)
    config_error: AlertConfigError | None = None
    try:
        _deliver_email(config, engine, now, env, run, to)
    except AlertConfigError as error:
        config_error = error
    channel_delivery.deliver(
        engine,
        now,
        of="digest",
        channels=notify,
        timeout=config.alerts.timeout,
        env=env,
        message_for=lambda d: _content(engine, d.digest_id or 0).short,
        outcomes=run.channels,
    )
    if config_error is not None:
        raise config_error


def _deliver_email(
    config: Config,
    engine: Engine,
    now: datetime,
    env: Mapping[str, str],
    run: DigestRun,
    to: list[str],
) -> None:
    from crawler.alerts.smtp import SmtpSession

    due = [d for d in deliveries.due(engine, now, of="digest") if d.channel == EMAIL]
    if not due:
        return
    if not to:
        for delivery in due:
            deliveries.drop(engine, delivery.id, "not sent: [digest] to and [alerts] to are empty")
        return
    table = deliveries_table
    target = "e-mail to " + ", ".join(to)
    with SmtpSession(config.alerts, env) as session:
        for delivery in due:
            message_id = new_message_id(config.alerts.from_)
            if not outbox.claim(engine, delivery.id, message_id, now, table=table):
                continue
            claimed = deliveries.get(engine, delivery.id)
            text = _content(engine, claimed.digest_id or 0)
            email = RenderedMessage(
                alert_id=None,
                subject=text.subject,
                sender=config.alerts.from_,
                to=to,
                text=text.text,
                html=text.html,
                message_id=claimed.message_id or message_id,
                headers={"X-Passaparola-Digest": run.key},
            )
            try:
                reply = session.send(
                    email.email(now),
                    before_data=partial(
                        outbox.mark_handed_over, engine, delivery.id, now, table=table
                    ),
                )
            except AlertConfigError as error:
                outbox.retry_later(
                    engine, [delivery.id], str(error), now, backoff=False, table=table
                )
                raise
            except DeliveryError as error:
                if error.ambiguous:
                    outbox.mark_unconfirmed(engine, delivery.id, str(error), table=table)
                    run.unconfirmed.append((target, str(error)))
                else:
                    outbox.retry_later(engine, [delivery.id], str(error), now, table=table)
                    run.failed.append((target, str(error)))
            else:
                outbox.mark_sent(engine, delivery.id, now, reply, table=table)
                run.sent.append(target)
