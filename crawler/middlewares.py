"""Middlewares: retry with backoff; what a source may fetch and queue; pages too hard to parse."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from w3lib.url import safe_url_string

from crawler.fetch_policy import FetchPolicy, literal_address
from crawler.workers import WorkerError


class BackoffRetryMiddleware(RetryMiddleware):
    """Waits `base × 2^(attempt-1)` seconds (max 60) before a retry is sent.

    Scrapy retries at once, which hammers a struggling server; a short, growing pause gives a
    server returning 503 or timing out a chance to recover, and is kinder to it.
    """

    def __init__(self, settings, backoff: float = 1.0):
        super().__init__(settings)
        self.backoff = backoff

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        middleware = cls(
            crawler.settings, backoff=crawler.settings.getfloat("PASSAPAROLA_RETRY_BACKOFF", 1.0)
        )
        middleware.crawler = crawler
        return middleware

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await self._pause(result)
        return result

    async def process_exception(self, request: Request, exception: Exception) -> Request | None:
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await self._pause(result)
        return result

    async def _pause(self, retry: Request) -> None:
        attempt = retry.meta.get("retry_times", 1)
        delay = min(60.0, self.backoff * 2 ** (attempt - 1))
        if delay > 0:
            await asyncio.sleep(delay)


class RefusedRequest(IgnoreRequest):
    """A request the source's fetch policy refuses (see crawler/fetch_policy.py): never sent."""


# Request meta keys: a feed's page may be on any site; a child sitemap has a budget of its own.
ANY_SITE = "passaparola_any_site"
KIND = "passaparola_kind"


class FetchGuardMiddleware:
    """Downloader middleware: every request is checked just before it is sent.

    Spider output is checked earlier (`RequestGuardMiddleware`); this sees what no spider
    yields: start pages, redirects (each target comes back through here), robots.txt. A host
    name is resolved here, through Scrapy's caching resolver, so the address checked is the
    address the download connects to.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self._own: frozenset[str] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FetchGuardMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        spider = self.crawler.spider
        policy: FetchPolicy | None = getattr(spider, "policy", None)
        if policy is None:
            return
        why = policy.refusal(request.url, any_site=request.meta.get(ANY_SITE, False))
        if why is None:
            own = await self._own_addresses(policy)
            why = policy.address_refusal(await _address(request.url), own)
        if why is not None:
            spider.refuse(request.url, why)
            raise RefusedRequest(f"refused {request.url}: {why}")

    def process_response(self, request: Request, response: Response) -> Response:
        """A redirect Scrapy did not follow because its target is not a web address."""
        spider = self.crawler.spider
        policy: FetchPolicy | None = getattr(spider, "policy", None)
        location = response.headers.get(b"Location")
        if policy is None or not 300 <= response.status < 400 or not location:
            return response
        target = urljoin(request.url, safe_url_string(location))
        why = policy.refusal(target, any_site=True)
        if why is not None:
            spider.refuse(target, why)
            raise RefusedRequest(f"refused the redirect to {target}: {why}")
        return response

    async def _own_addresses(self, policy: FetchPolicy) -> frozenset[str]:
        if self._own is None:
            self._own = frozenset({await _address(policy.source_url)})
        return self._own


async def _address(url: str) -> str:
    """The IP address a request for `url` connects to (its host, resolved and cached)."""
    host = urlsplit(url).hostname or ""
    literal = literal_address(host)
    if literal is not None:
        return literal
    from twisted.internet import reactor

    return await maybe_deferred_to_future(reactor.resolve(host))


class RequestGuardMiddleware:
    """Spider middleware: what a spider yields is checked before it is queued.

    A refused URL is counted once and never queued; past the source's budget of pages and child
    sitemaps, requests are dropped (`passaparola/over_budget`), so no page can make the queue
    grow beyond what the source will ever fetch.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RequestGuardMiddleware:
        return cls(crawler)

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        for output in result:
            if not isinstance(output, Request) or self._admit(output):
                yield output

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        async for output in result:
            if not isinstance(output, Request) or self._admit(output):
                yield output

    def _admit(self, request: Request) -> bool:
        spider = self.crawler.spider
        policy: FetchPolicy | None = getattr(spider, "policy", None)
        if policy is None:
            return True
        why = policy.refusal(request.url, any_site=request.meta.get(ANY_SITE, False))
        if why is not None:
            spider.refuse(request.url, why)
            return False
        if not spider.budget.admit(request.url, request.meta.get(KIND, "page")):
            self.crawler.stats.inc_value("passaparola/over_budget")
            return False
        return True


class PageErrorMiddleware:
    """Spider middleware: a page too complex to parse within its budget, or one no worker
    process could read (it killed two of them), is an error of one line (counted for the
    summary), not a traceback; what the page yielded before is kept."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageErrorMiddleware:
        return cls(crawler)

    def process_spider_exception(self, response: Response, exception: Exception) -> list | None:
        # Imported here, so that loading the middlewares does not load the HTML parser (lxml,
        # html5lib: 0.09 s of start-up): only what reads pages needs it, and whatever raised a
        # `PageTooComplex` has loaded it.
        from crawler.extract.html_tree import PageTooComplex

        skip_page = getattr(self.crawler.spider, "skip_page", None)
        if not isinstance(exception, (PageTooComplex, WorkerError)) or skip_page is None:
            return None
        skip_page(response.url, exception)
        return []
