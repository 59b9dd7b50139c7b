"""New mentions inserted through the database driver: one `INSERT … VALUES (…), (…) ON CONFLICT
(id) DO NOTHING RETURNING id` per batch, its values already in the form the driver is given.

SQLAlchemy's own insert of the same rows runs, for every row, a bind processor per time and
number and builds a dictionary of parameters: in a crawl that was half of what storing a
mention cost the crawling process. Here each column's conversion is chosen once per database
and each distinct time of a batch is converted once. The database receives what SQLAlchemy
would have sent: every column keeps SQLAlchemy's own bind processor, except the times, whose
quicker conversion is used only where it gives what SQLAlchemy gives (checked when the writer
is built; the tests compare the stored rows).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from operator import itemgetter
from typing import Any

from sqlalchemy.engine import Connection, Dialect

from crawler.store.tables import UTCDateTime, mentions, naive_utc

# The columns of a new mention's row, in the statement's order; the others stay NULL.
NEW_ROW_COLUMNS = (
    "id",
    "brand",
    "source",
    "source_url",
    "kind",
    "url",
    "title",
    "author",
    "published",
    "lang",
    "rating",
    "score",
    "label",
    "analyzer",
    "text",
    "fingerprint",
    "page_url",
    "page_sha256",
    "fetched_at",
    "last_seen",
    "first_seen",
    "status",
)

# How each database's driver holds a time, when SQLAlchemy's DateTime is the column type: the
# text SQLite stores (SQLAlchemy's format, always with microseconds), PostgreSQL's own value.
_QUICK_TIMES: dict[str, Callable[[datetime], Any]] = {
    "sqlite": lambda value: naive_utc(value).isoformat(" ", "microseconds"),
    "postgresql": naive_utc,
}
# Times the quick conversion must agree with SQLAlchemy on before it is used: a zone to convert,
# no microseconds, a year before 1000.
_PROBES = (
    datetime(2024, 3, 2, 18, 30, 5, 120, tzinfo=timezone(timedelta(hours=1))),
    datetime(2026, 12, 1, 16, 44, 7, tzinfo=UTC),
    datetime(987, 6, 5, 4, 3, 2, 1, tzinfo=UTC),
)
_MARKS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


@dataclass(frozen=True, slots=True)
class DriverInsert:
    """One database's insert-if-new statement, and how a row's values become its parameters."""

    head: str  # INSERT INTO mentions (…) VALUES
    group: str  # one row's placeholders: (?, ?, …)
    tail: str  # ON CONFLICT (id) DO NOTHING RETURNING id
    row_values: Callable[[dict[str, Any]], tuple]
    numbers: tuple[tuple[int, Callable[[Any], Any]], ...]  # position, SQLAlchemy's processor
    times: tuple[int, ...]  # positions of the times
    stored_time: Callable[[datetime], Any]
    rows_per_statement: int

    def insert(self, conn: Connection, rows: list[dict[str, Any]]) -> set[str]:
        """Insert the rows whose id is not stored yet; the ids actually inserted."""
        inserted: set[str] = set()
        stored_times: dict[datetime, Any] = {}  # a batch's pages share their fetch times
        for start in range(0, len(rows), self.rows_per_statement):
            chunk = rows[start : start + self.rows_per_statement]
            parameters: list[Any] = []
            for row in chunk:
                values = list(self.row_values(row))
                for position, process in self.numbers:
                    if values[position] is not None:
                        values[position] = process(values[position])
                for position in self.times:
                    when = values[position]
                    if when is not None:
                        stored = stored_times.get(when)
                        if stored is None:
                            stored = stored_times[when] = self.stored_time(when)
                        values[position] = stored
                parameters.extend(values)
            groups = ", ".join([self.group] * len(chunk))
            result = conn.exec_driver_sql(f"{self.head} {groups} {self.tail}", tuple(parameters))
            inserted.update(result.scalars())
        return inserted


def insert_new(conn: Connection, rows: list[dict[str, Any]]) -> set[str]:
    """Insert rows whose id is not stored yet; the ids actually inserted."""
    if not rows:
        return set()
    driver = driver_insert(conn.dialect)
    if driver is not None:
        return driver.insert(conn, rows)
    dialect = conn.dialect.name
    if dialect in ("sqlite", "postgresql"):  # a driver of another parameter style
        return set(conn.execute(sqlalchemy_insert_if_new(dialect), rows).scalars())
    conn.execute(mentions.insert(), rows)  # no ON CONFLICT: one writer at a time
    return {row["id"] for row in rows}


@cache
def sqlalchemy_insert_if_new(dialect: str) -> Any:
    """SQLAlchemy's own `INSERT … ON CONFLICT (id) DO NOTHING RETURNING id`, built once; the
    dialect's module is imported only for the database in use (PostgreSQL's alone took a fifth
    of SQLAlchemy's import in a crawl)."""
    insert = importlib.import_module(f"sqlalchemy.dialects.{dialect}").insert
    return (
        insert(mentions)
        .on_conflict_do_nothing(index_elements=[mentions.c.id])
        .returning(mentions.c.id)
    )


_drivers: dict[tuple[str, str, str], DriverInsert | None] = {}


def driver_insert(dialect: Dialect) -> DriverInsert | None:
    """The driver insert for this database, built once; None where it has no `ON CONFLICT …
    RETURNING` or its driver another parameter style (SQLAlchemy's own insert is then used)."""
    key = (dialect.name, dialect.driver, dialect.paramstyle)
    if key not in _drivers:
        _drivers[key] = _build(dialect)
    return _drivers[key]


def _build(dialect: Dialect) -> DriverInsert | None:
    mark = _MARKS.get(dialect.paramstyle)
    if dialect.name not in _QUICK_TIMES or mark is None or not dialect.insert_returning:
        return None
    quote = dialect.identifier_preparer.quote
    columns = [mentions.c[name] for name in NEW_ROW_COLUMNS]
    numbers, times = [], []
    for position, column in enumerate(columns):
        if isinstance(column.type, UTCDateTime):
            times.append(position)
        elif process := column.type.dialect_impl(dialect).bind_processor(dialect):
            numbers.append((position, process))
    return DriverInsert(
        head=f"INSERT INTO {dialect.identifier_preparer.format_table(mentions)} "
        f"({', '.join(quote(column.name) for column in columns)}) VALUES",
        group=f"({', '.join([mark] * len(columns))})",
        tail=f"ON CONFLICT ({quote('id')}) DO NOTHING RETURNING {quote('id')}",
        row_values=itemgetter(*NEW_ROW_COLUMNS),
        numbers=tuple(numbers),
        times=tuple(times),
        stored_time=_time_conversion(dialect),
        rows_per_statement=max(
            1,
            min(
                dialect.insertmanyvalues_page_size,
                dialect.insertmanyvalues_max_parameters // len(columns),
            ),
        ),
    )


def _time_conversion(dialect: Dialect) -> Callable[[datetime], Any]:
    """The quick conversion of a time where it gives what SQLAlchemy's processor gives, else
    SQLAlchemy's processor itself."""
    published = mentions.c.published.type.dialect_impl(dialect)
    sqlalchemys = published.bind_processor(dialect) or naive_utc
    quick = _QUICK_TIMES[dialect.name]
    if all(quick(probe) == sqlalchemys(probe) for probe in _PROBES):
        return quick
    return sqlalchemys
