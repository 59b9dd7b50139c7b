"""Blogs: posts that name a brand and their comment threads, each comment its own mention."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from scrapy.http import Response
from scrapy.linkextractors import LinkExtractor

from crawler.extract.blog import extract_blog_page
from crawler.failures import FOUND
from crawler.spiders.base import MentionSpider, canonical_url, domain, is_html

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
_NOT_PAGES = re.compile(r"\.(xml|rss|atom|json|css|js|png|jpe?g|gif|svg|webp|pdf|zip)$", re.I)


class BlogSpider(MentionSpider):
    """A post that names a brand is a mention, and so is every comment under it (the thread is
    about the brand). Comments under other posts count when they name a brand themselves."""

    name = "blog"

    def __init__(self, url: str, **kwargs: Any):
        super().__init__(url, **kwargs)
        self.allowed_domains = [domain(url)]
        # Scrapy's `allow_domains` compares host *and port*, so a site on a port would match
        # nothing; the host is compared in `parse` instead.
        self.links = LinkExtractor(deny=_DENY)

    def parse(self, response: Response) -> Iterator[Any]:
        if not is_html(response):
            return
        page = extract_blog_page(response.text, response.url, default_tz=self.timezone)
        post = page.post
        self.crawler.stats.inc_value(FOUND, len(page.comments))
        post_brands = self.brands_in(post.title, post.text) if post else []
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
        for comment in page.comments:
            for brand in post_brands or self.brands_in(comment.text):
                yield self.mention(
                    response,
                    brand=brand,
                    kind="comment",
                    url=comment.url,
                    text=comment.text,
                    title=(post.title if post else None) or page.title,
                    author=comment.author,
                    published=comment.published,
                )
        for link in self.links.extract_links(response):
            if domain(link.url) in self.allowed_domains and not _NOT_PAGES.search(link.url):
                yield self.request(link.url, self.parse)
