"""`passaparola crawl` on the bundled demo site stores what its answer key says, mention by mention.

The answer key is `crawler.demo.expected`, written by hand from the site's files. The site is
served at a fixed `NOW`, so every date on it is known; the crawl runs once for the module (and
once more, to show a re-crawl changes nothing).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from cli_runner import ROOT, run_cli
from sqlalchemy import select

from crawler.config import load_config
from crawler.demo import DemoSite, demo_config
from crawler.demo.expected import (
    ATOM,
    AURORA,
    EXTERNAL_LINKS,
    FEED_ENTRIES,
    HOSTILE_COMMENT,
    HOSTILE_FRAGMENTS,
    MENTIONS,
    NEVER_FETCH,
    PAGES_BY_SOURCE,
    REVIEWS,
    ROSSI,
    RSS,
    SITEMAP_PAGES,
    THREADS,
    WINDOWS_1252_PAGE,
    Comment,
    Review,
    Thread,
    published,
)
from crawler.demo.placeholders import ROME
from crawler.demo.server import Hit
from crawler.store import crawl_runs, iter_mentions, open_engine

# A spring morning: the site's dates reach back two months, across the switch to summer time.
NOW = datetime(2024, 4, 10, 9, 30, tzinfo=ROME)

# Blogger writes "Anonimo" where a commenter left no name: that is no one's name, so the
# author is stored as unknown.
ANONYMOUS = "Anonimo"

# When each sitemap page was published, read by hand from the files: the page's own date when
# it gives one, else the sitemap's <lastmod> (when the page last changed, a fallback).
PAGE_DATES = {
    "/guide/colazione-a-bologna.html": "-30d@15:00",  # article:published_time and <time>
    "/guide/forno-a-legna.html": "-24d@00:00",  # "Pubblicata il 17 marzo 2024": a day
    "/negozi/caffe-aurora.html": "-60d@00:00",  # nothing on the page; <lastmod> is a day
}
PAGE_LANG = "it"  # every sitemap page is Italian (one has an English paragraph)


@dataclass
class Crawl:
    site: DemoSite
    folder: Path
    rows: list[dict]
    runs: list
    hits: list[Hit]
    started: datetime
    finished: datetime

    def url(self, path: str) -> str:
        return self.site.url + path

    def of_kind(self, kind: str) -> list[dict]:
        return [row for row in self.rows if row["kind"] == kind]

    def on_page(self, kind: str, path: str) -> list[dict]:
        """Mentions of `kind` whose URL is the page at `path` or a fragment of it."""
        page = self.url(path)
        return [r for r in self.of_kind(kind) if r["url"].split("#")[0] == page]


def when(expression: str | None) -> datetime | None:
    return None if expression is None else published(expression, NOW)


def stored_rows(folder: Path) -> list[dict]:
    engine = open_engine(f"sqlite:///{folder / 'passaparola.db'}")
    try:
        return list(iter_mentions(engine))
    finally:
        engine.dispose()


def stored_runs(folder: Path) -> list:
    engine = open_engine(f"sqlite:///{folder / 'passaparola.db'}")
    try:
        with engine.connect() as conn:
            return conn.execute(select(crawl_runs).order_by(crawl_runs.c.id)).all()
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def site():
    with DemoSite(now=NOW) as site:
        yield site


@pytest.fixture(scope="module")
def crawl(site, tmp_path_factory) -> Crawl:
    folder = tmp_path_factory.mktemp("demo-crawl")
    (folder / "passaparola.toml").write_text(demo_config(site.url), encoding="utf-8")
    started = datetime.now(UTC)
    run_cli("crawl", cwd=folder)
    finished = datetime.now(UTC)
    return Crawl(
        site, folder, stored_rows(folder), stored_runs(folder), list(site.hits), started, finished
    )


@pytest.fixture(scope="module")
def recrawl(crawl: Crawl) -> tuple[list[dict], list]:
    """The same site crawled again into the same store."""
    run_cli("crawl", cwd=crawl.folder)
    return stored_rows(crawl.folder), stored_runs(crawl.folder)


# --- what is stored -------------------------------------------------------------------------


def test_the_counts_per_brand_and_kind_are_the_answer_keys(crawl):
    counts: dict[tuple[str, str], int] = {}
    for row in crawl.rows:
        counts[(row["brand"], row["kind"])] = counts.get((row["brand"], row["kind"]), 0) + 1
    assert counts == {key: n for key, n in MENTIONS.items() if n}
    assert len({row["id"] for row in crawl.rows}) == len(crawl.rows)


@pytest.mark.parametrize("review", REVIEWS, ids=lambda review: review.author)
def test_every_review_is_stored_once_with_author_rating_and_date(crawl, review: Review):
    [row] = [r for r in crawl.on_page("review", review.page) if r["author"] == review.author]
    assert row["brand"] == ROSSI
    assert row["url"].startswith(crawl.url(review.page) + "#")
    assert row["rating"] == pytest.approx(review.rating)
    assert row["published"] == when(review.when)
    assert row["text"]


def test_no_review_is_stored_twice_or_from_elsewhere(crawl):
    authors = {(r.page, r.author) for r in REVIEWS}
    stored = [(urlsplit(r["url"]).path, r["author"]) for r in crawl.of_kind("review")]
    assert sorted(stored) == sorted(authors)  # "both" reviews (JSON-LD + microdata) once each


BRANDED_THREADS = [thread for thread in THREADS if thread.brand]


def expected_author(comment: Comment) -> str | None:
    return None if comment.author == ANONYMOUS else comment.author


def comment_row(crawl: Crawl, thread: Thread, comment: Comment) -> dict:
    rows = crawl.on_page("comment", thread.path)
    if comment.fragment:
        [row] = [r for r in rows if r["url"] == crawl.url(f"{thread.path}#{comment.fragment}")]
    else:  # the page gives the comment no id: one is made up, stable across crawls
        [row] = [r for r in rows if r["author"] == expected_author(comment)]
    return row


@pytest.mark.parametrize(
    ("thread", "comment"),
    [(thread, comment) for thread in BRANDED_THREADS for comment in thread.comments],
    ids=lambda value: value.path.rsplit("/", 1)[1] if isinstance(value, Thread) else value.author,
)
def test_every_comment_is_its_own_mention_with_author_date_and_fragment(
    crawl, thread: Thread, comment: Comment
):
    row = comment_row(crawl, thread, comment)
    assert row["kind"] == "comment" and row["brand"] == thread.brand
    assert row["author"] == expected_author(comment)
    assert row["published"] == when(comment.when)
    assert urlsplit(row["url"]).fragment
    assert row["page_url"] == crawl.url(thread.path)


@pytest.mark.parametrize("thread", THREADS, ids=lambda thread: thread.path.rsplit("/", 1)[1])
def test_each_thread_yields_its_comments_and_nothing_else(crawl, thread: Thread):
    urls = sorted(r["url"] for r in crawl.on_page("comment", thread.path))
    expected = len(thread.comments) if thread.brand else 0
    assert len(urls) == len(set(urls)) == expected  # no pingback, no comment of another post


@pytest.mark.parametrize("thread", BRANDED_THREADS, ids=lambda thread: thread.style)
def test_a_comments_text_is_what_its_author_wrote(crawl, thread: Thread):
    for row in crawl.on_page("comment", thread.path):
        text = row["text"]
        assert text
        for chrome in ("Inviato da", "Permalink", "Commenti (", "ha detto...", "Rispondi"):
            assert chrome not in text, (row["author"], text)


@pytest.mark.parametrize("thread", THREADS, ids=lambda thread: thread.path.rsplit("/", 1)[1])
def test_a_post_naming_a_brand_is_a_mention(crawl, thread: Thread):
    rows = crawl.on_page("post", thread.path)
    if thread.brand is None:
        assert rows == []
        return
    [row] = rows
    assert row["url"] == crawl.url(thread.path)
    assert row["brand"] == thread.brand
    assert row["author"] == thread.author
    assert row["published"] == when(thread.when)
    assert row["title"]


def test_the_blog_index_names_no_brand_and_is_no_mention(crawl):
    assert not [r for r in crawl.rows if r["url"] == crawl.url("/blog/")]


@pytest.mark.parametrize("entry", FEED_ENTRIES, ids=lambda entry: entry.article)
def test_a_feed_entry_is_a_mention_only_when_it_names_a_brand(crawl, entry):
    url = crawl.url(f"/notizie/?id={entry.article}")
    rows = [r for r in crawl.of_kind("feed") if r["url"] == url]
    if entry.brand is None:  # "Panificio Rossini", Valentino Rossi, a market
        assert rows == []
        return
    [row] = rows
    assert row["brand"] == entry.brand
    assert row["published"] == when(entry.when)
    assert row["page_url"] == crawl.url(entry.feed)


def test_a_brand_in_capitals_without_its_accent_is_found(crawl):
    [row] = [r for r in crawl.of_kind("feed") if r["url"].endswith("?id=degustazione")]
    assert row["brand"] == AURORA and "CAFFE AURORA" in row["text"]


def test_sitemap_pages_are_mentions_for_each_brand_they_name(crawl):
    stored = sorted((urlsplit(r["url"]).path, r["brand"]) for r in crawl.of_kind("page"))
    expected = sorted((path, brand) for path, brands in SITEMAP_PAGES.items() for brand in brands)
    assert stored == expected


@pytest.mark.parametrize("path", sorted(PAGE_DATES))
def test_a_sitemap_page_has_its_publication_date(crawl, path: str):
    rows = crawl.on_page("page", path)
    assert rows and all(row["published"] == when(PAGE_DATES[path]) for row in rows)


def test_a_windows_1252_page_is_decoded_by_its_declared_charset(crawl):
    [row] = crawl.on_page("page", WINDOWS_1252_PAGE)
    text = row["text"]
    assert "all’alba" in text and "4,20 €" in text and "“va mangiato con le mani”" in text
    assert "Perché" in text and "È una questione" in text


def test_hostile_text_is_stored_as_text(crawl):
    [comment] = [r for r in crawl.rows if r["url"] == crawl.url(HOSTILE_COMMENT)]
    assert comment["author"] == "tester<b>"
    for fragment in HOSTILE_FRAGMENTS:
        assert fragment in comment["text"]
    # The review's body is a JSON-LD string read as HTML: its tags are dropped, not run.
    [review] = [r for r in crawl.of_kind("review") if r["author"] == "anon"]
    assert "[click](javascript:alert(1))" in review["text"] and "{{ config }}" in review["text"]
    assert "<script" not in review["text"] and "<img" not in review["text"]
    assert review["text"].endswith("il pane comunque è buono.")


# --- evidence and sentiment -----------------------------------------------------------------


def test_every_mention_keeps_the_sha256_and_fetch_time_of_its_page(crawl):
    for row in crawl.rows:
        assert row["page_url"].startswith(crawl.site.url + "/")
        _, _, body = crawl.site.response(urlsplit(row["page_url"]).path)
        assert row["page_sha256"] == hashlib.sha256(body).hexdigest(), row["url"]
        assert crawl.started <= row["fetched_at"] <= crawl.finished


def expected_language(crawl: Crawl, row: dict) -> str:
    path = urlsplit(row["url"]).path
    if row["kind"] in ("post", "comment"):
        return next(t.lang for t in THREADS if t.path == path)
    if row["kind"] == "review":
        return next(r.lang for r in REVIEWS if r.page == path and r.author == row["author"])
    if row["kind"] == "feed":
        return next(e.lang for e in FEED_ENTRIES if row["url"].endswith(f"?id={e.article}"))
    return PAGE_LANG


def test_every_mention_is_scored_in_its_language(crawl):
    for row in crawl.rows:
        assert row["lang"] == expected_language(crawl, row), (row["url"], row["text"][:60])
        assert row["score"] is not None and -1 <= row["score"] <= 1
        assert row["label"] in ("negative", "neutral", "positive")
        assert row["analyzer"] and row["analyzer"] != "none"


@pytest.mark.parametrize("review", REVIEWS, ids=lambda review: review.author)
def test_a_reviews_label_follows_its_stars(crawl, review: Review):
    [row] = [r for r in crawl.on_page("review", review.page) if r["author"] == review.author]
    stars = review.value / review.best * 5
    label = "negative" if stars <= 2 else "positive" if stars >= 4 else "neutral"
    assert row["label"] == label


# --- politeness -----------------------------------------------------------------------------


def paths(hits: list[Hit]) -> list[str]:
    return [urlsplit(hit.path).path for hit in hits]


def test_robots_txt_is_read_and_obeyed(crawl):
    assert "/robots.txt" in paths(crawl.hits)
    for path in NEVER_FETCH:
        assert path not in paths(crawl.hits)
        assert not [r for r in crawl.rows if path in r["url"]]


def test_links_to_other_hosts_are_never_followed(crawl):
    assert {hit.host for hit in crawl.hits} == {f"127.0.0.1:{crawl.site.port}"}
    for path in EXTERNAL_LINKS:
        assert path not in paths(crawl.hits)


def test_exactly_the_sources_pages_are_fetched_each_once(crawl):
    fetched = [path for path in paths(crawl.hits) if path != "/robots.txt"]
    expected = set().union(*PAGES_BY_SOURCE.values())
    assert sorted(fetched) == sorted(expected)


def test_every_request_carries_the_configured_user_agent(crawl):
    agent = load_config(crawl.folder / "passaparola.toml").crawl.user_agent
    assert {hit.user_agent for hit in crawl.hits} == {agent}


def test_each_source_run_is_recorded_with_its_pages(crawl):
    pages = {urlsplit(run.source_url).path: run for run in crawl.runs}
    assert sorted(pages) == sorted(PAGES_BY_SOURCE)
    for path, run in pages.items():
        assert run.pages == len(PAGES_BY_SOURCE[path]), path
        assert run.errors == 0 and run.status == "finished" and run.finished is not None
    assert sum(run.new for run in crawl.runs) == sum(MENTIONS.values())
    assert {urlsplit(run.source_url).path for run in crawl.runs if run.kind == "feed"} == {
        RSS,
        ATOM,
    }


# --- re-crawling ----------------------------------------------------------------------------


def test_a_second_crawl_adds_nothing_changes_nothing_duplicates_nothing(crawl, recrawl):
    rows, runs = recrawl
    second = runs[len(crawl.runs) :]
    assert len(second) == len(crawl.runs)
    assert all(run.new == 0 and run.updated == 0 and run.errors == 0 for run in second)
    assert len(rows) == len(crawl.rows) == sum(MENTIONS.values())
    before = {row["id"]: row for row in crawl.rows}
    for row in rows:
        old = before[row["id"]]
        for field in ("url", "text", "author", "published", "rating", "first_seen", "label"):
            assert row[field] == old[field], (row["url"], field)


# --- Scrapy's own entry points --------------------------------------------------------------


def test_scrapy_list_shows_one_spider_per_source_kind():
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.split() == ["blog", "feed", "forum", "reviews", "sitemap"]
