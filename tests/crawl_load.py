"""Load for one crawl process: a local site of many small blogs, and a process-tree sampler.

The site serves `blogs` independent blogs on 127.0.0.1 (`/blog-N/`, each linking only to its own
posts), so each blog is one source of a many-source crawl. Every post names the brand and is long
enough to be scored in a worker process; each has two reader comments.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

BRAND = "Panificio Rossi"
COMMENTS = (
    "Il pane era buono ma il servizio lentissimo, nessuno si è scusato.",
    "Personale gentile e cornetti ottimi, ci torno volentieri.",
)
STORY = (
    "Siamo tornati al Panificio Rossi dopo la ristrutturazione del negozio in via Saragozza. "
    "Il bancone è più grande, le focacce sono esposte meglio e la fila scorre più veloce, ma "
    "il pane a lievitazione naturale ci è sembrato meno profumato di una volta e il prezzo è "
    "salito. Nel quartiere se ne parla molto: c'è chi rimpiange la vecchia gestione e chi "
    "apprezza i nuovi orari, aperti anche la domenica pomeriggio. "
)


def post_page(blog: int, number: int) -> bytes:
    """Post `number` of blog `blog`: a WordPress-like page with its story and two comments."""
    title = f"Blog {blog}, post {number}: di nuovo al {BRAND}"
    comments = "".join(
        f'<li class="comment" id="comment-{blog}-{number}-{i}"><article class="comment-body">'
        f'<footer class="comment-meta"><b class="fn">Lettore {i}</b>'
        f'<time datetime="2026-03-1{i}T10:00:00+01:00">1{i} marzo</time></footer>'
        f'<div class="comment-content"><p>{text} (blog {blog}, post {number})</p></div>'
        f"</article></li>"
        for i, text in enumerate(COMMENTS)
    )
    return (
        f'<!doctype html><html lang="it"><head><meta charset="utf-8"><title>{title}</title>'
        f'</head><body><article class="post"><h1 class="entry-title">{title}</h1>'
        f'<div class="entry-content"><p>{STORY * 2}</p><p>Visita numero {number} al blog '
        f"{blog}.</p></div></article>"
        f'<ol class="commentlist">{comments}</ol>'
        f'<a href="/blog-{blog}/">Torna al blog</a></body></html>'
    ).encode()


class StaticPages(ThreadingHTTPServer):
    """Fixed pages (`path -> body`) on a free port of 127.0.0.1, served from a thread."""

    daemon_threads = True

    def __init__(self, pages: dict[str, bytes]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.pages = {"/robots.txt": b"User-agent: *\nDisallow: /privato/\n", **pages}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> StaticPages:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_: object) -> None:
        self.shutdown()
        self.server_close()


class ManyBlogs(StaticPages):
    """`blogs` blogs of `posts` posts each."""

    def __init__(self, blogs: int, posts: int = 2) -> None:
        super().__init__({})
        self.blogs, self.posts = blogs, posts
        for blog in range(blogs):
            links = "".join(
                f'<li><a href="/blog-{blog}/post-{n}.html">Post {n}</a></li>' for n in range(posts)
            )
            index = f"<html><body><h1>Blog {blog}</h1><ul>{links}</ul></body></html>"
            self.pages[f"/blog-{blog}/"] = index.encode()
            for number in range(posts):
                self.pages[f"/blog-{blog}/post-{number}.html"] = post_page(blog, number)

    def blog_urls(self) -> list[str]:
        return [f"{self.url}/blog-{blog}/" for blog in range(self.blogs)]

    def mentions(self) -> int:
        """Mentions the whole site holds: every post and every comment, for the one brand."""
        return self.blogs * self.posts * (1 + len(COMMENTS))


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = self.server.pages.get(self.path)  # type: ignore[attr-defined]
        if body is None:
            self.send_error(404)
            return
        kind = "text/plain" if self.path.endswith(".txt") else "text/html; charset=utf-8"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def write_project(folder: Path, sources: list[str], *, crawl: str = "", storage: str = "") -> Path:
    """A one-brand project crawling `sources` (blogs) without delay; returns the config path."""
    blocks = "".join(f'[[sources]]\nkind = "blog"\nurl = "{url}"\n\n' for url in sources)
    path = folder / "passaparola.toml"
    path.write_text(
        f'[[brands]]\nname = "{BRAND}"\n\n{blocks}'
        '[crawl]\nuser_agent = "passaparola-test (+https://example.org/contact)"\ndelay = 0\n'
        f"{crawl}\n{storage}",
        encoding="utf-8",
    )
    return path


def process_tree(root: int) -> list[int]:
    """`root` and every process descending from it, read from /proc (Linux)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue  # ended meanwhile
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(parent, []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(parents.get(pid, ()))
    return tree


def resident_bytes(pids: list[int]) -> int:
    """Summed resident memory (VmRSS) of these processes; ended ones count nothing."""
    total = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


def runs_python(pid: int) -> bool:
    """Whether `pid` runs this Python (a crawl or its worker, not a helper command)."""
    try:
        return os.path.realpath(f"/proc/{pid}/exe") == os.path.realpath(sys.executable)
    except OSError:
        return False


class TreeSampler:
    """The most processes (all, and those running Python) and the most resident memory a
    process tree had while it ran. Python's `platform` module runs `uname -p` once as Scrapy
    starts: a helper for a moment, counted in `max_processes` but not in `max_pythons`."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.max_processes = 0
        self.max_pythons = 0
        self.max_rss = 0
        self.commands: dict[int, str] = {}  # every process seen in the tree, for messages

    def sample(self) -> None:
        tree = process_tree(self.root)
        self.max_processes = max(self.max_processes, len(tree))
        self.max_pythons = max(self.max_pythons, sum(map(runs_python, tree)))
        self.max_rss = max(self.max_rss, resident_bytes(tree))
        for pid in tree:
            if pid not in self.commands:
                with contextlib.suppress(OSError):
                    command = Path(f"/proc/{pid}/cmdline").read_bytes()
                    self.commands[pid] = command.replace(b"\0", b" ").decode(errors="replace")


def run_sampled(command: list[str], **popen: Any) -> tuple[int, str, TreeSampler]:
    """Run `command`, sampling its process tree until it exits: exit status, output, sampler."""
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, **popen)
        sampler = TreeSampler(process.pid)
        while True:
            sampler.sample()
            try:
                process.wait(timeout=0.05)
                break
            except subprocess.TimeoutExpired:
                continue
        output.seek(0)
        return process.returncode, output.read().decode(errors="replace"), sampler
