"""SIGTERM and Ctrl-C as a request to stop between stages, never in the middle of one.

A Python signal handler runs between two bytecodes of the main thread, wherever it is; taking a
lock there can deadlock. So the handler only records the signal and writes a byte to a pipe; a
watcher thread wakes on that byte and does the rest in ordinary thread context: it ends the
running crawl subprocess (SIGTERM: Scrapy closes its spiders and stores what it has) and tells
the scheduler to stop. The cycle checks `requested` before each stage. A second signal means
"now": the process exits at once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

from crawler.schedule.logs import get_logger

SIGNALS = (signal.SIGTERM, signal.SIGINT)


class StopRequest:
    """Shared by the cycle and whoever installed the signal handlers."""

    def __init__(self) -> None:
        self.signal: int | None = None
        self._child: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    @property
    def requested(self) -> bool:
        return self.signal is not None

    @property
    def exit_status(self) -> int:
        """The shell's convention for a process ended by a signal: 128 + its number."""
        return 128 + (self.signal or 0)

    def request(self, signum: int = signal.SIGTERM) -> None:
        """Ask to stop (from a thread, not a signal handler); ends the running crawl."""
        if self.signal is None:
            self.signal = signum
        with self._lock:
            child = self._child
        if child is not None and child.poll() is None:
            child.terminate()

    @contextmanager
    def child(self, process: subprocess.Popen[bytes]) -> Iterator[None]:
        """While the block runs, a stop request terminates `process`."""
        with self._lock:
            self._child = process
        if self.requested and process.poll() is None:
            process.terminate()
        try:
            yield
        finally:
            with self._lock:
                self._child = None

    @contextmanager
    def on_signals(self, then: Callable[[], None] | None = None) -> Iterator[None]:
        """Turn SIGTERM/SIGINT into `request()` (and `then()`, e.g. stop the scheduler)."""
        read_end, write_end = os.pipe()

        def handler(signum: int, frame: FrameType | None) -> None:
            if self.signal is not None:
                os.write(2, b"\nsecond signal: stopping now\n")
                os._exit(128 + signum)
            self.signal = signum
            os.write(write_end, b"s")

        def watch() -> None:
            while os.read(read_end, 1) == b"s":
                signum = self.signal or signal.SIGTERM
                get_logger().warning(
                    f"{signal.Signals(signum).name}: stopping after the running stage "
                    "(a crawl is ended now, a report is finished); signal again to stop at once"
                )
                self.request(signum)
                if then is not None:
                    then()

        watcher = threading.Thread(target=watch, name="passaparola-stop", daemon=True)
        watcher.start()
        previous = {signum: signal.signal(signum, handler) for signum in SIGNALS}
        try:
            yield
        finally:
            for signum, old in previous.items():
                signal.signal(signum, old)
            os.write(write_end, b"q")
            watcher.join(timeout=5)
            os.close(read_end)
            os.close(write_end)
