"""The `passaparola` command: one thin function per stage.

Each command loads the validated config, calls its stage and prints the outcome. User errors are
typed exceptions, turned into one line on stderr and exit status 2 by `main`.
"""

from __future__ import annotations

import contextlib
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from crawler import __version__
from crawler.config import DEFAULT_CONFIG_NAME, Config, ConfigError, load_config
from crawler.console import print_crawl_summary, progress_for_crawl, progress_for_rescore

app = typer.Typer(
    help="passaparola: find what people say about your brand, before it spreads.",
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
out = Console()
err = Console(stderr=True)

ConfigOption = Annotated[
    Path,
    typer.Option("--config", "-c", help="The project's config file.", show_default=True),
]
DEFAULT_CONFIG = Path(DEFAULT_CONFIG_NAME)


class UsageError(Exception):
    """A mistake in how a command was called, reported as one line."""


def _moment(value: str) -> datetime:
    """A `--since` value: an ISO 8601 date or date and time (local time when it has no offset)."""
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date; write it as 2025-03-01 or 2025-03-01T08:00"
        ) from None


def _print_version(wanted: bool) -> None:
    if wanted:
        out.print(f"passaparola {__version__}")
        raise typer.Exit(0)


@app.callback(invoke_without_command=True)
def _main(
    context: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_print_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """passaparola: find what people say about your brand, before it spreads."""
    if context.invoked_subcommand is None:
        raise UsageError("no command given; see `passaparola --help` for the list")


def _config(path: Path) -> Config:
    return load_config(path)


def _engine(config: Config):
    from crawler.store import open_engine

    return open_engine(config.database_url)


@app.command()
def init(
    config: ConfigOption = DEFAULT_CONFIG,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
) -> None:
    """Write a commented starter passaparola.toml (and mkdocs.yml) to edit."""
    from crawler.starter import write_starter

    for written in write_starter(config, force=force):
        out.print(f"wrote {written}")
    out.print(f"Edit {config}, then run: passaparola crawl --config {config}")


@app.command()
def crawl(
    config: ConfigOption = DEFAULT_CONFIG,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Scrapy's log.")] = False,
    crawl_id: Annotated[
        str | None,
        typer.Option(
            "--crawl-id", help="Tag this crawl's runs with this id (a cycle passes its own)."
        ),
    ] = None,
    scrapyd: Annotated[
        list[str] | None,
        typer.Option(
            "--scrapyd",
            metavar="URL",
            help="Crawl on this Scrapyd node (repeatable); overrides [crawl] scrapyd.",
        ),
    ] = None,
) -> None:
    """Crawl every source in the config and store the mentions found."""
    from crawler.crawl import run_crawl
    from crawler.runs import claim_store

    project = _config(config)
    if not project.sources:
        raise UsageError(f"{config}: no [[sources]] to crawl; add one (see README)")
    nodes = [_node_url(url) for url in scrapyd] if scrapyd else project.crawl.scrapyd
    # Before the reactor starts: a store that cannot be opened or written is one line, here.
    engine = _engine(project)
    try:
        claim_store(engine)
        if nodes:
            _crawl_on_nodes(project, config.resolve(), engine, nodes, crawl_id)
            return
    finally:
        engine.dispose()
    with progress_for_crawl(err, project.sources) as on_progress:
        results = run_crawl(
            project,
            on_progress=on_progress,
            log_level="INFO" if verbose else "WARNING",
            crawl_id=crawl_id,
        )
    print_crawl_summary(out, results)
    if any(result.errors or result.status == "failed" for result in results):
        raise typer.Exit(1)


def _node_url(url: str) -> str:
    from crawler.config import http_url

    try:
        return http_url(url)
    except ValueError as error:
        raise UsageError(f"--scrapyd {url!r}: {error}, e.g. http://node1:6800") from None


def _crawl_on_nodes(
    project: Config, config_path: Path, engine, nodes: list[str], crawl_id: str | None
) -> None:
    """`crawl` on Scrapyd nodes: a job per source, waited for; exit 1 if a node or source failed."""
    from crawler.console import progress_for_dispatch
    from crawler.dispatch.jobs import dispatch_crawl
    from crawler.runs import new_crawl_id

    with progress_for_dispatch(err, project.sources) as on_progress:
        outcome = dispatch_crawl(
            project, config_path, engine, nodes, crawl_id=crawl_id or new_crawl_id(),
            on_progress=on_progress,
        )  # fmt: skip
    for problem in outcome.problems:
        err.print(f"[bold red]error:[/] {escape(problem)}", highlight=False, soft_wrap=True)
    print_crawl_summary(out, outcome.results)
    spread = ", ".join(f"{url} {count}" for url, count in outcome.jobs_per_node.items())
    out.print(f"jobs per node: {escape(spread or 'none')}", highlight=False)
    if outcome.stopped:
        raise typer.Exit(130)
    if outcome.problems or any(result.errors for result in outcome.results):
        raise typer.Exit(1)


@app.command()
def score(config: ConfigOption = DEFAULT_CONFIG) -> None:
    """Score stored mentions that have no sentiment yet."""
    _rescore(config, only_missing=True)


@app.command()
def rescore(config: ConfigOption = DEFAULT_CONFIG) -> None:
    """Re-score every stored mention (after an analyzer or threshold change)."""
    _rescore(config, only_missing=False)


def _rescore(config_path: Path, *, only_missing: bool) -> None:
    from crawler.rescore import rescore_mentions

    project = _config(config_path)
    engine = _engine(project)
    with progress_for_rescore(err) as on_progress:
        changed = rescore_mentions(
            engine, project.sentiment, only_missing=only_missing, on_progress=on_progress
        )
    out.print(f"scored {changed.scored} mentions; {changed.relabelled} changed label")


@app.command()
def evaluate(
    file: Annotated[Path, typer.Argument(help="CSV with columns text,label[,lang].")],
    config: ConfigOption = DEFAULT_CONFIG,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write the figures as JSON here.")
    ] = None,
) -> None:
    """Measure the sentiment analyzers on a labeled CSV: accuracy, macro-F1, confusion matrix."""
    import json

    from crawler.config import SentimentConfig
    from crawler.sentiment import Scorer
    from crawler.sentiment.evaluate import evaluate_csv, render, to_json

    thresholds = _config(config).sentiment if config.exists() else SentimentConfig()
    evaluation = evaluate_csv(file, Scorer(thresholds.negative_below, thresholds.positive_above))
    out.print(render(evaluation), highlight=False)
    if json_out:
        json_out.write_text(json.dumps(to_json(evaluation), indent=2), encoding="utf-8")
        out.print(f"wrote {json_out}")


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
        typer.Option(parser=_moment, help="Only mentions published (or first seen) since."),
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

    project = _config(config)
    check_filters(kind, label)
    engine = _engine(project)
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
    rows = iter_mentions(engine, since=_aware(since), label=label, kind=kind, brands=brands)
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
    change = change_status(_engine(_config(config)), mention, status, note, who)
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


@app.command()
def report(
    config: ConfigOption = DEFAULT_CONFIG,
    serve: Annotated[
        bool, typer.Option("--serve", help="Then serve it, like `passaparola serve`.")
    ] = False,
    port: Annotated[int, typer.Option(help="Port for --serve.", min=0, max=65535)] = 8000,
) -> None:
    """Write the report pages to reports/ and build the site into site/ with mkdocs."""
    project = _config(config)
    engine = _engine(project)
    _build_report(project, engine)
    if serve:
        _serve(project, engine, "127.0.0.1", port)


@app.command(name="serve")
def serve_command(
    config: ConfigOption = DEFAULT_CONFIG,
    port: Annotated[
        int, typer.Option(help="Port to listen on (0: any free one).", min=0, max=65535)
    ] = 8000,
    host: Annotated[
        str, typer.Option(help="Address to listen on; other than loopback needs a token.")
    ] = "127.0.0.1",
) -> None:
    """Serve the report with buttons to mark each mention handled, ignored or open again."""
    from crawler.report.serve import access_for

    project = _config(config)
    access_for(host, port, os.environ)  # refuse an open server before building anything
    engine = _engine(project)
    _build_report(project, engine)
    _serve(project, engine, host, port)


def _build_report(project: Config, engine) -> None:
    from crawler.report import build_report

    with err.status("building the report…") as status:
        result = build_report(project, engine, progress=status.update)
    for warning in result.warnings:
        err.print(f"[yellow]mkdocs:[/] {escape(warning)}", highlight=False)
    out.print(escape(result.summary), highlight=False)


def _serve(project: Config, engine, host: str, port: int) -> None:
    from crawler.report.serve import access_for, make_handling_server

    def log(line: str) -> None:
        err.print(line, markup=False, highlight=False, soft_wrap=True)

    server = make_handling_server(project, engine, access_for(host, port, os.environ), log)
    out.print(f"serving on {server.url} (Ctrl+C to stop)", markup=False, highlight=False)
    with server, contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


@app.command()
def alert(
    config: ConfigOption = DEFAULT_CONFIG,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be sent; send and record nothing.")
    ] = False,
    backtest: Annotated[
        bool, typer.Option("--backtest", help="List the alerts the rules would have raised.")
    ] = False,
    since: Annotated[
        datetime | None, typer.Option(parser=_moment, help="Start of the --backtest.")
    ] = None,
    test: Annotated[
        bool,
        typer.Option(
            "--test",
            help="Send one test message to the e-mail and every channel; say which worked.",
        ),
    ] = False,
) -> None:
    """Detect spikes of negative mentions and tell the team (retrying failed sends)."""
    from crawler import alerts
    from crawler.console import print_alert_run, print_backtest, print_probe

    project = _config(config)
    if test:
        from crawler.alerts.probe import send_test

        results = send_test(project, os.environ, datetime.now().astimezone())
        print_probe(out, results)
        if not results or not all(result.ok for result in results):
            raise typer.Exit(1)
        return
    engine = _engine(project)
    if backtest:
        print_backtest(out, alerts.backtest(project, engine, since=_aware(since)))
        return
    result = alerts.run_alerts(project, engine, dry_run=dry_run)
    for warning in result.warnings:
        err.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False, soft_wrap=True)
    print_alert_run(out, result)
    if result.delivery_failed:
        raise typer.Exit(1)


@app.command()
def digest(
    config: ConfigOption = DEFAULT_CONFIG,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the digest; send and record nothing.")
    ] = False,
    since: Annotated[
        datetime | None,
        typer.Option(parser=_moment, help="Start of the digest (default: the last one's end)."),
    ] = None,
) -> None:
    """Send the current period's digest now (once a period: a second run sends nothing)."""
    from crawler.console import print_digest_run
    from crawler.digest import run_digest

    project = _config(config)
    result = run_digest(project, _engine(project), dry_run=dry_run, since=_aware(since))
    print_digest_run(out, result)
    if result.delivery_failed:
        raise typer.Exit(1)


@app.command()
def demo(
    folder: Annotated[
        Path, typer.Option("--dir", help="Folder for the demo's database, reports and site.")
    ] = Path("."),
) -> None:
    """Serve the bundled sample site on 127.0.0.1 and run the whole cycle on it."""
    from crawler.demo.run import run_demo

    run_demo(folder, out=out, err=err)


@app.command()
def run(
    config: ConfigOption = DEFAULT_CONFIG,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Only warnings and errors on stderr.")
    ] = False,
) -> None:
    """Run one cycle (crawl, score, alerts, report) and exit, for cron or systemd timers.

    Exit status: 0 all stages ok, 1 a stage failed, 75 another cycle is running.
    """
    from crawler.schedule.cycle import run_once

    raise typer.Exit(run_once(_config(config), config.resolve(), quiet=quiet))


@app.command()
def schedule(
    config: ConfigOption = DEFAULT_CONFIG,
    next_runs: Annotated[
        int | None,
        typer.Option("--next", min=1, help="Print the next N run times and exit."),
    ] = None,
) -> None:
    """Run the cycle on the config's schedule.cron expression until stopped (SIGTERM, Ctrl-C)."""
    from crawler.schedule.scheduler import next_run_times, run_scheduler

    project = _config(config)
    if next_runs:
        for moment in next_run_times(project.schedule, next_runs):
            out.print(moment.isoformat(), highlight=False)
        return
    raise typer.Exit(run_scheduler(project, config.resolve()))


@app.command()
def version() -> None:
    """Print the version."""
    out.print(f"passaparola {__version__}")


def _aware(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.astimezone()


def _user_errors() -> tuple[type[Exception], ...]:
    """Exceptions that are the user's to fix: shown as one line, not a traceback.

    Imported here, not at the top, so `passaparola --help` does not load every stage.
    """
    from crawler.alerts import AlertConfigError
    from crawler.export import ExportError
    from crawler.report import ReportError
    from crawler.sentiment.evaluate import EvaluationError
    from crawler.store import StoreError

    return (
        ConfigError,
        UsageError,
        StoreError,
        EvaluationError,
        ReportError,
        AlertConfigError,
        ExportError,
    )


def _click_exceptions() -> tuple[type[Exception], ...]:
    """The "called wrongly" exceptions of whichever click typer uses.

    typer ≥ 0.22 bundles its own copy of click (`typer._click`), older typer uses the separate
    `click` package; both are caught so a usage mistake is one line whatever is installed.
    """
    import importlib

    found = []
    for module in ("typer._click.exceptions", "click.exceptions"):
        try:
            found.append(importlib.import_module(module).ClickException)
        except (ImportError, AttributeError):
            continue
    return tuple(found)


def _usage_lines(error: Exception) -> list[str]:
    """A click exception as one line, plus where to find help when click knows the command."""
    lines = [f"error: {' '.join(error.format_message().split())}"]
    context = getattr(error, "ctx", None)
    if context is not None:
        lines.append(f"try `{context.command_path} --help`")
    return lines


def main() -> None:
    """Entry point: run the app; a user error becomes one line on stderr and exit status 2."""
    try:
        code = app(prog_name="passaparola", standalone_mode=False)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except typer.Abort:
        err.print("aborted")
        sys.exit(130)
    except Exception as error:
        if isinstance(error, _click_exceptions()):
            for line in _usage_lines(error):
                err.print(escape(line), highlight=False, soft_wrap=True)
            sys.exit(2)
        if isinstance(error, _user_errors()):
            err.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
            sys.exit(2)
        if isinstance(error, OSError):  # a file or folder the system refuses: the user's to fix
            where = f": {error.filename}" if error.filename else ""
            reason = error.strerror or str(error)
            err.print(f"[bold red]error:[/] {escape(reason + where)}", highlight=False)
            sys.exit(2)
        raise
    sys.exit(code if isinstance(code, int) else 0)
