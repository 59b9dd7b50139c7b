"""`demo`, `run`, `schedule` and `version`: the whole cycle, once or on a schedule."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from crawler import __version__
from crawler.cli.base import (
    DEFAULT_CONFIG,
    ConfigOption,
    app,
    err,
    load_project,
    out,
)


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

    raise typer.Exit(run_once(load_project(config), config.resolve(), quiet=quiet))


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

    project = load_project(config)
    if next_runs:
        for moment in next_run_times(project.schedule, next_runs):
            out.print(moment.isoformat(), highlight=False)
        return
    raise typer.Exit(run_scheduler(project, config.resolve()))


@app.command()
def version() -> None:
    """Print the version."""
    out.print(f"passaparola {__version__}")
