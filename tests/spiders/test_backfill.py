"""The backfill rule on a real crawl: a blog's old undated comments never look like a spike.

A local blog on 127.0.0.1 with 100 reader comments whose theme shows no dates, 30 of them
complaints, is crawled by the real `passaparola crawl`; the alert stage then runs on the store it
filled. Comments added later, still without dates, count on the day they were first seen.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cli_runner import run_cli

from crawler.alerts import run_alerts
from crawler.config import load_config
from crawler.store import iter_mentions, open_engine

COMPLAINTS = [
    "Pane raffermo e personale sgarbato, non ci torno più.",
    "Pessimo servizio: ho aspettato mezz'ora e la focaccia era bruciata.",
    "Torta arrivata rotta, una vergogna. Mai più.",
    "Prezzi esagerati e cornetti immangiabili, che delusione.",
]
PRAISE = [
    "Il pane è sempre buono e il personale gentile.",
    "Ci vado ogni domenica, ottime le brioche.",
    "Anche io compro lì il pane da anni, ottimo.",
]
POSTS = 4

PAGE = """<!doctype html><html lang="it"><head><meta charset="utf-8"><title>{title}</title></head>
<body class="single single-post"><article class="post type-post">
<h1 class="entry-title">{title}</h1>
<div class="entry-meta"><time class="entry-date published" datetime="2019-05-0{n}T09:00:00+02:00">
{n} maggio 2019</time> di <span class="author vcard">Redazione</span></div>
<div class="entry-content"><p>Siamo stati al Panificio Rossi di via Saragozza: {title}.
Com'è andata a voi? Raccontatecelo nei commenti.</p></div></article>
<div id="comments" class="comments-area"><h2 class="comments-title">{count} commenti</h2>
<ol class="comment-list">{comments}</ol></div>
<p><a href="/">Tutti gli articoli</a></p></body></html>"""

COMMENT = """<li id="comment-{id}" class="comment even thread-even depth-1">
<article id="div-comment-{id}" class="comment-body"><footer class="comment-meta">
<div class="comment-author vcard"><b class="fn">{author}</b> <span class="says">ha scritto:</span>
</div></footer><div class="comment-content"><p>{text}</p></div>
<div class="reply"><a rel="nofollow" class="comment-reply-link" href="?replytocom={id}#respond">
Rispondi</a></div></article></li>"""


@dataclass
class Blog:
    """A blog whose comments can grow between crawls; comments carry no date anywhere."""

    comments: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, post: int, author: str, text: str) -> None:
        with self.lock:
            self.comments.setdefault(post, []).append((author, text))

    def page(self, path: str) -> bytes | None:
        if path == "/":
            links = "".join(f'<li><a href="/post/{n}/">Articolo {n}</a></li>' for n in self.posts)
            return f"<html><body><h1>Il blog</h1><ul>{links}</ul></body></html>".encode()
        if not path.startswith("/post/"):
            return None
        n = int(path.strip("/").rsplit("/", 1)[1])
        with self.lock:
            thread = list(self.comments.get(n, []))
        comments = "".join(
            COMMENT.format(id=n * 1000 + i, author=escape(author), text=escape(text))
            for i, (author, text) in enumerate(thread)
        )
        title = f"La colazione numero {n}"
        return PAGE.format(title=title, n=n, count=len(thread), comments=comments).encode()

    @property
    def posts(self) -> list[int]:
        return list(range(1, POSTS + 1))


@pytest.fixture
def blog() -> Iterator[tuple[Blog, str]]:
    site = Blog()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = site.page(self.path.split("?", 1)[0])
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def project(folder: Path, url: str) -> Path:
    (folder / "passaparola.toml").write_text(
        '[[brands]]\nname = "Panificio Rossi"\n\n'
        f'[[sources]]\nkind = "blog"\nurl = "{url}/"\n\n'
        '[crawl]\nuser_agent = "passaparola-test (+https://example.org/contact)"\ndelay = 0\n',
        encoding="utf-8",
    )
    return folder / "passaparola.toml"


def old_thread(site: Blog) -> None:
    """100 comments over the posts, 30 of them complaints, none with a date."""
    for i in range(100):
        words = COMPLAINTS[i % 4] if i % 10 < 3 else PRAISE[i % 3]
        site.add(1 + i % POSTS, f"Lettore {i}", f"{words} (scritto da un lettore, n. {i})")


def test_a_first_crawl_of_old_undated_comments_raises_no_alert_later_ones_count(blog, tmp_path):
    site, url = blog
    config_path = project(tmp_path, url)
    config = load_config(config_path)
    engine = open_engine(config.database_url)
    old_thread(site)

    run_cli("crawl", cwd=tmp_path)
    stored = [m for m in iter_mentions(engine) if m["kind"] == "comment"]
    assert len(stored) == 100
    assert all(m["published"] is None for m in stored)
    assert sum(m["label"] == "negative" for m in stored) == 30
    assert run_alerts(config, engine, dry_run=True, env={}).raised == []

    for i in range(4):  # new complaints, still without a date, found by the next crawl
        site.add(2, f"Cliente arrabbiato {i}", f"{COMPLAINTS[i]} Oggi di nuovo, cliente {i}.")
    run_cli("crawl", cwd=tmp_path)
    new = [m for m in iter_mentions(engine) if (m["author"] or "").startswith("Cliente")]
    assert len(new) == 4 and all(m["label"] == "negative" for m in new)

    (alert,) = run_alerts(config, engine, dry_run=True, env={}).raised
    assert sorted(alert.mention_ids) == sorted(m["id"] for m in new)
    assert all(alert.window_start <= m["first_seen"] < alert.window_end for m in new)
    # Run again, nothing changed on the blog: the old comments stay out of every window.
    run_cli("crawl", cwd=tmp_path)
    (again,) = run_alerts(config, engine, dry_run=True, env={}).raised
    assert again.count == 4
