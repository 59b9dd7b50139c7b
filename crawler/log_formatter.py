"""Scrapy's log messages, without the two that are made for every page and item and never shown.

Scrapy logs "Crawled (200) <GET …>" for every response and "Scraped from <200 …>" with the whole
item for every item, at DEBUG level; its root logger lets every level through, so each becomes a
log record that the handler, at INFO or WARNING, then throws away: 1 % of a crawl's CPU. When
the crawl logs above DEBUG (`passaparola crawl` logs at WARNING, INFO with `--verbose`) they are
not made at all; `scrapy crawl -L DEBUG` shows them as before, and every other message is
Scrapy's own.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.logformatter import LogFormatter, LogFormatterResult


class QuietLogFormatter(LogFormatter):
    """Scrapy's `LogFormatter`, silent on each page crawled and item scraped unless the crawl
    logs at DEBUG level."""

    def __init__(self, debug: bool = True):
        self.debug = debug

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> QuietLogFormatter:
        settings = crawler.settings
        return cls(
            settings.getbool("LOG_ENABLED", True)
            and _level(settings.get("LOG_LEVEL")) <= logging.DEBUG
        )

    def crawled(self, *args: Any, **kwargs: Any) -> LogFormatterResult | None:
        return super().crawled(*args, **kwargs) if self.debug else None

    def scraped(self, *args: Any, **kwargs: Any) -> LogFormatterResult | None:
        return super().scraped(*args, **kwargs) if self.debug else None


def _level(setting: object) -> int:
    """A LOG_LEVEL setting as a number (`"INFO"`, `20`); DEBUG for one that is not a level."""
    if isinstance(setting, int):
        return setting
    level = logging.getLevelName(str(setting or "DEBUG").upper())
    return level if isinstance(level, int) else logging.DEBUG
