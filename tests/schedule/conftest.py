"""Real parts for the schedule: the demo site, an aiosmtpd inbox, projects that point at them."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from crawler.demo.config import demo_config
from crawler.demo.server import DemoSite

LOCK_HOLDER = """
import sys
from pathlib import Path
from crawler.schedule.lock import CycleLock
lock = CycleLock(Path(sys.argv[1]), command="test lock holder")
lock.acquire()
print("held", flush=True)
sys.stdin.read()
lock.release()
"""


class Inbox:
    """An aiosmtpd handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.received: list[bytes] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.received.append(envelope.content)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        with self.lock:
            return [message_from_bytes(raw, policy=policy.default) for raw in self.received]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture()
def site() -> Iterator[DemoSite]:
    """A demo site of the test's own: tests add pages to it between cycles."""
    with DemoSite() as served:
        yield served


def write_project(
    folder: Path,
    site_url: str,
    *,
    smtp_port: int | None = None,
    extra: str = "",
) -> Path:
    """The demo project (every kind of source) plus `extra` TOML; returns the config path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "passaparola.toml"
    path.write_text(demo_config(site_url, smtp_port=smtp_port) + "\n" + extra, encoding="utf-8")
    return path


def quiet_project(folder: Path) -> Path:
    """A project without sources or recipients: a cycle is quick (only score and report)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "passaparola.toml"
    path.write_text('[[brands]]\nname = "Panificio Rossi"\n', encoding="utf-8")
    return path


def passaparola(*args: str, cwd: Path, **kwargs: Any) -> subprocess.Popen[str]:
    """Start the real command in its own process."""
    return subprocess.Popen(
        [sys.executable, "-m", "crawler", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        **kwargs,
    )


def wait_until(check: Callable[[], Any], *, timeout: float, what: str) -> Any:
    """Poll `check` until it returns something truthy; fail saying what never happened."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.1)


def log_text(folder: Path) -> str:
    path = folder / "passaparola.log"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def finished_cycles(folder: Path) -> int:
    return len(re.findall(r"cycle \d+ finished", log_text(folder)))


def hold_lock(path: Path) -> subprocess.Popen[str]:
    """Another process holding the project's cycle lock until its stdin closes."""
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "held"
    return holder
