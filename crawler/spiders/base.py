"""What every passaparola spider shares: one source, the brands to look for, evidence of pages."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler import failures
from crawler.config import load_config
from crawler.extract.blog import extract_blog_page
from crawler.extract.brands import BrandMatcher
from crawler.extract.dates import DEFAULT_TZ
from crawler.extract.text import html_to_text
from crawler.items import Mention

_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")


def canonical_url(url: str) -> str:
    """The URL a page is known by: no fragment, no tracking parameters, lower-case host."""
    parts = urlsplit(url)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(_TRACKING)
    ]
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", urlencode(query), "")
    )


def domain(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def is_html(response: Response) -> bool:
    if not isinstance(response, TextResponse):
        return False
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
    return "html" in content_type or (not content_type and b"<html" in response.body[:2048].lower())


@dataclass(frozen=True, slots=True)
class PageText:
    """What a page says of itself: its title, readable text and, if it gives one, its date."""

    title: str | None
    text: str
    published: datetime | None = None


class MentionSpider(scrapy.Spider):
    """Base of the source spiders.

    Built with plain values so `passaparola crawl` can pass the parsed config in; started by
    `scrapy crawl NAME -a url=URL [-a brand=NAME]` it reads the brands from the project's config.
    """

    def __init__(
        self,
        url: str,
        *,
        matcher: BrandMatcher,
        brand: str | None = None,
        follow: bool | str = False,
        timezone: str = DEFAULT_TZ,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.url = url
        self.matcher = matcher
        self.brand = brand
        self.follow = follow in (True, "1", "true", "yes")
        self.timezone = timezone

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> MentionSpider:
        if "matcher" not in kwargs:
            config = load_config(crawler.settings.get("PASSAPAROLA_CONFIG"))
            kwargs["matcher"] = BrandMatcher.from_config(config.brands)
            kwargs.setdefault("timezone", config.crawl.timezone)
        return super().from_crawler(crawler, *args, **kwargs)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.url, callback=self.parse, errback=self.on_error)

    def request(
        self, url: str, callback: Any, *, errback: Any = None, **kwargs: Any
    ) -> scrapy.Request:
        """A request whose failure is counted (`errback` may add a fallback of its own)."""
        return scrapy.Request(url, callback=callback, errback=errback or self.on_error, **kwargs)

    def on_error(self, failure: Failure) -> None:
        """A page that could not be fetched: counted for the run's summary, and the crawl goes on.

        A request dropped on purpose (robots.txt forbids it) is not an error.
        """
        request = getattr(failure, "request", None)
        if failure.check(IgnoreRequest) and not failure.check(HttpError):  # 404s are errors
            self.logger.info("skipped %s: %s", request.url if request else "?", failure.value)
            return
        self.crawler.stats.inc_value("passaparola/errors")
        self.crawler.stats.set_value(failures.LAST_ERROR, failures.problem_of(failure).to_json())
        self.logger.warning(
            "could not fetch %s: %s", request.url if request else "?", failure.getErrorMessage()
        )

    def brands_in(self, *texts: str | None) -> list[str]:
        """The brands a text names; a source about one brand only looks for that one."""
        found = self.matcher.match("\n".join(t for t in texts if t))
        if self.brand:
            return [self.brand] if self.brand in found else []
        return found

    def read_page(self, response: TextResponse) -> PageText:
        """Title, readable text and date of a page: the article when one is found (its date
        from the page's metadata or what it shows), else the whole body with no date."""
        page = extract_blog_page(response.text, response.url, default_tz=self.timezone)
        if page.post and page.post.text:
            return PageText(page.post.title or page.title, page.post.text, page.post.published)
        return PageText(page.title, html_to_text(response.text))

    def mention(self, response: Response, **fields: Any) -> Mention:
        evidence = response.meta.get("passaparola_evidence")
        if evidence is None:
            evidence = (hashlib.sha256(response.body).hexdigest(), datetime.now(UTC))
            response.meta["passaparola_evidence"] = evidence
        fields.setdefault("source", domain(fields["url"]))
        return Mention(
            source_url=self.url,
            page_url=response.url,
            page_sha256=evidence[0],
            fetched_at=evidence[1],
            **fields,
        )
