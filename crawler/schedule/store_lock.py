"""One cycle at a time per store: on PostgreSQL, an advisory lock every machine sees.

Machines that share one PostgreSQL store (a scheduler on each, crawling on the same Scrapyd
nodes) must not each crawl everything, build the report and send the alerts: the first cycle
takes a session-level advisory lock on the database and keeps it until it ends; another cycle
meanwhile, on any machine, finds it taken and skips (exit status 75, like the local lock). The
server releases the lock when the holder's connection ends, however it ends. The holder names
itself in its connection's `application_name`, so the skipped cycle can say who runs. A SQLite
store is one machine's: the cycle lock file (`crawler.schedule.lock`) is all it needs.
"""

from __future__ import annotations

import os
from datetime import datetime

from sqlalchemy import Engine, make_url, text
from sqlalchemy.engine import Connection

from crawler.process import HOST
from crawler.schedule.lock import CycleLocked

# pg_try_advisory_lock(bigint): "pass" "cycl", apart from the migrations' lock (crawler.schema).
CYCLE_LOCK_KEY = 0x70617373_6379636C
_HOLDER = text(
    "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
    "WHERE l.locktype = 'advisory' AND l.granted "
    "AND l.classid::bigint = :high AND l.objid::bigint = :low "
    "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)


class StoreLocked(CycleLocked):
    """Another cycle, maybe on another machine, holds the store's lock; one line."""

    def __init__(self, place: str, holder: str | None) -> None:
        self.path = place  # type: ignore[assignment]
        self.holder = None
        who = f"another cycle ({holder})" if holder else "another cycle"
        Exception.__init__(
            self,
            f"{who} holds the lock of the store {place}, which every machine sharing it takes; "
            "not starting a second one. Try again when it has finished.",
        )


def is_server_store(url: str) -> bool:
    """True for a store several machines can share (PostgreSQL)."""
    return make_url(url).get_backend_name() == "postgresql"


class StoreCycleLock:
    """`acquire()` before a cycle, `release()` after: `acquire` raises `StoreLocked` at once if
    another cycle holds it, `StoreError` if the server cannot be reached. Nothing on SQLite."""

    def __init__(self, url: str, *, command: str = "passaparola run") -> None:
        self.url = url
        self.command = command
        self._engine: Engine | None = None
        self._conn: Connection | None = None

    def acquire(self) -> None:
        if not is_server_store(self.url):
            return
        from crawler.schema import where
        from crawler.store import open_engine

        engine = open_engine(self.url)
        conn = engine.connect()
        started = datetime.now().astimezone().isoformat(timespec="seconds")
        name = f"{self.command} on {HOST}, PID {os.getpid()}, started {started}"[:63]
        conn.execute(text("SELECT set_config('application_name', :name, false)"), {"name": name})
        taken = conn.execute(
            text("SELECT pg_try_advisory_lock(:key)"), {"key": CYCLE_LOCK_KEY}
        ).scalar()
        conn.commit()
        if not taken:
            holder = conn.execute(
                _HOLDER, {"high": CYCLE_LOCK_KEY >> 32, "low": CYCLE_LOCK_KEY & 0xFFFFFFFF}
            ).scalar()
            conn.close()
            place = where(engine)
            engine.dispose()
            raise StoreLocked(place, holder)
        self._engine, self._conn = engine, conn

    def release(self) -> None:
        if self._conn is None or self._engine is None:
            return
        try:
            self._conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": CYCLE_LOCK_KEY})
            self._conn.commit()
        finally:
            self._conn.close()
            self._engine.dispose()
            self._conn = self._engine = None
