"""RSS and Atom feeds (blogs, news, alert services): entries that name a brand."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urldefrag, urlsplit

from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.extract.feeds import FeedEntry, looks_like_feed, parse_feed
from crawler.extract.html_tree import PageTooComplex
from crawler.failures import FOUND, LAST_ERROR, not_a_feed
from crawler.fetch_policy import WEB_SCHEMES
from crawler.spiders.base import MAX_FEED_ENTRIES, MentionSpider, canonical_url, is_html
from crawler.workers import WorkerError


def entry_url(link: str | None, feed_url: str, key: str) -> str:
    """The URL an entry is known by: its link, canonical but with its `#fragment` (entries
    linking `page#a` and `page#b` are two things said on one page); an entry with no link is
    a fragment of its feed, from `key` (its id or title), and so is one whose link is not a web
    address (`file:///etc/passwd` is nobody's page)."""
    if link and urlsplit(link).scheme.lower() in WEB_SCHEMES:
        address, fragment = urldefrag(link)
        return canonical_url(address) + (f"#{fragment}" if fragment else "")
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return f"{canonical_url(feed_url)}#entry-{digest}"


class FeedSpider(MentionSpider):
    """With `follow`, each matching entry is replaced by the full text of the page it links to
    (the entry's summary is kept when the page cannot be fetched). An entry that links to a
    spot on a page (`page#comment-12`) is not followed: the page's main text is not that
    spot's, and its own text is.

    The pages followed may be on any site, but only on the web and never in a local network
    the feed is not on (see crawler/fetch_policy.py); a refused page keeps the entry's summary.
    Only the first `MAX_FEED_ENTRIES` entries of a feed are read.
    """

    name = "feed"

    def parse(self, response: Response) -> Iterator[Any]:
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        if not looks_like_feed(response.body, content_type):
            yield from self._discover(response)
            return
        feed = parse_feed(response.body, response.url)
        self.crawler.stats.inc_value(FOUND, len(feed.entries))
        if feed.bozo_error:
            self.logger.info("feed %s is not well formed (%s)", response.url, feed.bozo_error)
        for entry in feed.entries[:MAX_FEED_ENTRIES]:
            brands = self.brands_in(entry.title, entry.text)
            if not brands:
                continue
            if self._follows(entry.link):
                yield self.follow_request(
                    entry.link,
                    self.parse_page,
                    cb_kwargs={"entry": entry, "brands": brands},
                    errback=self._page_failed(entry, brands, response),
                )
                continue
            yield from self._entry_mentions(response, entry, brands, entry.text)

    def _follows(self, link: str | None) -> bool:
        if not self.follow or not link or urldefrag(link).fragment:
            return False
        return self.may_follow(link)

    async def parse_page(
        self, response: Response, entry: FeedEntry, brands: list[str]
    ) -> AsyncIterator[Any]:
        try:
            text = (await self.read_page(response)).text if is_html(response) else ""
        except (PageTooComplex, WorkerError) as error:
            self.skip_page(response.url, error)
            text = ""
        for mention in self._entry_mentions(response, entry, brands, text or entry.text):
            yield mention

    def _page_failed(self, entry: FeedEntry, brands: list[str], feed: Response):
        def errback(failure: Failure) -> Iterator[Any]:
            self.on_error(failure)
            yield from self._entry_mentions(feed, entry, brands, entry.text)

        return errback

    def _entry_mentions(
        self, response: Response, entry: FeedEntry, brands: list[str], text: str
    ) -> Iterator[Any]:
        url = entry_url(entry.link, self.url, entry.id or entry.title or text)
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
        advertised = (
            response.css(
                'link[rel~="alternate"][type*="rss"]::attr(href),'
                'link[rel~="alternate"][type*="atom"]::attr(href)'
            ).getall()[:1]
            if is_html(response)
            else []
        )
        if not advertised or response.meta.get("discovered"):
            self.logger.warning("%s is not an RSS or Atom feed", response.url)
            self.crawler.stats.inc_value("passaparola/errors")
            self.crawler.stats.set_value(LAST_ERROR, not_a_feed(response.url))
            return
        for href in advertised:
            yield self.follow_request(response.urljoin(href), self.parse, meta={"discovered": True})
