"""Item pipelines: score each mention, then store it.

Data flows one way: spider → `SentimentPipeline` → `StorePipeline` → database.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from crawler import shared
from crawler.items import Mention, scoring_text
from crawler.sentiment import NEGATIVE_BELOW, POSITIVE_ABOVE, Scorer
from crawler.store import StoreError, upsert_mentions
from crawler.workers import WorkerError, WorkerPool

logger = logging.getLogger(__name__)

_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(?:[-_][a-z0-9]{1,8})*$", re.IGNORECASE)


def declared_language(value: str | None) -> str | None:
    """The language a page declared, if it is a language tag ("it", "en-GB"); `None` for
    nothing or a name ("Italiano"), so the scorer detects the language instead of giving up
    on a tag it cannot read."""
    value = (value or "").strip()
    return value if _LANGUAGE_TAG.match(value) else None


class SentimentPipeline:
    """Language, score and label for every mention; a star rating decides a review's label.

    A spider sets `lang` only where the page declares it (a review's `inLanguage`); the scorer
    is told that language, and detects it from the text otherwise. Afterwards the item's
    `lang` is the language the text was judged in.

    Scrapy runs on one core, and it is the crawl's bottleneck; with `workers` (setting
    PASSAPAROLA_WORKERS) every text is scored in the process's worker pool, so the crawling
    process never loads the language model (it does, if the workers fail). The mentions that
    reach the pipeline in one turn of the event loop (a page's) are scored as one job, one
    round trip to a worker, each mention still awaiting its own result. Every source's
    pipeline in a process borrows the same pool (`crawler.shared`).
    """

    def __init__(self, negative_below: float, positive_above: float, workers: int = 0):
        self.negative_below = negative_below
        self.positive_above = positive_above
        self.workers = workers
        self.scorer: Scorer | None = None
        self.pool: WorkerPool | None = None
        self._batch: list[tuple[tuple[str, str | None, float | None], asyncio.Future]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SentimentPipeline:
        settings = crawler.settings
        return cls(
            negative_below=settings.getfloat("PASSAPAROLA_NEGATIVE_BELOW", NEGATIVE_BELOW),
            positive_above=settings.getfloat("PASSAPAROLA_POSITIVE_ABOVE", POSITIVE_ABOVE),
            workers=settings.getint("PASSAPAROLA_WORKERS", 0),
        )

    def open_spider(self) -> None:
        self.scorer = Scorer(self.negative_below, self.positive_above)
        if self.workers > 0:
            self.pool = shared.worker_pools.borrow(self.workers)

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool = None
            shared.worker_pools.give_back(self.workers)

    async def process_item(self, item: Mention) -> Mention:
        if not item.text.strip() and item.rating is None:
            raise DropItem(f"empty mention at {item.url}")
        text = scoring_text(item.kind, item.title, item.text)
        lang = declared_language(item.lang)
        result = None
        if self.pool is not None:
            try:
                result = await self._in_worker(text, lang, item.rating)
            except WorkerError as error:
                logger.warning("%s; scoring %s here instead", error, item.url)
        if result is None:
            result = self.scorer.score(text, lang=lang, rating=item.rating)
        item.lang, item.score, item.label, item.analyzer = (
            result.lang,
            result.score,
            result.label,
            result.analyzer,
        )
        return item

    def _in_worker(self, text: str, lang: str | None, rating: float | None) -> asyncio.Future:
        """This text's sentiment, from the job that scores every text of this loop turn."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        if not self._batch:
            loop.call_soon(self._send_batch)
        self._batch.append(((text, lang, rating), future))
        return future

    def _send_batch(self) -> None:
        batch, self._batch = self._batch, []
        try:
            if self.pool is None:
                raise WorkerError("the worker pool was given back")
            job = self.pool.submit(
                "score_texts",
                [texts for texts, _ in batch],
                self.negative_below,
                self.positive_above,
            )
        except WorkerError as error:
            _settle(batch, error)
            return
        job.add_done_callback(lambda done: _settle(batch, done))


def _settle(
    batch: list[tuple[object, asyncio.Future]], outcome: asyncio.Future | Exception
) -> None:
    """Give each waiting mention its result, or the error that the whole batch met."""
    if isinstance(outcome, asyncio.Future):
        if outcome.cancelled():
            outcome = WorkerError("the scoring job was cancelled")
        elif outcome.exception() is not None:
            outcome = outcome.exception()
        else:
            for (_, future), result in zip(batch, outcome.result(), strict=True):
                if not future.done():
                    future.set_result(result)
            return
    for _, future in batch:
        if not future.done():
            future.set_exception(outcome)


class StorePipeline:
    """Upserts mentions in small transactions; counts new and updated ones in the crawl stats.

    Batches keep SQLite fast; a batch is committed every `batch_size` items or `flush_seconds`
    so a crawl killed at any moment loses at most the uncommitted tail, which the next run
    stores again (upserts are idempotent).

    A batch the database refuses is split in halves until the mention it refuses is found: that
    one is logged with its URL and counted as an error of the run, the others are stored. A
    store that cannot be written at all (locked past its timeout, read-only, corrupt) fails the
    batch as a whole, counted and logged once; the buffer never keeps a failed batch.
    """

    def __init__(self, database_url: str, batch_size: int = 100, flush_seconds: float = 2.0):
        self.database_url = database_url
        self.batch_size = batch_size
        self.flush_seconds = flush_seconds
        self.buffer: list[Mention] = []
        self.new = self.updated = self.unstored = 0
        self.crawler: Crawler | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        pipeline = cls(
            database_url=crawler.settings.get(
                "PASSAPAROLA_DATABASE_URL", "sqlite:///passaparola.db"
            ),
            batch_size=crawler.settings.getint("PASSAPAROLA_STORE_BATCH", 100),
        )
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self) -> None:
        self.engine = shared.engines.borrow(self.database_url)
        self.last_flush = time.monotonic()

    def process_item(self, item: Mention) -> Mention:
        self.buffer.append(item)
        if (
            len(self.buffer) >= self.batch_size
            or time.monotonic() - self.last_flush >= self.flush_seconds
        ):
            self.flush()
        return item

    def flush(self) -> None:
        batch, self.buffer = self.buffer, []
        self.last_flush = time.monotonic()
        if not batch:
            return
        self._store(batch)
        stats = self.crawler.stats
        stats.set_value("passaparola/new", self.new)
        stats.set_value("passaparola/updated", self.updated)

    def _store(self, batch: list[Mention]) -> None:
        """Upsert `batch`, bisecting it around mentions the database refuses."""
        try:
            result = upsert_mentions(self.engine, batch)
        except (StoreError, OperationalError) as error:
            # The store, not a mention: splitting would only fail more slowly.
            self._unstored(len(batch))
            logger.error("could not store %d mentions: %s", len(batch), _one_line(error))
            return
        except (SQLAlchemyError, ValueError) as error:
            if len(batch) == 1:
                self._unstored(1)
                url, reason = batch[0].url, _one_line(error)
                logger.error("could not store the mention at %s: %s", url, reason)
                return
            middle = len(batch) // 2
            self._store(batch[:middle])
            self._store(batch[middle:])
            return
        self.new += result.new
        self.updated += result.updated

    def _unstored(self, count: int) -> None:
        self.unstored += count
        self.crawler.stats.inc_value("passaparola/errors", count)
        self.crawler.stats.set_value("passaparola/unstored", self.unstored)

    def close_spider(self) -> None:
        if getattr(self, "engine", None) is None:
            return  # the store never opened; opening it raised, and said why
        try:
            self.flush()
        finally:
            shared.engines.give_back(self.database_url)


def _one_line(error: BaseException) -> str:
    """A database error in one line, without SQLAlchemy's SQL and parameters (the text)."""
    return " ".join(str(getattr(error, "orig", None) or error).split())
