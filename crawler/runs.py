"""Crawl runs in the store: one row per source and crawl, written by the crawl's own process.

A row says which process wrote it (host and PID), so the next run can tell a crawl killed
half-way (its process is gone: `interrupted`) from one still running beside it; and which crawl
it belongs to (its crawl id), so a cycle counts only the runs of its own crawl, whichever
process or machine wrote them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.engine import Connection

from crawler.process import HOST, is_running
from crawler.store import crawl_runs, now


def new_crawl_id() -> str:
    """A fresh id for one crawl (all its sources' runs, on whichever machines they ran)."""
    return uuid.uuid4().hex


def start_run(engine: Engine, source_url: str, kind: str, crawl_id: str | None = None) -> int:
    """Record a run's start, by this process; first mark runs killed half-way as interrupted.

    `crawl_id` is the crawl the run belongs to (None: a job nobody dispatched, e.g. `scrapy
    crawl` by hand).
    """
    with engine.begin() as conn:
        mark_interrupted(conn)
        result = conn.execute(
            crawl_runs.insert().values(
                source_url=source_url,
                kind=kind,
                started=now(),
                host=HOST,
                pid=os.getpid(),
                crawl_id=crawl_id,
            )
        )
        return int(result.inserted_primary_key[0])


def runs_of_crawl(engine: Engine, crawl_id: str) -> Sequence[Any]:
    """The `crawl_runs` rows of one crawl, oldest first, whoever wrote them."""
    with engine.connect() as conn:
        return conn.execute(
            select(crawl_runs).where(crawl_runs.c.crawl_id == crawl_id).order_by(crawl_runs.c.id)
        ).all()


def finish_run(engine: Engine, run_id: int, **counts: Any) -> None:
    """Record a run's end; `counts` are pages, new, updated, errors and status."""
    with engine.begin() as conn:
        conn.execute(
            update(crawl_runs).where(crawl_runs.c.id == run_id).values(finished=now(), **counts)
        )


def mark_interrupted(conn: Connection) -> int:
    """Runs left `running` by a process of this host that no longer exists (or by a version
    that did not record its process) were killed half-way: they become `interrupted`.

    Always one UPDATE, even with nothing to mark, so it also proves the store can be written
    now (SQLite takes its write lock for it): a command that is about to write fails at once, in
    one line, when another process holds the store past the timeout.
    """
    running = conn.execute(
        select(crawl_runs.c.id, crawl_runs.c.host, crawl_runs.c.pid).where(
            crawl_runs.c.status == "running"
        )
    ).all()
    dead = [
        run.id
        for run in running
        if run.pid is None or (run.host == HOST and not is_running(run.pid))
    ]
    conn.execute(update(crawl_runs).where(crawl_runs.c.id.in_(dead)).values(status="interrupted"))
    return len(dead)


def claim_store(engine: Engine) -> None:
    """Before a command writes: mark runs killed half-way, and fail now if the store is locked."""
    with engine.begin() as conn:
        mark_interrupted(conn)
