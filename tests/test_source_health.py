"""A crawl says what went wrong per source, in plain words: unreachable, missing, or empty.

Real crawls of pages served on 127.0.0.1: a reviews page without schema.org markup, a blog post
without comments, a feed without entries, a page that is not there, a port nothing listens on.
"""

from __future__ import annotations

import socket

import pytest
from cli_runner import run_cli, write_config
from local_pages import serve_pages
from sqlalchemy import select

from crawler.failures import Problem, run_note
from crawler.store import crawl_runs, open_engine

HTML = "text/html; charset=utf-8"
NO_REVIEWS = b"""<!DOCTYPE html><html lang="it"><head><title>Panificio Rossi</title></head><body>
<h1>Panificio Rossi - recensioni</h1>
<div class="review"><b>Giulia</b> 5 stelle: pane ottimo, personale gentile.</div>
<div class="review"><b>Marco</b> 2 stelle: troppa fila.</div>
</body></html>"""
NO_COMMENTS = """<!DOCTYPE html><html lang="it"><head><title>Il pane di quartiere</title></head>
<body><article><h1>Il pane di quartiere</h1><time datetime="2026-11-20T10:00:00+01:00">20
novembre 2026</time><p>Siamo stati al Panificio Rossi: la focaccia è la migliore della zona,
e la michetta croccante come una volta. Un forno che resiste.</p></article></body></html>""".encode()
EMPTY_FEED = b"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>
<title>Notizie di quartiere</title><link>http://example.org/</link>
<description>Le notizie</description></channel></rss>"""


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("health")
    pages = {
        "/recensioni/rossi/": (HTML, NO_REVIEWS),
        "/blog/pane/": (HTML, NO_COMMENTS),
        "/notizie/feed.xml": ("application/rss+xml", EMPTY_FEED),
        "/pagina.html": (
            HTML,
            b"<html><body><p>Solo una pagina, niente feed qui.</p></body></html>",
        ),
    }
    with serve_pages(pages) as base:
        dead = f"http://127.0.0.1:{closed_port()}/feed.xml"
        sources = {
            "no_reviews": ("reviews", f"{base}/recensioni/rossi/"),
            "no_comments": ("blog", f"{base}/blog/pane/"),
            "no_entries": ("feed", f"{base}/notizie/feed.xml"),
            "missing": ("reviews", f"{base}/recensioni/sparita/"),
            "not_feed": ("feed", f"{base}/pagina.html"),
            "dead": ("feed", dead),
        }
        text = "".join(
            f'[[sources]]\nkind = "{kind}"\nurl = "{url}"\ndepth = 0\n\n'
            for kind, url in sources.values()
        )
        write_config(folder, text, crawl="retries = 0\ntimeout = 5\n")
        result = run_cli("crawl", cwd=folder, check=False)
    engine = open_engine(f"sqlite:///{folder / 'passaparola.db'}")
    with engine.connect() as conn:
        runs = {row.source_url: row for row in conn.execute(select(crawl_runs))}
    return result, {name: runs[url] for name, (_, url) in sources.items()}, sources


def test_each_run_records_what_it_found_on_its_pages(crawled):
    _, runs, _ = crawled
    assert (runs["no_reviews"].pages, runs["no_reviews"].found) == (1, 0)
    assert (runs["no_comments"].pages, runs["no_comments"].found) == (1, 0)
    assert (runs["no_entries"].pages, runs["no_entries"].found) == (1, 0)


def test_each_failure_is_recorded_as_what_it_means(crawled):
    _, runs, _ = crawled
    missing = Problem.from_json(runs["missing"].last_error)
    assert (missing.code, missing.status) == ("http", 404)
    assert runs["missing"].status == "failed"
    assert Problem.from_json(runs["dead"].last_error).code == "refused"
    assert Problem.from_json(runs["not_feed"].last_error).code == "not_feed"
    assert runs["no_reviews"].last_error is None


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("no_reviews", "no schema.org reviews on the one page read"),
        ("no_comments", "no comments recognised on the one page read"),
        ("no_entries", "the feed has no entries"),
        ("missing", "the page answered 404 (not found)"),
        ("not_feed", "this address is not an RSS or Atom feed"),
        ("dead", "the server refused the connection"),
    ],
)
def test_the_crawl_summary_says_it_in_plain_words(crawled, name, says):
    result, _, sources = crawled
    url = sources[name][1]
    lines = [line for line in result.stdout.splitlines() if line.startswith("! ") and url in line]
    assert lines and says in lines[0], result.stdout


def test_a_run_that_went_well_has_no_note():
    assert (
        run_note(
            "reviews", pages=3, found=15, errors=0, status="finished", last_error=None, lang="it"
        )
        is None
    )


def test_notes_are_in_italian_too():
    problem = Problem("http", "https://example.org/x", 503).to_json()
    assert (
        run_note(
            "blog", pages=0, found=None, errors=1, status="failed", last_error=problem, lang="it"
        )
        == "la pagina ha risposto 503 (errore del server)"
    )
    assert (
        run_note(
            "reviews", pages=12, found=0, errors=0, status="finished", last_error=None, lang="it"
        )
        == "nessuna recensione schema.org nelle 12 pagine lette"
    )
