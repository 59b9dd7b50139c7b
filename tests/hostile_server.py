"""A hostile web site, and an internal service it tries to reach, both on loopback addresses.

The site plays a *public* web site on 127.0.0.2; the service plays a machine of the local network
(an admin page, a database console) on 127.0.0.1, on another port. Everything the site serves is
something a stranger's page can do to a crawler:

- links, sitemap `<loc>`s, feed entries and redirects to `file://`, `data:`, `ftp://` URLs, to
  the internal service and to another port of the site's own host;
- an endless body (`/dev/zero` over HTTP: chunked, no Content-Length);
- a gzip bomb (a small download that inflates past any page size cap);
- a sitemap bomb: an index of thousands of sitemaps of 50,000 URLs each, generated as they are
  read, never held in memory;
- 200,000 nested `<div>`s (small enough for the size cap, deep enough to freeze a parser);
- a review page whose "next page" is the internal service;
- a redirect loop; a page with hundreds of links, for `depth = 0`.

`bench/hostile.py` crawls each case and prints the crawler's peak memory; the tests in
`tests/spiders/test_hostile.py` check what is stored and what is refused.
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from functools import cached_property

from local_site import LocalSite, Reply

HTML = "text/html; charset=utf-8"
XML = "application/xml"
SECRET = "Panificio Rossi: password del gestionale 1234"

PAGE = """<!doctype html><html lang="it"><head><meta charset="utf-8"><title>{title}</title>
</head><body><article><h1>{title}</h1><div class="entry-content"><p>{text}</p></div></article>
{links}</body></html>"""


def page(title: str, text: str, links: str = "") -> bytes:
    return PAGE.format(title=title, text=text, links=links).encode()


def anchors(urls: list[str]) -> str:
    return "<ul>" + "".join(f'<li><a href="{url}">{url}</a></li>' for url in urls) + "</ul>"


def urlset(locs: list[str]) -> bytes:
    entries = "".join(f"<url><loc>{loc}</loc></url>" for loc in locs)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    ).encode()


def endless(chunk: bytes) -> Iterator[bytes]:
    while True:
        yield chunk


class InternalService(LocalSite):
    """The local network's machine: whatever it serves must never be fetched."""

    def __init__(self) -> None:
        super().__init__("127.0.0.1")

    def route(self, path: str, query: dict[str, list[str]]) -> Reply:
        self.hit(path)
        return 200, HTML, page("Gestionale", SECRET)


class HostileSite(LocalSite):
    """The "public" site on 127.0.0.2, with `internal` (on 127.0.0.1) to tempt it."""

    def __init__(
        self,
        *,
        gzip_bomb_mb: int = 64,
        sitemap_children: int = 5_000,
        urls_per_sitemap: int = 50_000,
        nested_divs: int = 200_000,
        many_links: int = 300,
    ):
        super().__init__("127.0.0.2")
        self.internal = InternalService()
        self.gzip_bomb_mb = gzip_bomb_mb
        self.sitemap_children = sitemap_children
        self.urls_per_sitemap = urls_per_sitemap
        self.nested_divs = nested_divs
        self.many_links = many_links
        self._build = threading.Lock()

    def __enter__(self) -> HostileSite:
        self.internal.__enter__()
        super().__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        super().__exit__(*exc)
        self.internal.__exit__(*exc)

    @property
    def secret_url(self) -> str:
        return f"{self.internal.url}/admin"

    def forbidden(self) -> list[str]:
        """URLs no source of this site may fetch: other schemes, the internal service, another
        port of this host (nothing listens there: the crawler must not even try)."""
        return [
            "file:///etc/passwd",
            "file://127.0.0.2/etc/passwd",
            "file:///dev/zero",
            "data:text/html,<p>Panificio Rossi</p>",
            "ftp://127.0.0.2/listino.txt",
            self.secret_url,
            f"http://127.0.0.2:{self.internal.port}/admin",
        ]

    @cached_property
    def gzip_bomb(self) -> bytes:
        with self._build:
            head = b"<html><body><p>Panificio Rossi</p>"
            return gzip.compress(head + b" " * (self.gzip_bomb_mb * 1024 * 1024), 9)

    @cached_property
    def deep(self) -> bytes:
        n = self.nested_divs
        with self._build:
            return b"".join(
                (
                    b"<!doctype html><html><head><title>Profondo</title></head><body>",
                    b"<div>" * n,
                    "<p>Il Panificio Rossi è in fondo a tutto.</p>".encode(),
                    b"</div>" * n,
                    b"</body></html>",
                )
            )

    def route(self, path: str, query: dict[str, list[str]]) -> Reply:
        self.hit(path)
        if path == "/robots.txt":
            return 200, "text/plain", b"User-agent: *\nAllow: /\n"
        if path == "/blog/":
            links = [*self.forbidden(), "/blog/post", "/redirect/internal", "/redirect/file"]
            return 200, HTML, page("Il blog", "Un blog qualunque.", anchors(links))
        if path in ("/blog/post", "/pages/ok", "/pages/news"):
            return 200, HTML, page("Panificio Rossi", "Il Panificio Rossi fa un ottimo pane.")
        if path == "/redirect/internal":
            return 302, HTML, b"", {"Location": self.secret_url}
        if path == "/redirect/file":
            return 302, HTML, b"", {"Location": "file:///etc/passwd"}
        if path == "/reviews/":
            return 200, HTML, self._reviews()
        if path == "/loop/a":
            return 302, HTML, b"", {"Location": "/loop/b"}
        if path == "/loop/b":
            return 302, HTML, b"", {"Location": "/loop/a"}
        if path == "/sitemap.xml":
            pages = ["/pages/ok", "/redirect/internal", "/redirect/file", "/zero", "/gzip-bomb"]
            pages += ["/deep"]
            return 200, XML, urlset([*self.forbidden(), *(self.url + p for p in pages)])
        if path == "/dev-zero.xml":
            return 200, XML, urlset(["file:///dev/zero"])
        if path == "/feed.xml":
            return 200, "application/rss+xml", self._feed()
        if path == "/zero":
            return 200, HTML, endless(b"<p>Panificio Rossi</p>" + b"\0" * 65536)
        if path == "/gzip-bomb":
            return 200, HTML, self.gzip_bomb, {"Content-Encoding": "gzip"}
        if path == "/deep":
            return 200, HTML, self.deep
        if path == "/many/":
            links = [f"/many/{n}" for n in range(self.many_links)]
            return 200, HTML, page("Tanti link", "Panificio Rossi, indice.", anchors(links))
        if path.startswith("/many/") or path.startswith("/bomb/page-"):
            return 200, HTML, page("Una pagina", f"Panificio Rossi, pagina {path}.")
        if path == "/bomb/index.xml":
            return 200, XML, self._bomb_index()
        if path.startswith("/bomb/sitemap-"):
            return 200, XML, self._bomb_sitemap(path.removeprefix("/bomb/sitemap-"))
        return 404, HTML, b"<h1>Not found</h1>"

    def _reviews(self) -> bytes:
        """A page of one review whose "next page" is the internal service."""
        review = (
            '{"@context": "https://schema.org", "@type": "Review", "author": "Lucia",'
            ' "reviewBody": "Pane ottimo, servizio gentile.", "reviewRating": {"ratingValue": 5},'
            ' "itemReviewed": {"@type": "Bakery", "name": "Panificio Rossi"}}'
        )
        return (
            '<!doctype html><html><head><meta charset="utf-8"><title>Recensioni</title>'
            f'<script type="application/ld+json">{review}</script></head><body>'
            f'<h1>Recensioni</h1><a rel="next" href="{self.internal.url}/reviews/2">Successiva</a>'
            "</body></html>"
        ).encode()

    def _feed(self) -> bytes:
        links = [
            self.secret_url,  # another address: the internal service
            self.secret_url.replace("127.0.0.1", "localhost"),  # a name for it
            "file:///etc/passwd",
            f"{self.url}/pages/news",  # a page of the site itself: followed
        ]
        items = "".join(
            f"<item><title>Panificio Rossi, notizia {n}</title><link>{link}</link>"
            f"<guid>n{n}</guid><description>Il Panificio Rossi, notizia {n} dal feed."
            "</description></item>"
            for n, link in enumerate(links)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Notizie</title><link>{self.url}/</link>{items}</channel></rss>"
        ).encode()

    def _bomb_index(self) -> Iterator[bytes]:
        yield b'<?xml version="1.0" encoding="UTF-8"?>'
        yield b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        for n in range(self.sitemap_children):
            yield f"<sitemap><loc>{self.url}/bomb/sitemap-{n}.xml</loc></sitemap>".encode()
        yield b"</sitemapindex>"

    def _bomb_sitemap(self, name: str) -> Iterator[bytes]:
        n = name.removesuffix(".xml")
        yield b'<?xml version="1.0" encoding="UTF-8"?>'
        yield b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        for start in range(0, self.urls_per_sitemap, 1000):
            yield b"".join(
                f"<url><loc>{self.url}/bomb/page-{n}-{i}</loc></url>".encode()
                for i in range(start, min(start + 1000, self.urls_per_sitemap))
            )
        yield b"</urlset>"
