"""`passaparola schedule`: the cycle on the config's cron expression, for months, unattended.

APScheduler 3's BlockingScheduler keeps the time: the job runs in the main thread (its
DebugExecutor), so two cycles can never overlap, whatever the schedule. What APScheduler is asked
to do, and why:

- `coalesce=True`, `misfire_grace_time=None`: a cycle that comes due late (the machine slept, the
  previous cycle ran long) runs as soon as possible rather than being dropped, and several missed
  run times collapse into one cycle;
- a wake-up every `HEARTBEAT` seconds: the scheduler's wait is measured on a clock that stops
  while the machine sleeps, so after a night of suspend it would otherwise wait on;
- at start, a cycle that was due while the scheduler was not running (the newest crawl is older
  than the last scheduled time) runs at once; then the cron expression is followed.

The cycle re-reads the config file each time (edits take effect at the next cycle; a change of
`[schedule]` needs a restart). SIGTERM or Ctrl-C stop it between stages and exit with status 0.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_SCHEDULER_STARTED
from apscheduler.executors.debug import DebugExecutor
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.blocking import BlockingScheduler

from crawler.config import Config, ScheduleConfig
from crawler.schedule.cycle import run_cycle, unusable
from crawler.schedule.files import log_file
from crawler.schedule.lock import CycleLocked
from crawler.schedule.logs import cycle_logging
from crawler.schedule.stop import StopRequest
from crawler.schedule.trigger import CrontabTrigger

HEARTBEAT = 30.0  # seconds between wake-ups that notice the wall clock jumped (resume, NTP)
JOB_ID = "cycle"


def next_run_times(
    schedule: ScheduleConfig, count: int, *, after: datetime | None = None
) -> list[datetime]:
    """The next `count` run times of the schedule, aware, in its time zone."""
    trigger = CrontabTrigger.from_config(schedule)
    return trigger.next_times(after or datetime.now(UTC), count)


class _Cycles:
    """The scheduled job: one numbered cycle, then the announcement of the next run time."""

    def __init__(
        self,
        config_path: Path,
        trigger: CrontabTrigger,
        stop: StopRequest,
        log: logging.Logger,
        scheduler: BlockingScheduler,
    ) -> None:
        self.config_path = config_path
        self.trigger = trigger
        self.stop = stop
        self.log = log
        self.scheduler = scheduler
        self.count = 0

    def __call__(self) -> None:
        if self.stop.requested:
            return
        self.count += 1
        label = f"cycle {self.count}"
        started = datetime.now(UTC)
        try:
            run_cycle(
                self.config_path,
                stop=self.stop,
                log=self.log,
                label=label,
                command="passaparola schedule",
            )
        except CycleLocked as locked:
            self.log.warning(f"{label} skipped: {locked}")
        except OSError as error:
            self.log.error(f"{label} not run: cannot take the cycle lock: {error}")
        except Exception:  # whatever happens, the next cycle must still come
            self.log.exception(f"{label}: unexpected error")
        # A cycle leaves reference cycles behind (mkdocs' config and page objects, SQLAlchemy's
        # engine); left to the generational collector they pile up for several cycles (about
        # 14 MB on the demo) before a full collection. Collect now, while idle.
        gc.collect()
        if not self.stop.requested:
            self.announce(started)

    def announce(self, cycle_started: datetime) -> None:
        now = datetime.now(UTC)
        following = self.trigger.get_next_fire_time(None, cycle_started)
        if following is not None and following <= now:
            self.log.warning(
                f"a cycle came due at {_iso(following)} while this one ran: it runs now "
                "(missed run times are collapsed into one cycle)"
            )
        else:
            self.log.info(f"next cycle at {_iso(following)}")


def run_scheduler(config: Config, config_path: Path) -> int:
    """Run cycles on `[schedule] cron` until SIGTERM/Ctrl-C; the exit status (0 when stopped)."""
    zone = ZoneInfo(config.schedule.timezone)
    trigger = CrontabTrigger.from_config(config.schedule)
    stop = StopRequest()
    scheduler = BlockingScheduler(timezone=zone, executors={"default": DebugExecutor()})
    with cycle_logging(log_file(config), zone) as log:
        problem = unusable(config)
        if problem is not None:
            log.error(f"scheduler not started: {problem}")
            return 2
        cycles = _Cycles(config_path, trigger, stop, log, scheduler)
        first = _catch_up(config, trigger, log)
        scheduler.add_job(
            cycles,
            trigger=trigger,
            id=JOB_ID,
            name="passaparola cycle",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            **({"next_run_time": first} if first else {}),
        )
        upcoming = first or trigger.get_next_fire_time(None, datetime.now(UTC))

        def stop_scheduler(_event: object = None) -> None:
            if stop.requested:
                with suppress(SchedulerNotRunningError):
                    scheduler.shutdown(wait=False)

        scheduler.add_listener(stop_scheduler, EVENT_SCHEDULER_STARTED)
        with stop.on_signals(then=stop_scheduler), _heartbeat(scheduler):
            # Said only once a SIGTERM is heard: whoever waits for this line may stop us at once.
            log.info(
                f"scheduler started: cron {config.schedule.cron!r} in {zone.key}; "
                f"next cycle at {_iso(upcoming)}"
            )
            scheduler.start()
        log.info(f"scheduler stopped after {cycles.count} cycles")
    return 0


def _catch_up(config: Config, trigger: CrontabTrigger, log: logging.Logger) -> datetime | None:
    """Now, if a scheduled cycle was missed while the scheduler was not running."""
    from sqlalchemy import func, select

    from crawler.store import StoreError, crawl_runs, open_engine

    now = datetime.now(UTC)
    due = trigger.last_time(now)
    if due is None:
        return None
    try:
        engine = open_engine(config.database_url)
    except StoreError as error:
        log.warning(f"cannot read the store to look for a missed cycle: {error}")
        return None
    try:
        with engine.connect() as conn:
            newest = conn.execute(select(func.max(crawl_runs.c.started))).scalar()
    finally:
        engine.dispose()
    if newest is not None and newest >= due:
        return None
    since = (
        f"the last crawl at {_iso(newest.astimezone(trigger.zone))}" if newest else "no crawl yet"
    )
    log.info(f"a cycle was due at {_iso(due)} ({since}): running one now")
    return now.astimezone(trigger.zone)


@contextmanager
def _heartbeat(scheduler: BlockingScheduler) -> Iterator[None]:
    done = threading.Event()

    def beat() -> None:
        while not done.wait(HEARTBEAT):
            if scheduler.running:
                scheduler.wakeup()

    thread = threading.Thread(target=beat, name="passaparola-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()


def _iso(moment: datetime | None) -> str:
    return "never" if moment is None else moment.isoformat(timespec="seconds")
