"""`passaparola demo` writes its own project and never clobbers a real one."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from crawler.config import ConfigError
from crawler.demo import expected
from crawler.demo.run import prepare_folder


def test_the_demo_writes_its_config_into_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "nuova" / "cartella"
    config = prepare_folder(folder, "http://127.0.0.1:8123")
    assert (
        (folder / "passaparola.toml")
        .read_text(encoding="utf-8")
        .startswith("# passaparola demo project")
    )
    assert config.sources[0].url == "http://127.0.0.1:8123/feeds/notizie.rss.xml"
    assert config.database_url == f"sqlite:///{folder.resolve() / 'passaparola.db'}"


def test_a_second_demo_run_starts_from_a_fresh_store(tmp_path: Path) -> None:
    prepare_folder(tmp_path, "http://127.0.0.1:8123")
    for name in ("passaparola.db", "passaparola.db-wal", "passaparola.db-shm", "note.txt"):
        (tmp_path / name).write_text("old")
    config = prepare_folder(tmp_path, "http://127.0.0.1:9000")
    assert config.sources[0].url.startswith("http://127.0.0.1:9000/")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["note.txt", "passaparola.toml"]


def test_a_real_project_is_never_overwritten(tmp_path: Path) -> None:
    real = '[[brands]]\nname = "Acme"\n'
    (tmp_path / "passaparola.toml").write_text(real, encoding="utf-8")
    (tmp_path / "passaparola.db").write_text("precious")
    with pytest.raises(ConfigError, match="not a demo config.*--dir"):
        prepare_folder(tmp_path, "http://127.0.0.1:8123")
    assert (tmp_path / "passaparola.toml").read_text(encoding="utf-8") == real
    assert (tmp_path / "passaparola.db").read_text() == "precious"


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    """One real `passaparola demo` run, shared by the tests that look at what it left."""
    folder = tmp_path_factory.mktemp("demo")
    result = subprocess.run(
        [sys.executable, "-m", "crawler", "demo", "--dir", str(folder)],
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return folder, result


def test_passaparola_demo_stores_what_the_answer_key_expects(demo_run) -> None:
    tmp_path, result = demo_run
    assert "Crawl summary" in result.stdout
    with sqlite3.connect(tmp_path / "passaparola.db") as db:
        counts = dict(
            ((brand, kind), n)
            for brand, kind, n in db.execute(
                "SELECT brand, kind, COUNT(*) FROM mentions GROUP BY brand, kind"
            )
        )
        recent = db.execute(
            "SELECT COUNT(*) FROM mentions WHERE brand = ? AND published IS NOT NULL "
            "AND julianday(fetched_at) - julianday(published) BETWEEN 0 AND 2",
            (expected.ROSSI,),
        ).fetchone()[0]
    assert counts == {key: n for key, n in expected.MENTIONS.items() if n}
    assert recent == len(expected.RECENT_COMPLAINTS)


def test_the_demo_ends_with_an_alert_e_mail_and_a_built_site(demo_run) -> None:
    tmp_path, result = demo_run
    # The burst of complaints about Panificio Rossi reaches the demo's local mail sink once.
    [mail] = sorted((tmp_path / "mail").glob("*.eml"))
    message = message_from_bytes(mail.read_bytes(), policy=policy.default)
    assert expected.ROSSI in message["Subject"]
    assert message["To"] == "marketing@panificio-rossi.example"
    assert {part.get_content_type() for part in message.walk()} >= {"text/plain", "text/html"}
    assert "e-mail received by the demo's mail sink" in result.stdout
    # The site is built, and the user is told how to open it.
    index = tmp_path / "site" / "index.html"
    assert index.is_file() and expected.ROSSI in index.read_text(encoding="utf-8")
    assert index.as_uri() in result.stdout
    assert "passaparola report --serve" in result.stdout
