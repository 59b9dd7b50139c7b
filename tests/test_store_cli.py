"""A store or folder that cannot be used is one clear line and exit status 2, for every command.

Real processes throughout: the installed command, a damaged file, a second process holding the
SQLite write lock, folders the system refuses to write.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from cli_runner import run_cli, write_config

from crawler.config import load_config
from crawler.items import Mention
from crawler.store import mention_id, open_engine, upsert_mentions

# Nothing listens there; no test here gets as far as fetching it.
SOURCE = '[[sources]]\nkind = "feed"\nurl = "http://127.0.0.1:9/feed.xml"\n'
WAIT = 0.5  # seconds a write waits for the lock: the tests wait this long, not the default 30
STORE = f'[storage]\nurl = "sqlite:///passaparola.db?timeout={WAIT}"\n'
MENTION = Mention(
    brand="Panificio Rossi",
    kind="comment",
    url="https://b.example/post#comment-1",
    text="Il Panificio Rossi mi ha dato il resto sbagliato.",
)
MENTION_ID = mention_id(MENTION.url, MENTION.brand)

COMMANDS = [
    ("crawl",),
    ("score",),
    ("rescore",),
    ("report",),
    ("alert",),
    ("handle", MENTION_ID),
    ("export",),
    ("run",),
    ("schedule",),
]


def project(folder: Path) -> Path:
    config = write_config(folder, SOURCE, extra=STORE)
    engine = open_engine(load_config(config).database_url)
    upsert_mentions(engine, [MENTION])
    engine.dispose()
    return folder / "passaparola.db"


def one_error_line(result: subprocess.CompletedProcess[str], says: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert says in lines[0] and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command[0])
def test_a_damaged_store_is_one_line_and_status_2(tmp_path, command):
    store = project(tmp_path)
    for leftover in tmp_path.glob("passaparola.db-*"):
        leftover.unlink()
    store.write_bytes(b"these bytes were a database once " * 200)
    result = run_cli(*command, cwd=tmp_path, check=False, installed=True, timeout=60)
    one_error_line(result, f"the store {store} is damaged or not a passaparola database")


@pytest.fixture
def locked_store(tmp_path) -> Iterator[Path]:
    """The project's store, its write lock held by another process until the test ends."""
    store = project(tmp_path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            f"db = sqlite3.connect({str(store)!r})\n"
            "db.execute('BEGIN IMMEDIATE')\n"
            "print('locked', flush=True)\n"
            "sys.stdin.read()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    yield store
    holder.stdin.close()
    holder.wait(timeout=30)


WRITERS = [command for command in COMMANDS if command[0] not in ("report", "export")]


@pytest.mark.parametrize("command", WRITERS, ids=lambda command: command[0])
def test_a_store_locked_past_its_timeout_is_one_line_and_status_2(locked_store, tmp_path, command):
    result = run_cli(*command, cwd=tmp_path, check=False, installed=True, timeout=60)
    one_error_line(result, f"the store {locked_store} is locked by another process")
    assert f"waited {WAIT:g} s" in result.stderr


def test_readers_still_read_a_store_another_process_is_writing(locked_store, tmp_path):
    exported = run_cli("export", cwd=tmp_path, installed=True, timeout=60)
    assert MENTION_ID in exported.stdout
    built = run_cli("report", cwd=tmp_path, installed=True, timeout=120)
    assert (tmp_path / "site" / "index.html").is_file() and "1 mentions" in built.stdout


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """`folder` made unwritable: by its mode, or for root (whom modes do not stop) immutable."""
    folder.mkdir(exist_ok=True)
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(folder)]).returncode:
        pytest.skip("running as root on a file system without chattr +i: cannot refuse writes")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


@pytest.mark.parametrize("folder", ["reports", "site"])
@pytest.mark.parametrize("command", ["report", "run"])
def test_an_unwritable_report_folder_is_one_line_and_status_2(tmp_path, folder, command):
    project(tmp_path)
    with read_only(tmp_path / folder):
        result = run_cli(command, cwd=tmp_path, check=False, installed=True, timeout=120)
    one_error_line(result, f"cannot write the report into {tmp_path / folder}")
    assert not (tmp_path / "site" / "index.html").exists()


def test_an_unwritable_export_file_is_one_line_and_status_2(tmp_path):
    project(tmp_path)
    with read_only(tmp_path / "out"):
        result = run_cli(
            "export", "--output", str(tmp_path / "out" / "x.csv"), cwd=tmp_path, check=False
        )
    one_error_line(result, f"--output {tmp_path / 'out' / 'x.csv'}: cannot write it")
