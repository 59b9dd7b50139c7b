"""Crawling a hostile site: only the web is fetched, every resource is bounded, nothing is lost
silently.

The site (tests/hostile_server.py) plays a public web site on 127.0.0.2 and tries to make the
crawler read local files, reach the internal service on 127.0.0.1, swallow endless, inflating or
endlessly nested pages, queue millions of URLs, and loop. Each crawl is the real `passaparola
crawl`, in its own process, and must end by itself.
"""

from __future__ import annotations

import pytest
from cli_runner import read_store, run_cli, write_config
from scrapy.core.downloader.handlers import DownloadHandlers
from scrapy.crawler import Crawler

from crawler.config import Config
from crawler.crawl import crawl_settings
from crawler.spiders.blog import BlogSpider

BOMB_PAGES = 40


def sources(site, *entries: tuple[str, str, str]) -> str:
    return "\n".join(
        f'[[sources]]\nkind = "{kind}"\nurl = "{site.url}{path}"\n{extra}'
        for kind, path, extra in entries
    )


def summary_row(result, url: str) -> list[str]:
    """The cells of the summary table's row for `url`."""
    line = next(line for line in result.stdout.splitlines() if f" {url} " in line)
    return [cell.strip() for cell in line.strip("│ ").split("│")]


@pytest.fixture(scope="module")
def hostile(hostile_site, tmp_path_factory):
    """One crawl of five hostile sources: a blog, a sitemap, a feed followed to its pages, a
    reviews page with its next page elsewhere, and a reviews page that redirects in a loop."""
    folder = tmp_path_factory.mktemp("hostile")
    write_config(
        folder,
        sources(
            hostile_site,
            ("blog", "/blog/", "depth = 1\n"),
            ("sitemap", "/sitemap.xml", ""),
            ("feed", "/feed.xml", "follow = true\n"),
            ("reviews", "/reviews/", 'brand = "Panificio Rossi"\n'),
            ("reviews", "/loop/a", 'brand = "Panificio Rossi"\n'),
        ),
        crawl="timeout = 10\nretries = 0\nmax_page_mb = 5\n",
    )
    result = run_cli("crawl", cwd=folder, check=False)
    mentions, runs = read_store(folder)
    return result, mentions, {run.source_url: run for run in runs}, hostile_site


@pytest.fixture(scope="module")
def bounded(hostile_site, tmp_path_factory):
    """One crawl of a sitemap bomb and of a page of 300 links at depth 0."""
    folder = tmp_path_factory.mktemp("bounded")
    write_config(
        folder,
        sources(
            hostile_site,
            ("sitemap", "/bomb/index.xml", f"max_pages = {BOMB_PAGES}\n"),
            ("blog", "/many/", "depth = 0\n"),
        ),
    )
    result = run_cli("crawl", cwd=folder, check=False)
    mentions, runs = read_store(folder)
    return result, mentions, {run.source_url: run for run in runs}, hostile_site


def test_only_web_download_handlers_exist():
    config = Config.model_validate({"brands": [{"name": "Panificio Rossi"}]})
    settings = crawl_settings(config, config.sources[0] if config.sources else None)
    handlers = DownloadHandlers(Crawler(BlogSpider, settings))
    for scheme in ("file", "data", "ftp", "s3"):
        assert handlers._get_handler(scheme) is None, scheme
    assert handlers._get_handler("http") is not None
    assert handlers._get_handler("https") is not None


def test_no_file_data_or_ftp_url_is_fetched_or_stored(hostile):
    _, mentions, _, _ = hostile
    assert mentions
    for mention in mentions:
        assert mention["url"].startswith("http://"), mention["url"]  # a feed entry's: its link
        assert mention["page_url"].startswith("http://127.0.0.2:"), mention["page_url"]
        assert "root:" not in mention["text"]  # /etc/passwd


def test_the_internal_service_is_never_reached(hostile):
    _, mentions, _, site = hostile
    assert site.hits["/redirect/internal"] >= 1  # the public site tried, by redirect
    assert not site.internal.hits  # by link, sitemap entry, feed entry, redirect, robots.txt
    assert not [m for m in mentions if "password" in m["text"]]


def test_what_is_refused_is_counted_once_per_url_in_the_summary(hostile):
    result, _, _, site = hostile
    # The seven forbidden entries, each once; the two redirects lead to URLs already refused.
    assert summary_row(result, f"{site.url}/sitemap.xml")[6] == "7"
    # file: and ftp: links of the blog's host, another port of it, and both redirects' targets
    # (data: links are not links; links to other hosts are simply not followed).
    assert summary_row(result, f"{site.url}/blog/")[6] == "6"
    # Two entries linking into the local network (feedparser itself drops the file: link).
    assert summary_row(result, f"{site.url}/feed.xml")[6] == "2"
    # The next page, on another host.
    assert summary_row(result, f"{site.url}/reviews/")[6] == "1"


def test_pages_of_the_site_itself_are_read(hostile):
    _, mentions, _, site = hostile
    pages = {m["url"]: m for m in mentions if m["kind"] in ("post", "page")}
    assert "ottimo pane" in pages[f"{site.url}/blog/post"]["text"]
    assert "ottimo pane" in pages[f"{site.url}/pages/ok"]["text"]


def test_feed_entries_that_cannot_be_followed_keep_their_own_text(hostile):
    _, mentions, _, site = hostile
    entries = {m["title"]: m for m in mentions if m["kind"] == "feed"}
    assert len(entries) == 4
    for n in (0, 1, 2):  # into the local network (by address, by name), to a file
        entry = entries[f"Panificio Rossi, notizia {n}"]
        assert entry["text"] == f"Il Panificio Rossi, notizia {n} dal feed."
        assert entry["page_url"] == f"{site.url}/feed.xml"
    assert entries["Panificio Rossi, notizia 2"]["url"].startswith(f"{site.url}/feed.xml#entry-")
    followed = entries["Panificio Rossi, notizia 3"]
    assert "ottimo pane" in followed["text"] and followed["page_url"] == f"{site.url}/pages/news"


def test_a_next_page_on_another_host_is_not_followed(hostile):
    _, mentions, runs, site = hostile
    [review] = [m for m in mentions if m["kind"] == "review"]
    assert review["author"] == "Lucia" and review["page_url"] == f"{site.url}/reviews/"
    assert runs[f"{site.url}/reviews/"].pages == 1 and not site.internal.hits


def test_endless_inflating_and_endlessly_nested_pages_are_skipped_as_errors(hostile):
    _, mentions, runs, site = hostile
    run = runs[f"{site.url}/sitemap.xml"]
    assert site.hits["/zero"] == 1 and site.hits["/gzip-bomb"] == 1 and site.hits["/deep"] == 1
    assert run.errors == 3
    assert run.status == "finished"  # the sitemap and its good page were read
    stored = {m["url"] for m in mentions}
    assert not stored & {f"{site.url}{path}" for path in ("/zero", "/gzip-bomb", "/deep")}


def test_a_start_url_that_redirects_in_a_loop_is_a_failed_source(hostile):
    result, _, runs, site = hostile
    run = runs[f"{site.url}/loop/a"]
    assert run.status == "failed" and run.errors == 1 and run.pages == 0
    assert "failed" in summary_row(result, f"{site.url}/loop/a")
    assert "redirects in a loop" in result.stderr


def test_every_hostile_crawl_ends_by_itself_and_its_errors_set_the_exit_status(hostile):
    result, _, runs, _ = hostile
    assert len(runs) == 5 and all(run.finished is not None for run in runs.values())
    assert result.returncode == 1
    assert "Traceback" not in result.stderr


def test_a_sitemap_bomb_queues_no_more_than_the_source_will_fetch(bounded):
    result, mentions, runs, site = bounded
    run = runs[f"{site.url}/bomb/index.xml"]
    sitemaps = [path for path in site.hits if path.startswith("/bomb/sitemap-")]
    pages = [path for path in site.hits if path.startswith("/bomb/page-")]
    # Pages come before further sitemaps: the first child sitemap feeds the whole budget.
    assert sitemaps == ["/bomb/sitemap-0.xml"]
    assert len(pages) <= BOMB_PAGES
    assert len([m for m in mentions if "/bomb/page-" in m["url"]]) >= BOMB_PAGES - 5
    assert run.status == "closespider_pagecount" and run.errors == 0
    assert result.returncode == 0


def test_depth_zero_reads_the_start_page_only(bounded):
    _, mentions, runs, site = bounded
    assert site.hits["/many/"] == 1
    assert not [path for path in site.hits if path.startswith("/many/") and path != "/many/"]
    assert [m["url"] for m in mentions if "/many/" in m["url"]] == [f"{site.url}/many/"]
    assert runs[f"{site.url}/many/"].pages == 1
