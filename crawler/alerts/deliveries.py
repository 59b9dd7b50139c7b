"""Deliveries other than an alert's own e-mail: one row per (alert or digest, target).

A target is a chat channel (by its identity, crawler/alerts/channels.py) or a digest's e-mail.
The rows are written in the same transaction as the alert or digest they deliver, so nothing is
raised without its deliveries; their states and changes are the outbox's (`outbox.claim`,
`mark_*`, `retry_later`, `recover_stale` with `table=deliveries`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, or_, select
from sqlalchemy.engine import Connection

from crawler.alerts import outbox
from crawler.store import deliveries


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int
    alert_id: int | None
    digest_id: int | None
    channel: str
    state: str
    attempts: int
    last_error: str | None
    sent_at: datetime | None
    message_id: str | None

    @classmethod
    def from_row(cls, row: Any) -> Delivery:
        return cls(
            id=row.id,
            alert_id=row.alert_id,
            digest_id=row.digest_id,
            channel=row.channel,
            state=row.state,
            attempts=row.attempts,
            last_error=row.last_error,
            sent_at=row.sent_at,
            message_id=row.message_id,
        )


def add(
    conn: Connection,
    targets: Sequence[str],
    now: datetime,
    *,
    alert_id: int | None = None,
    digest_id: int | None = None,
    message_id: str | None = None,
) -> None:
    """Record one pending delivery per target, inside the caller's transaction."""
    for target in dict.fromkeys(targets):  # a channel listed twice is one channel
        conn.execute(
            deliveries.insert().values(
                alert_id=alert_id,
                digest_id=digest_id,
                channel=target,
                created=now,
                state="pending",
                attempts=0,
                next_attempt=now,
                message_id=message_id,
            )
        )


def due(engine: Engine, now: datetime, *, of: str) -> list[Delivery]:
    """Pending deliveries whose time has come, oldest first; `of` is "alert" or "digest"."""
    owner = deliveries.c.alert_id if of == "alert" else deliveries.c.digest_id
    query = (
        select(deliveries)
        .where(
            owner.is_not(None),
            deliveries.c.state == "pending",
            or_(deliveries.c.next_attempt.is_(None), deliveries.c.next_attempt <= now),
        )
        .order_by(deliveries.c.created, deliveries.c.id)
    )
    with engine.connect() as conn:
        return [Delivery.from_row(row) for row in conn.execute(query)]


def get(engine: Engine, delivery_id: int) -> Delivery:
    with engine.connect() as conn:
        row = conn.execute(select(deliveries).where(deliveries.c.id == delivery_id)).one()
    return Delivery.from_row(row)


def of_digest(engine: Engine, digest_id: int) -> list[Delivery]:
    query = select(deliveries).where(deliveries.c.digest_id == digest_id)
    with engine.connect() as conn:
        return [Delivery.from_row(row) for row in conn.execute(query.order_by(deliveries.c.id))]


def drop(engine: Engine, delivery_id: int, reason: str) -> None:
    """A target no longer configured: the delivery is given up, said so, never sent."""
    outbox.set_state(engine, delivery_id, deliveries, state="unsent", last_error=reason)


def recover_stale(engine: Engine, now: datetime, stale_after: Any) -> list[Delivery]:
    ids = outbox.recover_stale(
        engine,
        now,
        stale_after,
        table=deliveries,
        receiving="the target was receiving the message",
        look_for="check the channel or inbox",
    )
    return [get(engine, i) for i in ids]
