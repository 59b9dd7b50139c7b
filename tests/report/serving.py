"""`passaparola serve` as a real subprocess on a free loopback port, and plain HTTP requests.

The server's log lines (one per change, one per rebuild) are read as they come, so a test waits
for "rebuilt" instead of sleeping.
"""

from __future__ import annotations

import http.client
import os
import queue
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: str


@dataclass
class Served:
    process: subprocess.Popen
    url: str  # http://127.0.0.1:PORT/
    log: queue.Queue = field(default_factory=queue.Queue)

    @property
    def origin(self) -> str:
        return self.url.rstrip("/")

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc

    def request(
        self,
        method: str,
        path: str,
        body: bytes | str | dict | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        """One request with the standard library; a dict body is sent as a urlencoded form."""
        sent = dict(headers or {})
        if isinstance(body, dict):
            body = urlencode(body)
            sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
        if isinstance(body, str):
            body = body.encode("utf-8")
        connection = http.client.HTTPConnection(urlsplit(self.url).hostname, self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, text)
        finally:
            connection.close()

    @property
    def port(self) -> int:
        return int(urlsplit(self.url).port or 80)

    def post_status(self, mention: str, fields: dict, **headers: str) -> Reply:
        """A status change as the served page's form sends it (same origin)."""
        sent = {"Origin": self.origin, **headers}
        return self.request("POST", f"/mentions/{mention}/status", fields, sent)

    def wait_for_line(self, words: str, timeout: float = 120) -> str:
        """The next log line containing `words` (earlier lines are dropped)."""
        while True:
            line = self.log.get(timeout=timeout)
            if line is None:
                raise AssertionError(f"the server stopped before logging {words!r}")
            if words in line:
                return line

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()


def start_serve(config_path: Path, *args: str, env: dict[str, str] | None = None) -> Served:
    """Run `python -m crawler serve --port 0` for the project; returns once it is listening."""
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler", "serve", "--port", "0", "-c", str(config_path), *args],
        cwd=config_path.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )
    url = None
    for line in process.stdout:
        if "serving on " in line:
            url = line.split("serving on ", 1)[1].split()[0]
            break
    if url is None:
        process.wait(timeout=30)
        raise AssertionError(f"serve did not start: {process.stderr.read()}")
    served = Served(process, url)

    def read(stream) -> None:
        for line in stream:
            served.log.put(line.rstrip("\n"))
        served.log.put(None)

    threading.Thread(target=read, args=(process.stderr,), daemon=True).start()
    threading.Thread(target=read, args=(process.stdout,), daemon=True).start()
    return served


def stored_row(store, mention: str):
    """The stored row of a mention, as the server left it."""
    from sqlalchemy import select

    from crawler.store import mentions

    with store.engine.connect() as conn:
        return conn.execute(select(mentions).where(mentions.c.id == mention)).one()


def page_cards(html: str) -> dict:
    """The mention cards of a page, by mention id."""
    import lxml.html

    tree = lxml.html.fromstring(html)
    return {a.get("data-id"): a for a in tree.xpath('//article[contains(@class, "pp-mention")]')}


def serve_while_testing(store):
    """`passaparola serve` on the store's project for a test module; stopped cleanly after."""
    server = start_serve(store.config.root / "passaparola.toml")
    try:
        yield server
    finally:
        assert server.stop() == 0
