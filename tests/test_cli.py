"""The command line: user errors are one clear line and exit status 2, never a traceback."""

from __future__ import annotations

import pytest
from cli_runner import run_cli


def test_help_lists_the_commands(tmp_path):
    result = run_cli("--help", cwd=tmp_path)
    for command in ("init", "crawl", "report", "alert", "demo", "export", "handle"):
        assert command in result.stdout
    assert "Usage: passaparola" in result.stdout


def test_init_writes_a_config_that_crawl_accepts(tmp_path):
    run_cli("init", cwd=tmp_path)
    assert (tmp_path / "passaparola.toml").is_file() and (tmp_path / "mkdocs.yml").is_file()
    again = run_cli("init", cwd=tmp_path, check=False)
    assert again.returncode == 2 and "--force" in again.stderr
    run_cli("init", "--force", cwd=tmp_path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[brands]]\nname = 'Rossi'\n[crawl]\ndelay = -1\n", "crawl.delay"),
        ("[[brands]]\nname = 'Rossi'\n[crawl]\ndelai = 1\n", "crawl.delai: unknown key"),
        ("[[brands]\nname = 'Rossi'\n", "not valid TOML"),
        ("[site]\ntitle = 'x'\n", "brands: required"),
    ],
)
def test_a_broken_config_is_refused_in_one_line_before_anything_runs(tmp_path, text, expected):
    (tmp_path / "passaparola.toml").write_text(text, encoding="utf-8")
    result = run_cli("crawl", cwd=tmp_path, check=False)
    assert result.returncode == 2
    assert expected in result.stderr and "passaparola.toml" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "passaparola.db").exists()


def test_a_missing_config_says_how_to_make_one(tmp_path):
    result = run_cli("report", cwd=tmp_path, check=False)
    assert result.returncode == 2 and "passaparola init" in result.stderr


def test_handle_an_unknown_mention_is_a_clear_error(tmp_path):
    run_cli("init", cwd=tmp_path)
    result = run_cli("handle", "ffff", cwd=tmp_path, check=False)
    assert result.returncode == 2 and "no single mention" in result.stderr
