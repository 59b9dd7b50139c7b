"""Downloader middleware: Scrapy's retry, with exponential backoff between attempts."""

from __future__ import annotations

import asyncio

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response


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
