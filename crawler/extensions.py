"""Scrapy extension: one `crawl_runs` row per spider run, with its pages, counts and errors."""

from __future__ import annotations

from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler import shared
from crawler.failures import FOUND, LAST_ERROR, Problem
from crawler.runs import finish_run, start_run


class CrawlRunRecorder:
    """Records when a source's crawl started and ended and what it found.

    A run killed before it ends keeps status `running` and no end time, which is itself a
    useful record.
    """

    def __init__(self, database_url: str, crawler: Crawler, crawl_id: str | None = None):
        self.database_url = database_url
        self.crawler = crawler
        self.crawl_id = crawl_id
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlRunRecorder:
        url = crawler.settings.get("PASSAPAROLA_DATABASE_URL", "sqlite:///passaparola.db")
        recorder = cls(url, crawler, crawler.settings.get("PASSAPAROLA_CRAWL_ID") or None)
        crawler.signals.connect(recorder.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        return recorder

    def spider_opened(self, spider: Spider) -> None:
        self.engine = shared.engines.borrow(self.database_url)
        self.run_id = start_run(self.engine, getattr(spider, "url", ""), spider.name, self.crawl_id)
        self.crawler.stats.set_value("passaparola/run_id", self.run_id)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if getattr(self, "engine", None) is None:
            return  # the store never opened; opening it raised, and said why
        try:
            finish_run(self.engine, self.run_id, **run_counts(self.crawler.stats, reason))
        finally:
            shared.engines.give_back(self.database_url)


def _answered_ok(stats: StatsCollector, prefix: str) -> int:
    """Responses with a 2xx status among those Scrapy counted under `prefix`."""
    counts = prefix + "response_status_count/"
    return sum(
        count
        for key, count in stats.get_stats().items()
        if key.startswith(counts) and key[len(counts) :].startswith("2")
    )


def last_problem(stats: StatsCollector, unstored: int = 0) -> str | None:
    """The run's worst failure as `crawler.failures` records it: mentions the database refused,
    else the last page that failed, else a page whose parsing raised (Scrapy keeps its type)."""
    if unstored:
        return Problem("unstored", detail=str(unstored)).to_json()
    recorded = stats.get_value(LAST_ERROR)
    if recorded:
        return recorded
    raised = sorted(
        key.removeprefix("spider_exceptions/")
        for key in stats.get_stats()
        if key.startswith("spider_exceptions/") and key != "spider_exceptions/count"
    )
    return Problem("parse", detail=raised[-1]).to_json() if raised else None


def run_counts(stats: StatsCollector, reason: str | None) -> dict[str, Any]:
    """Pages, new and updated mentions, errors and status of a run, from its Scrapy stats."""
    value = stats.get_value
    # Pages that could not be fetched (counted by the spiders) and pages whose parsing failed.
    errors = (value("passaparola/errors") or 0) + (value("spider_exceptions/count") or 0)
    # Pages that answered 2xx; robots.txt is fetched too, but it is not one of the source's pages.
    pages = _answered_ok(stats, "downloader/") - _answered_ok(stats, "robotstxt/")
    return {
        "pages": pages,
        "new": value("passaparola/new") or 0,
        "updated": value("passaparola/updated") or 0,
        "errors": errors,
        "found": value(FOUND),  # None: this kind of spider does not count what it finds
        "last_error": last_problem(stats, value("passaparola/unstored") or 0),
        # Mentions found but not stored are lost data: the source failed, whatever else worked.
        "status": "failed"
        if (errors and not pages) or value("passaparola/unstored")
        else (reason or "not run"),
    }
