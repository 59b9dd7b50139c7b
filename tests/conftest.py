"""Shared fixtures: local servers on 127.0.0.1 and running the real `passaparola` command."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hard_site import HardSite

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def run_cli(
    *args: str,
    cwd: Path,
    timeout: float = 240,
    check: bool = True,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `python -m crawler ARGS` in a fresh process (a Scrapy reactor runs once per process)."""
    result = subprocess.run(
        [sys.executable, "-m", "crawler", *args],
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


@pytest.fixture(scope="session")
def hard_site() -> Iterator[HardSite]:
    with HardSite() as site:
        yield site


@pytest.fixture(scope="session")
def demo_site() -> Iterator[object]:
    from crawler.demo.server import DemoSite

    with DemoSite() as site:
        yield site
