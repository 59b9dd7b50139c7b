"""The team's label corrections: a person who read a mention knows its sentiment best.

`passaparola serve` stores them (`POST /mentions/<id>/label`); the correction becomes the
mention's label everywhere (pages, counts, alerts), `rescore` keeps it, the analysis quality page
counts it, and `passaparola export --corrections` writes them as a labeled CSV for `evaluate`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

from sqlalchemy import Engine, select, update

from crawler.items import scoring_text
from crawler.store import mention_by_prefix, mentions, now

CORRECTABLE_LABELS = ("negative", "neutral", "positive")


@dataclass(frozen=True, slots=True)
class LabelCorrection:
    """What `correct_label` did to one mention."""

    id: str
    brand: str
    title: str | None
    url: str
    before: str | None  # the label shown before this correction
    label: str
    by: str | None
    changed: bool  # False: it already had this label as a correction


def correct_label(
    engine: Engine, mention: str, label: str, by: str | None = None
) -> LabelCorrection | None:
    """Store the team's label for a mention (None when no single mention has that id/prefix).

    The first correction remembers the label it replaced (`corrected_from`), so the analysis
    quality page can count what the analyzer got wrong; a later one keeps it.
    """
    if label not in CORRECTABLE_LABELS:
        raise ValueError(f"label must be one of {', '.join(CORRECTABLE_LABELS)}")
    with engine.begin() as conn:
        row = mention_by_prefix(conn, mention)
        if row is None:
            return None
        changed = row.label_correction != label
        who = (by or "").strip() or None
        if changed:
            values = {"label": label, "label_correction": label}
            values.update(corrected_by=who, corrected_at=now())
            if row.label_correction is None:
                values["corrected_from"] = row.label
            conn.execute(update(mentions).where(mentions.c.id == row.id).values(**values))
    return LabelCorrection(
        id=row.id,
        brand=row.brand,
        title=row.title,
        url=row.url,
        before=row.label,
        label=label,
        by=who if changed else row.corrected_by,
        changed=changed,
    )


CORRECTION_FIELDS = ("text", "label", "lang")


def iter_corrections(engine: Engine) -> Iterator[tuple[str, str, str]]:
    """(text, label, lang) of every corrected mention, oldest correction first: the text the
    analyzer judged (a post's title with its body), the team's label, the language judged."""
    query = (
        select(
            mentions.c.kind,
            mentions.c.title,
            mentions.c.text,
            mentions.c.label_correction,
            mentions.c.lang,
        )
        .where(mentions.c.label_correction.is_not(None))
        .order_by(mentions.c.corrected_at, mentions.c.id)
    )
    with engine.connect() as conn:
        for row in conn.execute(query):
            text = scoring_text(row.kind, row.title, row.text)
            yield text, row.label_correction, row.lang or ""


def write_corrections(rows: Iterator[tuple[str, str, str]], stream: TextIO) -> int:
    """The corrections as the labeled CSV `passaparola evaluate` reads; how many."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(CORRECTION_FIELDS)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count
