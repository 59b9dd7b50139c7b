"""The feed spider on an alert feed whose entries point at spots on one page and at whole pages."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from cli_runner import run_cli

from crawler.store import iter_mentions, open_engine

# Two entries about two comments of one post, one about a whole article, one naming no brand.
FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Avvisi: Panificio Rossi</title><link>{base}/</link>
<item><title>Nuovo commento su "Il pane della domenica"</title>
<link>{base}/blog/pane.html#comment-7</link><guid>c7</guid>
<description>Anna: il Panificio Rossi ha il filone migliore della zona.</description>
<pubDate>Mon, 04 Mar 2024 10:12:00 +0100</pubDate></item>
<item><title>Nuovo commento su "Il pane della domenica"</title>
<link>{base}/blog/pane.html#comment-8</link><guid>c8</guid>
<description>Gianni: al Panificio Rossi la domenica c'è troppa fila.</description>
<pubDate>Mon, 04 Mar 2024 19:05:00 +0100</pubDate></item>
<item><title>Il Panificio Rossi compie sessant'anni</title>
<link>{base}/notizie/sessanta.html?utm_source=feed</link><guid>n1</guid>
<description>Festa in via Saragozza.</description>
<pubDate>Tue, 05 Mar 2024 09:00:00 +0100</pubDate></item>
<item><title>Mercato contadino in piazza</title>
<link>{base}/blog/pane.html#comment-9</link><guid>c9</guid>
<description>Sabato le bancarelle dei produttori.</description></item>
</channel></rss>"""

ARTICLE = """<!doctype html><html lang="it"><head><meta charset="utf-8">
<title>Sessant'anni di pane</title></head><body><article><h1>Sessant'anni di pane</h1>
<p>Festa in via Saragozza per i sessant'anni del Panificio Rossi: pane e musica per tutti,
con la banda del quartiere e una torta lunga sei metri.</p></article></body></html>"""


class FeedSite:
    """A feed and one article on 127.0.0.1; `hits` counts the paths asked for."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                site.hits[path] += 1
                pages = {
                    "/feed.xml": ("application/rss+xml", FEED.format(base=site.url)),
                    "/notizie/sessanta.html": ("text/html; charset=utf-8", ARTICLE),
                }
                content_type, text = pages.get(path, ("text/plain", ""))
                body = text.encode("utf-8")
                self.send_response(200 if text else 404)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def feed_site() -> Iterator[FeedSite]:
    site = FeedSite()
    yield site
    site.server.shutdown()
    site.server.server_close()


@pytest.fixture(scope="module")
def mentions(feed_site, tmp_path_factory) -> dict[str, dict]:
    folder = tmp_path_factory.mktemp("feed")
    (folder / "passaparola.toml").write_text(
        f"""
[[brands]]
name = "Panificio Rossi"

[[sources]]
kind = "feed"
url = "{feed_site.url}/feed.xml"
follow = true

[crawl]
user_agent = "passaparola-test (+https://example.org/contact)"
delay = 0
""",
        encoding="utf-8",
    )
    run_cli("crawl", cwd=folder)
    engine = open_engine(f"sqlite:///{folder / 'passaparola.db'}")
    return {row["url"]: row for row in iter_mentions(engine)}


def test_entries_pointing_at_two_spots_of_one_page_are_two_mentions(feed_site, mentions):
    first = mentions[f"{feed_site.url}/blog/pane.html#comment-7"]
    second = mentions[f"{feed_site.url}/blog/pane.html#comment-8"]
    assert "filone migliore" in first["text"] and "troppa fila" in second["text"]
    assert first["kind"] == second["kind"] == "feed"


def test_an_entry_about_a_spot_keeps_its_own_text_and_its_page_is_not_fetched(feed_site, mentions):
    assert feed_site.hits["/blog/pane.html"] == 0
    assert mentions[f"{feed_site.url}/blog/pane.html#comment-8"]["page_url"].endswith("/feed.xml")


def test_an_entry_about_a_whole_page_is_followed_to_its_text(feed_site, mentions):
    article = mentions[f"{feed_site.url}/notizie/sessanta.html"]  # tracking parameters dropped
    assert feed_site.hits["/notizie/sessanta.html"] == 1
    assert "torta lunga sei metri" in article["text"]
    assert article["page_url"].startswith(f"{feed_site.url}/notizie/sessanta.html")


def test_an_entry_naming_no_brand_is_no_mention(mentions):
    assert len(mentions) == 3
