"""What every `passaparola` command shares: the app, its consoles, the config option and the
helpers that load the project, open its store and read a date given on the command line."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from crawler import DEFAULT_CONFIG_NAME, __version__

if TYPE_CHECKING:  # the config's models (pydantic) load with the first command that reads one
    from crawler.config import Config

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


def parse_moment(value: str) -> datetime:
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


@contextmanager
def collector_paused() -> Iterator[None]:
    """A command's start-up: the garbage collector paused, then what it built frozen.

    A crawl's imports build several hundred thousand objects that live as long as the process;
    the collector's full passes over them while they are imported free nothing and cost ~0.2 s
    of CPU. Frozen afterwards, they are never scanned again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def load_project(path: Path) -> Config:
    from crawler.config import load_config

    return load_config(path)


def open_store(config: Config):
    from crawler.store import open_engine

    return open_engine(config.database_url)


def aware(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.astimezone()
