"""Delivering due channel messages: each channel on its own, every outcome committed at once.

Used for alerts and digests alike. A channel that refuses, hangs or is misconfigured costs only
its own delivery: the others are still tried in the same run, and the e-mail never waits on a
channel (it is sent by its own loop).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from sqlalchemy import Engine

from crawler.alerts import deliveries, outbox
from crawler.alerts.channels import Channel
from crawler.alerts.deliveries import Delivery
from crawler.alerts.errors import AlertConfigError, DeliveryError
from crawler.alerts.short import ShortMessage
from crawler.store import deliveries as table

NO_LONGER_CONFIGURED = "not sent: the channel is no longer in {section} notify"


@dataclass(slots=True)
class ChannelOutcomes:
    """What happened to each delivery tried: (delivery, channel name, detail)."""

    sent: list[tuple[Delivery, str]] = field(default_factory=list)
    failed: list[tuple[Delivery, str, str]] = field(default_factory=list)
    unconfirmed: list[tuple[Delivery, str, str]] = field(default_factory=list)

    def lines(self, what: Callable[[Delivery], str]) -> list[str]:
        """One line per failure for the summary: what it was (an alert's brand) and why."""
        return [f"  not sent: {what(d)}: {error}" for d, _, error in self.failed] + [
            f"  unconfirmed: {what(d)}: {error}" for d, _, error in self.unconfirmed
        ]


def deliver(
    engine: Engine,
    now: datetime,
    *,
    of: str,
    channels: Sequence[Channel],
    timeout: float,
    env: Mapping[str, str],
    message_for: Callable[[Delivery], ShortMessage],
    outcomes: ChannelOutcomes,
) -> None:
    """Send every due `of` ("alert"/"digest") channel delivery; e-mail targets are skipped."""
    by_identity = {channel.identity: channel for channel in channels}
    due = [d for d in deliveries.due(engine, now, of=of) if d.channel != "email"]
    if not due:
        return
    from crawler.alerts.apprise_send import ChannelSender

    sender = ChannelSender(timeout, env)
    unreachable: dict[str, str] = {}  # identity → error: not tried again in this run
    section = channels[0].section if channels else of + "s"
    for delivery in due:
        channel = by_identity.get(delivery.channel)
        if channel is None:
            gone = NO_LONGER_CONFIGURED.format(section=f"[{section}]")
            deliveries.drop(engine, delivery.id, gone)
            continue
        if delivery.channel in unreachable:
            error = unreachable[delivery.channel]
            outbox.retry_later(engine, [delivery.id], error, now, table=table)
            outcomes.failed.append((delivery, channel.name, error))
            continue
        if not outbox.claim(engine, delivery.id, None, now, table=table):
            continue  # another run took it
        try:
            message = message_for(delivery)
            reply = sender.send(
                channel,
                message,
                before=partial(outbox.mark_handed_over, engine, delivery.id, now, table=table),
            )
        except AlertConfigError as error:  # fixed by the user: retried by the next run
            outbox.retry_later(engine, [delivery.id], str(error), now, backoff=False, table=table)
            outcomes.failed.append((delivery, channel.name, str(error)))
        except DeliveryError as error:
            if error.ambiguous:
                outbox.mark_unconfirmed(engine, delivery.id, str(error), table=table)
                outcomes.unconfirmed.append((delivery, channel.name, str(error)))
                continue
            outbox.retry_later(engine, [delivery.id], str(error), now, table=table)
            outcomes.failed.append((delivery, channel.name, str(error)))
            if error.connection:
                unreachable[delivery.channel] = str(error)
        else:
            outbox.mark_sent(engine, delivery.id, now, reply, table=table)
            outcomes.sent.append((deliveries.get(engine, delivery.id), channel.name))
