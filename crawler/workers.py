"""Worker processes for a crawl's CPU work (extracting pages, scoring texts), on other cores.

Scrapy runs on one core, and that core is a crawl's bottleneck. A `WorkerPool` runs the jobs of
a fixed table (`crawler.jobs.JOBS`: extract a blog page, a forum page, review pages, what a
feed or sitemap links to; score texts) in `workers` plain child processes, so the reactor is
left to downloading and to Scrapy's own work.

The pool lives on the crawl's event loop, with no thread: a job is pickled into its worker's
stdin (non-blocking, the rest written when the pipe has room) and its answer read from the
worker's stdout when the loop says it is readable, so a worker always has the next jobs queued
and never waits for the reactor to hand over the GIL. A job's exception is sent back and raised
again, with its type, where it was awaited: a spider sees what extracting in its own process
would have raised.

A worker that dies is restarted and the jobs it had are sent again; the job it was doing is
blamed, and a job that kills a second worker fails with `WorkerCrashed` (a page, then, that the
crawl counts as a parse error). Workers that keep dying without doing anything make the pool
give up (`WorkersUnavailable`): callers then do the work in their own process.

Not `ProcessPoolExecutor`: its queues need named semaphores, and with the spawn start method (the
only safe one beside a running reactor) those start multiprocessing's resource tracker, one more
process per crawl. A crawl is then exactly the crawling process plus `workers` workers.
"""

from __future__ import annotations

import asyncio
import contextlib
import copyreg
import logging
import os
import pickle
import struct
import subprocess
import sys
from collections import deque
from dataclasses import dataclass, field
from datetime import timedelta, timezone
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

_PACKAGE_ROOT = str(Path(__file__).resolve().parents[1])  # the folder holding `crawler/`
_HEADER = struct.Struct("!I")  # every message: its length, then its pickle
# What one read of a worker's answers asks for: a pipe's own capacity. Asking for more gains
# nothing (a pipe holds 64 KiB) and costs much: `os.read` allocates the whole size first, and
# a 1 MiB buffer is mapped and unmapped by the allocator at every read (15 µs, against 1 µs).
_READ_SIZE = 1 << 16
# A worker dying this many times in a row, with no job done in between, is not a page's fault.
_DEATHS_BEFORE_GIVING_UP = 4


def _timezone_arguments(zone: timezone) -> tuple[type[timezone], tuple[timedelta, ...]]:
    return timezone, zone.__getinitargs__()


# Every aware datetime a job gets or gives carries a `datetime.timezone` (the fetch time's UTC,
# a comment's +01:00), which Python pickles through `object.__reduce_ex__`'s generic path: it
# looks the type's slot names up again at each call (their cache cannot be stored on a built-in
# type) and raises and catches an exception doing so, half the cost of pickling an aware
# datetime. Pickled as its constructor's arguments instead, in both processes (each imports this
# module); the same object comes back (`timezone.utc` itself for UTC).
copyreg.pickle(timezone, _timezone_arguments)


class WorkerError(Exception):
    """A worker could not do a job."""


class WorkerCrashed(WorkerError):
    """The job killed its worker twice (say, a page that exhausts a worker's memory)."""


class WorkersUnavailable(WorkerError):
    """The pool is closed, or its workers die at start: do the work in this process."""


@dataclass(eq=False)
class _Job:
    name: str
    frame: bytes  # header and pickle, made once: a job sent again is not pickled again
    future: asyncio.Future[Any]
    deaths: int = 0


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen[bytes]
    pending: deque[_Job] = field(default_factory=deque)  # sent, in order, not yet answered
    unsent: bytearray = field(default_factory=bytearray)  # what the pipe had no room for yet
    received: bytearray = field(default_factory=bytearray)
    loop: asyncio.AbstractEventLoop | None = None

    @property
    def jobs_in(self) -> int:
        return self.process.stdin.fileno()

    @property
    def answers(self) -> int:
        return self.process.stdout.fileno()


class WorkerPool:
    """`workers` worker processes, started by `start()` or on the first job."""

    def __init__(self, workers: int):
        if workers < 1:
            raise ValueError("a worker pool needs at least one worker")
        self.workers = workers
        self.restarts = 0  # workers started again after one died (for the summary and tests)
        self.submitted = 0  # jobs sent, for tests and benchmarks
        self._running: list[_Worker] = []
        self._deaths_in_a_row = 0
        self._closed = False

    def start(self) -> None:
        """Start the workers now rather than on the first job, so they load the language model
        and the extraction code while the crawl is still starting."""
        while len(self._running) < self.workers and not self._closed:
            self._running.append(_Worker(_spawn()))

    @property
    def pids(self) -> list[int]:
        """Process ids of the running workers (for tests and benchmarks)."""
        return [worker.process.pid for worker in self._running if worker.process.poll() is None]

    async def run(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """The result of job `name` (see `crawler.jobs.JOBS`) done by a worker; raises what
        the job raised, `WorkerCrashed` or `WorkersUnavailable`."""
        return await self.submit(name, *args, **kwargs)

    def submit(self, name: str, *args: Any, **kwargs: Any) -> asyncio.Future[Any]:
        """Send job `name` to the least busy worker; its future on the running event loop."""
        if self._closed:
            raise WorkersUnavailable("the worker pool is closed")
        loop = asyncio.get_running_loop()
        self.start()
        payload = pickle.dumps((name, args, kwargs), protocol=pickle.HIGHEST_PROTOCOL)
        job = _Job(name, _HEADER.pack(len(payload)) + payload, loop.create_future())
        self._send(self._least_busy(loop), job)
        self.submitted += 1
        return job.future

    def close(self) -> None:
        """End every worker (closing its stdin ends its loop); jobs still waiting fail."""
        self._closed = True
        workers, self._running = self._running, []
        for worker in workers:
            self._detach(worker)
            _end(worker.process)
            self._fail(worker.pending, WorkersUnavailable("the worker pool was closed"))

    def _least_busy(self, loop: asyncio.AbstractEventLoop) -> _Worker:
        worker = min(self._running, key=lambda each: len(each.pending))
        if worker.loop is not loop:
            self._attach(worker, loop)
        return worker

    def _attach(self, worker: _Worker, loop: asyncio.AbstractEventLoop) -> None:
        """Read the worker's answers on `loop` (a pool outlives a test's event loop)."""
        self._detach(worker)
        os.set_blocking(worker.jobs_in, False)
        os.set_blocking(worker.answers, False)
        loop.add_reader(worker.answers, self._read, worker)
        worker.loop = loop
        if worker.unsent:
            loop.add_writer(worker.jobs_in, self._write, worker)

    def _detach(self, worker: _Worker) -> None:
        loop, worker.loop = worker.loop, None
        if loop is not None and not loop.is_closed():
            loop.remove_reader(worker.answers)
            loop.remove_writer(worker.jobs_in)

    def _send(self, worker: _Worker, job: _Job) -> None:
        worker.pending.append(job)
        if worker.unsent:
            worker.unsent += job.frame
            return
        try:
            written = os.write(worker.jobs_in, job.frame)
        except BlockingIOError:
            written = 0
        except OSError:  # the worker is gone; its reader sees the end of its answers
            return
        if written < len(job.frame):
            worker.unsent += job.frame[written:]
            worker.loop.add_writer(worker.jobs_in, self._write, worker)

    def _write(self, worker: _Worker) -> None:
        try:
            written = os.write(worker.jobs_in, worker.unsent)
        except BlockingIOError:
            return
        except OSError:
            worker.loop.remove_writer(worker.jobs_in)
            return
        del worker.unsent[:written]
        if not worker.unsent:
            worker.loop.remove_writer(worker.jobs_in)

    def _read(self, worker: _Worker) -> None:
        try:
            data = os.read(worker.answers, _READ_SIZE)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._died(worker)
            return
        received = worker.received
        received += data
        start = 0
        while len(received) - start >= _HEADER.size:
            (size,) = _HEADER.unpack_from(received, start)
            end = start + _HEADER.size + size
            if len(received) < end:
                break
            self._answer(worker, received[start + _HEADER.size : end])
            start = end
        del received[:start]

    def _answer(self, worker: _Worker, message: bytes | bytearray) -> None:
        job = worker.pending.popleft()
        self._deaths_in_a_row = 0
        if job.future.done():  # cancelled: the spider or the crawl stopped waiting
            return
        try:
            failed, value = pickle.loads(message)
        except Exception as error:  # an answer this process cannot read
            job.future.set_exception(WorkerError(f"unreadable answer to {job.name}: {error!r}"))
            return
        if failed:
            job.future.set_exception(value)
        else:
            job.future.set_result(value)

    def _died(self, worker: _Worker) -> None:
        """Blame the job the worker was doing, start another worker, send it the rest."""
        loop = worker.loop
        self._detach(worker)
        status = _end(worker.process)
        if worker in self._running:
            self._running.remove(worker)
        jobs = [job for job in worker.pending if not job.future.done()]
        self._deaths_in_a_row += 1
        if jobs:
            jobs[0].deaths += 1
        retried = [job for job in jobs if job.deaths < 2]
        for job in jobs:
            if job.deaths >= 2:
                job.future.set_exception(
                    WorkerCrashed(f"{job.name} killed two workers (the last exited {status})")
                )
        if self._closed:
            return
        if self._deaths_in_a_row >= _DEATHS_BEFORE_GIVING_UP:
            logger.error("workers keep dying at start (exit %s); working in-process", status)
            self.close()
            self._fail(retried, WorkersUnavailable(f"workers keep dying (exit {status})"))
            return
        logger.warning(
            "worker %d exited %s with %d jobs; another one does them",
            worker.process.pid,
            status,
            len(jobs),
        )
        self.restarts += 1
        replacement = _Worker(_spawn())
        self._running.append(replacement)
        if retried:
            self._attach(replacement, loop)
            for job in retried:
                self._send(replacement, job)

    @staticmethod
    def _fail(jobs: Any, error: Exception) -> None:
        for job in jobs:
            # A pool closed after its event loop (a crawl that ended abruptly) has nobody to tell.
            if not job.future.done() and not job.future.get_loop().is_closed():
                job.future.set_exception(error)


def _spawn() -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", "from crawler.workers import main; main()"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": _python_path()},
        # Its own process group: a Ctrl-C meant for the crawl does not kill a job midway; the
        # crawl ends the workers itself when its spiders have closed.
        start_new_session=True,
    )


def _python_path() -> str:
    """PYTHONPATH for a worker: this package first, so a source checkout works uninstalled."""
    current = os.environ.get("PYTHONPATH")
    return os.pathsep.join([_PACKAGE_ROOT, current] if current else [_PACKAGE_ROOT])


def _end(process: subprocess.Popen[bytes]) -> int | None:
    """End a worker: close its pipes (a live one then leaves its loop) and wait for it."""
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    try:
        return process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


def _read_exactly(stream: Any, size: int) -> bytes | None:
    data = stream.read(size)
    if len(data) < size:
        return None  # the crawl closed the pool (or died)
    return data


def _reply(results: Any, failed: bool, value: Any) -> None:
    try:
        message = pickle.dumps((failed, value), protocol=pickle.HIGHEST_PROTOCOL)
        if failed:
            pickle.loads(message)  # an exception its own class cannot rebuild is sent as text
    except Exception as error:  # whatever made the answer unpicklable
        message = pickle.dumps((True, WorkerError(f"{value!r} (not sent back: {error!r})")))
    results.write(_HEADER.pack(len(message)) + message)
    results.flush()


def main() -> None:
    """A worker's loop: one job in, its result or its exception out, until stdin closes."""
    import gc

    from crawler.jobs import job_function, warm_up

    jobs = sys.stdin.buffer
    # The answers get their own descriptor; anything a library prints goes to stderr instead.
    results = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    warm_up()
    gc.freeze()  # the model and the extraction code live as long as the worker: never rescan
    while True:
        header = _read_exactly(jobs, _HEADER.size)
        if header is None:
            return
        message = _read_exactly(jobs, _HEADER.unpack(header)[0])
        if message is None:
            return
        try:
            name, args, kwargs = pickle.loads(message)
            value = job_function(name)(*args, **kwargs)
        except Exception as error:  # sent back, raised again in the crawl
            _reply(results, True, error)
        else:
            _reply(results, False, value)
