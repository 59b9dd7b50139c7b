"""The outbox and the reads detection needs: every alert is a row before it is an e-mail.

Each state change is its own short transaction, committed before the next step talks to the SMTP
server, so a run killed at any point leaves a row that says exactly how far it got:

    pending ──claim──► sending ──handed_over set──► (DATA) ──► sent
       ▲                  │                            │
       └── failed before ─┘     broke/killed during ───┴──► unconfirmed (never resent)

A row is "unsent" when it was raised while [alerts] to was empty: recorded, never e-mailed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Table, and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from crawler.alerts.detect import Episode
from crawler.alerts.windows import Calendar
from crawler.store import alerts, mentions

FIRST_RETRY = timedelta(minutes=1)
MAX_RETRY = timedelta(hours=6)
STALE_CLAIM = timedelta(minutes=15)  # a claim older than this belongs to a run that died


@dataclass(frozen=True, slots=True)
class AlertRecord:
    """One row of the outbox (or, on a dry run, a row that would be written)."""

    brand: str
    kind: str  # "spike" or "instant"
    episode: str  # spike: label of the episode's first window; instant: the mention id
    stage: int
    window_start: datetime | None
    window_end: datetime | None
    count: int
    baseline: float | None
    p_value: float | None
    created: datetime
    mention_ids: list[str] = field(default_factory=list)
    id: int | None = None
    state: str = "pending"
    attempts: int = 0
    last_error: str | None = None
    next_attempt: datetime | None = None
    sent_at: datetime | None = None
    message_id: str | None = None
    closed: datetime | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}/{self.brand}/{self.episode}/{self.stage}"

    @classmethod
    def from_row(cls, row: Any) -> AlertRecord:
        try:
            ids = json.loads(row.mention_ids or "[]")
        except ValueError:
            ids = []
        return cls(
            brand=row.brand,
            kind=row.kind,
            episode=row.episode,
            stage=row.stage,
            window_start=row.window_start,
            window_end=row.window_end,
            count=row.count,
            baseline=row.baseline,
            p_value=row.p_value,
            created=row.created,
            mention_ids=[i for i in ids if isinstance(i, str)],
            id=row.id,
            state=row.state,
            attempts=row.attempts,
            last_error=row.last_error,
            next_attempt=row.next_attempt,
            sent_at=row.sent_at,
            message_id=row.message_id,
            closed=row.closed,
        )


def open_episodes(engine: Engine, calendar: Calendar) -> dict[str, tuple[str, Episode | None]]:
    """Per brand, the open spike episode's label and state from its alert rows.

    The state is None when the rows no longer fit the calendar (the window or time zone was
    changed in the config): such an episode cannot be continued and is closed.
    """
    query = (
        select(alerts)
        .where(alerts.c.kind == "spike", alerts.c.closed.is_(None))
        .order_by(alerts.c.brand, alerts.c.episode, alerts.c.stage)
    )
    grouped: dict[tuple[str, str], list[Any]] = defaultdict(list)
    with engine.connect() as conn:
        for row in conn.execute(query):
            grouped[(row.brand, row.episode)].append(row)
    found: dict[str, tuple[str, Episode | None]] = {}
    for (brand, label), rows in sorted(grouped.items(), key=lambda item: item[1][0].created):
        if brand in found:  # an older open episode of the same brand: should not happen; close
            close_episode(engine, brand, found[brand][0], rows[0].created)
        last = rows[-1]
        fits = all(calendar.is_boundary(r.window_start) for r in rows)
        try:
            start = calendar.parse_label(label) if fits else None
        except ValueError:
            start = None
        if start is None:
            found[brand] = (label, None)
            continue
        last_window = calendar.index(last.window_start)
        found[brand] = (label, Episode(start, last_window, last.count, last.stage))
    return found


def insert(engine: Engine, record: AlertRecord, channels: Sequence[str] = ()) -> AlertRecord | None:
    """Store a new alert and its pending channel deliveries (their identities) in one
    transaction; None when its key exists (raised before, or by a concurrent run)."""
    from crawler.alerts import deliveries

    values = {
        "key": record.key,
        "brand": record.brand,
        "kind": record.kind,
        "episode": record.episode,
        "stage": record.stage,
        "window_start": record.window_start,
        "window_end": record.window_end,
        "count": record.count,
        "baseline": record.baseline,
        "p_value": record.p_value,
        "mention_ids": json.dumps(record.mention_ids),
        "created": record.created,
        "state": record.state,
        "attempts": 0,
        "last_error": record.last_error,
        "next_attempt": record.created if record.state == "pending" else None,
        "message_id": record.message_id,
    }
    try:
        with engine.begin() as conn:
            if conn.execute(select(alerts.c.id).where(alerts.c.key == record.key)).first():
                return None
            result = conn.execute(alerts.insert().values(**values))
            new_id = int(result.inserted_primary_key[0])
            deliveries.add(conn, channels, record.created, alert_id=new_id)
    except IntegrityError:
        return None
    return get(engine, new_id)


def existing_keys(engine: Engine, keys: Sequence[str]) -> set[str]:
    if not keys:
        return set()
    with engine.connect() as conn:
        return set(conn.execute(select(alerts.c.key).where(alerts.c.key.in_(keys))).scalars())


def close_episode(engine: Engine, brand: str, episode: str, when: datetime) -> int:
    with engine.begin() as conn:
        result = conn.execute(
            update(alerts)
            .where(
                alerts.c.kind == "spike",
                alerts.c.brand == brand,
                alerts.c.episode == episode,
                alerts.c.closed.is_(None),
            )
            .values(closed=when)
        )
        return result.rowcount


def close_instants(engine: Engine, calendar: Calendar, now: datetime) -> int:
    """Instant alerts stay open until their mention is handled or ignored, or a window passes."""
    closed = 0
    query = select(alerts.c.id, alerts.c.window_start, alerts.c.mention_ids).where(
        alerts.c.kind == "instant", alerts.c.closed.is_(None)
    )
    with engine.begin() as conn:
        for row in conn.execute(query).all():
            ids = json.loads(row.mention_ids or "[]")
            status = conn.execute(
                select(mentions.c.status, mentions.c.handled_at).where(mentions.c.id.in_(ids))
            ).first()
            expiry = calendar.end(calendar.index(row.window_start) + 1)
            when = None
            if status is None or status.status != "new":
                when = (status.handled_at if status else None) or now
            elif expiry <= now:
                when = expiry
            if when is not None:
                conn.execute(update(alerts).where(alerts.c.id == row.id).values(closed=when))
                closed += 1
    return closed


def due(engine: Engine, now: datetime) -> list[AlertRecord]:
    query = (
        select(alerts)
        .where(
            alerts.c.state == "pending",
            or_(alerts.c.next_attempt.is_(None), alerts.c.next_attempt <= now),
        )
        .order_by(alerts.c.created, alerts.c.id)
    )
    with engine.connect() as conn:
        return [AlertRecord.from_row(row) for row in conn.execute(query)]


def recover_stale(
    engine: Engine,
    now: datetime,
    stale_after: timedelta,
    *,
    table: Table = alerts,
    receiving: str = "the SMTP server was receiving the message",
    look_for: str = "look for its Message-ID in the inbox",
) -> list[int]:
    """Settle claims left by runs that died: back to pending if no byte was handed over,
    unconfirmed otherwise (the server may have the message; at most once means no resend)."""
    cutoff = now - stale_after
    stale = and_(table.c.state == "sending", table.c.claimed_at < cutoff)
    with engine.begin() as conn:
        conn.execute(
            update(table)
            .where(stale, table.c.handed_over.is_(None))
            .values(
                state="pending",
                claimed_at=None,
                next_attempt=now,
                last_error="the previous run stopped before handing the message over",
            )
        )
        ids = [r.id for r in conn.execute(select(table.c.id).where(stale)).all()]
        conn.execute(
            update(table)
            .where(table.c.id.in_(ids))
            .values(
                state="unconfirmed",
                last_error=f"the previous run stopped while {receiving}; it may have been "
                f"delivered, so it is not sent again ({look_for})",
            )
        )
    return ids


def claim(
    engine: Engine,
    alert_id: int,
    message_id: str | None,
    now: datetime,
    *,
    table: Table = alerts,
) -> bool:
    """Take a pending alert for this run; False if another run took it first."""
    with engine.begin() as conn:
        result = conn.execute(
            update(table)
            .where(table.c.id == alert_id, table.c.state == "pending")
            .values(
                state="sending",
                claimed_at=now,
                handed_over=None,
                attempts=table.c.attempts + 1,
                message_id=func.coalesce(table.c.message_id, message_id),
            )
        )
        return result.rowcount == 1


def mark_handed_over(
    engine: Engine, alert_id: int, now: datetime, *, table: Table = alerts
) -> None:
    set_state(engine, alert_id, table, handed_over=now)


def mark_sent(
    engine: Engine, alert_id: int, now: datetime, reply: str, *, table: Table = alerts
) -> None:
    refused = "refused:" in reply
    error = reply if refused else None
    set_state(engine, alert_id, table, state="sent", sent_at=now, last_error=error)


def mark_unconfirmed(engine: Engine, alert_id: int, error: str, *, table: Table = alerts) -> None:
    set_state(engine, alert_id, table, state="unconfirmed", last_error=error)


def retry_later(
    engine: Engine,
    alert_ids: Iterable[int],
    error: str,
    now: datetime,
    *,
    backoff: bool = True,
    table: Table = alerts,
) -> None:
    """Back to pending with the error; the next attempt waits 1 min, 2, 4 … up to 6 hours.

    Alerts not claimed in this run (the server was unreachable) count the attempt too.
    """
    with engine.begin() as conn:
        for alert_id in alert_ids:
            row = conn.execute(select(table).where(table.c.id == alert_id)).first()
            if row is None or row.state not in ("pending", "sending"):
                continue
            attempts = row.attempts + (1 if row.state == "pending" else 0)
            wait = retry_wait(attempts) if backoff else None
            conn.execute(
                update(table)
                .where(table.c.id == alert_id)
                .values(
                    state="pending",
                    attempts=attempts,
                    claimed_at=None,
                    handed_over=None,
                    last_error=error,
                    next_attempt=now + wait if wait else now,
                )
            )


def open_alerts(engine: Engine) -> list[AlertRecord]:
    """Alerts whose episode has not ended, newest first: the latest row of each episode."""
    query = (
        select(alerts)
        .where(alerts.c.closed.is_(None))
        .order_by(alerts.c.created.desc(), alerts.c.id.desc())
    )
    seen: set[tuple[str, str, str]] = set()
    found: list[AlertRecord] = []
    with engine.connect() as conn:
        for row in conn.execute(query):
            episode = (row.kind, row.brand, row.episode)
            if episode not in seen:
                seen.add(episode)
                found.append(AlertRecord.from_row(row))
    return found


def get(engine: Engine, alert_id: int) -> AlertRecord:
    with engine.connect() as conn:
        return AlertRecord.from_row(
            conn.execute(select(alerts).where(alerts.c.id == alert_id)).one()
        )


def set_state(engine: Engine, row_id: int, table: Table, **values: Any) -> None:
    with engine.begin() as conn:
        conn.execute(update(table).where(table.c.id == row_id).values(**values))


def retry_wait(attempts: int) -> timedelta:
    """The wait before the next attempt after `attempts` failed ones: 1 min, 2, 4 … 6 hours."""
    return min(FIRST_RETRY * 2 ** max(0, attempts - 1), MAX_RETRY)
