"""Sitemaps and sitemap indexes: the pages they list that name a brand."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response
from scrapy.spiders import SitemapSpider as ScrapySitemapSpider
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.python.failure import Failure

from crawler.extract.dates import parse_date
from crawler.middlewares import KIND
from crawler.spiders.base import MentionSpider, canonical_url, is_html

# A page request outranks any sitemap request still queued.
PAGE_PRIORITY = 1_000


class SitemapSpider(MentionSpider, ScrapySitemapSpider):
    """Scrapy's own sitemap reading (indexes, gzip, robots.txt `Sitemap:` lines), our pages.

    Pages come before further sitemaps, and the queue never holds more than the source will
    fetch: the sitemaps an index lists wait in the spider, and the next one is read only after
    the previous one was, and only while the source's page budget has room (see
    `RequestBudget`). Read breadth-first, an index of thousands of sitemaps of 50,000 URLs each
    would otherwise be fetched whole, its millions of URLs queued, before a single page.
    A sitemap is read entry by entry and no further than the budget: a sitemap bomb costs a few
    megabytes. Entries that are not web pages of the source's site (`file:///etc/passwd`,
    another host) are refused and counted.

    A page's date is the one it gives itself (article metadata, JSON-LD, the date it shows);
    failing that, the sitemap's `<lastmod>`, which says when the page last changed.
    """

    name = "sitemap"

    def __init__(self, url: str, **kwargs: Any):
        super().__init__(url, **kwargs)
        self.sitemap_urls = [url]
        self._cbs = [(re.compile(""), self.parse)]
        self._waiting: deque[str] = deque()
        self.budget.admit(url, "sitemap")

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.url, callback=self._parse_sitemap, errback=self._sitemap_failed)

    def _parse_sitemap(self, response: Response) -> Iterator[Any]:
        yield from self._read_sitemap(response)
        yield from self._next_sitemap()

    def _sitemap_failed(self, failure: Failure) -> Iterator[Any]:
        self.on_error(failure)
        yield from self._next_sitemap()

    def _next_sitemap(self) -> Iterator[scrapy.Request]:
        if self._waiting and self.budget.has_room("page"):
            # Sitemaps are never dropped as duplicates by the scheduler (the chain would stop):
            # the budget lets each in once.
            yield self.request(
                self._waiting.popleft(),
                self._parse_sitemap,
                errback=self._sitemap_failed,
                dont_filter=True,
                meta={KIND: "sitemap"},
            )

    def _wait_for(self, url: str) -> None:
        why = self.policy.refusal(url)
        if why is not None:
            self.refuse(url, why)
        elif self.budget.has_room("sitemap") and self.budget.admit(url, "sitemap"):
            self._waiting.append(url)

    def _read_sitemap(self, response: Response) -> Iterator[Any]:
        if response.url.endswith("/robots.txt"):
            for url in sitemap_urls_from_robots(response.body, base_url=response.url):
                self._wait_for(url)
            return
        body = self._get_sitemap_body(response)
        sitemap = Sitemap(body) if body else None
        if sitemap is None or sitemap.type not in ("sitemapindex", "urlset"):
            self.skip_page(response.url, "not a sitemap (or larger than the page size cap)")
            return
        for entry in sitemap:
            loc = entry.get("loc", "")
            if sitemap.type == "sitemapindex":
                if not self.budget.has_room("sitemap"):
                    return
                self._wait_for(loc)
                continue
            if not self.budget.has_room("page"):
                return
            why = self.policy.refusal(loc)
            if why is not None:
                self.refuse(loc, why)
                continue
            yield self.request(
                loc, self.parse, priority=PAGE_PRIORITY, meta={"lastmod": entry.get("lastmod")}
            )

    async def parse(self, response: Response) -> AsyncIterator[Any]:
        if not is_html(response):
            return
        page = await self.read_page(response)
        published = page.published
        if published is None and response.meta.get("lastmod"):
            published = parse_date(response.meta["lastmod"], default_tz=self.timezone)
        for brand in self.brands_in(page.title, page.text):
            yield self.mention(
                response,
                brand=brand,
                kind="page",
                url=canonical_url(response.url),
                text=page.text,
                title=page.title,
                published=published,
            )
