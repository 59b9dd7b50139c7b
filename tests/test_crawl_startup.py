"""What a command loads: only what it needs, so a small crawl starts fast and help is instant.

A real `passaparola crawl` of a local two-page blog, in a fresh process that says at exit which
modules it imported. Blogs need neither the review, feed or forum spiders (extruct, rdflib,
feedparser), scoring in a worker keeps the language model (py3langid, numpy) and the analyzers'
lexicons out of the crawling process, and reading pages there keeps the extraction code (its
HTML parsers, dateparser) out of it too; Scrapy's remote control (aiohttp) stays off, a SQLite
store needs no PostgreSQL dialect, and neither a new store nor one at its schema needs Alembic.
The installed command's help loads neither Scrapy nor the store, nor, for the command list, the
config's models.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_runner import read_store, run_cli, write_config
from crawl_load import StaticPages

from crawler.workers import WorkerPool

POST = (
    b'<!doctype html><html lang="it"><head><meta charset="utf-8"><title>Colazione</title></head>'
    b'<body><article class="post"><h1 class="entry-title">Colazione al Panificio Rossi</h1>'
    b'<div class="entry-content"><p>Siamo stati al Panificio Rossi: cornetti ottimi, personale '
    b"gentile, prezzi onesti.</p></div></article>"
    b'<ol class="commentlist"><li class="comment" id="comment-1"><article class="comment-body">'
    b'<footer class="comment-meta"><b class="fn">Lucia</b>'
    b'<time datetime="2026-03-10T10:00:00+01:00">10 marzo</time></footer>'
    b'<div class="comment-content"><p>Servizio lento, pane raffermo.</p></div></article></li>'
    b"</ol></body></html>"
)

# `python -m crawler ARGS`, printing at exit (on stderr) which of WATCHED it imported.
WATCHED = (
    "crawler.spiders.reviews",
    "crawler.spiders.feed",
    "extruct",
    "feedparser",
    "py3langid",
    "numpy",
    "alembic",
    "aiohttp",
    "sqlalchemy.dialects.postgresql",
    "crawler.sentiment.analyzer",
    "crawler.extract.blog",  # the worker reads pages; its answers unpickle without it
    "crawler.extract.html_tree",
    "html5lib",
    "dateparser",
)
CRAWL = f"""
import atexit, json, runpy, sys
atexit.register(lambda: sys.stderr.write(
    "\\nimported " + json.dumps([m for m in {WATCHED!r} if m in sys.modules]) + "\\n"))
sys.argv = ["passaparola", *sys.argv[1:]]
runpy.run_module("crawler", run_name="__main__", alter_sys=True)
"""


def crawl_imports(folder: Path) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", CRAWL, "crawl"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stderr.rsplit("imported ", 1)[1].splitlines()[0])


@pytest.fixture(scope="module")
def blog() -> StaticPages:
    index = (
        b'<html lang="it"><body><h1>Blog</h1><a href="/blog/colazione.html">Colazione</a>'
        b"</body></html>"
    )
    with StaticPages({"/blog/": index, "/blog/colazione.html": POST}) as site:
        yield site


def test_a_crawl_of_a_blog_imports_only_what_blogs_and_a_current_store_need(blog, tmp_path):
    write_config(tmp_path, f'[[sources]]\nkind = "blog"\nurl = "{blog.url}/blog/"\n')
    first = crawl_imports(tmp_path)
    assert first == []  # a new store is made from the declared tables, without Alembic
    again = crawl_imports(tmp_path)
    assert again == []
    mentions, runs = read_store(tmp_path)
    assert [run.pages for run in runs] == [2, 2]
    labels = {mention["kind"]: mention["label"] for mention in mentions}
    assert labels == {"post": "positive", "comment": "negative"}  # scored, by the worker


def test_a_started_worker_pool_runs_its_worker_before_the_first_job():
    pool = WorkerPool(1)
    try:
        pool.start()
        deadline = time.monotonic() + 60
        while not pool.pids:
            assert time.monotonic() < deadline, "the worker did not start"
            time.sleep(0.05)
        texts = [("Servizio pessimo, mai più.", "it", None)]
        [sentiment] = asyncio.run(pool.run("score_texts", texts, -0.05, 0.15))
        assert sentiment.label == "negative"
    finally:
        pool.close()


# What no help needs: the crawl (Scrapy, Twisted, lxml, HTTP clients), the store (SQLAlchemy,
# Alembic), the language model (numpy) and the report (MkDocs, Jinja).
NOT_FOR_HELP = (
    "scrapy",
    "twisted",
    "lxml",
    "requests",
    "urllib3",
    "sqlalchemy",
    "alembic",
    "numpy",
    "py3langid",
    "mkdocs",
    "jinja2",
    "crawler.crawl",
    "crawler.store",
)


def imported_by(*args: str, cwd: Path) -> set[str]:
    """The top-level names of the modules the installed `passaparola ARGS` imported."""
    done = run_cli(*args, cwd=cwd, installed=True, env={"PYTHONPROFILEIMPORTTIME": "1"})
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            names.add(name if name.startswith("crawler.") else name.split(".")[0])
    return names


@pytest.mark.parametrize("args", [("--help",), ("--version",)])
def test_the_command_list_and_the_version_load_neither_the_crawl_nor_the_store_nor_the_config(
    args, tmp_path
):
    imported = imported_by(*args, cwd=tmp_path)
    assert "typer" in imported  # the measure itself works: the CLI's own library is listed
    assert imported.isdisjoint({*NOT_FOR_HELP, "pydantic"}), imported & {*NOT_FOR_HELP, "pydantic"}


@pytest.mark.parametrize(
    "command", ["crawl", "report", "serve", "run", "schedule", "export", "alert"]
)
def test_a_commands_help_loads_neither_the_crawl_nor_the_store(command, tmp_path):
    imported = imported_by(command, "--help", cwd=tmp_path)
    assert "typer" in imported
    assert imported.isdisjoint(NOT_FOR_HELP), imported & set(NOT_FOR_HELP)
