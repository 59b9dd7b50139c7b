"""New, empty stores on every database passaparola supports, for fixtures of any scope.

A plain module (not conftest.py) so fixtures in every test folder can import it. PostgreSQL stores
are databases on the session's server (fixture `postgres_server_url` in tests/conftest.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from postgres_server import fresh_database

DATABASES = ("sqlite", "postgresql")


def new_store_url(request: pytest.FixtureRequest, kind: str, folder: Path) -> str:
    """The URL of a new, empty store of `kind`; a SQLite store is a file in `folder`."""
    if kind == "sqlite":
        return f"sqlite:///{folder / 'store.db'}"
    return fresh_database(request.getfixturevalue("postgres_server_url"))
