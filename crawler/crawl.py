"""The crawl stage: every configured source, one Scrapy crawler each, in one reactor run.

A bounded number of sources crawl at once (`[crawl] concurrent_sources`); the others wait their
turn in the same run. Politeness limits are per crawler, so per site.

A Twisted reactor cannot be restarted, so `run_crawl` can be called once per process; the
scheduler runs it in a subprocess per cycle.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import logging
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.exceptions import IgnoreRequest
from scrapy.settings import SETTINGS_PRIORITIES, Settings
from scrapy.utils.asyncio import create_looping_call
from scrapy.utils.log import failure_to_exc_info
from scrapy.utils.project import get_project_settings
from scrapy.utils.reactor import install_reactor, is_reactor_installed
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from crawler import shared
from crawler.config import DEFAULT_CONFIG_NAME, Config, ConfigError, SourceConfig, load_config
from crawler.extensions import run_counts
from crawler.extract.brands import BrandMatcher
from crawler.runs import new_crawl_id
from crawler.schema import StoreError, open_engine
from crawler.spiders.base import MentionSpider

logger = logging.getLogger(__name__)

# The spider of each source kind, imported when a source of that kind is crawled: a crawl of
# blogs never imports what reading reviews or feeds needs (extruct, rdflib, feedparser).
SPIDERS = {
    "feed": "crawler.spiders.feed:FeedSpider",
    "reviews": "crawler.spiders.reviews:ReviewsSpider",
    "blog": "crawler.spiders.blog:BlogSpider",
    "sitemap": "crawler.spiders.sitemap:SitemapSpider",
    "forum": "crawler.spiders.forum:ForumSpider",
}


def spider_class(kind: str) -> type[MentionSpider]:
    """The spider class for a source kind (a key of `SPIDERS`)."""
    module, name = SPIDERS[kind].split(":")
    return getattr(importlib.import_module(module), name)


@dataclass
class SourceResult:
    """What one source's crawl did, for the summary table."""

    url: str
    kind: str
    pages: int = 0
    new: int = 0
    updated: int = 0
    errors: int = 0
    found: int | None = None  # reviews, comments or entries on the pages (see crawler/failures)
    last_error: str | None = None  # the last failure, as crawler.failures.Problem JSON
    status: str = "not run"
    refused: int = 0  # distinct URLs the fetch policy refused (crawler/fetch_policy.py)


def project_settings(config: Config) -> dict[str, Any]:
    """The Scrapy settings `[crawl]`, `[storage]` and `[sentiment]` decide, for every source."""
    crawl = config.crawl
    return {
        "USER_AGENT": crawl.user_agent,
        "DOWNLOAD_DELAY": crawl.delay,
        "AUTOTHROTTLE_START_DELAY": max(crawl.delay, 0.1),
        "DOWNLOAD_TIMEOUT": crawl.timeout,
        "RETRY_TIMES": crawl.retries,
        "DOWNLOAD_MAXSIZE": int(crawl.max_page_mb * 1024 * 1024),
        "DOWNLOAD_WARNSIZE": int(crawl.max_page_mb * 1024 * 1024 / 2),
        "CLOSESPIDER_PAGECOUNT": crawl.max_pages,
        "DEPTH_LIMIT": crawl.depth,
        "PASSAPAROLA_DATABASE_URL": config.database_url,
        "PASSAPAROLA_NEGATIVE_BELOW": config.sentiment.negative_below,
        "PASSAPAROLA_POSITIVE_ABOVE": config.sentiment.positive_above,
        "PASSAPAROLA_WORKERS": crawl.workers,
    }


def source_settings(config: Config, source: SourceConfig) -> dict[str, Any]:
    """A source's own limits: its link depth and its page budget."""
    # Pagination and sitemaps are not link depth: only the blog spider is depth-limited
    # (by itself too, since Scrapy reads DEPTH_LIMIT = 0 as no limit at all).
    depth = link_depth(config, source)
    values: dict[str, Any] = {"DEPTH_LIMIT": depth if source.kind == "blog" else 0}
    if source.max_pages is not None:
        values["CLOSESPIDER_PAGECOUNT"] = source.max_pages
    return values


def crawl_settings(config: Config, source: SourceConfig | None = None) -> Settings:
    """Scrapy settings: the package defaults, then `[crawl]`, then the source's own limits."""
    settings = get_project_settings() if source is None else Settings()
    settings.setmodule("crawler.settings", priority="default")
    settings.setdict(project_settings(config), priority="project")
    if source is not None:
        settings.setdict(source_settings(config, source), priority="spider")
    return settings


def configure_job(crawler: Crawler, kind: str, spider_args: dict[str, Any]) -> dict[str, Any]:
    """A spider started by `scrapy crawl` or by Scrapyd: the project's config, applied as
    `passaparola crawl` applies it (store, `[crawl]`, thresholds, the source's own limits).

    The config is the `PASSAPAROLA_CONFIG` setting given to the job (`-s`, or Scrapyd's
    `setting=`), else the `PASSAPAROLA_CONFIG` environment variable, else `passaparola.toml` in
    the working folder. One it cannot read, or a store it names that cannot be used, ends the
    job at once: one log line, exit status 2.
    Returns the spider's keyword arguments, completed from the config.
    """
    settings = crawler.settings
    path = _job_config_path(settings)
    try:
        config = load_config(path)
        # A store the node cannot reach or use ends the job here, in one line, not in a
        # traceback from every pipeline that opens it.
        open_engine(config.database_url).dispose()
    except (ConfigError, StoreError) as error:
        logger.error("%s", error)
        raise SystemExit(2) from None
    url = spider_args.get("url", "")
    source = next(
        (s for s in config.sources if s.kind == kind and s.url == url),
        None,
    ) or SourceConfig(kind=kind, url=url)
    # Above the project's settings module, below what the job was given with -s.
    settings.setdict(
        {**project_settings(config), **source_settings(config, source)}, priority="spider"
    )
    return {
        "matcher": BrandMatcher.from_config(config.brands),
        "brand": config.brand_for(source),
        "follow": source.follow,
        "timezone": config.crawl.timezone,
        **({"depth": link_depth(config, source)} if source.kind == "blog" else {}),
        **spider_args,
    }


def _job_config_path(settings: Settings) -> str:
    given = settings.getpriority("PASSAPAROLA_CONFIG") or 0
    if given > SETTINGS_PRIORITIES["project"]:
        return settings["PASSAPAROLA_CONFIG"]
    return os.environ.get("PASSAPAROLA_CONFIG") or settings.get(
        "PASSAPAROLA_CONFIG", DEFAULT_CONFIG_NAME
    )


def link_depth(config: Config, source: SourceConfig) -> int:
    """How many links away from its start page a source is crawled (0: the start page only)."""
    return source.depth if source.depth is not None else config.crawl.depth


def run_crawl(
    config: Config,
    *,
    sources: Sequence[SourceConfig] | None = None,
    on_progress: Callable[[int, str, int, int], None] | None = None,
    log_level: str = "WARNING",
    crawl_id: str | None = None,
) -> list[SourceResult]:
    """Crawl the sources, `[crawl] concurrent_sources` at a time, and return one result each.

    Every source's crawler shares this process's one database engine and one worker pool
    (`crawler.shared`), held here for the whole run. `on_progress(index, event, pages,
    mentions)` is called from the reactor thread a few times a second while pages and mentions
    arrive (event "page") and once when a source has finished ("closed"), so the CLI can show
    progress. Every run is tagged with `crawl_id` (a new one by default), so whoever
    started the crawl can read back exactly its runs (`crawler.runs.runs_of_crawl`).
    """
    sources = list(config.sources if sources is None else sources)
    crawl_id = crawl_id or new_crawl_id()
    base = crawl_settings(config)
    base.set("LOG_LEVEL", log_level, priority="cmdline")
    # Each source's spider class is given to its Crawler, so Scrapy's spider loader has nothing
    # to find: without this it imports every spider module (all their libraries) at start.
    base.set("SPIDER_MODULES", [], priority="cmdline")
    process = _SourceQueue(base, limit=config.crawl.concurrent_sources)
    # Each source gets its own settings, so its Crawler is built here rather than by the process,
    # and the reactor the process would install for its first crawler must exist beforehand.
    if not is_reactor_installed():
        install_reactor(base["TWISTED_REACTOR"], base["ASYNCIO_EVENT_LOOP"])
    matcher = BrandMatcher.from_config(config.brands)
    results = [SourceResult(source.url, source.kind) for source in sources]

    def make_crawler(index: int) -> Crawler:
        settings = crawl_settings(config, sources[index])
        settings.set("LOG_LEVEL", log_level, priority="cmdline")
        settings.set("PASSAPAROLA_CRAWL_ID", crawl_id, priority="cmdline")
        crawler = Crawler(spider_class(sources[index].kind), settings)
        if on_progress is not None:
            _watch(crawler, index, on_progress)
        return crawler

    def finished(index: int, crawler: Crawler) -> None:
        results[index] = _result(sources[index], crawler)

    for index, source in enumerate(sources):
        process.enqueue(
            index,
            make_crawler,
            finished,
            url=source.url,
            matcher=matcher,
            brand=config.brand_for(source),
            follow=source.follow,
            timezone=config.crawl.timezone,
            **({"depth": link_depth(config, source)} if source.kind == "blog" else {}),
        )
    if not sources:
        return results
    if log_level not in ("DEBUG", "INFO"):
        _quiet_duplicate_errors()
    workers = config.crawl.workers
    with contextlib.ExitStack() as held:
        held.enter_context(shared.engines.held(config.database_url))
        if workers:
            held.enter_context(shared.worker_pools.held(workers)).start()
        # Every module, setting and crawler made so far lives as long as the crawl: frozen, the
        # garbage collector stops scanning them again on each of its collections.
        gc.freeze()
        held.enter_context(collecting_less_often())
        process.start_all()
    return results


# Net allocations of container objects between two young-generation passes of the garbage
# collector while a crawl runs (Python's default: 700).
CRAWL_GC_YOUNG = 10_000


@contextlib.contextmanager
def collecting_less_often() -> Iterator[None]:
    """The garbage collector's young generation `CRAWL_GC_YOUNG` objects large, for a crawl.

    A page's requests, responses, Deferreds and tasks are alive while it is handled; with
    Python's default every young pass found them still alive and moved them on to be scanned
    again in the older generations' passes: a crawl of 500 of the bench's pages made 205 young,
    17 middle and one full pass (0.2 ms of the crawling process's CPU a page), against 72 young
    and 5 middle ones now (0.1 ms). Garbage waits for at most this many allocations.
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(CRAWL_GC_YOUNG, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


class _SourceQueue(CrawlerProcess):
    """A crawler process that runs at most `limit` crawlers at once, in one reactor run.

    A source's crawler is built only when its turn comes and dropped when it has finished (its
    result kept), so memory follows `limit`, not the number of sources. A stop (Ctrl-C,
    SIGTERM) stops the running crawlers gracefully and starts no other.
    """

    def __init__(self, settings: Settings, *, limit: int):
        super().__init__(settings)
        self.limit = limit
        self._waiting: deque[tuple[int, Callable, Callable, dict[str, Any]]] = deque()
        self._running = 0
        self._stopping = False
        self._drained: Deferred[None] = Deferred()

    def enqueue(
        self,
        index: int,
        make: Callable[[int], Crawler],
        finished: Callable[[int, Crawler], None],
        **spider_args: Any,
    ) -> None:
        self._waiting.append((index, make, finished, spider_args))

    def start_all(self) -> None:
        """Start the first `limit` crawlers and run the reactor until every one has finished."""
        for _ in range(self.limit):
            self._start_next()
        if self._drained.called:  # nothing could start: do not run a reactor with no work
            return
        self._drained.addBoth(self._stop_reactor)
        self.start(stop_after_crawl=False)

    def stop(self) -> Deferred[Any]:
        self._stopping = True
        self._waiting.clear()
        for crawler in self.crawlers:
            drop_queued_requests(crawler)
        return super().stop()

    def _start_next(self) -> None:
        if self._stopping or not self._waiting:
            if not self._running and not self._drained.called:
                self._drained.callback(None)
            return
        index, make, finished, spider_args = self._waiting.popleft()
        crawler = make(index)
        self._running += 1

        def done(outcome: Any) -> None:
            self._running -= 1
            if isinstance(outcome, Failure):
                logger.error(
                    "source %s could not be crawled: %s",
                    spider_args.get("url"),
                    outcome.getErrorMessage(),
                    exc_info=failure_to_exc_info(outcome),
                )
            finished(index, crawler)
            self._start_next()

        self.crawl(crawler, **spider_args).addBoth(done)


def drop_queued_requests(crawler: Crawler) -> int:
    """Give up the requests waiting in the downloader for their turn; return how many.

    Scrapy's graceful stop lets every request already handed to the downloader wait out its
    site's delay, so with `delay = 60` and a dozen queued pages a stop takes minutes and the
    scheduler kills the crawl, losing the mentions still buffered. Requests on the wire still
    finish; the dropped ones are fetched on the next run.
    """
    engine = getattr(crawler, "engine", None)
    if engine is None or engine.downloader is None:
        return 0
    dropped = 0
    for slot in engine.downloader.slots.values():
        while slot.queue:
            request, waiting = slot.queue.popleft()
            waiting.errback(Failure(IgnoreRequest(f"crawl stopped before {request.url}")))
            dropped += 1
    return dropped


def _quiet_duplicate_errors() -> None:
    """A page that cannot be fetched is reported once, by the spider, in one line.

    Scrapy's retry and robots.txt middlewares log the same failure again at ERROR level, the
    latter with a traceback; `--verbose` shows them.
    """
    for name in ("scrapy.downloadermiddlewares.retry", "scrapy.downloadermiddlewares.robotstxt"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


# How often a crawl's progress is read from its stats for the console (rich redraws 10 times a
# second): often enough to look live, rare enough to cost nothing.
PROGRESS_INTERVAL = 0.1


def _watch(crawler: Crawler, index: int, on_progress: Callable[..., None]) -> None:
    """Report the crawler's pages and mentions (Scrapy's own counts, `response_received_count`
    and `item_scraped_count`) every `PROGRESS_INTERVAL` seconds while it runs, and once more
    when it closes.

    Not a receiver of `response_received` and `item_scraped`: Scrapy sends those signals to each
    receiver in an asyncio task of its own, so counting them cost every page and every mention
    a task, the larger share of the signal's cost (about 2 % of the crawling process's CPU).
    """
    shown = (0, 0)

    def counts() -> tuple[int, int]:
        value = crawler.stats.get_value
        return value("response_received_count", 0), value("item_scraped_count", 0)

    def report() -> None:
        nonlocal shown
        now = counts()
        if now != shown:
            shown = now
            on_progress(index, "page", *now)

    timer = create_looping_call(report)

    def opened(**_: Any) -> None:
        timer.start(PROGRESS_INTERVAL, now=False)

    def closed(**_: Any) -> None:
        if timer.running:
            timer.stop()
        on_progress(index, "closed", *counts())

    # Scrapy keeps weak references to receivers; the crawler keeps these alive.
    crawler._passaparola_receivers = (opened, closed)  # type: ignore[attr-defined]
    crawler.signals.connect(opened, signal=signals.spider_opened)
    crawler.signals.connect(closed, signal=signals.spider_closed)


def _result(source: SourceConfig, crawler: Crawler) -> SourceResult:
    if crawler.stats is None:
        return SourceResult(source.url, source.kind)
    reason = crawler.stats.get_value("finish_reason")
    return SourceResult(
        url=source.url,
        kind=source.kind,
        refused=crawler.stats.get_value("passaparola/refused") or 0,
        **run_counts(crawler.stats, reason),
    )
