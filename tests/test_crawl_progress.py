"""A crawl's progress, as the console shows it: each source's pages and mentions so far, and its
final counts when it closes (read from Scrapy's own counts, not from a receiver per item)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from crawl_load import ManyBlogs, write_project
from sqlalchemy import select

from crawler.store import crawl_runs, iter_mentions, open_engine

# run_crawl with a progress callback that records every call (a reactor runs once per process).
RECORD_PROGRESS = """
import json, sys
from crawler.config import load_config
from crawler.crawl import run_crawl

events = []
run_crawl(load_config(sys.argv[1]), on_progress=lambda *event: events.append(event))
print(json.dumps(events))
"""


@pytest.fixture(scope="module")
def progress(tmp_path_factory):
    folder = tmp_path_factory.mktemp("progress")
    with ManyBlogs(2, posts=3) as site:
        config = write_project(folder, site.blog_urls(), crawl="workers = 1\n")
        done = subprocess.run(
            [sys.executable, "-c", RECORD_PROGRESS, str(config)],
            capture_output=True,
            text=True,
            check=True,
        )
        urls = site.blog_urls()
    engine = open_engine(f"sqlite:///{folder / 'passaparola.db'}")
    with engine.connect() as conn:
        runs = {row.source_url: row for row in conn.execute(select(crawl_runs))}
    mentions = list(iter_mentions(engine))
    events = [tuple(event) for event in json.loads(done.stdout.splitlines()[-1])]
    return urls, events, runs, mentions


def test_each_source_ends_with_one_closed_event_of_its_final_counts(progress):
    urls, events, runs, mentions = progress
    for index, url in enumerate(urls):
        closed = [event for event in events if event[0] == index and event[1] == "closed"]
        assert len(closed) == 1
        _, _, pages, found = closed[0]
        stored = [m for m in mentions if m["source_url"] == url]
        assert found == len(stored) == runs[url].new > 0
        # Every response counts, robots.txt's too.
        assert pages == runs[url].pages + 1


def test_counts_only_grow_and_the_closed_event_is_the_last_of_its_source(progress):
    urls, events, _, _ = progress
    for index in range(len(urls)):
        own = [event for event in events if event[0] == index]
        assert own[-1][1] == "closed"
        assert {event[1] for event in own[:-1]} <= {"page"}
        pages = [event[2] for event in own]
        found = [event[3] for event in own]
        assert pages == sorted(pages) and found == sorted(found)
