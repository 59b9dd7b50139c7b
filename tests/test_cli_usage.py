"""Usage mistakes with the installed `passaparola` command: one line (and a hint), exit status 2.

These run the console script pip installed, with whatever click the installed typer brings
(typer ≥ 0.22 bundles its own), because that is where an uncaught usage error once became a
50-line traceback.
"""

from __future__ import annotations

import pytest
from cli_runner import run_cli

from crawler import __version__


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ((), "no command given"),
        (("handle",), "Missing argument"),
        (("crawl", "--nope"), "No such option: --nope"),
        (("export", "--since", "ieri"), "'ieri' is not a date"),
        (("alert", "--backtest", "--since", "domani"), "'domani' is not a date"),
        (("schedule", "--next", "0"), "--next"),
        (("frobnicate",), "No such command"),
        (("report", "--port", "many"), "--port"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else None,
)
def test_a_usage_mistake_is_one_line_and_status_2(tmp_path, args, says):
    result = run_cli(*args, cwd=tmp_path, check=False, installed=True)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert says in lines[0] and lines[0].startswith("error:")
    assert len(lines) <= 2 and all("--help" in line for line in lines[1:])
    assert "Traceback" not in result.stderr and result.stdout == ""


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_flag_prints_the_version(tmp_path, flag):
    result = run_cli(flag, cwd=tmp_path, installed=True)
    assert result.stdout.strip() == f"passaparola {__version__}" and result.stderr == ""


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_short_and_long_help_show_the_commands(tmp_path, flag):
    result = run_cli(flag, cwd=tmp_path, installed=True)
    assert "Usage: passaparola" in result.stdout and "crawl" in result.stdout
    sub = run_cli("handle", flag, cwd=tmp_path, installed=True)
    assert "Usage: passaparola handle" in sub.stdout and "--ignore" in sub.stdout
