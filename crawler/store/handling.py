"""The team's handling of a mention: its status (new, handled, ignored), a note, who and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, update

from crawler.store.queries import mention_by_prefix
from crawler.store.tables import mentions, now

STATUSES = ("new", "handled", "ignored")


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
