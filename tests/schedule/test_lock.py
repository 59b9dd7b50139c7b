"""Never two cycles at once on one project; a lock left by a killed cycle is taken over."""

from __future__ import annotations

import hashlib
import signal
from pathlib import Path

import pytest

from crawler.config import load_config
from crawler.schedule.files import lock_file, log_file
from crawler.schedule.lock import CycleLock, CycleLocked
from crawler.store import open_engine

from .conftest import hold_lock, log_text, passaparola, quiet_project


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of the folder but the log, with a hash of its bytes."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.iterdir())
        if path.is_file() and not path.name.startswith("passaparola.log")
    }


def test_the_lock_and_log_live_next_to_the_store(tmp_path: Path) -> None:
    config = load_config(quiet_project(tmp_path / "project"))
    assert lock_file(config) == (tmp_path / "project" / "passaparola.db.lock").resolve()
    assert log_file(config) == (tmp_path / "project" / "passaparola.log").resolve()


def test_a_second_holder_is_refused_and_told_who_holds_it(tmp_path: Path) -> None:
    path = tmp_path / "passaparola.db.lock"
    holder = hold_lock(path)
    try:
        with pytest.raises(CycleLocked, match="another cycle \\(PID \\d+, `test lock holder`"):
            CycleLock(path).acquire()
    finally:
        holder.communicate("")
    with CycleLock(path) as lock:
        assert lock.stale is None  # released properly: nothing stale to report
        assert path.read_text().startswith("pid ")
    assert not path.exists()


def test_run_while_a_cycle_holds_the_lock_exits_at_once_without_touching_the_store(
    tmp_path: Path,
) -> None:
    config_path = quiet_project(tmp_path)
    open_engine(load_config(config_path).database_url).dispose()
    before = snapshot(tmp_path)
    holder = hold_lock(tmp_path / "passaparola.db.lock")
    try:
        run = passaparola("run", cwd=tmp_path)
        out, err = run.communicate(timeout=60)
    finally:
        holder.communicate("")
    assert run.returncode == 75, out + err
    assert "is still running on this project" in err
    assert "not starting a second one" in err
    assert snapshot(tmp_path) == before
    assert "report" not in {path.name for path in tmp_path.iterdir()}


def test_a_lock_left_by_a_killed_cycle_is_taken_over(tmp_path: Path) -> None:
    config_path = quiet_project(tmp_path)
    lock_path = tmp_path / "passaparola.db.lock"
    holder = hold_lock(lock_path)
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    assert lock_path.exists()  # the killed cycle could not clean up
    run = passaparola("run", "--quiet", "--config", str(config_path), cwd=tmp_path.parent)
    out, err = run.communicate(timeout=240)
    assert run.returncode == 0, out + err
    # --quiet (for cron, which mails any output): only the warning reaches stderr.
    [warning] = err.splitlines()
    assert f"took over the lock of a cycle that did not finish (PID {holder.pid}" in warning
    assert "cycle finished" in log_text(tmp_path)  # the log file has the whole story
    assert (tmp_path / "site" / "index.html").is_file()
    assert not lock_path.exists()


def test_a_lock_file_with_a_dead_pid_but_still_locked_is_respected(tmp_path: Path) -> None:
    """A crawl outliving its killed cycle inherits the lock: the next cycle must wait for it."""
    path = tmp_path / "passaparola.db.lock"
    holder = hold_lock(path)
    try:
        path.write_text("pid 999999999\nstarted 2025-01-01T00:00:00+01:00\ncommand gone\n")
        with pytest.raises(CycleLocked, match="the crawl of a cycle that was stopped"):
            CycleLock(path).acquire()
    finally:
        holder.communicate("")
