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
from crawler.failures import run_note


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


@contextmanager
def progress_for_dispatch(
    console: Console, sources: Sequence[SourceConfig]
) -> Iterator[Callable[[int, str, str, int, int], None]]:
    """A live line per source crawled on a Scrapyd node: its node, its job's state, and the
    pages and new mentions its run recorded; yields the callback to feed it."""
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.fields[state]}"),
        TextColumn("[cyan]{task.fields[node]}[/]"),
        TextColumn("[cyan]{task.fields[pages]}[/] pages"),
        TextColumn("[green]{task.fields[new]}[/] new"),
        TimeElapsedColumn(),
        console=console,
        disable=not console.is_terminal,
    )
    tasks = [
        progress.add_task(
            f"{source.kind:8} {escape(source.url)}", total=None, state="", node="", pages=0, new=0
        )
        for source in sources
    ]

    def on_progress(index: int, state: str, node: str, pages: int, new: int) -> None:
        shown = "[red]failed[/]" if state == "failed" else state
        progress.update(tasks[index], state=shown, node=escape(node), pages=pages, new=new)
        if state in ("finished", "failed"):
            progress.update(tasks[index], total=1, completed=1)

    with progress:
        yield on_progress


def print_crawl_summary(console: Console, results: Sequence[Any]) -> None:
    table = Table(title="Crawl summary", title_justify="left")
    # Folded, never cut: on a narrow terminal "http://127.…" would not say which source it is.
    table.add_column("source", overflow="fold")
    table.add_column("kind")
    counts = ("pages", "new", "updated", "errors", "refused")
    for name in counts:
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
            str(result.refused) if not result.refused else f"[yellow]{result.refused}[/]",
            status,
        )
    if len(results) > 1:
        table.add_section()
        table.add_row("total", "", *(str(sum(getattr(r, f) for r in results)) for f in counts), "")
    console.print(table)
    for result in results:
        note = run_note(
            result.kind,
            pages=result.pages,
            found=getattr(result, "found", None),
            errors=result.errors,
            status=result.status,
            last_error=getattr(result, "last_error", None),
            lang="en",
        )
        if note:
            console.print(f"[yellow]![/] {escape(result.url)}: {escape(note)}", soft_wrap=True)


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
    """Show an alert run: the e-mails a dry run would send, or what was raised and delivered.

    `run` is a `crawler.alerts.AlertRun`. Messages are printed without rich markup: their text
    comes from scraped pages.
    """
    for message in run.messages:
        console.rule("would send" if run.dry_run else "alert")
        console.print(str(message), markup=False, highlight=False, soft_wrap=True)
    for chat in run.chat:
        console.rule(f"would post to {run.channel_count} chat channel(s)")
        console.print(chat.body("text"), markup=False, highlight=False, soft_wrap=True)
    if run.raised and not run.dry_run:
        table = Table(title="New alerts", title_justify="left")
        for name in ("brand", "kind", "window", "negative", "usual", "state"):
            table.add_column(name, justify="right" if name in ("negative", "usual") else "left")
        for alert in run.raised:
            table.add_row(
                escape(alert.brand),
                _alert_kind(alert.kind, alert.stage),
                escape(run.window_of(alert)),
                str(alert.count),
                _usual(alert.baseline),
                escape(alert.state),
            )
        console.print(table)
    console.print(run.summary(), markup=False, highlight=False, soft_wrap=True)


def print_probe(console: Console, results: Sequence[Any]) -> None:
    """`alert --test`: one line per target (`crawler.alerts.probe.ProbeResult`)."""
    if not results:
        console.print("nothing to test: set [alerts] to and/or [alerts] notify", markup=False)
    for result in results:
        mark = "ok    " if result.ok else "FAILED"
        line = f"{mark} {result.target}: {result.detail}"
        console.print(line, markup=False, highlight=False, soft_wrap=True)


def print_digest_run(console: Console, run: Any) -> None:
    """A digest run (`crawler.digest.DigestRun`): the digest on a dry run, then what happened."""
    if run.dry_run and run.message is not None:
        console.rule("would send")
        console.print(f"Subject: {run.message.subject}\n", markup=False, highlight=False)
        console.print(run.message.text, markup=False, highlight=False, soft_wrap=True)
        console.rule("chat message")
        console.print(run.message.short.body("text"), markup=False, highlight=False, soft_wrap=True)
    console.print(run.summary(), markup=False, highlight=False, soft_wrap=True)


def print_backtest(console: Console, alerts: Sequence[Any]) -> None:
    """List a backtest (`crawler.alerts.BacktestAlert`s): when each alert would have gone out."""
    if not alerts:
        console.print("no alert would have been raised")
        return
    table = Table(title="Alerts the current rules would have raised", title_justify="left")
    for name, justify in (
        ("window", "left"),
        ("brand", "left"),
        ("kind", "left"),
        ("negative", "right"),
        ("usual", "right"),
        ("chance", "right"),
        ("raised", "left"),
        ("episode ended", "left"),
    ):
        table.add_column(name, justify=justify)
    for alert in alerts:
        table.add_row(
            escape(alert.window),
            escape(alert.brand),
            _alert_kind(alert.kind, alert.stage),
            str(alert.count),
            _usual(alert.baseline),
            _chance(alert.p_value),
            "in the window" if alert.delay == 0 else f"{alert.delay} window(s) later",
            escape(alert.ended or ("" if alert.kind == "instant" else "still open")),
        )
    console.print(table)
    spikes = sum(1 for alert in alerts if alert.kind == "spike" and alert.stage == 0)
    console.print(f"{len(alerts)} alert(s), {spikes} spike episode(s)")


def _alert_kind(kind: str, stage: int) -> str:
    """A spike's first alert is "spike"; each further alert of a growing one, "spike, growth #n"."""
    return f"{escape(kind)}, growth #{stage}" if kind == "spike" and stage else escape(kind)


def _usual(baseline: float | None) -> str:
    return "" if baseline is None else f"{baseline:.1f}"


def _chance(p_value: float | None) -> str:
    """A tail probability as odds a person reads: 1 in 2,000."""
    if p_value is None:
        return ""
    if p_value < 1e-6:
        return "< 1 in 1,000,000"
    return f"1 in {round(1 / p_value):,}"
