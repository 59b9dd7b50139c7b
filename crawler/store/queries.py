"""Reading mentions back: filtered and streamed, the brands stored, one mention by id prefix."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.engine import Connection

from crawler.store.tables import mentions


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
