"""Forums: every post of a thread is its own mention, with its author, date and anchor."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from scrapy.http import Response

from crawler.failures import FOUND
from crawler.spiders.base import MentionSpider, domain, is_html

if TYPE_CHECKING:
    from crawler.extract.forums import ForumPage

_THREAD_BRANDS = "passaparola_thread_brands"


class ForumSpider(MentionSpider):
    """A thread whose title or opening post names a brand is about that brand: every post of
    it is a mention. In other threads a post counts when it names a brand itself.

    The start URL is a thread (its pages are followed through the thread's pager) or a board
    (its threads are followed, and its own pages, up to the source's `max_pages`). Only pages
    of the source's own host are fetched.
    """

    name = "forum"

    def __init__(self, url: str, **kwargs: Any):
        super().__init__(url, **kwargs)
        self.host = domain(url)

    async def parse(self, response: Response) -> AsyncIterator[Any]:
        if not is_html(response):
            return
        page = await self.extract(
            "forum_page", response, default_tz=self.timezone, fetched_at=datetime.now(UTC)
        )
        self.crawler.stats.inc_value(FOUND, len(page.posts))
        if page.posts:
            for output in self._thread(response, page):
                yield output
        else:
            for link in page.thread_links:
                if self._ours(link):
                    yield self.request(link, self.parse)
            if page.next_page and self._ours(page.next_page):
                yield self.request(page.next_page, self.parse)

    def _thread(self, response: Response, page: ForumPage) -> Iterator[Any]:
        about = response.meta.get(_THREAD_BRANDS)
        if about is None:
            opening = page.posts[0].text if page.first_page else None
            about = self.brands_in(page.title, opening)
        for post in page.posts:
            for brand in about or self.brands_in(post.text):
                yield self.mention(
                    response,
                    brand=brand,
                    kind="forum",
                    url=post.url,
                    text=post.text,
                    title=page.title,
                    author=post.author,
                    published=post.published,
                )
        if page.next_page and self._ours(page.next_page):
            yield self.request(page.next_page, self.parse, meta={_THREAD_BRANDS: about})

    def _ours(self, url: str) -> bool:
        return url.startswith(("http://", "https://")) and domain(url) == self.host
