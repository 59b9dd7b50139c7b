"""Review pages: schema.org `Review` in JSON-LD, microdata or RDFa and visible review cards,
following pagination."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from scrapy.http import Response

from crawler.failures import FOUND
from crawler.spiders.base import MAX_MENTIONS_PER_PAGE, MentionSpider, is_html


class ReviewsSpider(MentionSpider):
    """Every review on a reviews source is about the source's brand; the page need not name it.

    The next page is followed on the source's own site only (a "next" link elsewhere is refused).
    """

    name = "reviews"

    def __init__(self, url: str, **kwargs: Any):
        super().__init__(url, **kwargs)
        if not self.brand:
            raise ValueError("a reviews source needs its brand (-a brand=NAME)")

    async def parse(self, response: Response) -> AsyncIterator[Any]:
        if not is_html(response):
            return
        page, following = await self.extract(
            "review_page", response, default_tz=self.timezone, fetched_at=datetime.now(UTC)
        )
        self.crawler.stats.inc_value(FOUND, len(page.reviews))
        for review in page.reviews[:MAX_MENTIONS_PER_PAGE]:
            yield self.mention(
                response,
                brand=self.brand,
                kind="review",
                url=review.url,
                text=review.text or "",
                title=review.title,
                author=review.author,
                published=review.published,
                rating=review.rating,
                lang=review.lang,
            )
        if following:
            yield self.request(following, self.parse)
