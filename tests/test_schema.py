"""The store opens safely: migrations once, under a lock; runs killed half-way are marked."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from postgres_server import drop_database
from sqlalchemy import select, text
from stores import new_store_url

from crawler.items import Mention
from crawler.runs import finish_run, mark_interrupted, new_crawl_id, runs_of_crawl, start_run
from crawler.schema import SCHEMA_VERSION, StoreError, migrations
from crawler.store import crawl_runs, iter_mentions, open_engine, upsert_mentions


def one_mention() -> Mention:
    return Mention(
        brand="Panificio Rossi", kind="comment", url="https://b.example/p#c1", text="Buono."
    )


def _open_at_once(url: str, barrier, results) -> None:
    """One process's first start: wait until every process is ready, then open and write."""
    try:
        barrier.wait(timeout=120)
        engine = open_engine(url)
        finish_run(engine, start_run(engine, "https://example.org/", "feed"), status="finished")
        results.put("ok")
    except Exception as error:  # reported to the test, which names it
        results.put(f"{type(error).__name__}: {error}")


def test_processes_opening_a_fresh_store_at_once_create_it_once(database_url):
    """SQLite (a file lock) and PostgreSQL (an advisory lock): one migrates, the others wait."""
    url = database_url
    context = multiprocessing.get_context("spawn")
    count = 6
    barrier, results = context.Barrier(count), context.Queue()
    processes = [
        context.Process(target=_open_at_once, args=(url, barrier, results)) for _ in range(count)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=180) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    assert outcomes == ["ok"] * count
    engine = open_engine(url)
    with engine.connect() as conn:
        versions = conn.execute(text("SELECT version FROM schema_version ORDER BY 1")).scalars()
        assert list(versions) == list(range(1, SCHEMA_VERSION + 1))
        assert (
            conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            == f"{SCHEMA_VERSION:04d}"
        )
        assert conn.execute(select(sa.func.count()).select_from(crawl_runs)).scalar() == count


def test_the_newest_migration_is_the_schema_version_the_code_expects():
    scripts = ScriptDirectory.from_config(migrations())
    assert scripts.get_current_head() == f"{SCHEMA_VERSION:04d}"
    assert len(list(scripts.walk_revisions())) == SCHEMA_VERSION


def test_a_store_from_before_migrations_is_upgraded_in_place(tmp_path):
    """A store written by create_all at schema version 1 keeps its data and gains columns."""
    path = tmp_path / "old.db"
    old = sa.create_engine(f"sqlite:///{path}")
    with old.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE crawl_runs (id INTEGER PRIMARY KEY, source_url TEXT NOT NULL, "
            "kind VARCHAR(16) NOT NULL, started DATETIME NOT NULL, finished DATETIME, "
            "pages INTEGER NOT NULL, new INTEGER NOT NULL, updated INTEGER NOT NULL, "
            "errors INTEGER NOT NULL, status VARCHAR(16) NOT NULL)"
        )
        conn.exec_driver_sql(
            "INSERT INTO crawl_runs VALUES (1, 'https://b.example/', 'blog', "
            "'2025-01-01 08:00:00', NULL, 3, 1, 0, 0, 'running')"
        )
        conn.exec_driver_sql(
            "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied DATETIME NOT NULL)"
        )
        conn.exec_driver_sql("INSERT INTO schema_version VALUES (1, '2025-01-01 00:00:00')")
    old.dispose()
    engine = open_engine(f"sqlite:///{path}")
    upsert_mentions(engine, [one_mention()])
    assert len(list(iter_mentions(engine))) == 1
    with engine.begin() as conn:
        [run] = conn.execute(select(crawl_runs)).all()
        assert (run.source_url, run.pages, run.host, run.pid) == (
            "https://b.example/",
            3,
            None,
            None,
        )
        # Written by a version that did not record its process: it cannot be running now.
        assert mark_interrupted(conn) == 1
        assert conn.execute(select(crawl_runs.c.status)).scalar() == "interrupted"


def test_a_store_upgraded_to_version_2_before_migrations_is_adopted(tmp_path):
    """Version 2 was first applied without Alembic: such a store goes on from where it is."""
    path = tmp_path / "v2.db"
    open_engine(f"sqlite:///{path}").dispose()
    with sa.create_engine(f"sqlite:///{path}").begin() as conn:
        conn.exec_driver_sql("DROP TABLE alembic_version")
        conn.exec_driver_sql("ALTER TABLE crawl_runs DROP COLUMN host")
        conn.exec_driver_sql("ALTER TABLE crawl_runs DROP COLUMN pid")
        conn.exec_driver_sql("DROP INDEX ix_crawl_runs_crawl_id")
        conn.exec_driver_sql("ALTER TABLE crawl_runs DROP COLUMN crawl_id")
        conn.exec_driver_sql("DROP TABLE deliveries")
        conn.exec_driver_sql("DROP TABLE digests")
        conn.exec_driver_sql("DELETE FROM schema_version WHERE version >= 3")
    engine = open_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        versions = conn.execute(text("SELECT version FROM schema_version ORDER BY 1")).scalars()
        assert list(versions) == list(range(1, SCHEMA_VERSION + 1))
        assert (
            conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            == f"{SCHEMA_VERSION:04d}"
        )
    assert {"host", "pid", "found", "crawl_id"} <= {
        c["name"] for c in sa.inspect(engine).get_columns("crawl_runs")
    }


def dead_pid() -> int:
    """The PID of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_the_next_run_marks_runs_killed_half_way_as_interrupted(tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path / 'runs.db'}")
    killed = start_run(engine, "https://killed.example/", "blog")
    alive = start_run(engine, "https://alive.example/", "blog")
    elsewhere = start_run(engine, "https://elsewhere.example/", "blog")
    with engine.begin() as conn:
        conn.execute(sa.update(crawl_runs).where(crawl_runs.c.id == killed).values(pid=dead_pid()))
        conn.execute(
            sa.update(crawl_runs)
            .where(crawl_runs.c.id == elsewhere)
            .values(host="another-machine", pid=dead_pid())
        )
    start_run(engine, "https://next.example/", "feed")
    with engine.connect() as conn:
        status = dict(conn.execute(select(crawl_runs.c.id, crawl_runs.c.status)).all())
    assert status[killed] == "interrupted"
    assert status[alive] == "running"  # this very process: still running
    assert status[elsewhere] == "running"  # another host's process: not ours to judge
    with engine.connect() as conn:
        mine = conn.execute(select(crawl_runs.c.pid).where(crawl_runs.c.id == alive)).scalar()
    assert mine == os.getpid()


def test_timestamps_of_runs_stay_aware(tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path / 'aware.db'}")
    run = start_run(engine, "https://example.org/", "feed")
    with engine.connect() as conn:
        started = conn.execute(select(crawl_runs.c.started).where(crawl_runs.c.id == run)).scalar()
    assert started.tzinfo is not None and started <= datetime.now(UTC)


@pytest.mark.parametrize("content", [b"this is not a database, just text" * 100, b"\x00" * 4096])
def test_a_damaged_store_is_one_line(tmp_path, content):
    path = tmp_path / "damaged.db"
    path.write_bytes(b"SQLite format 3\x00" + content if content[0] == 0 else content)
    with pytest.raises(StoreError) as error:
        open_engine(f"sqlite:///{path}")
    message = str(error.value)
    assert str(path) in message and "damaged" in message and "\n" not in message


def test_a_folder_where_the_store_should_be_is_one_line(tmp_path):
    (tmp_path / "store.db").mkdir()
    with pytest.raises(StoreError, match="cannot open the store .*store.db") as error:
        open_engine(f"sqlite:///{tmp_path / 'store.db'}")
    assert "\n" not in str(error.value)


def test_migrations_ship_with_the_package():
    folder = Path(__import__("crawler.migrations").migrations.__file__).parent
    assert (folder / "env.py").is_file() and len(
        list((folder / "versions").glob("0*.py"))
    ) == SCHEMA_VERSION


def schema_of(engine: sa.Engine) -> dict[str, dict[str, object]]:
    """Every table's columns (type, nullability, default), key, indexes and constraints."""
    inspector = sa.inspect(engine)
    return {
        table: {
            "columns": {
                column["name"]: (str(column["type"]), column["nullable"], column.get("default"))
                for column in inspector.get_columns(table)
            },
            "primary key": inspector.get_pk_constraint(table)["constrained_columns"],
            "indexes": sorted(
                (index["name"], tuple(index["column_names"]), bool(index["unique"]))
                for index in inspector.get_indexes(table)
            ),
            "unique": sorted(
                (unique["name"], tuple(unique["column_names"]))
                for unique in inspector.get_unique_constraints(table)
            ),
            "foreign keys": inspector.get_foreign_keys(table),
        }
        for table in sorted(inspector.get_table_names())
    }


def test_a_new_store_is_what_running_every_migration_makes(request, database_url, tmp_path):
    """A new store is made from the declared tables (no Alembic); an empty database migrated
    from the first migration to the last must come out the same, on every database."""
    from alembic import command

    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    migrated_url = new_store_url(request, kind, tmp_path / "migrated")
    (tmp_path / "migrated").mkdir()
    migrated = sa.create_engine(migrated_url)
    try:
        with migrated.begin() as conn:
            command.upgrade(migrations(conn), "head")
        new = open_engine(database_url)
        assert schema_of(new) == schema_of(migrated)
        assert "mentions" in schema_of(new)
        for engine in (new, migrated):
            with engine.connect() as conn:
                assert (
                    MigrationContext.configure(conn).get_current_revision()
                    == f"{SCHEMA_VERSION:04d}"
                )
                versions = conn.execute(text("SELECT version FROM schema_version ORDER BY 1"))
                assert list(versions.scalars()) == list(range(1, SCHEMA_VERSION + 1))
        with new.begin() as conn:  # Alembic takes it from there: nothing left to run
            command.upgrade(migrations(conn), "head")
        assert schema_of(new) == schema_of(migrated)
    finally:
        migrated.dispose()
        if kind == "postgresql":
            drop_database(request.getfixturevalue("postgres_server_url"), migrated_url)


def test_a_refused_record_stays_a_record_error_even_when_its_words_sound_like_the_store(tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path / 'words.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TRIGGER refuse BEFORE INSERT ON mentions "
            "BEGIN SELECT RAISE(ABORT, 'this review is locked and malformed'); END"
        )
    with pytest.raises(sa.exc.IntegrityError, match="locked and malformed"):
        upsert_mentions(engine, [one_mention()])


def test_a_crawls_runs_are_read_back_by_its_id_whoever_wrote_them(database_url):
    """Runs of one crawl id, written by any process or machine, and nothing else."""
    engine = open_engine(database_url)
    mine = new_crawl_id()
    ours = [start_run(engine, f"https://s{n}.example/", "blog", mine) for n in range(3)]
    start_run(engine, "https://other.example/", "blog", new_crawl_id())
    start_run(engine, "https://by-hand.example/", "blog")  # a `scrapy crawl` nobody dispatched
    with engine.begin() as conn:  # one of ours written by another machine's node
        conn.execute(sa.update(crawl_runs).where(crawl_runs.c.id == ours[1]).values(host="node2"))
    assert [run.id for run in runs_of_crawl(engine, mine)] == ours
    engine.dispose()
