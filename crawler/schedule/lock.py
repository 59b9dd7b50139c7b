"""One cycle at a time per project: an exclusive lock on a file next to the store.

The lock is `flock(2)` on the file, so the kernel releases it when its holder dies however it
dies (kill -9, power loss, OOM): a lock file left behind by a killed cycle is "stale" exactly
when nobody holds the lock, with no guessing from PIDs (which get reused). The file also says who
holds it, for the message a second `passaparola run` prints. A crawl subprocess inherits the
lock, so a crawl outliving its killed parent still keeps the next cycle out until it ends.
POSIX only (Linux, macOS, the BSDs).
"""

from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType

from crawler.process import is_running


@dataclass(frozen=True, slots=True)
class LockHolder:
    """What a lock file says about the cycle that wrote it."""

    pid: int | None
    started: str
    command: str

    @classmethod
    def parse(cls, text: str) -> LockHolder | None:
        fields = dict(line.partition(" ")[::2] for line in text.splitlines() if line.strip())
        if not fields:
            return None
        pid = fields.get("pid", "")
        return cls(
            pid=int(pid) if pid.isdigit() else None,
            started=fields.get("started", "?"),
            command=fields.get("command", "?"),
        )

    def text(self) -> str:
        return f"pid {self.pid}\nstarted {self.started}\ncommand {self.command}\n"

    def alive(self) -> bool:
        return self.pid is not None and is_running(self.pid)

    def describe(self) -> str:
        return f"PID {self.pid}, `{self.command}`, started {self.started}"


class CycleLocked(Exception):
    """Another cycle holds the lock; the message is one line for the terminal."""

    def __init__(self, path: Path, holder: LockHolder | None) -> None:
        self.path = path
        self.holder = holder
        if holder is None:
            who = "another cycle"
        elif holder.alive():
            who = f"another cycle ({holder.describe()})"
        else:  # the holder died, its crawl subprocess still runs and holds the lock
            who = f"the crawl of a cycle that was stopped ({holder.describe()})"
        super().__init__(
            f"{who} is still running on this project (lock {path}); not starting a second one. "
            "Try again when it has finished."
        )


class CycleLock:
    """`with CycleLock(path):` run a cycle; raises `CycleLocked` at once if one is running.

    After entering, `stale` describes the holder of a lock file found but no longer held (a
    cycle that was killed), or is None.
    """

    def __init__(self, path: Path, *, command: str = "passaparola run") -> None:
        self.path = Path(path)
        self.command = command
        self.stale: LockHolder | None = None
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = LockHolder.parse(_read(fd))
                os.close(fd)
                raise CycleLocked(self.path, holder) from None
            if _same_file(fd, self.path):
                break
            # The holder we waited on removed the file as it finished; lock the new one.
            os.close(fd)
        self.stale = LockHolder.parse(_read(fd))
        started = datetime.now().astimezone().isoformat(timespec="seconds")
        mine = LockHolder(os.getpid(), started, self.command).text().encode()
        os.ftruncate(fd, 0)
        os.pwrite(fd, mine, 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        # Remove the file while still holding it: a waiter that opened it will see it is gone.
        try:
            if _same_file(self._fd, self.path):
                self.path.unlink()
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def fileno(self) -> int:
        """The locked descriptor, for `pass_fds` of a subprocess that should hold it too."""
        if self._fd is None:
            raise RuntimeError("the lock is not held")
        return self._fd

    def __enter__(self) -> CycleLock:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


def _read(fd: int) -> str:
    return os.pread(fd, 4096, 0).decode("utf-8", errors="replace")


def _same_file(fd: int, path: Path) -> bool:
    try:
        on_disk = os.stat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (mine.st_dev, mine.st_ino) == (on_disk.st_dev, on_disk.st_ino)
