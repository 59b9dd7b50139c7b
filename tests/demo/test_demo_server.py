"""The demo site is a real web server on 127.0.0.1: pages, types, charsets, robots.txt, 404s."""

from __future__ import annotations

import gzip
import socket
from urllib.robotparser import RobotFileParser

import pytest
from demo_http import NOW, fetch

from crawler.demo.server import DemoSite, Hit


def test_it_listens_on_a_free_port_of_127_0_0_1(site: DemoSite) -> None:
    assert site.url == f"http://127.0.0.1:{site.port}"
    assert site.port > 0
    assert site.external_url == f"http://localhost:{site.port}"


def test_the_home_page_is_served_as_utf8_html(site: DemoSite) -> None:
    page = fetch(site, "/")
    assert page.status == 200
    assert page.content_type == "text/html; charset=utf-8"
    assert "<h1>Benvenuti nel quartiere</h1>" in page.text
    assert int(page.headers["Content-Length"]) == len(page.body)


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/feeds/notizie.rss.xml", "application/rss+xml; charset=utf-8"),
        ("/feeds/avvisi.atom.xml", "application/atom+xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/sitemaps/pagine.xml", "application/xml; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/blog/", "text/html; charset=utf-8"),
        ("/recensioni/panificio-rossi/pagina-2.html", "text/html; charset=utf-8"),
        ("/guide/forno-a-legna.html", "text/html; charset=windows-1252"),
        ("/static/stile.css", "text/css; charset=utf-8"),
        ("/sitemaps/negozi.xml.gz", "application/gzip"),
    ],
)
def test_each_kind_of_file_has_its_content_type(site: DemoSite, path: str, content_type: str):
    page = fetch(site, path)
    assert page.status == 200
    assert page.content_type == content_type


def test_every_file_of_the_site_is_served_with_its_placeholders_filled_in(site: DemoSite):
    assert 20 <= len(site.files) <= 30
    for name in site.files:
        page = fetch(site, f"/{name}")
        assert page.status == 200, name
        assert b"@@" not in page.body, name


def test_the_windows_1252_page_is_windows_1252_bytes(site: DemoSite) -> None:
    page = fetch(site, "/guide/forno-a-legna.html")
    assert b"charset=windows-1252" in page.body[:300]
    with pytest.raises(UnicodeDecodeError):
        page.body.decode("utf-8")
    text = page.body.decode("windows-1252")
    assert "all’alba" in text and "“va mangiato con le mani”" in text and "4,20 €" in text
    assert "Perché" in text and "È là" in text and "più" in text
    assert "Forno Rossi" in text
    assert "Pubblicata il 20 febbraio 2024" in text  # 24 days before NOW, rendered in cp1252


def test_dates_are_relative_to_the_injected_moment(site: DemoSite) -> None:
    assert site.now == NOW
    post = fetch(site, "/blog/che-succede-al-forno-sotto-casa.html").text
    assert '<time datetime="2024-03-15T05:00:00+01:00">15 marzo 2024 alle 05:00</time>' in post
    assert 'datetime="2024-03-13T18:00:00+01:00"' in post  # the post itself, 40 hours before
    rss = fetch(site, "/feeds/notizie.rss.xml").text
    assert "<pubDate>Thu, 14 Mar 2024 07:30:00 +0100</pubDate>" in rss
    typepad = fetch(site, "/blog/trent-anni-di-pane.html").text
    assert "Inviato da: M. Bianchi @ 24.02.24 17:31" in typepad
    blogger = fetch(site, "/blog/colazione-in-centro.html").text
    assert "<span>mercoledì 14 febbraio 2024</span>" in blogger


def test_the_same_server_serves_the_same_page_every_time(site: DemoSite) -> None:
    # `now` is fixed when the server starts, so a re-crawl finds nothing changed.
    first = fetch(site, "/recensioni/panificio-rossi/").body
    assert fetch(site, "/recensioni/panificio-rossi/").body == first


def test_links_and_sitemap_urls_point_back_at_this_server(site: DemoSite) -> None:
    sitemap = fetch(site, "/sitemap.xml").text
    assert f"<loc>{site.url}/sitemaps/negozi.xml.gz</loc>" in sitemap
    pingback = fetch(site, "/blog/il-pane-della-domenica.html").text
    assert f'href="{site.external_url}/blog/le-panetterie-di-bologna/"' in pingback


def test_robots_txt_disallows_the_private_area_and_names_the_sitemap(site: DemoSite) -> None:
    text = fetch(site, "/robots.txt").text
    assert "User-agent: *\nDisallow: /privato/\n" in text
    assert f"Sitemap: {site.url}/sitemap.xml" in text
    robots = RobotFileParser()
    robots.parse(text.splitlines())
    assert not robots.can_fetch("passaparola", f"{site.url}/privato/bozza-comunicato.html")
    assert robots.can_fetch("passaparola", f"{site.url}/blog/")
    assert robots.site_maps() == [f"{site.url}/sitemap.xml"]


def test_the_gzipped_sitemap_is_compressed_from_its_source(site: DemoSite) -> None:
    page = fetch(site, "/sitemaps/negozi.xml.gz")
    assert "Content-Encoding" not in page.headers  # a .gz file, not a compressed transfer
    xml = gzip.decompress(page.body).decode("utf-8")
    assert xml.count("<url>") == 3
    assert f"<loc>{site.url}/privato/bozza-comunicato.html</loc>" in xml


def test_a_missing_page_is_a_404(site: DemoSite) -> None:
    page = fetch(site, "/blog/non-esiste.html")
    assert page.status == 404
    assert page.content_type == "text/html; charset=utf-8"
    assert fetch(site, "/sitemaps/non-esiste.xml.gz").status == 404


@pytest.mark.parametrize(
    "path",
    [
        "/../pyproject.toml",
        "/../../pyproject.toml",
        "/blog/../../server.py",
        "/%2e%2e/pyproject.toml",
        "/..%2f..%2fpyproject.toml",
        "/../server.py",
        "//etc/passwd",
        "/static/../../__init__.py",
    ],
)
def test_nothing_outside_the_site_folder_is_served(site: DemoSite, path: str) -> None:
    page = fetch(site, path)
    assert page.status == 404
    assert b"[project]" not in page.body and b"import" not in page.body


def test_a_folder_without_its_slash_redirects_to_it(site: DemoSite) -> None:
    page = fetch(site, "/recensioni/panificio-rossi")
    assert page.status == 301
    assert page.headers["Location"] == "/recensioni/panificio-rossi/"


def test_head_sends_the_headers_without_the_body(site: DemoSite) -> None:
    head = fetch(site, "/blog/", method="HEAD")
    get = fetch(site, "/blog/")
    assert head.status == 200 and head.body == b""
    assert head.headers["Content-Length"] == str(len(get.body))


def test_every_request_is_recorded_with_its_host_and_user_agent(site: DemoSite) -> None:
    fetch(
        site,
        "/negozi/caffe-aurora.html?utm_source=test",
        host=f"localhost:{site.port}",
        user_agent="passaparola-demo/0.1 (+https://example.org)",
    )
    hit = site.hits[-1]
    assert hit == Hit(
        "GET",
        f"localhost:{site.port}",
        "/negozi/caffe-aurora.html?utm_source=test",
        "passaparola-demo/0.1 (+https://example.org)",
    )
    assert site.fetched("/negozi/caffe-aurora.html")  # whatever the query string
    assert not site.fetched("/negozi/never-asked-for.html")


def test_closing_the_site_frees_its_port() -> None:
    with DemoSite() as short_lived:
        assert fetch(short_lived, "/robots.txt").status == 200
        port = short_lived.port
    short_lived.close()  # a second close is harmless
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass
