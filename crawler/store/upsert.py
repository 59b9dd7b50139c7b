"""Writing mentions: one idempotent upsert per batch, which also recognises copies of a text
already stored (the same review syndicated on another page) and is safe with several writers
at once."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Engine, Select, Update, bindparam, func, select, update
from sqlalchemy.engine import Connection

from crawler.items import Mention
from crawler.store.identity import mention_id, normalise_text, normalised_fingerprint
from crawler.store.insert import insert_new
from crawler.store.tables import SOURCE_MAX_CHARS, mentions, now

SYNDICATION_MIN_CHARS = 40

# Fields a re-crawl may legitimately change; a change in any of them counts as "updated".
_CONTENT_FIELDS = ("title", "author", "published", "rating", "text")
# The evidence: the page version the current content was read from. A page that changed
# elsewhere (a new comment below a review) still proves the unchanged mention, so the evidence
# is renewed only with the content.
_EVIDENCE_FIELDS = ("page_url", "page_sha256", "fetched_at")
_SCORE_FIELDS = ("lang", "score", "label", "analyzer")
# What an update writes, besides when the mention was last seen.
_REWRITTEN = (*_CONTENT_FIELDS, "fingerprint", *_EVIDENCE_FIELDS, *_SCORE_FIELDS)


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
        "fingerprint": normalised_fingerprint(normalised),
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
    updates: list[dict[str, Any]] = []
    with engine.begin() as conn:
        lock_brands(conn, {row["brand"] for row in rows.values()})
        existing = {r.id: r for r in conn.execute(_stored_by_id(), {"ids": list(rows)})}
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
            # Every content field is written: those that did not change get what they hold,
            # so all updates are one statement.
            values = {f: row[f] for f in _REWRITTEN}
            values.update(mention=old.id, last_seen=seen)
            # New text invalidates the old judgement; the pipeline's fresh one replaces it,
            # but not the team's correction: a person read the mention.
            if getattr(old, "label_correction", None):
                values["label"] = old.label_correction
            updates.append(values)
        inserted = insert_new(conn, new_rows)
        # Rows another writer inserted first are stored: seen again, not new.
        unchanged_ids.extend(row["id"] for row in new_rows if row["id"] not in inserted)
        for start in range(0, len(unchanged_ids), 500):
            chunk = unchanged_ids[start : start + 500]
            conn.execute(_seen_again(), {"ids": chunk, "seen": seen})
        if updates:
            conn.execute(_rewritten(), updates)
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


# What is read of a stored mention to compare a crawled one with it: its content, and what
# recognising a copy and keeping the team's correction need.
_COMPARED = ("id", "brand", "fingerprint", "label_correction", *_CONTENT_FIELDS)


# The statements of every batch, built once (SQLAlchemy then finds their compiled form in its
# cache by identity; its lists are expanding parameters, not a new literal per id).
@cache
def _stored_by_id() -> Select:
    columns = [mentions.c[name] for name in _COMPARED]
    return select(*columns).where(mentions.c.id.in_(bindparam("ids", expanding=True)))


@cache
def _stored_by_fingerprint() -> Select:
    columns = [mentions.c[name] for name in _COMPARED]
    prints = bindparam("prints", expanding=True)
    return select(*columns).where(mentions.c.fingerprint.in_(prints))


@cache
def _rewritten() -> Update:
    """An update of a mention's content, evidence and judgement, for all updates of a batch at
    once (an executemany); the parameters name the columns they set, `mention` the row."""
    return update(mentions).where(mentions.c.id == bindparam("mention"))


@cache
def _seen_again() -> Update:
    ids = bindparam("ids", expanding=True)
    return update(mentions).where(mentions.c.id.in_(ids)).values(last_seen=bindparam("seen"))


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
        chunk = {"prints": prints[start : start + 500]}
        for stored in conn.execute(_stored_by_fingerprint(), chunk):
            copies.setdefault((stored.brand, stored.fingerprint), []).append(stored)
    return copies


def _same_author(a: str | None, b: str | None) -> bool:
    return not a or not b or normalise_text(a) == normalise_text(b)
