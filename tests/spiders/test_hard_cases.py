"""The blog spider on a site of hard cases: it stays polite and robust, and loses nothing good."""

from __future__ import annotations

import pytest
from cli_runner import run_cli, write_config
from sqlalchemy import select

from crawler.store import crawl_runs, iter_mentions, open_engine


@pytest.fixture(scope="module")
def crawl(hard_site, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hard")
    write_config(
        folder,
        f'[[sources]]\nkind = "blog"\nurl = "{hard_site.url}/hard/blog/"\ndepth = 3\n',
        crawl="timeout = 1\nretries = 1\nmax_page_mb = 5\n",
    )
    result = run_cli("crawl", cwd=folder, check=False)
    engine = open_engine(f"sqlite:///{folder / 'passaparola.db'}")
    mentions = {row["url"]: row for row in iter_mentions(engine)}
    with engine.connect() as conn:
        runs = conn.execute(select(crawl_runs)).all()
    return result, mentions, runs, hard_site


def url(site, path: str) -> str:
    return site.url + path


def test_robots_txt_is_obeyed(crawl):
    _, mentions, _, site = crawl
    assert site.hits["/robots.txt"] >= 1
    assert site.hits["/hard/private/segreto"] == 0
    assert not [u for u in mentions if "/private/" in u]


def test_a_server_error_is_retried_and_the_page_stored(crawl):
    _, mentions, _, site = crawl
    assert site.hits["/hard/flaky"] == 2
    post = mentions[url(site, "/hard/flaky")]
    assert post["kind"] == "post" and "riapre" in post["text"]
    comment = mentions[url(site, "/hard/flaky#comment-11")]
    assert comment["author"] == "Giulia" and comment["kind"] == "comment"


def test_a_page_slower_than_the_timeout_is_retried_then_counted_as_an_error(crawl):
    _, mentions, runs, site = crawl
    assert site.hits["/hard/slow"] == 2  # first try + one retry
    assert url(site, "/hard/slow") not in mentions
    assert runs[0].errors >= 2  # the slow page and the huge one


def test_a_page_over_the_size_cap_is_skipped(crawl):
    _, mentions, _, site = crawl
    assert site.hits["/hard/huge"] == 1
    assert url(site, "/hard/huge") not in mentions


def test_a_windows_1252_page_is_decoded_by_its_declared_charset(crawl):
    _, mentions, _, site = crawl
    text = mentions[url(site, "/hard/cp1252")]["text"]
    assert "L’altro giorno al Panificio Rossi: è stato un caffè perfetto, già pronto" in text
    assert "3 €" in text and "“ottimo”" in text


def test_broken_markup_is_tolerated(crawl):
    _, mentions, _, site = crawl
    broken = mentions[url(site, "/hard/broken")]
    assert "ha sbagliato" in broken["text"]


def test_crawler_traps_are_bounded_by_the_depth_limit(crawl):
    _, _, _, site = crawl
    archive_pages = [p for p in site.hits if p.startswith("/hard/archive/")]
    assert 1 <= len(archive_pages) <= 3  # index is depth 0, so depth 3 reaches /archive/3
    assert site.hits["/hard/calendar"] == 0  # calendar links are never followed


def test_the_run_is_recorded_and_summarised(crawl):
    result, mentions, runs, _ = crawl
    [run] = runs
    assert run.finished is not None and run.kind == "blog"
    assert run.new == len(mentions) and run.pages >= 6
    assert "Crawl summary" in result.stdout
    # The source worked (status finished) but lost two pages: the summary and the exit say so.
    assert run.status == "finished" and run.errors >= 2
    row = next(line for line in result.stdout.splitlines() if "/hard/blog/" in line)
    assert f" {run.errors} " in row
    assert result.returncode == 1


def test_every_mention_keeps_evidence_of_its_page(crawl):
    _, mentions, _, _ = crawl
    for row in mentions.values():
        assert len(row["page_sha256"]) == 64 and row["fetched_at"] is not None
        assert row["page_url"].startswith("http://127.0.0.1:")
