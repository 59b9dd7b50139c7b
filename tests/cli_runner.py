"""Running the real `passaparola` command in a fresh process, for tests in any folder.

A plain module rather than `conftest.py`: several test folders have a conftest of their own, and
only one module can be imported under the name `conftest`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def installed_command() -> Path:
    """The `passaparola` console script pip installed beside this Python."""
    script = Path(sys.executable).parent / "passaparola"
    assert script.is_file(), f"{script} is missing: install the project (pip install -e .)"
    return script


def run_cli(
    *args: str,
    cwd: Path,
    timeout: float = 240,
    check: bool = True,
    env: dict[str, str] | None = None,
    installed: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run `python -m crawler ARGS` in a fresh process (a Scrapy reactor runs once per process).

    `installed=True` runs the console script itself, as a user types it.
    """
    command = [str(installed_command())] if installed else [sys.executable, "-m", "crawler"]
    result = subprocess.run(
        [*command, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"passaparola {' '.join(args)} exited {result.returncode}\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )
    return result


def write_config(folder: Path, sources: str, *, crawl: str = "", extra: str = "") -> Path:
    """A one-brand project with `sources`, crawling without delay (the sites are local)."""
    path = folder / "passaparola.toml"
    path.write_text(
        '[[brands]]\nname = "Panificio Rossi"\n\n'
        f"{sources}\n"
        '[crawl]\nuser_agent = "passaparola-test (+https://example.org/contact)"\ndelay = 0\n'
        f"{crawl}\n{extra}",
        encoding="utf-8",
    )
    return path


def read_store(folder: Path) -> tuple[list[dict], list[Any]]:
    """What a crawl in `folder` stored: its mentions, and its runs in the order they started."""
    from sqlalchemy import select

    from crawler.store import crawl_runs, iter_mentions, open_engine

    engine = open_engine(f"sqlite:///{folder / 'passaparola.db'}")
    with engine.connect() as conn:
        runs = conn.execute(select(crawl_runs).order_by(crawl_runs.c.id)).all()
    mentions = list(iter_mentions(engine))
    engine.dispose()
    return mentions, runs
