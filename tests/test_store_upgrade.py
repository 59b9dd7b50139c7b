"""A database written by an older passaparola is upgraded in place when opened, data kept."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from sqlalchemy import select

from crawler.store import SCHEMA_VERSION, change_status, crawl_runs, mentions, open_engine

# The version 1 tables as passaparola 0.1 created them (only what this test touches).
VERSION_1 = """
CREATE TABLE mentions (
    id VARCHAR(32) PRIMARY KEY, brand VARCHAR(200) NOT NULL, source VARCHAR(255) NOT NULL,
    source_url TEXT NOT NULL, kind VARCHAR(16) NOT NULL, url TEXT NOT NULL, title TEXT,
    author TEXT, published DATETIME, first_seen DATETIME NOT NULL, last_seen DATETIME NOT NULL,
    lang VARCHAR(8), rating FLOAT, score FLOAT, label VARCHAR(16), analyzer VARCHAR(64),
    status VARCHAR(16) NOT NULL, handled_at DATETIME, note TEXT, text TEXT NOT NULL,
    fingerprint VARCHAR(64) NOT NULL, page_url TEXT NOT NULL, page_sha256 VARCHAR(64) NOT NULL,
    fetched_at DATETIME
);
CREATE TABLE crawl_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, source_url TEXT NOT NULL, kind VARCHAR(16) NOT NULL,
    started DATETIME NOT NULL, finished DATETIME, pages INTEGER NOT NULL, new INTEGER NOT NULL,
    updated INTEGER NOT NULL, errors INTEGER NOT NULL, status VARCHAR(16) NOT NULL
);
CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied DATETIME NOT NULL);
INSERT INTO schema_version VALUES (1, '2026-01-01 00:00:00');
INSERT INTO mentions VALUES ('a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4', 'Panificio Rossi',
    'recensioni.example.it', 'https://recensioni.example.it/', 'review',
    'https://recensioni.example.it/r/1', 'Deluso', 'Mario', '2026-01-02 09:00:00',
    '2026-01-02 10:00:00', '2026-01-02 10:00:00', 'it', 0.0, -0.6, 'negative', 'fixture', 'new',
    NULL, NULL, 'Pane raffermo', 'f', '', '', NULL);
INSERT INTO crawl_runs VALUES (1, 'https://recensioni.example.it/', 'reviews',
    '2026-01-02 09:00:00', '2026-01-02 09:05:00', 3, 1, 0, 0, 'finished');
"""


def test_a_version_1_database_gets_the_new_columns_and_keeps_its_rows(tmp_path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as old:
        old.executescript(VERSION_1)

    engine = open_engine(f"sqlite:///{path}")
    open_engine(f"sqlite:///{path}")  # opening it again is a no-op

    with engine.connect() as conn:
        (row,) = conn.execute(select(mentions)).all()
        (run,) = conn.execute(select(crawl_runs)).all()
        versions = [v for (v,) in conn.exec_driver_sql("SELECT version FROM schema_version")]
    assert (row.text, row.handled_by) == ("Pane raffermo", None)
    assert (run.pages, run.found, run.last_error) == (3, None, None)
    assert versions == list(range(1, SCHEMA_VERSION + 1))
    change = change_status(engine, row.id, "handled", "richiamato", "Anna")
    assert change.by == "Anna" and change.at > datetime(2026, 1, 3, tzinfo=UTC)
