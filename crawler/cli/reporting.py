"""`report`, `serve`, `alert` and `digest`: what the team reads and receives."""

from __future__ import annotations

import contextlib
import os
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from crawler.cli.base import (
    DEFAULT_CONFIG,
    ConfigOption,
    app,
    aware,
    err,
    load_project,
    open_store,
    out,
    parse_moment,
)

if TYPE_CHECKING:
    from crawler.config import Config


@app.command()
def report(
    config: ConfigOption = DEFAULT_CONFIG,
    serve: Annotated[
        bool, typer.Option("--serve", help="Then serve it, like `passaparola serve`.")
    ] = False,
    port: Annotated[int, typer.Option(help="Port for --serve.", min=0, max=65535)] = 8000,
) -> None:
    """Write the report pages to reports/ and build the site into site/ with mkdocs."""
    project = load_project(config)
    engine = open_store(project)
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

    project = load_project(config)
    access_for(host, port, os.environ)  # refuse an open server before building anything
    engine = open_store(project)
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
        datetime | None, typer.Option(parser=parse_moment, help="Start of the --backtest.")
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

    project = load_project(config)
    if test:
        from crawler.alerts.probe import send_test

        results = send_test(project, os.environ, datetime.now().astimezone())
        print_probe(out, results)
        if not results or not all(result.ok for result in results):
            raise typer.Exit(1)
        return
    engine = open_store(project)
    if backtest:
        print_backtest(out, alerts.backtest(project, engine, since=aware(since)))
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
        typer.Option(
            parser=parse_moment, help="Start of the digest (default: the last one's end)."
        ),
    ] = None,
) -> None:
    """Send the current period's digest now (once a period: a second run sends nothing)."""
    from crawler.console import print_digest_run
    from crawler.digest import run_digest

    project = load_project(config)
    result = run_digest(project, open_store(project), dry_run=dry_run, since=aware(since))
    print_digest_run(out, result)
    if result.delivery_failed:
        raise typer.Exit(1)
