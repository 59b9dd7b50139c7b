"""RSS and Atom feeds as plain-text entries with absolute links and aware dates."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from crawler.extract.feeds import looks_like_feed, parse_feed

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"


def feed_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_rss2_wordpress_feed():
    feed = parse_feed(feed_bytes("rss2.xml"), "https://blogdelpane.example.it/feed/")

    assert feed.title == "Il blog del pane – Ricette e recensioni"
    assert feed.bozo_error is None
    assert len(feed.entries) == 4
    first, relative, undated, italian = feed.entries
    assert first.id == "https://blogdelpane.example.it/?p=1234"
    assert first.title == "Abbiamo provato il Panificio Rossi"
    assert first.link == "https://blogdelpane.example.it/2024/03/panificio-rossi/"
    assert first.author == "Chiara"  # dc:creator
    assert first.published == datetime(2024, 3, 5, 8, 15, 22, tzinfo=UTC)  # RFC 822
    # The full content:encoded wins over the teaser, as plain text without the script.
    assert first.text == (
        "Pane ottimo, prezzi onesti.\n\n"
        "La focaccia del Panificio Rossi è la migliore del quartiere."
    )
    assert relative.link == "https://blogdelpane.example.it/2024/02/colazione-bra/"
    assert relative.author == "La Redazione"  # "email (Name)"
    assert relative.published == datetime(2024, 2, 17, 19, 2, tzinfo=timezone(timedelta(hours=1)))
    assert relative.text == "Cornetti & cappuccino: la nostra lista aggiornata."
    assert undated.published is None
    assert undated.id is None
    # feedparser cannot read Italian dates; they are still read, never guessed.
    assert italian.published == datetime(2007, 7, 9, tzinfo=ZoneInfo("Europe/Rome"))


def test_atom_feed_with_iso_dates_xml_base_and_html_titles():
    feed = parse_feed(feed_bytes("atom.xml"), "https://news.example.com/food/atom.xml")

    assert feed.title == "Food news"
    assert feed.bozo_error is None
    opening, updated_only = feed.entries
    assert opening.title == "Caffè Aurora opens a second shop"
    assert opening.link == "https://news.example.com/food/2024/03/caffe-aurora-second-shop"
    assert opening.author == "Jane Doe"
    assert opening.published == datetime(2024, 3, 4, 8, 30, tzinfo=UTC)
    assert opening.text == "The espresso bar Caffè Aurora opens in Brera.\nQueues expected."
    assert updated_only.published == datetime(2024, 3, 1, 4, 59, 59, tzinfo=UTC)
    # Escaped markup in an HTML summary is the writer's text, not markup.
    assert updated_only.text == "Bread prices <rise>."


def test_rss1_in_latin1_with_dublin_core():
    feed = parse_feed(feed_bytes("rss1.rdf"), "http://www.splinder.example/blog/forno/rss")

    (entry,) = feed.entries
    assert entry.title == "Perché il Forno Rossi"
    assert entry.text == "Ci vado da anni, è sempre buono."
    assert entry.author == "M. Bancora"
    assert entry.published == datetime(2004, 2, 12, 15, 48, tzinfo=timezone(timedelta(hours=1)))


def test_a_broken_feed_keeps_what_could_be_read_and_says_what_was_wrong():
    feed = parse_feed(feed_bytes("broken.xml"), "https://forum.example.it/feed")

    assert feed.bozo_error
    assert feed.title == "Forum del gusto"
    assert [e.link for e in feed.entries] == [
        "https://forum.example.it/t/1",
        "https://forum.example.it/t/2",
    ]
    assert feed.entries[0].title == "Pane & coperto al Forno Rossi"
    assert feed.entries[0].published == datetime(2024, 3, 4, 12, tzinfo=UTC)


def test_rss091_and_a_relative_link_against_the_feed_url():
    body = b"""<?xml version="1.0"?>
    <rss version="0.91"><channel><title>Vecchio</title><link>http://old.example/</link>
    <item><title>Uno</title><link>archivio/uno.html</link>
    <description>Testo &lt;b&gt;uno&lt;/b&gt;</description></item></channel></rss>"""
    feed = parse_feed(body, "http://old.example/rss/feed.xml")
    (entry,) = feed.entries
    assert entry.link == "http://old.example/rss/archivio/uno.html"
    assert entry.text == "Testo uno"


def test_non_http_links_are_dropped():
    body = b"""<rss version="2.0"><channel><title>x</title>
    <item><title>a</title><link>javascript:alert(1)</link></item></channel></rss>"""
    assert parse_feed(body, "https://x.example/feed").entries[0].link is None


def test_the_body_is_never_taken_for_a_file_name_or_a_url(tmp_path):
    secret = tmp_path / "secret.xml"
    secret.write_bytes(feed_bytes("atom.xml"))
    assert parse_feed(os.fsencode(secret), "https://x.example/feed").entries == []
    assert parse_feed(b"https://news.example.com/food/atom.xml", "https://x.example/").entries == []


def test_an_html_page_is_no_feed():
    feed = parse_feed(b"<!DOCTYPE html><html><body><p>Ciao</p></body></html>", "https://x.it/")
    assert feed.entries == []


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (feed_bytes("rss2.xml"), "application/rss+xml; charset=UTF-8", True),
        (feed_bytes("atom.xml"), "application/atom+xml", True),
        (feed_bytes("rss1.rdf"), "application/rdf+xml", True),
        (feed_bytes("rss2.xml"), "text/html; charset=UTF-8", True),  # mislabelled by the server
        (feed_bytes("rss2.xml"), None, True),
        (
            b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- generator -->\n'
            b'<?xml-stylesheet href="/feed.xsl" type="text/xsl"?>\n<rss version="2.0"></rss>',
            "text/xml",
            True,
        ),
        (
            '<?xml version="1.0" encoding="UTF-16"?><feed xmlns="http://www.w3.org/2005/Atom"/>'.encode(
                "utf-16"
            ),
            None,
            True,
        ),
        (b"<!DOCTYPE html><html><head><title>x</title></head></html>", "text/html", False),
        (
            b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/"></urlset>',
            "application/xml",
            False,
        ),
        (
            b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"></html>',
            "application/rss+xml",
            False,
        ),
        (b"", "application/rss+xml", False),
        (b"\x00garbage before <rss>", "application/rss+xml", True),
        (b"", "text/html", False),
        (b'{"version": "https://jsonfeed.org/version/1.1"}', "application/feed+json", False),
    ],
)
def test_looks_like_feed(body, content_type, expected):
    assert looks_like_feed(body, content_type) is expected
