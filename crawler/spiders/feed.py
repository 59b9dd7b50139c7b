"""RSS and Atom feeds (blogs, news, alert services): entries that name a brand."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.extract.feeds import FeedEntry, looks_like_feed, parse_feed
from crawler.spiders.base import MentionSpider, canonical_url, is_html


class FeedSpider(MentionSpider):
    """With `follow`, each matching entry is replaced by the full text of the page it links to
    (the entry's summary is kept when the page cannot be fetched)."""

    name = "feed"

    def parse(self, response: Response) -> Iterator[Any]:
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        if not looks_like_feed(response.body, content_type):
            yield from self._discover(response)
            return
        feed = parse_feed(response.body, response.url)
        if feed.bozo_error:
            self.logger.info("feed %s is not well formed (%s)", response.url, feed.bozo_error)
        for entry in feed.entries:
            brands = self.brands_in(entry.title, entry.text)
            if not brands:
                continue
            if self.follow and entry.link:
                yield self.request(
                    entry.link,
                    self.parse_page,
                    cb_kwargs={"entry": entry, "brands": brands},
                    errback=self._page_failed(entry, brands, response),
                )
                continue
            yield from self._entry_mentions(response, entry, brands, entry.text)

    def parse_page(self, response: Response, entry: FeedEntry, brands: list[str]) -> Iterator[Any]:
        _title, text = self.main_text(response) if is_html(response) else (None, "")
        yield from self._entry_mentions(response, entry, brands, text or entry.text)

    def _page_failed(self, entry: FeedEntry, brands: list[str], feed: Response):
        def errback(failure: Failure) -> Iterator[Any]:
            self.on_error(failure)
            yield from self._entry_mentions(feed, entry, brands, entry.text)

        return errback

    def _entry_mentions(
        self, response: Response, entry: FeedEntry, brands: list[str], text: str
    ) -> Iterator[Any]:
        if entry.link:
            url = canonical_url(entry.link)
        else:
            key = hashlib.sha256((entry.id or entry.title or text).encode()).hexdigest()[:16]
            url = f"{canonical_url(self.url)}#entry-{key}"
        for brand in brands:
            yield self.mention(
                response,
                brand=brand,
                kind="feed",
                url=url,
                text=text or entry.title or "",
                title=entry.title,
                author=entry.author,
                published=entry.published,
            )

    def _discover(self, response: Response) -> Iterator[Any]:
        """An HTML page given as a feed source: follow the feed it advertises, once."""
        if not is_html(response) or response.meta.get("discovered"):
            self.logger.warning("%s is not an RSS or Atom feed", response.url)
            self.crawler.stats.inc_value("passaparola/errors")
            return
        for href in response.css(
            'link[rel~="alternate"][type*="rss"]::attr(href),'
            'link[rel~="alternate"][type*="atom"]::attr(href)'
        ).getall()[:1]:
            yield self.request(response.urljoin(href), self.parse, meta={"discovered": True})
