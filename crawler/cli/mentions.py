"""`export` and `handle`: the stored mentions out to a file, and their handling state."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from crawler.cli.base import (
    DEFAULT_CONFIG,
    ConfigOption,
    UsageError,
    app,
    aware,
    err,
    load_project,
    open_store,
    out,
    parse_moment,
)


@app.command()
def export(
    config: ConfigOption = DEFAULT_CONFIG,
    format: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="csv, csv-excel (for a spreadsheet), json, jsonl or xlsx."
        ),
    ] = "csv",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    brand: Annotated[
        str | None, typer.Option(help="Only this brand (any case, with or without accents).")
    ] = None,
    since: Annotated[
        datetime | None,
        typer.Option(parser=parse_moment, help="Only mentions published (or first seen) since."),
    ] = None,
    label: Annotated[
        str | None, typer.Option(help="negative, neutral, positive or unknown.")
    ] = None,
    kind: Annotated[
        str | None, typer.Option(help="review, comment, post, feed, page or forum.")
    ] = None,
    local_time: Annotated[
        bool,
        typer.Option("--local-time", help="Dates in the local time zone (TZ), not UTC."),
    ] = False,
    corrections: Annotated[
        bool,
        typer.Option("--corrections", help="The team's label corrections as text,label,lang CSV."),
    ] = False,
) -> None:
    """Export stored mentions with stable field names, for spreadsheets, tools and scripts."""
    from crawler.export import BINARY_FORMATS, check_filters, matching_brands, write_export
    from crawler.store import iter_mentions, stored_brands

    project = load_project(config)
    check_filters(kind, label)
    engine = open_store(project)
    if corrections:
        _export_corrections(engine, output, format, (brand, since, label, kind, local_time))
        return
    brands = None
    if brand is not None:
        known = [*stored_brands(engine), *(b.name for b in project.brands)]
        brands = matching_brands(brand, known)
    binary = format in BINARY_FORMATS
    if binary and output is None:
        raise UsageError(f"--format {format} writes a file: give it with --output FILE.{format}")
    rows = iter_mentions(engine, since=aware(since), label=label, kind=kind, brands=brands)
    count = _write_to(
        output,
        binary,
        lambda stream: write_export(
            rows, stream, format, local_time=local_time, language=project.site.language
        ),
    )
    err.print(f"exported {count} mentions" + (f" to {output}" if output else ""))


def _export_corrections(engine, output: Path | None, format: str, filters: tuple) -> None:
    from crawler.corrections import iter_corrections, write_corrections

    if format != "csv" or any(filters):
        raise UsageError(
            "--corrections writes every correction as text,label,lang CSV: "
            "it takes no --format, --brand, --since, --label, --kind or --local-time"
        )
    count = _write_to(
        output, False, lambda stream: write_corrections(iter_corrections(engine), stream)
    )
    err.print(f"exported {count} label corrections" + (f" to {output}" if output else ""))


def _write_to(output: Path | None, binary: bool, write) -> int:
    """Run `write(stream)` on `output` (stdout when None); a file it cannot write is one line."""
    try:
        if output is None:
            stream = sys.stdout
        elif binary:
            stream = output.open("wb")
        else:
            stream = output.open("w", encoding="utf-8", newline="")
    except OSError as error:
        raise UsageError(f"--output {output}: cannot write it ({error.strerror})") from None
    try:
        return write(stream)
    finally:
        if output:
            stream.close()


@app.command()
def handle(
    mention: Annotated[str, typer.Argument(help="The mention's id (or its first characters).")],
    config: ConfigOption = DEFAULT_CONFIG,
    ignore: Annotated[bool, typer.Option("--ignore", help="Mark it ignored, not handled.")] = False,
    reopen: Annotated[
        bool, typer.Option("--reopen", help="Put it back in the to-do list.")
    ] = False,
    note: Annotated[str | None, typer.Option(help="A note kept with it.")] = None,
    by: Annotated[
        str | None, typer.Option(help="Who handled it (default: your login name).")
    ] = None,
) -> None:
    """Mark a mention handled (answered) or ignored, so it leaves the to-handle list."""
    from crawler.report.serve import describe_change
    from crawler.store import BY_MAX, NOTE_MAX, change_status

    status = "new" if reopen else "ignored" if ignore else "handled"
    if note is not None and len(note) > NOTE_MAX:
        raise UsageError(f"--note is too long: at most {NOTE_MAX} characters")
    who = by if by is not None else _login_name()
    if len(who) > BY_MAX:
        raise UsageError(f"--by is too long: at most {BY_MAX} characters")
    change = change_status(open_store(load_project(config)), mention, status, note, who)
    if change is None:
        raise UsageError(f"no single mention has an id starting with {mention!r}")
    line = describe_change(change)
    if not change.changed:
        line += f": nothing changed, it was already {change.status}"
    out.print(line, markup=False, highlight=False)


def _login_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
