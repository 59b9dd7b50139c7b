"""One crawl on Scrapyd nodes: a job per source, balanced over the nodes, waited for, then read
back from the shared store.

Each job gets the project's config path and the crawl's id as Scrapy settings, so the spider on
the node applies the whole config (`crawler.crawl.configure_job`) and tags its `crawl_runs` row;
the result of each source is that row, whatever node wrote it. A job Scrapyd lists as finished
without a finished row (the config was missing on the node, the process died) failed. A node
that cannot be used (unreachable, wrong password, project not deployed) is one line naming it;
its sources go to the other nodes.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from crawler.config import Config, SourceConfig
from crawler.crawl import SourceResult
from crawler.dispatch.scrapyd import NodeError, ScrapydNode
from crawler.runs import runs_of_crawl

POLL_SECONDS = 1.0  # how often the nodes are asked how their jobs are doing
STRIKES = 3  # polls in a row a node may fail before its unfinished jobs count as lost

# on_progress(index, state, node, pages, new): state is pending, running, finished or failed.
Progress = Callable[[int, str, str, int, int], None]


@dataclass(slots=True)
class _Job:
    index: int
    source: SourceConfig
    job_id: str
    node: _Node | None = None
    state: str = "waiting"
    problem: str | None = None


@dataclass(slots=True)
class _Node:
    client: ScrapydNode
    load: int
    order: int
    strikes: int = 0
    jobs: int = 0


@dataclass(slots=True)
class Dispatch:
    """What a dispatched crawl did: a result per source, and one line per problem."""

    results: list[SourceResult]
    problems: list[str] = field(default_factory=list)
    jobs_per_node: dict[str, int] = field(default_factory=dict)
    stopped: bool = False
    timed_out: bool = False

    @property
    def failed(self) -> list[SourceResult]:
        return [result for result in self.results if result.status in ("failed", "not run")]


def dispatch_crawl(
    config: Config,
    config_path: Path,
    engine: Engine,
    nodes: Sequence[str],
    *,
    crawl_id: str,
    on_progress: Progress | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    timeout: float | None = None,
    environ: Mapping[str, str] | None = None,
    poll: float = POLL_SECONDS,
) -> Dispatch:
    """Crawl `config.sources` on the Scrapyd nodes at `nodes` and wait for every job.

    Stops early (cancelling the jobs not finished) when `should_stop()` turns true or after
    `timeout` seconds.
    """
    report = on_progress or (lambda *_: None)
    outcome = Dispatch(results=[SourceResult(s.url, s.kind) for s in config.sources])
    usable = _usable_nodes(nodes, environ, outcome.problems)
    answered = list(usable)  # a node that refuses a job leaves `usable`, keeping those it took
    jobs = [
        _Job(index, source, f"{crawl_id}-{index}") for index, source in enumerate(config.sources)
    ]
    settings = {"PASSAPAROLA_CONFIG": str(config_path), "PASSAPAROLA_CRAWL_ID": crawl_id}
    for job in jobs:
        _schedule(job, usable, settings, outcome.problems)
        report(job.index, job.state, job.node.client.url if job.node else "", 0, 0)
    outcome.jobs_per_node = {node.client.url: node.jobs for node in answered if node.jobs}
    deadline = None if timeout is None else time.monotonic() + timeout
    waiting = [job for job in jobs if job.node is not None]
    try:
        while waiting:
            if should_stop():
                outcome.stopped = True
                break
            if deadline is not None and time.monotonic() >= deadline:
                outcome.timed_out = True
                break
            ended = _poll(waiting, report, outcome.problems)
            if ended:
                _settle(ended, engine, crawl_id, outcome, report)
            waiting = [job for job in waiting if job.state in ("pending", "running")]
            if waiting:
                time.sleep(poll)
    except KeyboardInterrupt:  # Ctrl-C on `passaparola crawl`: the jobs end with it
        outcome.stopped = True
    if outcome.stopped or outcome.timed_out:
        _cancel(waiting)
    _read_results(jobs, engine, crawl_id, outcome)
    return outcome


def _usable_nodes(
    urls: Sequence[str], environ: Mapping[str, str] | None, problems: list[str]
) -> list[_Node]:
    usable = []
    for order, url in enumerate(urls):
        client = ScrapydNode(url, environ)
        try:
            load = client.load()
            client.check_project()
        except NodeError as error:
            problems.append(str(error))
            continue
        usable.append(_Node(client, load, order))
    return usable


def _schedule(
    job: _Job, usable: list[_Node], settings: dict[str, str], problems: list[str]
) -> None:
    """Queue the job on the least busy node (pending + running jobs); the next if it refuses."""
    while usable:
        node = min(usable, key=lambda n: (n.load, n.order))
        try:
            node.client.schedule(
                job.source.kind, job_id=job.job_id, args={"url": job.source.url}, settings=settings
            )
        except NodeError as error:
            problems.append(str(error))
            usable.remove(node)
            continue
        node.load += 1
        node.jobs += 1
        job.node, job.state = node, "pending"
        return
    job.state = "failed"
    job.problem = "no Scrapyd node could take the job"


def _poll(waiting: list[_Job], report: Progress, problems: list[str]) -> list[_Job]:
    """Update the jobs' states from their nodes; the jobs that have ended since the last poll."""
    ended = []
    for node in {id(job.node): job.node for job in waiting if job.node}.values():
        mine = [job for job in waiting if job.node is node]
        try:
            listed = node.client.jobs()
        except NodeError as error:
            node.strikes += 1
            if node.strikes >= STRIKES:
                problems.append(f"{error} (its jobs were lost)")
                for job in mine:
                    job.state, job.problem = "failed", f"{node.client.url} stopped answering"
                    report(job.index, "failed", node.client.url, 0, 0)
            continue
        node.strikes = 0
        for job in mine:
            state = (
                "running"
                if job.job_id in listed.running
                else "pending"
                if job.job_id in listed.pending
                else "finished"  # listed finished, or forgotten by a restarted node
            )
            if state == "finished":
                ended.append(job)
            elif state != job.state:
                job.state = state
                report(job.index, state, node.client.url, 0, 0)
    return ended


def _settle(
    ended: list[_Job], engine: Engine, crawl_id: str, outcome: Dispatch, report: Progress
) -> None:
    """A job Scrapyd says has ended: finished with its run row, else failed and why."""
    rows = _rows_by_source(engine, crawl_id)
    for job in ended:
        row = rows.get((job.source.kind, job.source.url))
        assert job.node is not None
        node = job.node.client
        if row is None or row.finished is None:
            job.state = "failed"
            why = node.last_error(job.source.kind, job.job_id)
            job.problem = (
                f"the job {job.job_id} on {node.url} ended without recording a finished run"
                + (
                    f": {why}"
                    if why
                    else f"; see its log {node.log_url(job.source.kind, job.job_id)}"
                )
            )
            report(job.index, "failed", node.url, 0, 0)
        else:
            job.state = "finished"
            report(job.index, "finished", node.url, row.pages, row.new)


def _cancel(waiting: list[_Job]) -> None:
    for job in waiting:
        if job.node is None:
            continue
        with contextlib.suppress(NodeError):  # a node that is gone took its job with it
            job.node.client.cancel(job.job_id)
        job.problem = job.problem or "cancelled"


def _rows_by_source(engine: Engine, crawl_id: str) -> dict[tuple[str, str], Any]:
    return {(row.kind, row.source_url): row for row in runs_of_crawl(engine, crawl_id)}


def _read_results(jobs: list[_Job], engine: Engine, crawl_id: str, outcome: Dispatch) -> None:
    rows = _rows_by_source(engine, crawl_id)
    for job in jobs:
        row = rows.get((job.source.kind, job.source.url))
        result = outcome.results[job.index]
        if row is not None:
            result.pages, result.new, result.updated = row.pages, row.new, row.updated
            result.errors, result.found, result.last_error = row.errors, row.found, row.last_error
            result.status = row.status
        if job.state == "failed" or (row is not None and row.finished is None):
            result.status = "failed"
        if (job.problem and job.problem != "cancelled") or result.status == "failed":
            where = f" on {job.node.client.url}" if job.node else ""
            outcome.problems.append(
                f"{job.source.kind} {job.source.url}{where}: {job.problem or result.status}"
            )
