"""What every passaparola spider shares: one source, the brands to look for, evidence of pages."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler import failures, shared
from crawler.extract.brands import BrandMatcher
from crawler.extract.dates import DEFAULT_TZ
from crawler.fetch_policy import FetchPolicy, Refusal, Refusals, RequestBudget
from crawler.items import Mention
from crawler.jobs import PageText, run_here
from crawler.middlewares import ANY_SITE, RefusedRequest
from crawler.spiders.links import domain
from crawler.workers import WorkerPool, WorkersUnavailable

_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")

# What one page can make the crawler do: mentions taken from one page, entries from one feed.
MAX_MENTIONS_PER_PAGE = 2_000
MAX_FEED_ENTRIES = 1_000


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


def is_html(response: Response) -> bool:
    if not isinstance(response, TextResponse):
        return False
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
    return "html" in content_type or (not content_type and b"<html" in response.body[:2048].lower())


class MentionSpider(scrapy.Spider):
    """Base of the source spiders.

    Built with plain values so `passaparola crawl` can pass the parsed config in; started by
    `scrapy crawl NAME -a url=URL [-a brand=NAME]` it reads the brands from the project's config.

    `policy` and `budget` say what the source may fetch and how many URLs it may queue; the
    middlewares in `crawler.middlewares` apply them to every request.

    Pages are read by the jobs of `crawler.jobs`, through `extract`: in the process's worker
    pool (setting PASSAPAROLA_WORKERS, `[crawl] workers`), on other cores than the reactor's,
    or here when there are no workers.
    """

    workers = 0  # from the crawler's settings
    pool: WorkerPool | None = None

    def __init__(
        self,
        url: str,
        *,
        matcher: BrandMatcher,
        brand: str | None = None,
        follow: bool | str = False,
        timezone: str = DEFAULT_TZ,
        max_pages: int | str = 500,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.url = url
        self.matcher = matcher
        self.brand = brand
        self.follow = follow in (True, "1", "true", "yes")
        self.timezone = timezone
        self.policy = FetchPolicy(url)
        # Every page fetched is one of `max_pages`, child sitemaps included: queueing more of
        # either is only memory.
        self.budget = RequestBudget(pages=int(max_pages), sitemaps=int(max_pages))
        self._refusals = Refusals()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> MentionSpider:
        if "matcher" not in kwargs:  # `scrapy crawl` or Scrapyd: the project's config decides
            from crawler.crawl import configure_job  # (crawler.crawl imports the spiders)

            kwargs = configure_job(crawler, cls.name, kwargs)
        kwargs.setdefault("max_pages", crawler.settings.getint("CLOSESPIDER_PAGECOUNT") or 500)
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.workers = crawler.settings.getint("PASSAPAROLA_WORKERS", 0)
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        crawler.signals.connect(spider._borrow_pool, signal=signals.spider_opened)
        crawler.signals.connect(spider._give_back_pool, signal=signals.spider_closed)
        return spider

    def _borrow_pool(self) -> None:
        if self.workers > 0:
            self.pool = shared.worker_pools.borrow(self.workers)
            self.pool.start()

    def _give_back_pool(self) -> None:
        if self.pool is not None:
            self.pool = None
            shared.worker_pools.give_back(self.workers)

    async def extract(self, job: str, response: TextResponse, **options: Any) -> Any:
        """Job `job` of `crawler.jobs` on a page's HTML and URL: in a worker if the process has
        any (raising what the job raised there, as it would here), else in this process.

        A page that kills a worker twice raises `WorkerCrashed`, a parse error of that page
        (`PageErrorMiddleware`); if no worker will start at all, pages are read here.
        """
        if self.pool is not None:
            try:
                return await self.pool.run(job, response.text, response.url, **options)
            except WorkersUnavailable as error:
                if self.pool is not None:
                    self.logger.warning("%s; reading pages in the crawling process", error)
                    self._give_back_pool()
        return run_here(job, response.text, response.url, **options)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.url, callback=self.parse, errback=self.on_error)

    def request(
        self, url: str, callback: Any, *, errback: Any = None, **kwargs: Any
    ) -> scrapy.Request:
        """A request whose failure is counted (`errback` may add a fallback of its own)."""
        return scrapy.Request(url, callback=callback, errback=errback or self.on_error, **kwargs)

    def not_queued(self, urls: Iterable[str]) -> Iterator[str]:
        """The URLs of `urls` not queued yet by this source.

        A request for a page already queued (any fragment of it) is one the scheduler drops as a
        duplicate, but only after it was made, passed through every spider middleware, signalled
        and fingerprinted: tens of microseconds of the crawling process each, for nothing, and
        most of a page's links are the menus and neighbours the pages before it linked to.
        """
        queued = self.budget.queued
        return (url for url in urls if not queued(url))

    def may_follow(self, url: str) -> bool:
        """Whether a page on any site (a feed entry's) may be queued: refusals are counted."""
        why = self.policy.refusal(url, any_site=True)
        if why is not None:
            self.refuse(url, why)
            return False
        return self.budget.has_room()

    def follow_request(self, url: str, callback: Any, **kwargs: Any) -> scrapy.Request:
        """A request for a page on any site (what a feed links to)."""
        meta = {**kwargs.pop("meta", {}), ANY_SITE: True}
        return self.request(url, callback, meta=meta, **kwargs)

    def refuse(self, url: str, why: Refusal) -> None:
        """Count a URL the fetch policy refused (once per URL); it is never fetched."""
        if self._refusals.add(url):
            self.crawler.stats.inc_value("passaparola/refused")
            self.crawler.stats.inc_value(f"passaparola/refused/{why.kind}")
            self.logger.info("refused %s: %s", url, why)

    def request_dropped(self, request: scrapy.Request, **_: Any) -> None:
        """A redirect back to a URL of its own chain is a loop, which the scheduler drops as a
        duplicate without a word (and no errback): the page it was meant to be is an error."""
        chain = request.meta.get("redirect_urls") or []
        if request.url in chain:
            self._error(failures.Problem("other", chain[0], detail="it redirects in a loop"))

    def _error(self, problem: failures.Problem) -> None:
        self.crawler.stats.inc_value("passaparola/errors")
        self.crawler.stats.set_value(failures.LAST_ERROR, problem.to_json())
        self.logger.warning("could not read %s: %s", problem.url, problem.detail)

    def skip_page(self, url: str, why: object) -> None:
        """A page fetched but unusable (too complex to parse): an error, in one line."""
        self._error(failures.Problem("parse", url, detail=str(why)))

    def on_error(self, failure: Failure) -> None:
        """A page that could not be fetched: counted for the run's summary, and the crawl goes on.

        Not errors: a page robots.txt forbids, a URL the fetch policy refuses (counted as
        refused). Everything else is, a 404 and a redirect loop too; and for the start page,
        everything is: a source that cannot read where it starts has failed, whatever the reason.
        """
        request = getattr(failure, "request", None)
        start = bool(request is not None and request.meta.get("is_start_request"))
        url = request.url if request is not None else "?"
        expected = failure.check(RefusedRequest) or (
            failure.check(IgnoreRequest) and "robots.txt" in str(failure.value)
        )
        if expected and not start:
            self.logger.info("skipped %s: %s", url, failure.value)
            return
        self.crawler.stats.inc_value("passaparola/errors")
        self.crawler.stats.set_value(failures.LAST_ERROR, failures.problem_of(failure).to_json())
        self.logger.warning("could not fetch %s: %s", url, failure.getErrorMessage())

    def brands_in(self, *texts: str | None) -> list[str]:
        """The brands a text names; a source about one brand only looks for that one."""
        found = self.matcher.match("\n".join(t for t in texts if t))
        if self.brand:
            return [self.brand] if self.brand in found else []
        return found

    async def read_page(self, response: TextResponse) -> PageText:
        """Title, readable text and date of a page (`crawler.jobs.read_page`)."""
        return await self.extract("read_page", response, default_tz=self.timezone)

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
