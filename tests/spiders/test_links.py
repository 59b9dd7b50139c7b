"""The links a blog page leads to (crawler/spiders/links.py): what the blog spider follows.

The rules are Scrapy's `LinkExtractor(deny=…)` followed by the spider's own filter, so these
tests also compare `SiteLinks` with exactly that, on realistic markup, on hrefs chosen to be
awkward, and on the development corpus of real pages (skipped without ../shared/corpus).
"""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse
from scrapy.linkextractors import IGNORED_EXTENSIONS as scrapy_ignored_extensions
from scrapy.linkextractors import LinkExtractor

from crawler.extract.brands import Brand, BrandMatcher
from crawler.extract.html_tree import parse_html, parse_page
from crawler.jobs import run_here
from crawler.spiders.base import domain
from crawler.spiders.blog import _DENY, BlogSpider
from crawler.spiders.links import (
    IGNORED_EXTENSIONS,
    NOT_PAGES,
    SiteLinks,
    parse,
    reads_as_parsed,
)

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"

POST = """<!doctype html>
<html lang="it"><head><meta charset="utf-8"><title>Il pane di via Saragozza</title>
<link rel="alternate" type="application/rss+xml" href="https://blog.example.org/feed/">
<link rel="stylesheet" href="/wp-content/themes/lieve/style.css">
</head><body>
<header><nav class="menu">
  <a href="https://blog.example.org/">Home</a>
  <a href="/categoria/colazioni/">Colazioni</a>
  <a href="/chi-siamo/">Chi siamo</a>
  <a href="https://www.blog.example.org/contatti/">Contatti</a>
  <a href="/wp-login.php">Accedi</a>
</nav></header>
<article class="post">
  <h1 class="entry-title">Il pane di via Saragozza</h1>
  <div class="entry-content">
    <p>Siamo tornati al <a href="../../02/panificio-rossi/">Panificio Rossi</a>
       (<a href="https://maps.example.com/?q=via+Saragozza">mappa</a>,
       <a href="//cdn.example.net/foto.html">foto</a>).</p>
    <p><img src="/wp-content/uploads/pane.jpg"><a href="/wp-content/uploads/pane.jpg">ingrandisci</a>
       <a href="/wp-content/uploads/menu.pdf">il listino</a>
       <a href="/calendar/2026-03/">calendario</a>
       <a href="?month=3&amp;year=2026">marzo</a></p>
    <p>Scrivici: <a href="mailto:redazione@blog.example.org">e-mail</a>,
       <a href="tel:+39051000000">telefono</a>,
       <a href="javascript:void(window.print())">stampa</a>,
       <a href="file:///etc/passwd">un file</a>,
       <a href="ftp://blog.example.org/archivio.txt">l'archivio</a>,
       <a href="http://blog.example.org:8080/admin/">l'altra porta</a></p>
  </div>
</article>
<ol class="commentlist">
  <li id="comment-7"><a href="#comment-7">#</a>
    <a href="?replytocom=7#respond" rel="nofollow">Rispondi</a>
    <a href="https://blog.example.org/2026/03/pane/?share=facebook">Condividi</a></li>
</ol>
<nav class="pagination"><a href="  /2026/03/pane/comment-page-2/  ">Commenti successivi</a>
  <area href="/mappa-del-sito/" shape="rect" coords="0,0,10,10">
  <a>senza indirizzo</a>
  <a href="/categoria/colazioni/">Colazioni</a></nav>
<footer><a href="/2026/03/pane/trackback/">Trackback</a>
  <a href="https://blog.example.org/feed">RSS</a></footer>
</body></html>
"""
POST_URL = "https://blog.example.org/2026/03/pane/"


def response(url: str, markup: str, encoding: str = "utf-8") -> HtmlResponse:
    content_type = f"text/html; charset={encoding}".encode()
    return HtmlResponse(url, body=markup.encode(encoding), headers={b"Content-Type": content_type})


def scrapy_links(page: HtmlResponse, host: str) -> list[str]:
    """What the blog spider followed with Scrapy's LinkExtractor and its own filter."""
    return [
        link.url
        for link in LinkExtractor(deny=_DENY).extract_links(page)
        if not NOT_PAGES.search(link.url)
        and (domain(link.url) == host or not link.url.startswith(("http:", "https:")))
    ]


def test_a_post_leads_to_the_pages_of_its_blog_in_the_order_they_appear() -> None:
    links = SiteLinks("blog.example.org", deny=_DENY).of_response(response(POST_URL, POST))
    assert links == [
        "https://blog.example.org/",
        "https://blog.example.org/categoria/colazioni/",
        "https://blog.example.org/chi-siamo/",
        "https://www.blog.example.org/contatti/",  # www. is the same blog
        "https://blog.example.org/2026/02/panificio-rossi/",
        "file:///etc/passwd",  # kept for the fetch policy to refuse, and count
        "ftp://blog.example.org/archivio.txt",  # the same
        "http://blog.example.org:8080/admin/",  # the same (another port: another site)
        "https://blog.example.org/2026/03/pane/#comment-7",
        "https://blog.example.org/2026/03/pane/comment-page-2/",
        "https://blog.example.org/mappa-del-sito/",  # an <area> is a link too
    ]


def test_denied_links_files_other_sites_and_non_links_are_not_followed() -> None:
    links = SiteLinks("blog.example.org", deny=_DENY).of_response(response(POST_URL, POST))
    for left_out in (
        "wp-login",  # deny patterns: logins, feeds, replies, shares, calendars, trackbacks
        "/feed",
        "replytocom",
        "share=",
        "/calendar/",
        "month=",
        "trackback",
        ".jpg",  # files, by their extension
        ".pdf",
        "style.css",  # a <link>, not a link to follow
        "maps.example.com",  # other sites
        "cdn.example.net",
        "mailto:",  # addresses that are not pages
        "tel:",
        "javascript:",
    ):
        assert not any(left_out in link for link in links), left_out


def test_a_base_href_decides_where_relative_links_lead() -> None:
    markup = POST.replace("<head>", '<head><base href="https://blog.example.org/archivio/">')
    links = SiteLinks("blog.example.org", deny=_DENY).of_response(response(POST_URL, markup))
    assert "https://blog.example.org/02/panificio-rossi/" in links  # ../../ stops at /
    assert "https://blog.example.org/archivio/#comment-7" in links
    assert "https://blog.example.org/categoria/colazioni/" in links  # an absolute path


def test_the_links_are_those_scrapys_link_extractor_gives_and_the_spider_kept() -> None:
    extractor = SiteLinks("blog.example.org", deny=_DENY)
    for markup in (POST, POST.replace("<head>", '<head><base href="/archivio/2026/">')):
        for url in (POST_URL, "http://blog.example.org/2026/03/pane/", "https://blog.example.org/"):
            page = response(url, markup)
            assert extractor.of_response(page) == scrapy_links(page, "blog.example.org")


AWKWARD_HREFS = (
    "/blog/post-1.html",
    "/blog/post-1.html#commenti",
    " \t/blog/post-2.html\n",
    "/blog/\tpost-3.html",  # urlsplit drops the tab
    "/\t/elsewhere.example.com/x",  # ... and then this is another host
    "//blog.example.org/protocol-relative",
    "HTTPS://BLOG.EXAMPLE.ORG/Maiuscole",
    "http://blog.example.org/in-chiaro",
    "https://blog.example.org/caffè e latte/?gusto=più",
    "https://bücher.example/",
    "/percorso;jsessionid=1234.pdf",
    "/documento.pdf;jsessionid=1234",
    "/archivio.TAR.GZ",
    "/vuota?",
    "?pagina=2",
    "./accanto",
    "../../../../sopra",
    "#",
    "",
    "   ",
    "http://[::1/bogus",
    "http://blog.example.org:notaport/",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "file://blog.example.org/etc/passwd",
    "FTP://blog.example.org/x",
    "/feed/",
    "/2026/03/pane/comment-page-2/#comments",
    "/?replytocom=3",
    "/?print=1",
)


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_awkward_links_become_what_scrapy_makes_of_them(encoding: str) -> None:
    anchors = "".join(f'<a href="{href}">link</a>' for href in AWKWARD_HREFS)
    markup = f"<html><head><title>t</title></head><body><p>{anchors}</p></body></html>"
    extractor = SiteLinks("blog.example.org", deny=_DENY)
    # Each twice: what was worked out for one page is what another page of the site gets.
    for url in (
        "https://blog.example.org/2026/03/pane/",
        "https://blog.example.org/2026/04/latte/?ref=home",
        "http://blog.example.org/",
        "https://blog.example.org:8443/",
        "https://blog.example.org/2026/03/pane/",
    ):
        page = response(url, markup, encoding)
        assert extractor.of_response(page) == scrapy_links(page, "blog.example.org"), url


def test_the_tree_the_extraction_parsed_gives_the_same_links() -> None:
    page = response(POST_URL, POST)
    extractor = SiteLinks("blog.example.org", deny=_DENY)
    expected = extractor.of_response(page)
    assert extractor.of_response(page, root=parse_html(page.text)) == expected
    assert extractor.of_tree(parse(page.text), page.url, page.url) == expected


@pytest.mark.parametrize(
    "markup",
    [
        POST,
        "\n\n  " + POST + "\r\n",  # blanks before the first tag and after the last
        POST.replace("<body>", "<body><!-- <a href='/commentato/'>x</a> --><?php echo 1; ?>"),
        POST.replace("</body>", "<a href='/in-fondo/'>in fondo</a></body>").rstrip()[:-7],
    ],
)
def test_a_worker_takes_the_links_from_the_tree_it_parsed_for_the_extraction(markup: str) -> None:
    tree = parse_page(markup)
    assert tree is not None and reads_as_parsed(markup, tree.as_is)
    rules = SiteLinks("blog.example.org", deny=_DENY)
    assert rules.of_page(markup, POST_URL, root=tree.root) == rules.of_page(markup, POST_URL)


@pytest.mark.parametrize(
    "markup",
    [
        POST.replace("Chi siamo", "Chi\x00 siamo"),  # the link finder drops NULs first
        "\u3000" + POST,  # whitespace that strip() removes and libxml2 reads
        POST + "\x0c",
        POST.rstrip()[:-7] + "<a href='/tronco/",  # the page ends inside a tag
        POST.replace("Chi siamo", "Chi \udc80 siamo"),  # unencodable: the extraction replaces it
    ],
)
def test_a_page_the_two_parses_could_read_apart_is_parsed_again_for_its_links(
    markup: str,
) -> None:
    tree = parse_page(markup)
    assert tree is not None and not reads_as_parsed(markup, tree.as_is)


def test_a_page_too_deep_for_libxml2_is_not_read_for_links_in_html5libs_tree() -> None:
    deep = "<html><body>" + "<div>" * 3000 + "<a href='/fondo/'>fondo</a></body></html>"
    tree = parse_page(deep)
    assert tree is not None and not tree.as_is  # html5lib's tree: not libxml2's
    _, links = run_here(
        "blog_page",
        deep,
        POST_URL,
        default_tz="Europe/Rome",
        fetched_at=None,
        links=SiteLinks("blog.example.org", deny=_DENY),
    )
    assert links == SiteLinks("blog.example.org", deny=_DENY).of_page(deep, POST_URL)


def test_the_rules_travel_to_another_process() -> None:
    extractor = SiteLinks("blog.example.org", deny=_DENY)
    copy = pickle.loads(pickle.dumps(extractor))
    assert copy == extractor
    assert copy.of_response(response(POST_URL, POST)) == extractor.of_response(
        response(POST_URL, POST)
    )


def _own_url(markup: str, file: str) -> str:
    """A corpus page's own address (its canonical link or og:url), so its links to its own
    site count as such; pages that name none get one."""
    for pattern in (
        r'<link[^>]+rel=["\']canonical["\'][^>]+href=["\'](https?://[^"\']+)',
        r'<link[^>]+href=["\'](https?://[^"\']+)["\'][^>]+rel=["\']canonical',
        r'<meta[^>]+property=["\']og:url["\'][^>]+content=["\'](https?://[^"\']+)',
    ):
        found = re.search(pattern, markup, re.I)
        if found:
            return found.group(1)
    return f"https://corpus.example/{file}"


@pytest.mark.skipif(not (CORPUS / "pages").is_dir(), reason="no corpus in ../shared/corpus")
def test_on_real_pages_the_links_are_those_scrapy_gives() -> None:
    compared = followed = 0
    for path in sorted((CORPUS / "pages").glob("*.html")):
        body = path.read_bytes()
        page = HtmlResponse("https://corpus.example/", body=body)
        url = _own_url(page.text, path.name)
        page = page.replace(url=url)
        host = domain(url)
        links = SiteLinks(host, deny=_DENY).of_response(page)
        assert links == scrapy_links(page, host), path.name
        compared += 1
        followed += len(links)
    assert compared == 40
    assert followed > 1000  # real pages: menus, archives, tags


def test_a_page_already_queued_is_not_asked_for_again() -> None:
    spider = BlogSpider(
        "https://blog.example.org/", matcher=BrandMatcher([Brand("Panificio Rossi")])
    )
    links = spider.links.of_response(response(POST_URL, POST))
    assert spider.budget.admit(links[0])
    assert spider.budget.admit("https://blog.example.org/chi-siamo/#redazione")  # another fragment
    assert list(spider.not_queued(links)) == [
        link for link in links if link not in (links[0], "https://blog.example.org/chi-siamo/")
    ]
    # A refused link was never queued: it comes again, and the fetch policy counts it once.
    assert "file:///etc/passwd" in spider.not_queued(links)


def test_the_file_extensions_left_out_are_scrapys() -> None:
    assert list(IGNORED_EXTENSIONS) == scrapy_ignored_extensions


def test_a_worker_reads_a_blog_page_and_its_links_in_one_job() -> None:
    rules = SiteLinks("blog.example.org", deny=_DENY)
    page = response(POST_URL, POST)
    blog_page, links = run_here(
        "blog_page", page.text, page.url, default_tz="Europe/Rome", fetched_at=None, links=rules
    )
    assert links == rules.of_response(page)
    assert blog_page.title == "Il pane di via Saragozza"
    # A page whose links are not followed (a later comment page, the depth limit) is read alone.
    _, none = run_here("blog_page", page.text, page.url, default_tz="Europe/Rome", fetched_at=None)
    assert none == []
