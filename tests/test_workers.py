"""Worker processes: a crawl's pages are extracted and its texts scored outside the crawling
process, with the same results, the same errors, and a crawl that survives a dying worker.

The crawls are the real `passaparola crawl` of a small blog on 127.0.0.1 (three posts naming the
bakery, two comments each, and a page nested too deep to parse); the pools are real worker
processes.
"""

from __future__ import annotations

import asyncio
import json
import os
import pickle
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import crawl_load
import pytest
from cli_runner import read_store, write_config
from crawl_load import StaticPages, process_tree
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler import failures
from crawler.extract.brands import Brand, BrandMatcher
from crawler.extract.html_tree import PageTooComplex
from crawler.jobs import run_here
from crawler.middlewares import PageErrorMiddleware
from crawler.spiders.blog import BlogSpider
from crawler.spiders.links import SiteLinks
from crawler.workers import WorkerCrashed, WorkerPool

COMMENTS = (
    "Il pane del Panificio Rossi è sempre fragrante, personale gentilissimo.",
    "Servizio lento e commessa scortese, non ci torno.",
)
DEEP = "<html><body>" + "<div>" * 100_000 + "<p>in fondo</p></body></html>"
KILL_BEFORE = "/blog/post-2.html"  # the page before which the worker is killed


def post(number: int) -> bytes:
    """A WordPress-like post about the bakery, with two comments."""
    comments = "".join(
        f'<li class="comment" id="comment-{number}-{i}"><article class="comment-body">'
        f'<footer class="comment-meta"><b class="fn">Lettore {i}</b>'
        f'<time datetime="2026-03-1{i}T10:00:00+01:00">1{i} marzo</time></footer>'
        f'<div class="comment-content"><p>{text} ({number})</p></div></article></li>'
        for i, text in enumerate(COMMENTS)
    )
    title = f"Colazione numero {number} al Panificio Rossi"
    return (
        f'<!doctype html><html lang="it"><head><meta charset="utf-8"><title>{title}</title>'
        f'</head><body><article class="post"><h1 class="entry-title">{title}</h1>'
        f'<div class="entry-content"><p>Siamo tornati al Panificio Rossi per la colazione '
        f"numero {number}: cornetti caldi e caffè buono.</p></div></article>"
        f'<ol class="commentlist">{comments}</ol><nav><a href="/blog/">Blog</a>'
        f'<a href="post-{(number + 1) % 3}.html">Il prossimo</a></nav></body></html>'
    ).encode()


class Blog(StaticPages):
    """The blog; before serving `KILL_BEFORE` it kills the worker processes of `crawl_pid`."""

    def __init__(self) -> None:
        index = "".join(f'<a href="/blog/post-{n}.html">Post {n}</a>' for n in range(3))
        index += '<a href="/blog/deep.html">Archivio</a>'
        pages = {f"/blog/post-{n}.html": post(n) for n in range(3)}
        pages["/blog/"] = f'<html lang="it"><body><h1>Blog</h1>{index}</body></html>'.encode()
        pages["/blog/deep.html"] = DEEP.encode()
        super().__init__(pages)
        self.RequestHandlerClass = _KillingHandler
        self.crawl_pid: int | None = None
        self.killed: list[int] = []

    @property
    def blog_url(self) -> str:
        return f"{self.url}/blog/"

    def kill_workers(self) -> None:
        for pid in process_tree(self.crawl_pid)[1:]:
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if b"crawler.workers" in command:
                os.kill(pid, signal.SIGKILL)
                self.killed.append(pid)


class _KillingHandler(crawl_load._Handler):
    def do_GET(self) -> None:
        blog: Blog = self.server  # type: ignore[assignment]
        if self.path == KILL_BEFORE and blog.crawl_pid is not None:
            blog.kill_workers()
        super().do_GET()


@pytest.fixture(scope="module")
def blog():
    with Blog() as server:
        yield server


# `python -m crawler crawl`, saying at exit (on stderr) which pages the crawling process itself
# ran the blog extraction job on (the real function, counted).
CRAWL = """
import atexit, json, runpy, sys
import crawler.jobs as blog
here = []
extract = blog.blog_page
def counted(html, url, **options):
    here.append(url.rsplit("/blog/", 1)[1])
    return extract(html, url, **options)
blog.blog_page = counted
atexit.register(lambda: sys.stderr.write("\\nextracted here " + json.dumps(here) + "\\n"))
sys.argv = ["passaparola", "crawl"]
runpy.run_module("crawler", run_name="__main__", alter_sys=True)
"""
PAGES = ["", "deep.html", "post-0.html", "post-1.html", "post-2.html"]


def crawl(blog: Blog, folder: Path, workers: int, *, kill: bool = False):
    """Crawl the blog with `workers`: the pages the crawling process extracted, its log, what
    it stored (kind, path, label) and its run."""
    write_config(
        folder,
        f'[[sources]]\nkind = "blog"\nurl = "{blog.blog_url}"\n',
        crawl=f"workers = {workers}\n",
    )
    process = subprocess.Popen(
        [sys.executable, "-c", CRAWL],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    blog.crawl_pid = process.pid if kill else None
    try:
        _, log = process.communicate(timeout=240)
    finally:
        blog.crawl_pid = None
    assert "extracted here " in log, log
    extracted_here = json.loads(log.rsplit("extracted here ", 1)[1].splitlines()[0])
    mentions, runs = read_store(folder)
    stored = sorted((m["kind"], m["url"].split("/blog/")[1], m["label"]) for m in mentions)
    return sorted(extracted_here), log, stored, runs


@pytest.fixture(scope="module")
def in_process(blog, tmp_path_factory):
    return crawl(blog, tmp_path_factory.mktemp("workers-0"), 0)


@pytest.fixture(scope="module")
def in_worker(blog, tmp_path_factory):
    return crawl(blog, tmp_path_factory.mktemp("workers-1"), 1)


def test_without_workers_the_crawling_process_extracts_the_pages_itself(in_process):
    extracted_here, log, stored, [run] = in_process
    assert extracted_here == PAGES
    assert len(stored) == 9  # three posts and their six comments
    assert {label for kind, _, label in stored if kind == "comment"} == {"positive", "negative"}
    assert run.errors == 1 and "deep.html" in run.last_error  # the page nested too deep


def test_with_a_worker_the_crawling_process_extracts_no_page(in_worker, in_process):
    extracted_here, log, stored, runs = in_worker
    assert extracted_here == []
    assert "Traceback" not in log
    assert stored == in_process[2]


def test_a_page_too_complex_for_the_worker_is_the_same_parse_error_as_in_process(
    in_worker, in_process
):
    [run], [same] = in_worker[3], in_process[3]
    assert (run.errors, run.status) == (same.errors, same.status) == (1, "finished")
    problem, expected = json.loads(run.last_error), json.loads(same.last_error)
    assert problem == expected and problem["code"] == "parse"
    assert "nested more than" in problem["detail"]


def test_a_worker_killed_mid_crawl_is_replaced_and_the_crawl_stores_every_mention(
    blog, tmp_path, in_process
):
    extracted_here, log, stored, [run] = crawl(blog, tmp_path, 1, kill=True)
    assert blog.killed, "the worker was not found to be killed"
    assert "another one does them" in log
    assert stored == in_process[2]
    assert run.errors == 1 and run.status == "finished"  # only the page nested too deep


class KillsTheWorker:
    """An argument whose unpickling ends the process that unpickles it: a page that kills."""

    def __reduce__(self):
        return (os._exit, (70,))


URL = "http://127.0.0.1/blog/post-1.html"
OPTIONS = {"default_tz": "Europe/Rome", "fetched_at": None}


def test_a_job_is_done_in_a_worker_exactly_as_in_process():
    pool = WorkerPool(1)
    try:
        html = post(1).decode()
        links = SiteLinks("127.0.0.1")
        page, urls = asyncio.run(pool.run("blog_page", html, URL, links=links, **OPTIONS))
        assert (page, urls) == run_here("blog_page", html, URL, links=links, **OPTIONS)
        assert len(page.comments) == 2 and os.getpid() not in pool.pids
        assert urls == ["http://127.0.0.1/blog/", "http://127.0.0.1/blog/post-2.html"]
    finally:
        pool.close()


def test_aware_times_cross_to_a_worker_and_back_with_their_offsets():
    fetched = datetime(2026, 3, 20, 9, 30, tzinfo=UTC)
    pool = WorkerPool(1)
    try:
        options = {**OPTIONS, "fetched_at": fetched}
        page, _ = asyncio.run(pool.run("blog_page", post(1).decode(), URL, **options))
        assert page == run_here("blog_page", post(1).decode(), URL, **options)[0]
    finally:
        pool.close()
    published = [comment.published for comment in page.comments]
    assert [time.utcoffset() for time in published] == [timedelta(hours=1)] * 2
    assert published[0] == datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    for zone in (UTC, timezone(timedelta(hours=-5), "EST")):
        back = pickle.loads(pickle.dumps(zone, pickle.HIGHEST_PROTOCOL))
        assert (back, back.tzname(None)) == (zone, zone.tzname(None))
    assert pickle.loads(pickle.dumps(UTC)) is UTC


def test_an_exception_in_a_job_is_raised_again_with_its_type_and_message():
    pool = WorkerPool(1)
    try:
        with pytest.raises(PageTooComplex) as here:
            run_here("blog_page", DEEP, URL, **OPTIONS)
        with pytest.raises(PageTooComplex) as there:
            asyncio.run(pool.run("blog_page", DEEP, URL, **OPTIONS))
        assert str(there.value) == str(here.value)
        assert pool.restarts == 0  # the worker lives on
    finally:
        pool.close()


def test_jobs_of_a_killed_worker_are_done_by_its_replacement():
    pool = WorkerPool(1)
    pages = [post(n).decode() for n in range(4)]

    async def killed_meanwhile():
        jobs = [pool.submit("blog_page", html, URL, **OPTIONS) for html in pages]
        [pid] = pool.pids
        os.kill(pid, signal.SIGKILL)
        return pid, await asyncio.gather(*jobs)

    try:
        killed, done = asyncio.run(killed_meanwhile())
        assert done == [run_here("blog_page", html, URL, **OPTIONS) for html in pages]
        assert pool.restarts == 1 and killed not in pool.pids
    finally:
        pool.close()


def test_a_job_that_kills_two_workers_fails_and_the_next_job_is_done():
    pool = WorkerPool(1)

    async def poisoned_then_fine():
        with pytest.raises(WorkerCrashed):
            await pool.run("blog_page", KillsTheWorker(), URL, **OPTIONS)
        return await pool.run("blog_page", post(0).decode(), URL, **OPTIONS)

    try:
        page, _ = asyncio.run(poisoned_then_fine())
        assert page.post is not None and len(page.comments) == 2
        assert pool.restarts == 2
    finally:
        pool.close()


def test_a_page_that_kills_two_workers_is_a_parse_error_of_that_page():
    crawler = get_crawler(BlogSpider)
    crawler.spider = BlogSpider.from_crawler(
        crawler, url=URL, matcher=BrandMatcher([Brand("Panificio Rossi", (), ())])
    )
    response = HtmlResponse(URL, body=b"<html></html>")
    kept = PageErrorMiddleware(crawler).process_spider_exception(
        response, WorkerCrashed("blog_page killed two workers")
    )
    assert kept == []
    assert crawler.stats.get_value("passaparola/errors") == 1
    problem = json.loads(crawler.stats.get_value(failures.LAST_ERROR))
    assert problem["code"] == "parse" and problem["url"] == URL
