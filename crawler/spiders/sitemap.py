"""Sitemaps and sitemap indexes: the pages they list that name a brand."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

import scrapy
from scrapy.http import Response
from scrapy.spiders import SitemapSpider as ScrapySitemapSpider
from w3lib.url import safe_url_string

from crawler.extract.dates import parse_date
from crawler.spiders.base import MentionSpider, canonical_url, is_html


class SitemapSpider(MentionSpider, ScrapySitemapSpider):
    """Scrapy's own sitemap handling (indexes, gzip, robots.txt `Sitemap:` lines), our pages.

    A page's date is the one it gives itself (article metadata, JSON-LD, the date it shows);
    failing that, the sitemap's `<lastmod>`, which says when the page last changed.
    """

    name = "sitemap"

    def __init__(self, url: str, **kwargs: Any):
        super().__init__(url, **kwargs)
        self.sitemap_urls = [url]
        self._cbs = [(re.compile(""), self.parse)]
        self._lastmod: dict[str, str] = {}

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.url, callback=self._parse_sitemap, errback=self.on_error)

    def sitemap_filter(self, entries: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """Every entry, remembering its `<lastmod>` for the page's request."""
        for entry in entries:
            if entry.get("loc") and entry.get("lastmod"):
                self._lastmod[safe_url_string(entry["loc"].strip())] = entry["lastmod"]
            yield entry

    def _parse_sitemap(self, response: Response) -> Iterator[Any]:
        for request in super()._parse_sitemap(response):
            lastmod = self._lastmod.pop(request.url, None)
            yield request.replace(errback=self.on_error, meta={**request.meta, "lastmod": lastmod})

    def parse(self, response: Response) -> Iterator[Any]:
        if not is_html(response):
            return
        page = self.read_page(response)
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
