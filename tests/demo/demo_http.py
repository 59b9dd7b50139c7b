"""Requests to the demo site exactly as a crawler sends them, and the moment it is served at."""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from datetime import datetime

from crawler.demo.placeholders import ROME
from crawler.demo.server import DemoSite

# A Friday morning; the site's relative dates are computed from here.
NOW = datetime(2024, 3, 15, 10, 0, tzinfo=ROME)


@dataclass
class Fetched:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def fetch(
    site: DemoSite,
    path: str,
    *,
    method: str = "GET",
    host: str | None = None,
    user_agent: str = "demo-tests (+https://example.org/contact)",
) -> Fetched:
    """One request with the path sent exactly as given (urllib would tidy `..` away)."""
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=10)
    try:
        headers = {"User-Agent": user_agent}
        if host:
            headers["Host"] = host
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        return Fetched(response.status, response.headers, response.read())
    finally:
        connection.close()
