"""What every crawler of one process shares: one database engine per URL, one worker pool.

Scrapy builds pipelines and extensions per crawler. Opened there, engines and worker pools
multiply with the sources: 40 sources meant 40 worker processes and 80 engines, and a database
server runs out of connections. Spiders, pipelines and extensions borrow them from here instead
and give them back when their spider closes; the last one given back is closed. `passaparola
crawl` holds both for its whole run, so they outlive every source's crawler and open exactly once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

from sqlalchemy import Engine

from crawler.store import open_engine
from crawler.workers import WorkerPool

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


class Borrowed(Generic[K, T]):
    """Values opened on first borrow for a key, closed when the last borrower gives them back."""

    def __init__(self, open_: Callable[[K], T], close: Callable[[T], None]):
        self._open = open_
        self._close = close
        self._lock = threading.Lock()
        self._held: dict[K, list] = {}  # key -> [value, borrowers]

    def borrow(self, key: K) -> T:
        with self._lock:
            held = self._held.get(key)
            if held is None:
                held = self._held[key] = [self._open(key), 0]
            held[1] += 1
            return held[0]

    def give_back(self, key: K) -> None:
        with self._lock:
            held = self._held[key]
            held[1] -= 1
            if held[1]:
                return
            del self._held[key]
        self._close(held[0])

    @contextmanager
    def held(self, key: K) -> Iterator[T]:
        value = self.borrow(key)
        try:
            yield value
        finally:
            self.give_back(key)

    def open_count(self) -> int:
        """How many values are open now (one per key in use)."""
        with self._lock:
            return len(self._held)


engines: Borrowed[str, Engine] = Borrowed(open_engine, Engine.dispose)

# Keyed by the number of workers: one crawl's sources share one pool.
worker_pools: Borrowed[int, WorkerPool] = Borrowed(WorkerPool, WorkerPool.close)
