"""A few fixed pages served on 127.0.0.1, for tests that crawl one made-up page or two."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROBOTS = ("text/plain", b"User-agent: *\nDisallow:\n")


@contextmanager
def serve_pages(pages: Mapping[str, tuple[str, bytes]]) -> Iterator[str]:
    """Serve `pages` (path → content type, body; everything else 404); yields the base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            found = pages.get(self.path) or (ROBOTS if self.path == "/robots.txt" else None)
            content_type, body = found or ("text/plain", b"not found")
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
