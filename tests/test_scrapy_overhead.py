"""Scrapy's stats collector and log formatter as the project configures them: the same counts
and the same messages, without the work Scrapy 2.19 does for each request and item for nothing
(crawler/stats.py, crawler/log_formatter.py)."""

from __future__ import annotations

import logging

import pytest
from scrapy import Spider
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse, Request
from scrapy.logformatter import LogFormatter
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler import settings as project
from crawler.items import Mention
from crawler.log_formatter import QuietLogFormatter
from crawler.stats import PlainStatsCollector


def project_crawler(**overrides):
    """A crawler with the project's stats collector, log formatter and log level."""
    chosen = {
        name: getattr(project, name) for name in ("STATS_CLASS", "LOG_FORMATTER", "LOG_LEVEL")
    }
    return get_crawler(Spider, {**chosen, **overrides})


def test_a_crawl_counts_with_the_plain_collector() -> None:
    crawler = project_crawler()
    assert type(crawler.stats) is PlainStatsCollector
    assert type(crawler.logformatter) is QuietLogFormatter


def count(stats: MemoryStatsCollector) -> dict:
    stats.open_spider()
    stats.inc_value("downloader/request_count")
    stats.inc_value("downloader/request_count", 2)
    stats.inc_value("passaparola/found", 5, start=10)
    stats.max_value("request_depth_max", 3)
    stats.max_value("request_depth_max", 1)
    stats.min_value("first", 7)
    stats.min_value("first", 4)
    stats.set_value("finish_reason", "finished")
    assert stats.get_value("absent", "default") == "default"
    return dict(stats.get_stats())


def test_the_plain_collector_counts_what_scrapys_does() -> None:
    crawler = project_crawler()
    plain = count(PlainStatsCollector(crawler))
    assert plain == count(MemoryStatsCollector(crawler))
    assert plain["downloader/request_count"] == 3
    assert plain["passaparola/found"] == 15
    assert plain["request_depth_max"] == 3


def test_the_stats_of_a_closed_spider_are_kept() -> None:
    crawler = project_crawler()
    crawler.spider = Spider("blog")
    stats = PlainStatsCollector(crawler)
    stats.inc_value("item_scraped_count", spider=crawler.spider)  # the old signature still works
    stats.close_spider(reason="finished")
    assert stats.spider_stats["blog"] == {"item_scraped_count": 1}


def page_and_item() -> tuple[Request, HtmlResponse, Mention]:
    request = Request("https://blog.example.org/2026/03/pane/")
    response = HtmlResponse(request.url, body=b"<html></html>", request=request)
    mention = Mention(brand="Panificio Rossi", kind="post", url=request.url, text="Buono.")
    return request, response, mention


@pytest.mark.parametrize("level", ["INFO", "WARNING", logging.INFO])
def test_a_crawl_that_does_not_log_debug_makes_no_record_of_each_page_and_item(level) -> None:
    crawler = project_crawler(LOG_LEVEL=level)
    formatter = crawler.logformatter
    request, response, mention = page_and_item()
    spider = Spider.from_crawler(crawler, "blog")
    assert formatter.crawled(request, response, spider) is None
    assert formatter.scraped(mention, response, spider) is None
    # What goes wrong is logged as Scrapy logs it.
    empty = DropItem("empty")
    dropped = formatter.dropped(mention, empty, response, spider)
    assert dropped == LogFormatter().dropped(mention, empty, response, spider)
    assert dropped["level"] == logging.WARNING


def test_a_debug_crawl_logs_each_page_and_item_as_scrapy_does() -> None:
    request, response, mention = page_and_item()
    spider = Spider("blog")
    for debug in (project_crawler(LOG_LEVEL="DEBUG"), project_crawler(LOG_LEVEL=10)):
        formatter = debug.logformatter
        assert formatter.crawled(request, response, spider) == LogFormatter().crawled(
            request, response, spider
        )
        assert formatter.scraped(mention, response, spider) == LogFormatter().scraped(
            mention, response, spider
        )


def test_no_log_at_all_makes_no_record_either() -> None:
    formatter = project_crawler(LOG_ENABLED=False, LOG_LEVEL="DEBUG").logformatter
    request, response, mention = page_and_item()
    assert formatter.scraped(mention, response, Spider("blog")) is None
