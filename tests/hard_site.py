"""A local web site of the hard cases a crawler meets in the wild, served on 127.0.0.1.

Each path exercises one failure: a 500 that recovers, a page slower than the timeout, a 20 MB
page, a windows-1252 page, broken markup, an endless calendar, a path robots.txt forbids.
"""

from __future__ import annotations

import time

from local_site import LocalSite, Reply

BRAND_POST = """<!doctype html><html lang="it"><head><meta charset="utf-8">
<title>{title}</title></head><body>
<article class="post"><h1 class="entry-title">{title}</h1>
<div class="entry-content"><p>{body}</p></div></article>
<ol class="commentlist">
<li class="comment" id="comment-{n}1"><article class="comment-body">
<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Giulia</b></div>
<div class="comment-metadata"><time datetime="2024-03-0{n}T10:00:00+01:00">3 marzo</time></div></footer>
<div class="comment-content"><p>Commento {n}: il pane era buono ma il servizio lento.</p></div>
</article></li></ol>
{links}
</body></html>"""


def post(n: int, title: str, body: str, links: str = "") -> bytes:
    return BRAND_POST.format(n=n, title=title, body=body, links=links).encode("utf-8")


INDEX = """<!doctype html><html><head><meta charset="utf-8"><title>Blog dei clienti</title></head>
<body><h1>Blog dei clienti</h1><ul>
<li><a href="/hard/flaky">Una pagina che prima fallisce</a></li>
<li><a href="/hard/slow">Una pagina lentissima</a></li>
<li><a href="/hard/huge">Una pagina enorme</a></li>
<li><a href="/hard/cp1252">Una pagina in windows-1252</a></li>
<li><a href="/hard/broken">Una pagina rotta</a></li>
<li><a href="/hard/private/segreto">Una pagina privata</a></li>
<li><a href="/hard/calendar?day=1">Calendario</a></li>
<li><a href="/hard/archive/1">Archivio</a></li>
</ul></body></html>"""

CP1252 = (
    "<!doctype html><html><head><meta http-equiv='Content-Type' "
    "content='text/html; charset=windows-1252'><title>Perché il Panificio Rossi</title></head>"
    "<body><article><h1>Perché il Panificio Rossi è così amato</h1>"
    "<div class='entry-content'><p>L’altro giorno al Panificio Rossi: è stato "
    "un caffè perfetto, già pronto, però costoso – 3 € – “ottimo”.</p></div></article>"
    "</body></html>"
).encode("cp1252")

BROKEN = b"""<html><head><title>Pagina rotta sul Panificio Rossi</title><body>
<div class="post"><h1>Pagina rotta sul Panificio Rossi<p>Il Panificio Rossi ha sbagliato
il mio ordine <b>due volte<i> di fila</p><table><tr><td>cella senza fine
<div class="comment" id="c1"><p>Anche a me il Panificio Rossi ha dato il resto sbagliato.
<div class="comment" id="c2"><p>\xff\xfe byte a caso e tag <span non chiusi
"""


class HardSite(LocalSite):
    """The server; `hits` counts requests per path so tests can check what was (not) fetched."""

    def __init__(self, slow_seconds: float = 3.0, huge_mb: int = 20):
        super().__init__()
        self.slow_seconds = slow_seconds
        self.huge = b"<html><body><p>Panificio Rossi " + b"x" * (huge_mb * 1024 * 1024) + b"</p>"

    def route(self, path: str, query: dict[str, list[str]]) -> Reply:
        hits = self.hit(path)
        html = "text/html; charset=utf-8"
        if path == "/robots.txt":
            return 200, "text/plain", b"User-agent: *\nDisallow: /hard/private/\n"
        if path == "/hard/blog/":
            return 200, html, INDEX.encode()
        if path == "/hard/flaky":
            if hits == 1:
                return 500, html, b"<h1>Internal Server Error</h1>"
            return 200, html, post(1, "Il Panificio Rossi riapre", "Il Panificio Rossi riapre.")
        if path == "/hard/slow":
            time.sleep(self.slow_seconds)
            return 200, html, post(2, "Lento", "Panificio Rossi, pagina lenta.")
        if path == "/hard/huge":
            return 200, html, self.huge
        if path == "/hard/cp1252":
            return 200, "text/html; charset=windows-1252", CP1252
        if path == "/hard/broken":
            return 200, html, BROKEN
        if path.startswith("/hard/private/"):
            return 200, html, post(3, "Segreto", "Panificio Rossi, pagina vietata.")
        if path == "/hard/calendar":
            day = int(query.get("day", ["1"])[0])
            links = f'<a href="/hard/calendar?day={day + 1}">giorno dopo</a>'
            return 200, html, f"<html><body>Giorno {day}{links}</body></html>".encode()
        if path.startswith("/hard/archive/"):
            # An endless chain of archive pages: only the depth limit stops it.
            n = int(path.rsplit("/", 1)[1])
            links = f'<a href="/hard/archive/{n + 1}">più vecchi</a>'
            body = f"<html><body><p>Archivio {n}</p>{links}</body></html>"
            return 200, html, body.encode()
        return 404, html, b"<h1>Not found</h1>"
