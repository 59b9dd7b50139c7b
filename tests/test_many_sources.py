"""One crawl process, many sources: a bounded number at once, one worker pool, one engine."""

from __future__ import annotations

import sys

import pytest
from crawl_load import ManyBlogs, TreeSampler, run_sampled, write_project
from sqlalchemy import select

from crawler.store import crawl_runs, iter_mentions, open_engine

SOURCES = 6


@pytest.fixture(scope="module")
def many_blogs():
    with ManyBlogs(SOURCES, posts=2) as site:
        yield site


def crawl_sampled(config_path) -> tuple[int, str, TreeSampler]:
    """`passaparola crawl` in its own process, its process tree sampled until it exits."""
    return run_sampled([sys.executable, "-m", "crawler", "crawl", "--config", str(config_path)])


@pytest.fixture(scope="module")
def two_at_a_time(many_blogs, tmp_path_factory):
    folder = tmp_path_factory.mktemp("many-sources")
    config = write_project(
        folder, many_blogs.blog_urls(), crawl="concurrent_sources = 2\nworkers = 1\n"
    )
    status, output, sampler = crawl_sampled(config)
    assert status == 0, output
    engine = open_engine(f"sqlite:///{folder / 'passaparola.db'}")
    with engine.connect() as conn:
        runs = conn.execute(select(crawl_runs).order_by(crawl_runs.c.started)).all()
    return runs, list(iter_mentions(engine)), sampler


def test_every_source_is_crawled_once_and_finishes(two_at_a_time, many_blogs):
    runs, mentions, _ = two_at_a_time
    assert sorted(run.source_url for run in runs) == sorted(many_blogs.blog_urls())
    assert {run.status for run in runs} == {"finished"}
    assert len(mentions) == many_blogs.mentions()
    assert {m["kind"] for m in mentions} == {"post", "comment"}


def test_no_more_sources_crawl_at_once_than_concurrent_sources(two_at_a_time):
    runs, _, _ = two_at_a_time
    most = max(
        sum(1 for other in runs if other.started <= run.started < other.finished) for run in runs
    )
    assert most == 2


def test_all_sources_share_one_worker(two_at_a_time):
    runs, mentions, sampler = two_at_a_time
    # Posts are long enough to be scored in the worker; every one of them got a score.
    assert all(m["label"] for m in mentions if m["kind"] == "post")
    # The crawl and its one worker, whatever the number of sources.
    assert sampler.max_pythons == 2, sampler.commands


def test_without_workers_everything_is_scored_in_the_crawling_process(many_blogs, tmp_path):
    config = write_project(tmp_path, many_blogs.blog_urls()[:2], crawl="workers = 0\n")
    status, output, sampler = crawl_sampled(config)
    assert status == 0, output
    engine = open_engine(f"sqlite:///{tmp_path / 'passaparola.db'}")
    assert all(m["label"] for m in iter_mentions(engine))
    assert sampler.max_pythons == 1, sampler.commands
