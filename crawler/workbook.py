"""Mentions as an Excel workbook (openpyxl): one sheet, one row per mention, real numbers and
dates, and scraped text that can never become a formula.

Written in openpyxl's write-only mode, row by row, so an export of any size stays small in
memory. Excel has no time zones: dates are written as the wall-clock time of the zone the
records carry (UTC, or the local one with `--local-time`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

CELL_MAX_CHARS = 32767  # Excel refuses a longer cell: the file would open as "damaged"
_WIDTHS = {"text": 80, "title": 40, "url": 40, "id": 34, "note": 30}
_DATE_FORMAT = "yyyy-mm-dd hh:mm"


def write_workbook(
    records: Iterable[dict[str, Any]], stream: IO[bytes], fields: Sequence[str]
) -> int:
    """Write `records` as a one-sheet workbook to a binary `stream`; how many were written."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("mentions")
    for index, name in enumerate(fields, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(name, 14)
    sheet.freeze_panes = "A2"
    sheet.append(list(fields))
    count = 0
    for record in records:
        sheet.append([_cell(sheet, record[name]) for name in fields])
        count += 1
    book.save(stream)
    return count


def _cell(sheet: Any, value: Any) -> Any:
    """A value as a cell: text is always text (never a formula, even "=HYPERLINK(…)"), dates are
    dates Excel sorts and filters."""
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))
        cell.number_format = _DATE_FORMAT
        return cell
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(text) > CELL_MAX_CHARS:
        text = text[: CELL_MAX_CHARS - 1] + "…"
    cell = WriteOnlyCell(sheet, value=text)
    # openpyxl makes a string starting with "=" a formula: set it back to a string, and mark
    # it as Excel marks a cell typed with a leading ' (shown as is, kept text when edited).
    cell.data_type = "s"
    if text.startswith(("=", "+", "-", "@", "\t", "\r")):
        cell.quotePrefix = True
    return cell
