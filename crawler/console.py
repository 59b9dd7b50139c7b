"""What the CLI shows while stages run and after: progress bars and summary tables (rich)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from crawler.config import SourceConfig


@contextmanager
def progress_for_crawl(
    console: Console, sources: Sequence[SourceConfig]
) -> Iterator[Callable[[int, str, int, int], None]]:
    """A live line per source (pages fetched, mentions found); yields the callback to feed it."""
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("[cyan]{task.fields[pages]}[/] pages"),
        TextColumn("[green]{task.fields[mentions]}[/] mentions"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
        disable=not console.is_terminal,
    )
    tasks = [
        progress.add_task(f"{source.kind:8} {escape(source.url)}", total=None, pages=0, mentions=0)
        for source in sources
    ]

    def on_progress(index: int, event: str, pages: int, mentions: int) -> None:
        progress.update(tasks[index], pages=pages, mentions=mentions)
        if event == "closed":
            progress.update(tasks[index], total=1, completed=1)

    with progress:
        yield on_progress


def print_crawl_summary(console: Console, results: Sequence[Any]) -> None:
    table = Table(title="Crawl summary", title_justify="left")
    table.add_column("source")
    table.add_column("kind")
    for name in ("pages", "new", "updated", "errors"):
        table.add_column(name, justify="right")
    table.add_column("status")
    for result in results:
        status = "[red]failed[/]" if result.status == "failed" else escape(result.status)
        table.add_row(
            escape(result.url),
            result.kind,
            str(result.pages),
            str(result.new),
            str(result.updated),
            str(result.errors) if not result.errors else f"[red]{result.errors}[/]",
            status,
        )
    if len(results) > 1:
        table.add_section()
        table.add_row(
            "total",
            "",
            *(
                str(sum(getattr(r, f) for r in results))
                for f in ("pages", "new", "updated", "errors")
            ),
            "",
        )
    console.print(table)


@contextmanager
def progress_for_rescore(console: Console) -> Iterator[Callable[[int, int], None]]:
    progress = Progress(
        TextColumn("scoring"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        disable=not console.is_terminal,
    )
    task = progress.add_task("scoring", total=None)

    def on_progress(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    with progress:
        yield on_progress


def print_alert_run(console: Console, run: Any) -> None:
    """Show what an alert run raised and delivered (or, on a dry run, would send)."""
    for message in getattr(run, "messages", []) or []:
        console.rule("would send" if getattr(run, "dry_run", False) else "alert")
        console.print(str(message), markup=False, highlight=False)
    console.print(escape(run.summary() if hasattr(run, "summary") else str(run)))


def print_backtest(console: Console, alerts: Sequence[Any]) -> None:
    table = Table(title="Alerts the current rules would have raised", title_justify="left")
    for column in ("when", "brand", "kind", "negative", "usual"):
        table.add_column(column)
    for alert in alerts:
        table.add_row(*(escape(str(v)) for v in _backtest_row(alert)))
    console.print(table if alerts else "no alert would have been raised")


def _backtest_row(alert: Any) -> tuple[Any, ...]:
    baseline = getattr(alert, "baseline", None)
    return (
        getattr(alert, "window_end", None) or getattr(alert, "when", ""),
        alert.brand,
        getattr(alert, "kind", "spike"),
        getattr(alert, "count", ""),
        f"{baseline:.1f}" if isinstance(baseline, float) else baseline or "",
    )
