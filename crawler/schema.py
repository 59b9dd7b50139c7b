"""Opening the store safely: the schema created and upgraded once, under a lock, and every
failure to open, read or write it said in one line.

The schema's history is a chain of Alembic migrations (`crawler/migrations/versions`); each also
records its number in the `schema_version` table, which is what a start reads: one query when
the store is current (the usual case), Alembic only when it is older. A new, empty store is made
from the declared tables and recorded as at the newest migration, as `alembic stamp` would (a
test keeps that identical to running every migration). Both run under a lock, so processes
starting on a fresh store at once (a crawl's pipeline and run recorder, a report, a second
cycle) never race: the first creates or migrates, the others wait and find it done.
SQLite takes a `flock(2)` on a file beside the database (released by the kernel when its holder
dies); PostgreSQL a transaction-scoped advisory lock.

Errors of the database that are the store's, not one record's (locked past the timeout, a
damaged or foreign file, a read-only file or folder, a server that cannot be reached), become a
`StoreError` with one line naming the store, wherever they happen.
"""

from __future__ import annotations

import atexit
import fcntl
import functools
import importlib.resources
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Engine,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    create_engine,
    event,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Connection, ExceptionContext, make_url
from sqlalchemy.exc import DatabaseError, OperationalError, SQLAlchemyError

SCHEMA_VERSION = 6  # the number the newest migration records; a test keeps them equal
HEAD_REVISION = f"{SCHEMA_VERSION:04d}"  # the newest migration's Alembic revision id
DEFAULT_TIMEOUT = 30.0
_PG_LOCK_KEY = 0x70617373  # "pass": the advisory lock of passaparola's migrations


class StoreError(Exception):
    """The database cannot be opened, read or written; one line for the user."""


def open_engine(url: str) -> Engine:
    """The engine of a store whose schema is current; `StoreError` in one line if it cannot be.

    A SQLite URL's `?timeout=SECONDS` (pysqlite's own parameter, default 30) is how long a write
    waits for another writer's lock before it fails.
    """
    try:
        parsed = make_url(url)
        engine = create_engine(parsed)
        timeout = float(parsed.query.get("timeout", DEFAULT_TIMEOUT))
    except (SQLAlchemyError, ValueError, ImportError) as error:
        raise StoreError(f"storage.url {url!r}: {error}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas(timeout))
    translate_errors(engine, timeout)
    try:
        ensure_schema(engine, timeout)
    except SQLAlchemyError as error:
        raise StoreError(f"the store {where(engine)}: {error}") from None
    return engine


def _sqlite_pragmas(timeout: float) -> Any:
    """WAL (the report reads while a crawl writes), and the same lock wait as pysqlite's."""

    def connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return connect


def where(engine: Engine) -> str:
    """The store as a person names it: the SQLite file, or the URL without its password."""
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database:
        return url.database
    return url.render_as_string(hide_password=True)


def store_failure(error: BaseException, place: str, timeout: float) -> StoreError | None:
    """The one line for a database error (SQLAlchemy's) that is the store's problem; None for
    one record's (a constraint, a value the driver refuses), which the caller handles."""
    if not isinstance(error, OperationalError) and type(error) is not DatabaseError:
        return None  # a constraint, a value refused, a bad statement: one record's, or a bug
    original = getattr(error, "orig", None) or error
    message = " ".join(str(original).split())
    lowered = message.lower()
    if "locked" in lowered or "lock timeout" in lowered or "could not obtain lock" in lowered:
        return StoreError(
            f"the store {place} is locked by another process (waited {timeout:g} s; a SQLite "
            "storage.url takes ?timeout=SECONDS); try again when it has finished"
        )
    if "not a database" in lowered or "malformed" in lowered or "file is encrypted" in lowered:
        return StoreError(
            f"the store {place} is damaged or not a passaparola database ({message}); "
            "restore it from a backup, or move it away to start an empty one"
        )
    if "readonly" in lowered or "read-only" in lowered:
        return StoreError(
            f"the store {place} is read-only; passaparola writes to it, and SQLite also to "
            "its folder (the -wal and -shm files)"
        )
    if "unable to open" in lowered:
        return StoreError(
            f"cannot open the store {place}: check that its folder exists and that "
            "passaparola may read and write there"
        )
    if "disk i/o" in lowered or "disk is full" in lowered or "no space" in lowered:
        return StoreError(f"the store {place} cannot be read or written: {message}")
    return StoreError(f"the store {place}: {message}")


def translate_errors(engine: Engine, timeout: float) -> None:
    """Make every store-level error on `engine` a one-line `StoreError`, wherever it is raised."""
    place = where(engine)

    def handle_error(context: ExceptionContext) -> None:
        wrapped = context.sqlalchemy_exception
        failure = None if wrapped is None else store_failure(wrapped, place, timeout)
        if failure is not None:
            raise failure from None

    event.listen(engine, "handle_error", handle_error)


def ensure_schema(engine: Engine, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Create or upgrade the schema to `SCHEMA_VERSION`, once, whoever else starts now."""
    with engine.connect() as conn:
        found = _version(conn)
    if found == SCHEMA_VERSION:
        return
    _refuse_newer(engine, found)
    with _migration_lock(engine, timeout), engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        found = _version(conn)  # another process may have migrated while we waited
        _refuse_newer(engine, found)
        if found != SCHEMA_VERSION:
            _upgrade(conn)


def _version(conn: Connection) -> int | None:
    if not inspect(conn).has_table("schema_version"):
        return None
    from crawler.store import schema_version

    return conn.execute(select(func.max(schema_version.c.version))).scalar()


def _refuse_newer(engine: Engine, found: int | None) -> None:
    if found is not None and found > SCHEMA_VERSION:
        raise StoreError(
            f"the store {where(engine)} has schema version {found}, newer than this "
            f"passaparola understands ({SCHEMA_VERSION}); upgrade passaparola"
        )


def migrations(conn: Connection | None = None) -> Any:
    """Alembic's settings for the packaged migrations (run on `conn`, when given)."""
    from alembic.config import Config as AlembicConfig

    settings = AlembicConfig()
    settings.set_main_option("script_location", _script_location())
    settings.attributes["connection"] = conn
    return settings


def _script_location() -> str:
    """The packaged migrations, or a copy of them on disk when the package is zipped (a Scrapyd
    egg): Alembic reads its scripts from a real folder."""
    if Path(__file__).with_name("migrations").is_dir():
        return "crawler:migrations"
    return str(_unzipped_migrations())


@functools.cache
def _unzipped_migrations() -> Path:
    target = Path(tempfile.mkdtemp(prefix="passaparola-migrations-"))
    atexit.register(shutil.rmtree, target, True)
    _copy_tree(importlib.resources.files("crawler") / "migrations", target / "migrations")
    return target / "migrations"


def _copy_tree(source: Any, target: Path) -> None:
    target.mkdir()
    for entry in source.iterdir():
        if entry.is_dir():
            if entry.name != "__pycache__":
                _copy_tree(entry, target / entry.name)
        else:
            (target / entry.name).write_bytes(entry.read_bytes())


def _upgrade(conn: Connection) -> None:
    if not inspect(conn).get_table_names():
        _create_current(conn)
        return
    from alembic import command

    command.upgrade(migrations(conn), "head")


# Alembic's own record of the revision a database is at, as `alembic stamp` writes it.
_alembic_version = Table(
    "alembic_version",
    MetaData(),
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)


def _create_current(conn: Connection) -> None:
    """A new, empty store: the tables the code declares, recorded as at the newest migration.

    What running every migration would make (a test compares the two on each database), without
    loading Alembic and its templates (0.1-0.2 s of CPU of a first crawl); later upgrades of
    this store are Alembic's, from `head`, as for any other.
    """
    from crawler.store import metadata, schema_version

    metadata.create_all(conn)
    applied = datetime.now(UTC)
    conn.execute(
        schema_version.insert(),
        [{"version": number, "applied": applied} for number in range(1, SCHEMA_VERSION + 1)],
    )
    _alembic_version.create(conn)
    conn.execute(_alembic_version.insert().values(version_num=HEAD_REVISION))


@contextmanager
def _migration_lock(engine: Engine, timeout: float) -> Iterator[None]:
    """An exclusive lock across processes for SQLite stores (PostgreSQL locks in-transaction)."""
    path = _sqlite_file(engine)
    if path is None:
        yield
        return
    lock = path.with_name(path.name + ".migrate.lock")
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as error:
        raise StoreError(
            f"cannot create the store {path}: {error.strerror or error} ({lock})"
        ) from None
    try:
        _flock(fd, timeout, path)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _flock(fd: int, timeout: float, store: Path) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise StoreError(
                    f"the store {store} is being created or upgraded by another process "
                    f"(waited {timeout:g} s); try again when it has finished"
                ) from None
            time.sleep(0.05)  # migrations take milliseconds; the holder is seldom still there


def _sqlite_file(engine: Engine) -> Path | None:
    url = engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)
