"""One cycle: crawl, score, alerts, report, under the project's lock; `passaparola run`.

A failing stage does not stop the others (each reads what is stored); a stop request (SIGTERM,
Ctrl-C) ends the crawl subprocess or waits for the running stage to finish, then skips the rest.
The result says what failed, and the exit status of `passaparola run` follows it:

    0   every stage ran (or had nothing to do)
    1   a stage failed (the log says which and why)
    2   the config is invalid, or the store or the report's folders cannot be used (nothing ran)
    75  another cycle is running on this project (nothing ran, the store was not opened)
    128+N  stopped by signal N (143 for SIGTERM, 130 for Ctrl-C)
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.exc import SQLAlchemyError

from crawler.config import Config, ConfigError, load_config
from crawler.schedule import stages
from crawler.schedule.files import lock_file, log_file
from crawler.schedule.lock import CycleLock, CycleLocked
from crawler.schedule.logs import cycle_logging
from crawler.schedule.stages import StageResult, Status
from crawler.schedule.stop import StopRequest
from crawler.schedule.store_lock import StoreCycleLock
from crawler.schema import StoreError

STAGES = ("crawl", "score", "alerts", "report", "digest")
EXIT_OK, EXIT_FAILED, EXIT_UNUSABLE, EXIT_LOCKED = 0, 1, 2, 75  # 75: EX_TEMPFAIL, "try later"


@dataclass(slots=True)
class CycleResult:
    label: str
    stages: list[StageResult] = field(default_factory=list)
    seconds: float = 0.0
    stopped: bool = False
    unusable: str | None = None  # why nothing ran: the store or a report folder cannot be used

    @property
    def failed(self) -> list[StageResult]:
        return [stage for stage in self.stages if stage.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.stopped

    def summary(self) -> str:
        took = f"{self.label} finished in {self.seconds:.1f} s"
        if self.failed:
            failed = "; ".join(f"{stage.name} ({stage.summary})" for stage in self.failed)
            took += f"; FAILED: {failed}"
        if self.stopped:
            done = [stage.name for stage in self.stages if stage.status not in ("skipped",)]
            took += f"; stopped on request after {', '.join(done) or 'no stage'}"
        if self.ok:
            took += ": all stages ok"
        return took


def run_cycle(
    config_path: Path,
    *,
    stop: StopRequest,
    log: logging.Logger,
    config: Config | None = None,
    label: str = "cycle",
    command: str = "passaparola run",
) -> CycleResult:
    """Run the stages in order under the lock; raises `CycleLocked` before touching anything.

    The lock is the project's lock file and, on a PostgreSQL store, the store's advisory lock
    (`crawler.schedule.store_lock`): then a cycle on another machine sharing the store skips.

    `config` defaults to reading `config_path` now, so a long-running scheduler picks up edits
    to the file at its next cycle.
    """
    started = time.monotonic()
    result = CycleResult(label)
    if config is None:
        try:
            config = load_config(config_path)
        except ConfigError as error:
            log.error(f"{label}: not run: {error}")
            result.stages.append(StageResult("config", "failed", str(error)))
            return result
    with CycleLock(lock_file(config), command=command) as lock:
        store_lock = StoreCycleLock(config.database_url, command=command)
        try:
            store_lock.acquire()  # PostgreSQL: one cycle for every machine sharing the store
        except StoreError as error:
            result.unusable = str(error)
        if result.unusable is None:
            result.unusable = unusable(config)
        if result.unusable is not None:
            store_lock.release()
            log.error(f"{label}: not run: {result.unusable}")
            return result
        try:
            log.info(f"{label} started ({config_path})")
            if lock.stale is not None:
                log.warning(
                    f"{label}: took over the lock of a cycle that did not finish "
                    f"({lock.stale.describe()})"
                )
            _stages(config, config_path, stop, log, result, lock.fileno())
        finally:
            store_lock.release()
    result.seconds = time.monotonic() - started
    result.stopped = stop.requested
    level = logging.ERROR if result.failed else logging.WARNING if result.stopped else logging.INFO
    log.log(level, result.summary())
    return result


def unusable(config: Config) -> str | None:
    """Why no stage can do its work, in one line, or None: the store cannot be opened or written
    (damaged, locked past its timeout, read-only), or reports/ or site/ cannot be written.

    Checked before a cycle, so such a cycle is one clear line, not four failed stages. Runs a
    killed crawl left `running` are marked `interrupted` on the way.
    """
    from crawler.report.build import check_writable
    from crawler.report.site import ReportError
    from crawler.runs import claim_store
    from crawler.store import StoreError, open_engine

    try:
        engine = open_engine(config.database_url)
        try:
            claim_store(engine)
        finally:
            engine.dispose()
        for folder in ("reports", "site"):
            check_writable(config.path(folder))
    except (StoreError, ReportError) as error:
        return str(error)
    return None


def _stages(
    config: Config,
    config_path: Path,
    stop: StopRequest,
    log: logging.Logger,
    result: CycleResult,
    lock_fd: int,
) -> None:
    from crawler.store import StoreError, open_engine

    try:
        engine = open_engine(config.database_url)
    except StoreError as error:
        for name in STAGES:
            result.stages.append(StageResult(name, "failed", str(error)))
            log.error(result.stages[-1].line())
        return
    problems: list[str] = []

    def crawl() -> tuple[Status, str]:
        status, summary, found = stages.crawl(config, config_path, engine, stop, lock_fd=lock_fd)
        problems.extend(found)
        return status, summary

    runners: dict[str, Callable[[], tuple[Status, str]]] = {
        "crawl": crawl,
        "score": lambda: stages.score(config, engine),
        "alerts": lambda: stages.alerts(config, engine),
        "report": lambda: stages.report(config, engine),
        "digest": lambda: stages.digest(config, engine),
    }
    try:
        for name in STAGES:
            if stop.requested:
                result.stages.append(StageResult(name, "skipped", "stopping"))
                continue
            stage = _timed(name, runners[name], log)
            result.stages.append(stage)
            _log_stage(log, stage)
            if stage.status == "failed":
                for problem in problems:
                    log.warning(f"  {problem}")
            problems.clear()
    finally:
        engine.dispose()


def _timed(name: str, runner: Callable[[], tuple[Status, str]], log: logging.Logger) -> StageResult:
    from crawler.alerts import AlertError
    from crawler.report import ReportError
    from crawler.store import StoreError

    started = time.monotonic()
    try:
        status, summary = runner()
    except (AlertError, ReportError, StoreError, ConfigError, OSError) as error:
        status, summary = "failed", _one_line(error)
    except SQLAlchemyError as error:
        status, summary = "failed", f"store: {_one_line(getattr(error, 'orig', None) or error)}"
    except Exception as error:  # a bug must not stop the other stages; the file keeps the trace
        status, summary = "failed", f"{type(error).__name__}: {_one_line(error)}"
        log.debug(f"{name}: traceback", exc_info=True)
    return StageResult(name, status, summary, time.monotonic() - started)


def _log_stage(log: logging.Logger, stage: StageResult) -> None:
    level = {"failed": logging.ERROR, "stopped": logging.WARNING}.get(stage.status, logging.INFO)
    log.log(level, stage.line())


def _one_line(error: object) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def run_once(config: Config, config_path: Path, *, quiet: bool = False) -> int:
    """`passaparola run`: one cycle with logs to stderr and the log file; the exit status."""
    stop = StopRequest()
    zone = ZoneInfo(config.schedule.timezone)
    with cycle_logging(log_file(config), zone, quiet=quiet) as log, stop.on_signals():
        try:
            result = run_cycle(config_path, stop=stop, log=log, config=config)
        except CycleLocked as locked:
            log.error(str(locked))
            return EXIT_LOCKED
        except OSError as error:  # the lock file cannot be created: a permissions problem
            log.error(f"cannot take the cycle lock: {error}")
            return EXIT_FAILED
    if result.unusable is not None:
        return EXIT_UNUSABLE
    if stop.requested:
        return stop.exit_status
    return EXIT_OK if result.ok else EXIT_FAILED
