"""Export stored mentions as CSV, JSON, JSON Lines or an Excel workbook, with the field names
of the contract.

The record (`export_record`) is the same for every format; the formats differ only in how a
spreadsheet or a program reads it. `csv` is RFC 4180 for programs; `csv-excel` is what a
spreadsheet opened by double-click reads in columns with accents intact (UTF-8 with BOM, and in
Italian `;` between cells and a decimal comma, as Excel and LibreOffice expect in that locale);
`xlsx` is a workbook (`crawler.workbook`).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from datetime import datetime
from typing import IO, Any, TextIO

from crawler.items import KINDS
from crawler.sentiment.labels import LABELS, UNKNOWN
from crawler.store import normalise_text

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
# After the contract's fields: how the team handled it (`passaparola serve` or `handle`), then
# the star rating as people give it (the 0–1 `rating` makes a 1★ review look like "0.0").
HANDLING_FIELDS = ("note", "handled_by", "handled_at")
STAR_FIELDS = ("rating_value", "rating_best")
FIELDS = (*FIELDS, *HANDLING_FIELDS, *STAR_FIELDS)
DATE_FIELDS = ("published", "first_seen", "handled_at")
STAR_BEST = 5  # ratings are stored on 0–1; exported on the five-star scale people know
FORMATS = ("csv", "csv-excel", "json", "jsonl", "xlsx")
BINARY_FORMATS = ("xlsx",)
EXPORT_LABELS = (*LABELS, UNKNOWN)
# A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV Injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Languages whose spreadsheets write 0,5 for a half, and so separate CSV cells with `;`.
_DECIMAL_COMMA_LANGUAGES = ("it",)


class ExportError(Exception):
    """An export that cannot be written as asked."""


def stars(rating: float | None) -> float | None:
    """A 0–1 rating as stars out of `STAR_BEST` (0.0 is 1★, 1.0 is 5★), to one decimal."""
    if rating is None:
        return None
    return round(1 + (STAR_BEST - 1) * min(1.0, max(0.0, rating)), 1)


def export_record(row: dict[str, Any], *, local_time: bool = False) -> dict[str, Any]:
    """A stored row as an export record: the contract's fields, the handling fields, the stars;
    dates as aware datetimes (in the local time zone with `local_time`, else UTC)."""
    record = {name: row.get(name) for name in FIELDS}
    if record["label"] is None:
        record["label"] = UNKNOWN
    record["rating_value"] = stars(record["rating"])
    record["rating_best"] = STAR_BEST if record["rating"] is not None else None
    if local_time:
        for name in DATE_FIELDS:
            if isinstance(record[name], datetime):
                record[name] = record[name].astimezone()  # TZ, as the system has it
    return record


def _iso(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in record.items()}


def spreadsheet_cell(value: Any, decimal_comma: bool = False) -> Any:
    """A CSV cell a spreadsheet shows as text: scraped text starting like a formula
    (`=HYPERLINK(…)`, `+`, `-`, `@`, tab, CR) gets a leading single quote, as OWASP recommends.

    Numbers (a negative score) stay numbers: a spreadsheet reads `-0.5` (`-0,5` with
    `decimal_comma`) as a value, never a formula. `None` is an empty cell.
    """
    if value is None:
        return ""
    if isinstance(value, float) and decimal_comma:
        return repr(value).replace(".", ",")
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def check_filters(kind: str | None, label: str | None) -> None:
    """An unknown `--kind` or `--label` would export nothing: say which ones there are."""
    if kind is not None and kind not in KINDS:
        raise ExportError(f"--kind {kind!r} is not a kind; use one of {', '.join(KINDS)}")
    if label is not None and label not in EXPORT_LABELS:
        raise ExportError(
            f"--label {label!r} is not a label; use one of {', '.join(EXPORT_LABELS)}"
        )


def matching_brands(wanted: str, known: Iterable[str]) -> list[str]:
    """The brands `wanted` names, whatever its case and accents ("caffe aurora" is "Caffè
    Aurora"); an `ExportError` listing the brands there are when it names none."""
    brands = sorted(set(known))
    found = [brand for brand in brands if normalise_text(brand) == normalise_text(wanted)]
    if not found:
        listed = ", ".join(brands) if brands else "none yet"
        raise ExportError(f"--brand {wanted!r} is not a brand of this project; brands: {listed}")
    return found


def write_export(
    rows: Iterable[dict[str, Any]],
    stream: IO,
    format: str,
    *,
    local_time: bool = False,
    language: str = "it",
) -> int:
    """Stream records to `stream` (binary for `BINARY_FORMATS`, else text) in `format`; returns
    how many were written. `language` is the spreadsheet's, for `csv-excel`."""
    if format not in FORMATS:
        raise ExportError(f"--format must be one of {', '.join(FORMATS)}, not {format!r}")
    records = (export_record(row, local_time=local_time) for row in rows)
    if format == "xlsx":
        from crawler.workbook import write_workbook

        return write_workbook(records, stream, FIELDS)
    if format == "csv":
        return _write_csv(records, stream, ",", decimal_comma=False)
    if format == "csv-excel":
        stream.write("\ufeff")  # the BOM: how Excel knows the file is UTF-8
        decimal_comma = language in _DECIMAL_COMMA_LANGUAGES
        return _write_csv(records, stream, ";" if decimal_comma else ",", decimal_comma)
    return _write_json(records, stream, lines=format == "jsonl")


def _write_csv(
    records: Iterable[dict[str, Any]], stream: TextIO, delimiter: str, decimal_comma: bool
) -> int:
    # CRLF, as RFC 4180 has it: then a CR inside a text is quoted too, not a row break.
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(FIELDS)
    count = 0
    for record in records:
        writer.writerow([spreadsheet_cell(v, decimal_comma) for v in _iso(record).values()])
        count += 1
    return count


def _write_json(records: Iterable[dict[str, Any]], stream: TextIO, lines: bool) -> int:
    count = 0
    if not lines:
        stream.write("[")
    for record in records:
        line = json.dumps(_iso(record), ensure_ascii=False)
        stream.write(line + "\n" if lines else ("," if count else "") + "\n  " + line)
        count += 1
    if not lines:
        stream.write("\n]\n")
    return count
