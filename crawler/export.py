"""Export stored mentions as CSV, JSON or JSON Lines with the field names of the contract."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any, TextIO

FIELDS = (
    "id",
    "brand",
    "source",
    "kind",
    "url",
    "title",
    "author",
    "published",
    "first_seen",
    "lang",
    "rating",
    "score",
    "label",
    "analyzer",
    "status",
    "text",
)
# After the contract's fields: how the team handled it (`passaparola serve` or `handle`).
HANDLING_FIELDS = ("note", "handled_by", "handled_at")
FIELDS = (*FIELDS, *HANDLING_FIELDS)
FORMATS = ("csv", "json", "jsonl")
# A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV Injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ExportError(Exception):
    """An export that cannot be written as asked."""


def export_record(row: dict[str, Any]) -> dict[str, Any]:
    """A stored row as an export record: the contract's fields, then the handling fields;
    dates ISO 8601 with offset."""
    record = {}
    for name in FIELDS:
        value = row.get(name)
        record[name] = value.isoformat() if isinstance(value, datetime) else value
    if record["label"] is None:
        record["label"] = "unknown"
    return record


def spreadsheet_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: scraped text starting like a formula
    (`=HYPERLINK(…)`, `+`, `-`, `@`, tab, CR) gets a leading single quote, as OWASP recommends.

    Numbers (a negative score) stay numbers: a spreadsheet reads `-0.5` as a value, never a
    formula. `None` is an empty cell.
    """
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_export(rows: Iterable[dict[str, Any]], stream: TextIO, format: str) -> int:
    """Stream records to `stream` in `format`; returns how many were written."""
    if format not in FORMATS:
        raise ExportError(f"--format must be one of {', '.join(FORMATS)}, not {format!r}")
    count = 0
    if format == "csv":
        # CRLF, as RFC 4180 has it: then a CR inside a text is quoted too, not a row break.
        writer = csv.DictWriter(stream, fieldnames=FIELDS, lineterminator="\r\n")
        writer.writeheader()
        for row in rows:
            record = export_record(row)
            writer.writerow({k: spreadsheet_cell(v) for k, v in record.items()})
            count += 1
    elif format == "jsonl":
        for row in rows:
            stream.write(json.dumps(export_record(row), ensure_ascii=False) + "\n")
            count += 1
    else:
        stream.write("[")
        for row in rows:
            stream.write(("," if count else "") + "\n  ")
            stream.write(json.dumps(export_record(row), ensure_ascii=False))
            count += 1
        stream.write("\n]\n")
    return count
