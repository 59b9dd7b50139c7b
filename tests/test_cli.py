"""The command line: user errors are one clear line and exit status 2, never a traceback."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request

import pytest
from cli_runner import run_cli
from sqlalchemy import select

from crawler.config import load_config
from crawler.items import Mention
from crawler.store import iter_mentions, mentions, open_engine, upsert_mentions


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


def test_evaluate_prints_the_figures_and_writes_them_as_json(tmp_path):
    (tmp_path / "labeled.csv").write_text(
        "text,label\n"
        '"Servizio pessimo, non comprerò mai più",negative\n'
        '"Pane buonissimo, personale gentile",positive\n'
        "Terrible service and stale bread,1\n"
        "Lovely staff and great coffee,5\n",
        encoding="utf-8",
    )
    result = run_cli("evaluate", "labeled.csv", "--json", "figures.json", cwd=tmp_path)
    assert "macro" in result.stdout.lower() and "it" in result.stdout and "en" in result.stdout
    figures = json.loads((tmp_path / "figures.json").read_text(encoding="utf-8"))
    assert {lang: figures["languages"][lang]["rows"] for lang in ("it", "en")} == {"it": 2, "en": 2}


def test_handle_marks_a_mention_and_reopen_puts_it_back(tmp_path):
    run_cli("init", cwd=tmp_path)
    config = load_config(tmp_path / "passaparola.toml")
    engine = open_engine(config.database_url)
    upsert_mentions(
        engine,
        [
            Mention(
                brand="Panificio Rossi",
                kind="comment",
                url="https://b.example/p#c1",
                text="Resto sbagliato e nessuno si è scusato.",
            )
        ],
    )
    mention = next(iter_mentions(engine))["id"]

    result = run_cli("handle", mention[:8], "--note", "richiamato il cliente", cwd=tmp_path)
    assert "handled" in result.stdout
    with engine.connect() as conn:
        row = conn.execute(select(mentions).where(mentions.c.id == mention)).one()
    assert (row.status, row.note) == ("handled", "richiamato il cliente")
    assert row.handled_at is not None

    run_cli("handle", mention, "--ignore", cwd=tmp_path)
    assert next(iter_mentions(engine))["status"] == "ignored"
    run_cli("handle", mention, "--reopen", cwd=tmp_path)
    assert next(iter_mentions(engine))["status"] == "new"


def test_report_builds_the_site_and_serve_shows_it_on_loopback(tmp_path):
    run_cli("init", cwd=tmp_path)
    result = run_cli("report", cwd=tmp_path)
    assert (tmp_path / "site" / "index.html").is_file() and "index.html" in result.stdout
    server = subprocess.Popen(
        [sys.executable, "-m", "crawler", "report", "--serve", "--port", "0"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    try:
        lines = iter(server.stdout.readline, "")
        url = next(
            line.split("serving on ", 1)[1].split()[0] for line in lines if "serving on" in line
        )
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url + "index.html", timeout=10) as page:
            assert "passaparola" in page.read().decode("utf-8")
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    assert server.returncode == 0
