"""Where the schedule keeps its lock and log: next to the store, where a person looks for them.

With SQLite that is the database file's folder (`passaparola.db` → `passaparola.db.lock` and
`passaparola.log`); with a database server, the project folder (beside `passaparola.toml`).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from crawler.config import Config


def _store_file(config: Config) -> Path | None:
    try:
        url = make_url(config.database_url)
    except ArgumentError:
        return None
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def lock_file(config: Config) -> Path:
    """The lock that keeps two cycles of one project from running at once."""
    store = _store_file(config)
    return store.with_name(store.name + ".lock") if store else config.root / "passaparola.lock"


def log_file(config: Config) -> Path:
    """The rotating log of cycles (`.1`, `.2` … are the older parts)."""
    store = _store_file(config)
    return store.with_name(store.stem + ".log") if store else config.root / "passaparola.log"
