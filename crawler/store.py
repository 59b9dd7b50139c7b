"""The store: mentions, crawl runs and the schema version, in any SQLAlchemy database.

SQLite is the embedded default (WAL, so the report can read while a crawl writes). Every write is
one transaction and every mention write is an idempotent upsert keyed by the mention id, so a crawl
killed at any moment leaves what it stored intact and a re-run creates no duplicate. The schema is
created and upgraded by `crawler.schema` (migrations, under a lock).
"""

from __future__ import annotations

import hashlib
import importlib
import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    func,
    select,
    update,
)
from sqlalchemy.engine import Connection

from crawler.config import BRAND_NAME_MAX_CHARS
from crawler.items import Mention
from crawler.schema import SCHEMA_VERSION as SCHEMA_VERSION  # the store's interface, too
from crawler.schema import StoreError as StoreError
from crawler.schema import open_engine as open_engine

STATUSES = ("new", "handled", "ignored")
SYNDICATION_MIN_CHARS = 40


class UTCDateTime(TypeDecorator):
    """Timezone-aware datetimes on every backend: stored as UTC, read back as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is UTC:  # almost always (the crawl's own times): no conversion
            return value.replace(tzinfo=None)
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; attach a timezone first")
        return value.astimezone(UTC).replace(tzinfo=None)

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

# Fields a re-crawl may legitimately change; a change in any of them counts as "updated".
_CONTENT_FIELDS = ("title", "author", "published", "rating", "text")
# The evidence: the page version the current content was read from. A page that changed
# elsewhere (a new comment below a review) still proves the unchanged mention, so the evidence
# is renewed only with the content.
_EVIDENCE_FIELDS = ("page_url", "page_sha256", "fetched_at")
_SCORE_FIELDS = ("lang", "score", "label", "analyzer")


def now() -> datetime:
    return datetime.now(UTC)


# Combining marks (accents) left by NFKD: the Latin, extended and symbol ranges.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_NON_WORD = re.compile(r"\W+")


def normalise_text(text: str) -> str:
    """Casefolded, accent-free, single-spaced: the text a fingerprint is taken of."""
    folded = text.casefold()
    if folded.isascii():  # nothing to decompose, no accents to drop
        return _NON_WORD.sub(" ", folded).strip()
    decomposed = unicodedata.normalize("NFKD", folded)
    return _NON_WORD.sub(" ", _COMBINING.sub("", decomposed)).strip()


def fingerprint(text: str) -> str:
    return _digest(normalise_text(text))


def _digest(normalised: str) -> str:
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def mention_id(url: str, brand: str) -> str:
    """Stable id of a mention: its canonical URL (with fragment) for one brand."""
    return hashlib.sha256(f"{brand}\n{url}".encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class UpsertResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0


def _row_from_mention(item: Mention, seen: datetime) -> tuple[dict[str, Any], bool]:
    """The row to store, and whether its text is long enough to recognise copies of it."""
    normalised = normalise_text(item.text)
    row = {
        "id": mention_id(item.url, item.brand),
        "brand": item.brand,
        # A host name is at most 253 characters in DNS, but a scraped link's need not be one.
        "source": item.source[:SOURCE_MAX_CHARS],
        "source_url": item.source_url,
        "kind": item.kind,
        "url": item.url,
        "title": item.title,
        "author": item.author,
        "published": item.published,
        "lang": item.lang,
        "rating": item.rating,
        "score": item.score,
        "label": item.label,
        "analyzer": item.analyzer,
        "text": item.text,
        "fingerprint": _digest(normalised),
        "page_url": item.page_url,
        "page_sha256": item.page_sha256,
        "fetched_at": item.fetched_at or seen,
        "last_seen": seen,
    }
    # Long enough that an identical copy is the same text, not two people saying "Ottimo!".
    return row, len(normalised) >= SYNDICATION_MIN_CHARS


def upsert_mentions(engine: Engine, items: Iterable[Mention]) -> UpsertResult:
    """Insert new mentions and update changed ones, in one transaction.

    A mention is the same as a stored one if it has the same id (URL + brand) or, failing that,
    the same brand and text fingerprint (the same review syndicated on another page).

    Concurrent writers (two crawls at once, on one machine or several) cannot break this: the
    transaction first locks the batch's brands (`lock_brands`), so reading what is stored and
    writing the difference is atomic per brand and a copy is never stored twice; new rows go in
    with `INSERT … ON CONFLICT (id) DO NOTHING`, so an id stored first by a writer that did not
    lock is never an error.
    """
    seen = now()
    rows: dict[str, dict[str, Any]] = {}
    copyable: set[str] = set()  # ids of rows whose text a copy elsewhere would share
    for item in items:
        row, long_enough = _row_from_mention(item, seen)
        rows[row["id"]] = row
        if long_enough:
            copyable.add(row["id"])
    if not rows:
        return UpsertResult()
    new_rows: list[dict[str, Any]] = []
    unchanged_ids: list[str] = []
    updates: list[tuple[str, dict[str, Any]]] = []
    with engine.begin() as conn:
        lock_brands(conn, {row["brand"] for row in rows.values()})
        existing = {
            r.id: r
            for r in conn.execute(select(mentions).where(mentions.c.id.in_(list(rows)))).all()
        }
        copies = _stored_copies(
            conn, {rows[i]["fingerprint"] for i in copyable if i not in existing}
        )
        for row in rows.values():
            old = existing.get(row["id"])
            if old is None and row["id"] in copyable:
                key = (row["brand"], row["fingerprint"])
                old = next(
                    (c for c in copies.get(key, ()) if _same_author(c.author, row["author"])), None
                )
                if old is None:
                    # A later copy in this same batch is matched against this one.
                    copies.setdefault(key, []).append(_Pending(row["id"], row["author"]))
            if old is None:
                new_rows.append({**row, "first_seen": seen, "status": "new"})
                continue
            if isinstance(old, _Pending):
                continue  # the same text twice in one batch: stored once, first URL kept
            changes = {f: row[f] for f in _CONTENT_FIELDS if row[f] != getattr(old, f)}
            if changes and old.id != row["id"] and "text" not in changes:
                changes = {}  # a syndicated copy on another page: keep the first URL
            if not changes:
                unchanged_ids.append(old.id)
                continue
            values: dict[str, Any] = {"last_seen": seen, **changes}
            values["fingerprint"] = row["fingerprint"]
            values.update({f: row[f] for f in _EVIDENCE_FIELDS})
            # New text invalidates the old judgement; the pipeline's fresh one replaces it,
            # but not the team's correction: a person read the mention.
            values.update({f: row[f] for f in _SCORE_FIELDS})
            if getattr(old, "label_correction", None):
                values["label"] = old.label_correction
            updates.append((old.id, values))
        inserted = _insert_new(conn, new_rows)
        # Rows another writer inserted first are stored: seen again, not new.
        unchanged_ids.extend(row["id"] for row in new_rows if row["id"] not in inserted)
        for start in range(0, len(unchanged_ids), 500):
            chunk = unchanged_ids[start : start + 500]
            conn.execute(update(mentions).where(mentions.c.id.in_(chunk)).values(last_seen=seen))
        for mention, values in updates:
            conn.execute(update(mentions).where(mentions.c.id == mention).values(**values))
    new, updated, unchanged = len(inserted), len(updates), len(unchanged_ids)
    return UpsertResult(new=new, updated=updated, unchanged=unchanged)


# Namespace of the per-brand advisory locks (the two-key form: apart from single-key locks).
_BRAND_LOCKS = 0x70700001


def lock_brands(conn: Connection, brands: Iterable[str]) -> None:
    """Hold, until this transaction ends, the right to write mentions of these brands.

    PostgreSQL: one transaction-scoped advisory lock per brand, taken in a fixed order so two
    writers never deadlock. SQLite has one writer at a time: the transaction starts as a write
    transaction (`BEGIN IMMEDIATE`, waiting up to the busy timeout), so what it reads next is
    what it writes over. Other databases: no lock (one writer at a time is then the user's).
    """
    dialect = conn.dialect.name
    if dialect == "postgresql":
        for key in sorted({_lock_key(brand) for brand in brands}):
            conn.execute(select(func.pg_advisory_xact_lock(_BRAND_LOCKS, key)))
    elif dialect == "sqlite" and not conn.connection.dbapi_connection.in_transaction:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _lock_key(brand: str) -> int:
    """A brand's advisory lock key: a signed 32-bit number from its name."""
    return int.from_bytes(hashlib.sha256(brand.encode()).digest()[:4], "big", signed=True)


def _dialect_insert(dialect: str) -> Any:
    """The dialect's own INSERT, which has ON CONFLICT; its module is imported only for the
    database in use (PostgreSQL's alone took a fifth of SQLAlchemy's import in a crawl)."""
    return importlib.import_module(f"sqlalchemy.dialects.{dialect}").insert


def _insert_new(conn: Connection, rows: list[dict[str, Any]]) -> set[str]:
    """Insert rows whose id is not stored yet; the ids actually inserted."""
    if not rows:
        return set()
    dialect = conn.dialect.name
    if dialect not in ("sqlite", "postgresql"):
        conn.execute(mentions.insert(), rows)
        return {row["id"] for row in rows}
    return set(conn.execute(_insert_if_new(dialect), rows).scalars())


@lru_cache(maxsize=2)
def _insert_if_new(dialect: str) -> Any:
    """`INSERT … ON CONFLICT (id) DO NOTHING RETURNING id`, built once (as its compiled form)."""
    return (
        _dialect_insert(dialect)(mentions)
        .on_conflict_do_nothing(index_elements=[mentions.c.id])
        .returning(mentions.c.id)
    )


@dataclass(frozen=True, slots=True)
class _Pending:
    """A mention inserted by the batch being written, for matching copies within the batch."""

    id: str
    author: str | None


def _stored_copies(conn: Connection, fingerprints: set[str]) -> dict[tuple[str, str], list]:
    """Stored mentions with any of these fingerprints, by (brand, fingerprint), in few queries."""
    prints = sorted(fingerprints)
    copies: dict[tuple[str, str], list] = {}
    for start in range(0, len(prints), 500):
        query = select(mentions).where(mentions.c.fingerprint.in_(prints[start : start + 500]))
        for stored in conn.execute(query):
            copies.setdefault((stored.brand, stored.fingerprint), []).append(stored)
    return copies


def _same_author(a: str | None, b: str | None) -> bool:
    return not a or not b or normalise_text(a) == normalise_text(b)


def iter_mentions(
    engine: Engine,
    *,
    brand: str | None = None,
    since: datetime | None = None,
    label: str | None = None,
    kind: str | None = None,
    brands: Collection[str] | None = None,
    batch: int = 1000,
) -> Iterator[dict[str, Any]]:
    """Stored mentions, oldest first, filtered; streamed so exports of any size fit in memory.

    `brand` is one brand exactly as stored, `brands` any of several."""
    query = select(mentions).order_by(mentions.c.first_seen, mentions.c.id)
    if brand:
        query = query.where(mentions.c.brand == brand)
    if brands is not None:
        query = query.where(mentions.c.brand.in_(list(brands)))
    if since:
        when = func.coalesce(mentions.c.published, mentions.c.first_seen)
        query = query.where(when >= since)
    if label:
        query = query.where(mentions.c.label == label)
    if kind:
        query = query.where(mentions.c.kind == kind)
    with engine.connect() as conn:
        result = conn.execution_options(yield_per=batch).execute(query)
        for row in result:
            yield dict(row._mapping)


def stored_brands(engine: Engine) -> list[str]:
    """Every brand with a stored mention, in name order."""
    with engine.connect() as conn:
        query = select(mentions.c.brand).distinct().order_by(mentions.c.brand)
        return list(conn.execute(query).scalars())


def mention_by_prefix(conn: Connection, mention: str) -> Any | None:
    """The stored row whose id is `mention` or starts with it; None unless exactly one does."""
    rows = conn.execute(
        select(mentions).where(mentions.c.id.startswith(mention, autoescape=True)).limit(2)
    ).all()
    return rows[0] if len(rows) == 1 else None


def set_status(engine: Engine, mention: str, status: str, note: str | None = None) -> bool:
    """Mark a mention handled, ignored or new again; False when no mention has that id prefix."""
    return change_status(engine, mention, status, note) is not None


NOTE_MAX = 2000  # characters of a handling note
BY_MAX = 80  # characters of the name of who handled a mention


@dataclass(frozen=True, slots=True)
class StatusChange:
    """What `change_status` did to one mention, for the command and the server to echo."""

    id: str
    brand: str
    source: str
    kind: str
    url: str
    title: str | None
    before: str  # the status it had
    status: str
    note: str | None
    by: str | None
    at: datetime | None  # when it was handled or ignored (None once open again)
    changed: bool  # False: it already had this status and note


def change_status(
    engine: Engine,
    mention: str,
    status: str,
    note: str | None = None,
    by: str | None = None,
) -> StatusChange | None:
    """Set a mention's handling status; None when no single mention has that id (or prefix).

    `note` None keeps the stored note ("" clears it); `by` names who set the status. Setting
    the status and note it already has changes nothing, not even who and when; a new note alone
    keeps who set the status and when. Open again (`new`), it has no handler and no handling
    time, so the report's handling times stay true.
    """
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}")
    with engine.begin() as conn:
        row = mention_by_prefix(conn, mention)
        if row is None:
            return None
        kept_note = row.note if note is None else (note.strip() or None)
        changed = status != row.status or kept_note != row.note
        values: dict[str, Any] = {"status": row.status, "note": row.note}
        values.update(handled_at=row.handled_at, handled_by=row.handled_by)
        if changed:
            values["note"] = kept_note
        if status != row.status:  # a new note alone keeps who set the status, and when
            values["status"] = status
            if status == "new":
                values.update(handled_at=None, handled_by=None)
            else:
                values.update(handled_at=now(), handled_by=(by or "").strip() or None)
        if changed:
            conn.execute(update(mentions).where(mentions.c.id == row.id).values(**values))
    return StatusChange(
        id=row.id,
        brand=row.brand,
        source=row.source,
        kind=row.kind,
        url=row.url,
        title=row.title,
        before=row.status,
        status=values["status"],
        note=values["note"],
        by=values["handled_by"],
        at=values["handled_at"],
        changed=changed,
    )
