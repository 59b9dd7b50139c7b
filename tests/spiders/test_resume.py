"""A crawl killed half-way keeps what it stored; the re-run completes it with no duplicate."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select

from crawler.store import crawl_runs, mentions, open_engine

PAGES, PER_PAGE = 30, 5


def review_page(n: int) -> bytes:
    reviews = [
        {
            "@type": "Review",
            "author": {"@type": "Person", "name": f"Cliente {n}-{i}"},
            "datePublished": f"2024-02-{(i % 27) + 1:02d}",
            "reviewRating": {"@type": "Rating", "ratingValue": str(1 + (n + i) % 5)},
            "reviewBody": f"Recensione {n}-{i}: pane e servizio al Panificio Rossi.",
        }
        for i in range(PER_PAGE)
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "Bakery",
        "name": "Panificio Rossi",
        "review": reviews,
    }
    following = f'<a rel="next" href="/recensioni/{n + 1}">Successiva</a>' if n < PAGES else ""
    return (
        f'<html><head><script type="application/ld+json">{json.dumps(data)}</script></head>'
        f"<body><h1>Recensioni pagina {n}</h1>{following}</body></html>"
    ).encode()


@pytest.fixture
def slow_reviews_site():
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.startswith("/recensioni/"):
                time.sleep(0.3)  # a slow site, so the crawl can be killed half-way
                body, status = review_page(int(self.path.rsplit("/", 1)[1])), 200
            else:
                body, status = b"", 404
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def stored(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(mentions)).scalar()
        distinct = conn.execute(select(func.count(func.distinct(mentions.c.url)))).scalar()
    return total, distinct


def test_kill_mid_crawl_then_rerun(slow_reviews_site, tmp_path):
    (tmp_path / "passaparola.toml").write_text(
        f"""
[[brands]]
name = "Panificio Rossi"

[[sources]]
kind = "reviews"
url = "{slow_reviews_site}/recensioni/1"

[crawl]
user_agent = "passaparola-test (+https://example.org/contact)"
delay = 0
""",
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "crawler", "crawl"]
    env = {**os.environ}
    crawl = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    engine = open_engine(f"sqlite:///{tmp_path / 'passaparola.db'}")
    deadline = time.monotonic() + 60
    while stored(engine)[0] < 10 and crawl.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # polling the condition, not waiting for time to pass
    crawl.send_signal(signal.SIGKILL)
    crawl.wait()
    before, _ = stored(engine)
    assert 10 <= before < PAGES * PER_PAGE, "the crawl should have been killed half-way"
    with engine.connect() as conn:
        kept = {row.id: row.text for row in conn.execute(select(mentions.c.id, mentions.c.text))}

    subprocess.run(command, cwd=tmp_path, env=env, check=True, capture_output=True, timeout=120)

    total, distinct = stored(engine)
    assert total == distinct == PAGES * PER_PAGE
    with engine.connect() as conn:
        after = {row.id: row.text for row in conn.execute(select(mentions.c.id, mentions.c.text))}
    assert all(after[key] == text for key, text in kept.items())
    with engine.connect() as conn:
        runs = conn.execute(select(crawl_runs.c.status).order_by(crawl_runs.c.id)).scalars()
        # The killed run was left "running"; the next one found its process gone.
        assert list(runs) == ["interrupted", "finished"]
