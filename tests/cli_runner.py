"""Running the real `passaparola` command in a fresh process, for tests in any folder.

A plain module rather than `conftest.py`: several test folders have a conftest of their own, and
only one module can be imported under the name `conftest`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
