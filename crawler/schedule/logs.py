"""Logs a person can follow: one line per stage, to stderr and to a rotating file by the store.

Times carry the schedule's time zone offset, like the run times the scheduler prints. The file
also keeps the traceback of an unexpected error (stderr gets its one-line summary).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

LOGGER = "passaparola.schedule"
MAX_BYTES = 1_000_000  # per file; with the backups about 6 MB of history, months of cycles
BACKUPS = 5


class _ZoneFormatter(logging.Formatter):
    def __init__(self, zone: ZoneInfo) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(message)s")
        self.zone = zone

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        moment = datetime.fromtimestamp(record.created, self.zone)
        return moment.isoformat(timespec="seconds")


def get_logger() -> logging.Logger:
    return logging.getLogger(LOGGER)


@contextmanager
def cycle_logging(
    path: Path, zone: ZoneInfo, *, stream: TextIO | None = None, quiet: bool = False
) -> Iterator[logging.Logger]:
    """Send the schedule's log to `stream` (stderr) and the rotating file `path` meanwhile.

    `quiet` keeps only warnings and errors on the stream (cron mails whatever a job prints).
    """
    logger = get_logger()
    formatter = _ZoneFormatter(zone)
    path.parent.mkdir(parents=True, exist_ok=True)
    to_file = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    to_file.setLevel(logging.DEBUG)
    to_stream = logging.StreamHandler(stream or sys.stderr)
    to_stream.setLevel(logging.WARNING if quiet else logging.INFO)
    handlers = (to_file, to_stream)
    for handler in handlers:
        handler.setFormatter(formatter)
        logger.addHandler(handler)
    previous = logger.level, logger.propagate
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    # APScheduler's own INFO lines ("Running job …") would double ours; keep its warnings.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    try:
        yield logger
    finally:
        for handler in handlers:
            logger.removeHandler(handler)
            handler.close()
        logger.setLevel(previous[0])
        logger.propagate = previous[1]
