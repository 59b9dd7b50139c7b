"""The bundled demo site, served on 127.0.0.1 from the package's own files.

`passaparola demo` crawls it and the spiders' tests crawl it: a real HTTP server, so robots.txt,
content types, charsets, gzip and 404s behave as on the web. Dates are rendered relative to a
`now` fixed when the server starts, so every request in one server's life sees the same page
(re-crawls find nothing changed) while the site always looks recent.
"""

from __future__ import annotations

import gzip
import logging
import re
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from importlib.resources.abc import Traversable
from types import TracebackType
from urllib.parse import unquote, urlsplit

from crawler.demo.placeholders import ROME, render

log = logging.getLogger(__name__)

_META_CHARSET = re.compile(rb"""<meta[^>]*charset=["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
_TYPES = {
    ".rss.xml": "application/rss+xml",
    ".atom.xml": "application/atom+xml",
    ".xml": "application/xml",
    ".html": "text/html",
    ".txt": "text/plain",
    ".css": "text/css",
}
_NOT_FOUND = b"""<!doctype html><html lang="it"><head><meta charset="utf-8">
<title>404 - Pagina non trovata</title></head>
<body><h1>Pagina non trovata</h1><p>La pagina richiesta non esiste.</p></body></html>"""


def site_files() -> dict[str, bytes]:
    """Every file of the packaged site by its URL path ("blog/index.html"), read once.

    Serving only what is in this dictionary makes path traversal impossible by construction.
    """
    files: dict[str, bytes] = {}

    def walk(folder: Traversable, prefix: str) -> Iterator[tuple[str, bytes]]:
        for entry in folder.iterdir():
            if entry.is_dir():
                yield from walk(entry, f"{prefix}{entry.name}/")
            elif not entry.name.startswith("."):
                yield f"{prefix}{entry.name}", entry.read_bytes()

    files.update(walk(resources.files("crawler.demo").joinpath("site"), ""))
    return files


def charset_of(name: str, body: bytes) -> str:
    """The charset a file declares in a <meta> tag (HTML) or its XML prolog; UTF-8 otherwise."""
    if name.endswith(".html"):
        declared = _META_CHARSET.search(body[:2048])
        if declared:
            return declared[1].decode("ascii").lower()
    return "utf-8"


def content_type(name: str, charset: str) -> str:
    for suffix, media_type in _TYPES.items():
        if name.endswith(suffix):
            return f"{media_type}; charset={charset}"
    return "application/octet-stream"


@dataclass(frozen=True, slots=True)
class Hit:
    """One request the site received: tests check that forbidden paths were never asked for."""

    method: str
    host: str
    path: str
    user_agent: str


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: DemoSite

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host's FQDN, which can stall on a machine
        # without working DNS; 127.0.0.1 is all we need to know.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "passaparola-demo/0.1"

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def _respond(self, *, send_body: bool) -> None:
        site = self.server.site
        site._record(
            Hit(
                self.command,
                self.headers.get("Host", ""),
                self.path,
                self.headers.get("User-Agent", ""),
            )
        )
        try:
            status, headers, body = site.response(urlsplit(self.path).path)
        except Exception:  # a broken site file: say so, as a web server would
            log.exception("demo site: cannot serve %s", self.path)
            status, headers, body = HTTPStatus.INTERNAL_SERVER_ERROR, {}, b""
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        # Quiet: a crawl's hundreds of requests would drown the command's own output.
        log.debug("demo site: " + format, *args)


class DemoSite:
    """The demo site on a free port of 127.0.0.1, served from a daemon thread.

    Use as `with DemoSite() as site: ... site.url ...`. `now` (default: the current time) anchors
    the relative dates on the site; `hits` lists every request received, in order.
    """

    def __init__(self, *, now: datetime | None = None, port: int = 0) -> None:
        if now is None:
            now = datetime.now(ROME)
        elif now.tzinfo is None:
            now = now.replace(tzinfo=ROME)
        self.now = now
        self.files = site_files()
        self.hits: list[Hit] = []
        self._hits_lock = threading.Lock()
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.site = self
        self.port: int = self._server.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        # Another host name for the same server: links to it are "external" to the site.
        self.external_url = f"http://localhost:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"demo-site-{self.port}",
            daemon=True,
        )
        self._thread.start()
        self._closed = False

    def __enter__(self) -> DemoSite:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop serving and release the port; calling it twice is harmless."""
        if self._closed:
            return
        self._closed = True
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def _record(self, hit: Hit) -> None:
        with self._hits_lock:
            self.hits.append(hit)

    def fetched(self, path: str) -> bool:
        """Whether any request asked for `path` (query strings ignored), on any host name."""
        with self._hits_lock:
            return any(urlsplit(hit.path).path == path for hit in self.hits)

    def render(self, name: str) -> bytes:
        """A site file with its placeholders filled in, in the file's own charset."""
        body = self.files[name]
        charset = charset_of(name, body)
        text = render(
            body.decode(charset), now=self.now, base_url=self.url, external_url=self.external_url
        )
        return text.encode(charset)

    def response(self, path: str) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body for a URL path; pure apart from reading the site files."""
        name = unquote(path).lstrip("/")
        if name == "" or name.endswith("/"):
            name += "index.html"
        if name in self.files:
            return (
                HTTPStatus.OK,
                {"Content-Type": content_type(name, charset_of(name, self.files[name]))},
                self.render(name),
            )
        if name.endswith(".gz") and name[:-3] in self.files:
            # A gzipped sitemap, compressed from its readable source file on the fly.
            body = gzip.compress(self.render(name[:-3]), mtime=0)
            return HTTPStatus.OK, {"Content-Type": "application/gzip"}, body
        if f"{name}/index.html" in self.files:
            return HTTPStatus.MOVED_PERMANENTLY, {"Location": f"/{name}/"}, b""
        return HTTPStatus.NOT_FOUND, {"Content-Type": "text/html; charset=utf-8"}, _NOT_FOUND
