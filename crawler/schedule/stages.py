"""The stages of a cycle, each returning what it did as one line for the log.

Each stage reads what the previous one stored, so a stage that fails leaves the others able to
run: the report is rebuilt even when a source is down or the SMTP server refuses the alert.
The crawl runs as `python -m crawler crawl` in its own process (a Twisted reactor cannot be
restarted, and a crawl's memory goes back to the system when the process ends); what it did is
read back from the `crawl_runs` rows it wrote.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine

from crawler.config import Config
from crawler.runs import new_crawl_id, runs_of_crawl
from crawler.schedule.logs import get_logger
from crawler.schedule.stop import StopRequest

Status = Literal["ok", "failed", "skipped", "stopped"]
POLL_SECONDS = 0.5  # how often a waiting crawl checks its time limit
KILL_AFTER = 20.0  # seconds a crawl asked to end may take to close its spiders before SIGKILL
_UNFINISHED = {"running", "not run"}


@dataclass(frozen=True, slots=True)
class StageResult:
    name: str
    status: Status
    summary: str
    seconds: float = 0.0

    def line(self) -> str:
        shown = "" if self.status == "ok" else f"{self.status.upper()}: "
        return f"{self.name}: {shown}{self.summary} ({self.seconds:.1f} s)"


def crawl(
    config: Config,
    config_path: Path,
    engine: Engine,
    stop: StopRequest,
    *,
    lock_fd: int | None = None,
) -> tuple[Status, str, list[str]]:
    """Crawl every source in a subprocess, or on the `[crawl] scrapyd` nodes; status, summary
    and one line per failed source."""
    if not config.sources:
        return "skipped", "no [[sources]] in the config", []
    if config.crawl.scrapyd:
        return crawl_on_nodes(config, config_path, engine, stop)
    crawl_id = new_crawl_id()
    command = [sys.executable, "-m", "crawler", "crawl", "--config", str(config_path)]
    command += ["--crawl-id", crawl_id]
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(
            command,
            cwd=config.root,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            # Its own session: a Ctrl-C in the terminal reaches this process only, which then
            # ends the crawl once, gracefully (a second signal makes Scrapy stop uncleanly).
            start_new_session=True,
            pass_fds=() if lock_fd is None else (lock_fd,),
        )
        with stop.child(process):
            code, ended = _wait(process, config.schedule.crawl_timeout, stop)
        output.seek(0)
        said = output.read().decode("utf-8", errors="replace").strip().splitlines()
    # Only this crawl's runs: a manual `passaparola crawl` meanwhile is not this cycle's.
    summary, problems = _tally(config, runs_of_crawl(engine, crawl_id))
    if said and (code != 0 or ended or problems):  # Scrapy's own words say why: keep them
        get_logger().debug("crawl output:\n" + "\n".join(said[-200:]))
    if ended == "stopped" or stop.requested:
        return "stopped", f"{summary}; stopped on request", problems
    if ended == "timed out":
        limit = config.schedule.crawl_timeout
        return "failed", f"{summary}; stopped after the {limit:g} s crawl_timeout", problems
    if code not in (0, 1):
        last = next((line for line in reversed(said) if any(c.isalnum() for c in line)), "")
        return (
            "failed",
            f"the crawl exited with status {code}: {last.strip() or 'no output'}",
            problems,
        )
    if code == 1 or problems:
        failed = len(problems)
        return "failed", f"{summary}; {failed} of {len(config.sources)} sources failed", problems
    return "ok", summary, []


def crawl_on_nodes(
    config: Config, config_path: Path, engine: Engine, stop: StopRequest
) -> tuple[Status, str, list[str]]:
    """The crawl as one Scrapyd job per source (`crawler.dispatch`), summed up like a local one."""
    from crawler.dispatch.jobs import dispatch_crawl

    crawl_id = new_crawl_id()
    outcome = dispatch_crawl(
        config,
        config_path,
        engine,
        config.crawl.scrapyd,
        crawl_id=crawl_id,
        should_stop=lambda: stop.requested,
        timeout=config.schedule.crawl_timeout,
    )
    summary, bad = _tally(config, runs_of_crawl(engine, crawl_id))
    spread = ", ".join(f"{url} {count}" for url, count in outcome.jobs_per_node.items())
    summary += f"; jobs per node: {spread or 'none'}"
    problems = outcome.problems or bad
    if outcome.stopped or stop.requested:
        return "stopped", f"{summary}; stopped on request", problems
    if outcome.timed_out:
        limit = config.schedule.crawl_timeout
        return "failed", f"{summary}; stopped after the {limit:g} s crawl_timeout", problems
    failed = len(outcome.failed)
    if problems:
        return "failed", f"{summary}; {failed} of {len(config.sources)} sources failed", problems
    return "ok", summary, []


def _tally(config: Config, runs: Sequence[Any]) -> tuple[str, list[str]]:
    """A crawl's summary line from its runs, and one line per source that failed or never ran."""
    totals = {key: sum(getattr(run, key) for run in runs) for key in ("pages", "new", "updated")}
    errors = sum(run.errors for run in runs)
    summary = (
        f"{len(config.sources)} sources, {totals['pages']} pages, {totals['new']} new, "
        f"{totals['updated']} updated, {errors} errors"
    )
    status_by_url = {run.source_url: run.status for run in runs}
    bad = [
        (source, status)
        for source in config.sources
        if (status := status_by_url.get(source.url, "not run")) in {"failed", *_UNFINISHED}
    ]
    return summary, [f"{source.kind} {source.url}: {status}" for source, status in bad]


def _wait(process: subprocess.Popen[bytes], limit: float, stop: StopRequest) -> tuple[int, str]:
    """Wait for the crawl; end it on a stop request or after `limit` seconds."""
    deadline = time.monotonic() + limit
    ended, asked_at = "", 0.0
    while True:
        try:
            return process.wait(timeout=POLL_SECONDS), ended
        except subprocess.TimeoutExpired:
            pass
        now = time.monotonic()
        if not ended and (stop.requested or now >= deadline):
            ended, asked_at = ("stopped" if stop.requested else "timed out"), now
            process.terminate()  # already done by `stop` for a stop request; harmless twice
        elif ended and now - asked_at > KILL_AFTER:
            process.kill()


def score(config: Config, engine: Engine) -> tuple[Status, str]:
    """Score what the crawl left unscored (the crawl pipeline scores as it stores)."""
    from crawler.rescore import rescore_mentions

    result = rescore_mentions(engine, config.sentiment, only_missing=True)
    return "ok", f"{result.scored} mentions the crawl left unscored"


def alerts(config: Config, engine: Engine) -> tuple[Status, str]:
    """Detect spikes, record them, send what is due; a failed send fails the stage.

    Without recipients alerts are still recorded (as unsent) and shown in the report.
    """
    from crawler.alerts import run_alerts

    run = run_alerts(config, engine)
    for warning in run.warnings:
        get_logger().warning(f"alerts: {warning}")
    summary = "; ".join(line.strip() for line in run.summary().splitlines())
    return ("failed" if run.delivery_failed else "ok"), summary


def report(config: Config, engine: Engine) -> tuple[Status, str]:
    """Rebuild the report site; runs to its end once started (never half-written by a stop)."""
    from crawler.report import build_report

    result = build_report(config, engine)
    warned = f" ({len(result.warnings)} mkdocs warnings)" if result.warnings else ""
    return "ok", f"{result.pages} pages from {result.mentions} mentions{warned}"


def digest(config: Config, engine: Engine) -> tuple[Status, str]:
    """The period's digest once its `[digest] cron` time has come (after the report it links)."""
    from datetime import UTC, datetime

    from crawler.digest import due_period, run_digest

    now = datetime.now(UTC)
    fire = due_period(config, now)
    if fire is None:
        return "skipped", "no [digest] cron" if not config.digest.cron.strip() else "not due yet"
    run = run_digest(config, engine, now=now, at=fire)
    summary = "; ".join(line.strip() for line in run.summary().splitlines())
    if run.delivery_failed:
        return "failed", summary
    return ("ok" if run.recorded or run.sent or run.channels.sent else "skipped"), summary
