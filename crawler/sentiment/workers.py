"""Scoring in worker processes, so a crawl also uses the machine's other cores.

Each worker is a plain child process (`python -c … main()`) that reads `(text, lang, rating)`
jobs from its stdin and writes `Sentiment` results to its stdout, pickled. One thread per worker
feeds it, so the pool hands out `concurrent.futures.Future`s like an executor does.

Not `ProcessPoolExecutor`: its queues need named semaphores, and with the spawn start method (the
only safe one beside a running reactor) those start multiprocessing's resource tracker, one more
process per crawl. A crawl is then exactly the crawling process plus `workers` scorers.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import subprocess
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from crawler.sentiment.labels import Sentiment
from crawler.sentiment.scorer import Scorer

_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])  # the folder holding `crawler/`


class ScoringWorkerError(Exception):
    """A worker process died or answered nonsense; the job can be scored in-process instead."""


class ScoringPool:
    """`workers` scoring processes, started on first use, each fed by its own thread."""

    def __init__(self, workers: int, negative_below: float, positive_above: float):
        if workers < 1:
            raise ValueError("a scoring pool needs at least one worker")
        self.workers = workers
        self.thresholds = (negative_below, positive_above)
        self._threads = ThreadPoolExecutor(workers, thread_name_prefix="passaparola-scoring")
        self._local = threading.local()
        self._lock = threading.Lock()
        self._processes: list[subprocess.Popen[bytes]] = []
        self._closed = False

    def start(self) -> None:
        """Start the workers now rather than on the first text, so they load the language model
        while the crawl is still starting (each worker starts on its thread's first job)."""
        for _ in range(self.workers):
            self._threads.submit(self._worker)

    def submit(self, text: str, lang: str | None, rating: float | None) -> Future[Sentiment]:
        """Score `text` in a worker; the future raises `ScoringWorkerError` if the worker fails."""
        return self._threads.submit(self._score, text, lang, rating)

    @property
    def pids(self) -> list[int]:
        """Process ids of the running workers (for tests and benchmarks)."""
        with self._lock:
            return [process.pid for process in self._processes if process.poll() is None]

    def close(self) -> None:
        """Finish queued jobs, then end every worker (closing its stdin ends its loop)."""
        self._threads.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            self._closed = True
            processes, self._processes = self._processes, []
        for process in processes:
            _end(process)

    def _score(self, text: str, lang: str | None, rating: float | None) -> Sentiment:
        process = self._worker()
        try:
            pickle.dump((text, lang, rating), process.stdin)
            process.stdin.flush()
            result = pickle.load(process.stdout)
        except (OSError, EOFError, pickle.UnpicklingError) as error:
            self._forget(process)
            raise ScoringWorkerError(f"scoring worker {process.pid} failed: {error}") from None
        if not isinstance(result, Sentiment):
            self._forget(process)
            raise ScoringWorkerError(f"scoring worker {process.pid} answered {result!r}")
        return result

    def _worker(self) -> subprocess.Popen[bytes]:
        """This thread's worker process, (re)started when it has none."""
        process = getattr(self._local, "process", None)
        if process is not None and process.poll() is None:
            return process
        with self._lock:
            if self._closed:
                raise ScoringWorkerError("the scoring pool is closed")
            process = subprocess.Popen(
                [sys.executable, "-c", "from crawler.sentiment.workers import main; main()"]
                + [repr(value) for value in self.thresholds],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env={**os.environ, "PYTHONPATH": _python_path()},
                # Its own process group: a Ctrl-C meant for the crawl does not kill scoring
                # midway; the crawl ends the workers itself when its spiders have closed.
                start_new_session=True,
            )
            self._processes.append(process)
        self._local.process = process
        return process

    def _forget(self, process: subprocess.Popen[bytes]) -> None:
        with self._lock:
            if process in self._processes:
                self._processes.remove(process)
        self._local.process = None
        _end(process)


def _python_path() -> str:
    """PYTHONPATH for a worker: this package first, so a source checkout works uninstalled."""
    current = os.environ.get("PYTHONPATH")
    return os.pathsep.join([_PACKAGE_ROOT, current] if current else [_PACKAGE_ROOT])


def _end(process: subprocess.Popen[bytes]) -> None:
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def main() -> None:
    """A worker's loop: one pickled job in, one pickled `Sentiment` out, until stdin closes."""
    negative_below, positive_above = (float(value) for value in sys.argv[1:3])
    jobs = sys.stdin.buffer
    # The results get their own descriptor; anything a library prints goes to stderr instead.
    results = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    scorer = Scorer(negative_below, positive_above)
    scorer.warm_up()
    gc.freeze()  # the model and lexicons live as long as the worker: never scan them again
    while True:
        try:
            text, lang, rating = pickle.load(jobs)
        except EOFError:
            return
        pickle.dump(scorer.score(text, lang=lang, rating=rating), results)
        results.flush()
