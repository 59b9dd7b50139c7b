"""Sitemaps and sitemap indexes: the pages they list that name a brand."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response
from scrapy.spiders import SitemapSpider as ScrapySitemapSpider

from crawler.spiders.base import MentionSpider, canonical_url, is_html


class SitemapSpider(MentionSpider, ScrapySitemapSpider):
    """Scrapy's own sitemap handling (indexes, gzip, robots.txt `Sitemap:` lines), our pages."""

    name = "sitemap"

    def __init__(self, url: str, **kwargs: Any):
        super().__init__(url, **kwargs)
        self.sitemap_urls = [url]
        self._cbs = [(re.compile(""), self.parse)]

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.url, callback=self._parse_sitemap, errback=self.on_error)

    def _parse_sitemap(self, response: Response) -> Iterator[Any]:
        for request in super()._parse_sitemap(response):
            yield request.replace(errback=self.on_error)

    def parse(self, response: Response) -> Iterator[Any]:
        if not is_html(response):
            return
        title, text = self.main_text(response)
        for brand in self.brands_in(title, text):
            yield self.mention(
                response,
                brand=brand,
                kind="page",
                url=canonical_url(response.url),
                text=text,
                title=title,
            )
