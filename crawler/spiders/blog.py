"""Blogs: posts that name a brand and their comment threads, each comment its own mention."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urldefrag

from scrapy.http import Response

from crawler.extract.thread_urls import is_comment_page, thread_url
from crawler.failures import FOUND
from crawler.spiders.base import (
    MAX_MENTIONS_PER_PAGE,
    MentionSpider,
    canonical_url,
    domain,
    is_html,
)
from crawler.spiders.links import SiteLinks

# Links that multiply pages without new content: reply forms, feeds, logins, share buttons, and
# calendar archives (a classic crawler trap).
_DENY = (
    r"[?&]replytocom=",
    r"/feed/?$",
    r"/wp-(login|admin)",
    r"[?&]share=",
    r"/comment-page-\d+/#",
    r"/trackback/?$",
    r"[?&](action|print)=",
    r"/calendar/",
    r"[?&](month|year|date|day)=",
)


def _fragment(url: str) -> str:
    """`urldefrag(url)[1]` without parsing the whole URL for each comment (2 % of the crawling
    process's time): what follows its first `#`, from which a URL parser drops tabs and line
    breaks."""
    fragment = url.partition("#")[2]
    if "\t" in fragment or "\n" in fragment or "\r" in fragment:
        return urldefrag(url)[1]
    return fragment


class BlogSpider(MentionSpider):
    """A post that names a brand is a mention, and so is every comment under it (the thread is
    about the brand). Comments under other posts count when they name a brand themselves.

    A thread split over comment pages (`/comment-page-2/`, `?cpage=2`, "Commenti precedenti")
    is read whole: its pages are followed whatever the link depth, they lead only to each
    other, and their comments are the post's (their URLs are the post's, with the fragment).

    Other links on the blog's own host are followed up to `depth` links away from the start
    page (0: the start page only); links to other sites are not. Links of the blog's host that
    are not its web pages (`file://`, `ftp://`, another port) are refused, and counted.
    """

    name = "blog"

    def __init__(self, url: str, *, depth: int | str = 3, **kwargs: Any):
        super().__init__(url, **kwargs)
        self.depth = int(depth)
        self.host = domain(url)
        self.links = SiteLinks(self.host, deny=_DENY)

    async def parse(self, response: Response) -> AsyncIterator[Any]:
        if not is_html(response):
            return
        thread = response.meta.get("passaparola_thread") or canonical_url(thread_url(response.url))
        later_page = "passaparola_thread" in response.meta or is_comment_page(response.url)
        # A comment page leads only to the thread's other pages; the depth limit ends the rest.
        follows = not later_page and response.meta.get("depth", 0) < self.depth
        page, links = await self.extract(
            "blog_page",
            response,
            default_tz=self.timezone,
            fetched_at=datetime.now(UTC),
            links=self.links if follows else None,
            encoding=response.encoding,
        )
        post = page.post
        self.crawler.stats.inc_value(FOUND, len(page.comments))
        post_brands = self.brands_in(post.title, post.text) if post else []
        if later_page:
            post_brands = post_brands or response.meta.get("passaparola_thread_brands", [])
        else:
            for brand in post_brands:
                yield self.mention(
                    response,
                    brand=brand,
                    kind="post",
                    url=canonical_url(response.url),
                    text=post.text,
                    title=post.title or page.title,
                    author=post.author,
                    published=post.published,
                )
        for comment in page.comments[:MAX_MENTIONS_PER_PAGE]:
            fragment = _fragment(comment.url)
            for brand in post_brands or self.brands_in(comment.text):
                yield self.mention(
                    response,
                    brand=brand,
                    kind="comment",
                    url=f"{thread}#{fragment}",
                    text=comment.text,
                    title=(post.title if post else None) or page.title,
                    author=comment.author,
                    published=comment.published,
                )
        for link in page.comment_pages:
            if domain(link) == self.host:
                yield self.request(
                    link,
                    self.parse,
                    meta={
                        "passaparola_thread": thread,
                        "passaparola_thread_brands": post_brands,
                        "depth_reset": True,
                    },
                )
        for link in self.not_queued(links):
            yield self.request(link, self.parse)
