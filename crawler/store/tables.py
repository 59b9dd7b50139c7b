"""The store's tables, and the one column type every time goes through (aware UTC in, aware UTC
out on every database).

Declared once, here: `crawler.schema` creates a new store from them, the migrations
(`crawler/migrations`) bring older stores to the same shape, and every query names them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)

from crawler.config import BRAND_NAME_MAX_CHARS


def naive_utc(value: datetime) -> datetime:
    """The instant as the database holds it: UTC without a zone; a naive time is refused, as
    nobody could say which instant it is."""
    if value.tzinfo is UTC:  # almost always (the crawl's own times): no conversion
        return value.replace(tzinfo=None)
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the store; attach a timezone first")
    return value.astimezone(UTC).replace(tzinfo=None)


class UTCDateTime(TypeDecorator):
    """Timezone-aware datetimes on every backend: stored as UTC, read back as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else naive_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


metadata = MetaData()
SOURCE_MAX_CHARS = 255  # characters of a mention's source (its site's host name) on every database

mentions = Table(
    "mentions",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("brand", String(BRAND_NAME_MAX_CHARS), nullable=False, index=True),
    Column("source", String(SOURCE_MAX_CHARS), nullable=False, index=True),
    Column("source_url", Text, nullable=False, default=""),
    Column("kind", String(16), nullable=False),
    Column("url", Text, nullable=False),
    Column("title", Text),
    Column("author", Text),
    Column("published", UTCDateTime, index=True),
    Column("first_seen", UTCDateTime, nullable=False, index=True),
    Column("last_seen", UTCDateTime, nullable=False),
    Column("lang", String(8)),
    Column("rating", Float),
    Column("score", Float),
    Column("label", String(16), index=True),
    Column("analyzer", String(64)),
    Column("status", String(16), nullable=False, default="new"),
    Column("handled_at", UTCDateTime),
    Column("handled_by", String(80)),
    Column("note", Text),
    Column("text", Text, nullable=False),
    Column("fingerprint", String(64), nullable=False, index=True),
    Column("page_url", Text, nullable=False, default=""),
    Column("page_sha256", String(64), nullable=False, default=""),
    Column("fetched_at", UTCDateTime),
    # The team's correction of the label (schema 6): then also the `label`, kept by `rescore`.
    Column("label_correction", String(16)),
    Column("corrected_from", String(16)),  # the label it replaced: the analyzer's, or the stars'
    Column("corrected_by", String(80)),
    Column("corrected_at", UTCDateTime),
)

crawl_runs = Table(
    "crawl_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_url", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("started", UTCDateTime, nullable=False),
    Column("finished", UTCDateTime),
    Column("pages", Integer, nullable=False, default=0),
    Column("new", Integer, nullable=False, default=0),
    Column("updated", Integer, nullable=False, default=0),
    Column("errors", Integer, nullable=False, default=0),
    Column("status", String(16), nullable=False, default="running"),
    Column("found", Integer),  # what the spider looks for on the pages: reviews, comments, entries
    Column("last_error", Text),  # the last failure, as `crawler.failures.Problem` JSON
    # Who wrote the run (schema 3): a `running` run whose process is gone was interrupted.
    Column("host", String(255)),
    Column("pid", Integer),
    # The crawl it belongs to (schema 4): one id per `passaparola crawl`, whichever machine ran
    # the source's job, so a cycle counts exactly its own runs.
    Column("crawl_id", String(32), index=True),
)

# --- alerts (owned by crawler/alerts/; the outbox: an alert is stored before it is sent) ---
# One row per e-mail. `key` (kind/brand/episode/stage) is unique, so a spike episode raises its
# first alert and each marked growth at most once, even with two runs at the same time.


def _delivery_state() -> list[Column]:
    """The outbox's columns (crawler/alerts/outbox.py), the same in every table it drives."""
    return [
        Column("state", String(16), nullable=False, default="pending", index=True),
        Column("attempts", Integer, nullable=False, default=0),
        Column("last_error", Text),
        Column("next_attempt", UTCDateTime),
        Column("claimed_at", UTCDateTime),
        Column("handed_over", UTCDateTime),
        Column("sent_at", UTCDateTime),
        Column("message_id", Text),
    ]


# state: pending (to send; next_attempt says when), sending (a run has claimed it; `handed_over`
# is set the moment the message text goes to the server), sent, unconfirmed (the run stopped
# while the server was receiving it: maybe delivered, never sent again automatically), unsent
# (raised while [alerts] to was empty: recorded and shown, never e-mailed).
alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(320), nullable=False, unique=True),
    Column("brand", String(BRAND_NAME_MAX_CHARS), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # "spike" or "instant"
    Column("episode", String(64), nullable=False),  # spike: first window's start; instant: mention
    Column("stage", Integer, nullable=False, default=0),  # 0 first alert, 1.. each doubling
    Column("window_start", UTCDateTime),
    Column("window_end", UTCDateTime),
    Column("count", Integer, nullable=False, default=0),
    Column("baseline", Float),  # usual negative mentions per window before this one
    Column("p_value", Float),  # chance of `count` or more at the usual rate
    Column("mention_ids", Text, nullable=False, default="[]"),  # JSON list
    Column("created", UTCDateTime, nullable=False),
    *_delivery_state(),
    Column("closed", UTCDateTime),  # when the episode ended; NULL while it is open
)
# --- end alerts ---

# One row per (alert or digest, target) other than an alert's own e-mail, which stays in
# `alerts`: a chat channel of [alerts] notify / [digest] notify (`channel` is its redacted
# identity, `scheme:hash`, never its URL), or "email" for a digest's e-mail. Same states and
# columns as an alert's e-mail, so one state machine (crawler/alerts/outbox.py) drives both.
deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", Integer, index=True),
    Column("digest_id", Integer, index=True),
    Column("channel", String(80), nullable=False),
    Column("created", UTCDateTime, nullable=False),
    *_delivery_state(),
    UniqueConstraint("alert_id", "channel", name="uq_deliveries_alert_channel"),
    UniqueConstraint("digest_id", "channel", name="uq_deliveries_digest_channel"),
)

# One digest per period (`key`: "week/2026-W48"), its messages frozen as JSON when recorded so
# a resumed delivery sends what the first attempt would have.
digests = Table(
    "digests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(64), nullable=False, unique=True),
    Column("period_start", UTCDateTime, nullable=False),
    Column("period_end", UTCDateTime, nullable=False),
    Column("created", UTCDateTime, nullable=False),
    Column("content", Text, nullable=False),
)

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("applied", UTCDateTime, nullable=False),
)


def now() -> datetime:
    return datetime.now(UTC)
