"""A web site on a loopback address, served from threads, for crawls that must stay local.

Subclasses answer `route(path, query)`; the server counts every path asked for in `hits`, so a
test can check what was (not) fetched. A body given as an iterator of chunks is streamed with
chunked transfer encoding and no Content-Length, for as long as the iterator lasts or the client
keeps reading.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

Body = bytes | Iterable[bytes]
# status, content type, body, and optionally more headers (e.g. Location, Content-Encoding)
Reply = tuple[int, str, Body] | tuple[int, str, Body, Mapping[str, str]]


class LocalSite:
    """The server on `host` (any 127.x.y.z address), on a free port; `url` is its root."""

    def __init__(self, host: str = "127.0.0.1"):
        self.hits: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer((host, 0), self._handler())
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://{host}:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LocalSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def hit(self, path: str) -> int:
        """Count a request for `path`; how many there have been, this one included."""
        with self.lock:
            self.hits[path] += 1
            return self.hits[path]

    def route(self, path: str, query: dict[str, list[str]]) -> Reply:
        raise NotImplementedError

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                status, content_type, body, *more = site.route(parts.path, parse_qs(parts.query))
                headers = dict(more[0]) if more else {}
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    if isinstance(body, bytes):
                        self.send_header("Content-Length", str(len(body)))
                        self.end_headers()
                        self.wfile.write(body)
                        return
                    self.send_header("Transfer-Encoding", "chunked")
                    self.send_header("Connection", "close")
                    self.end_headers()
                    for chunk in body:
                        if chunk:
                            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    self.wfile.write(b"0\r\n\r\n")
                    self.close_connection = True
                except (BrokenPipeError, ConnectionResetError):
                    # The crawler gave up on a slow, huge or endless page: that is the point.
                    self.close_connection = True

            def log_message(self, *args: object) -> None:
                pass

        return Handler
