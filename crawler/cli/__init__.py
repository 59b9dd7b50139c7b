"""The `passaparola` command: one thin function per stage.

Each command loads the validated config, calls its stage and prints the outcome. User errors are
typed exceptions, turned into one line on stderr and exit status 2 by `main`. The commands live
by what they work on (crawling, mentions, reporting, running); importing them registers them on
`app`, in the order `passaparola --help` lists them.
"""

from __future__ import annotations

import sys

import typer
from rich.markup import escape

from crawler.cli import crawling, mentions, reporting, running  # noqa: F401  (registers commands)
from crawler.cli.base import UsageError, app, err

__all__ = ["app", "main"]


def _user_errors() -> tuple[type[Exception], ...]:
    """Exceptions that are the user's to fix: shown as one line, not a traceback.

    Imported here, not at the top, so `passaparola --help` does not load every stage.
    """
    from crawler.alerts import AlertConfigError
    from crawler.config import ConfigError
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
