"""A comment thread split over pages is read whole by a real crawl of a local blog.

The blog on 127.0.0.1 shows a post about the brand with nine comments, three a page, as
WordPress does (`/comment-page-2/`, "Commenti precedenti"); the crawl may go one link deep
from the home page, so the later comment pages are found only because they are the thread's.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from pathlib import Path

import pytest
from cli_runner import run_cli
from local_pages import serve_pages

from crawler.config import load_config
from crawler.store import iter_mentions, open_engine

POST = """<!doctype html><html lang="it"><head><meta charset="utf-8">
<title>Il forno di via Saragozza</title></head><body class="single single-post">
<article class="post type-post"><h1 class="entry-title">Il forno di via Saragozza</h1>
<div class="entry-content"><p>Siamo stati al Panificio Rossi: pane caldo fino a sera e una
focaccia come una volta. Com'è andata a voi?</p></div></article>
<div id="comments" class="comments-area"><h2>9 commenti</h2>
<ol class="comment-list">{comments}</ol>
<nav class="navigation comment-navigation">{pager}</nav></div>
<p><a href="/">Tutti gli articoli</a></p></body></html>"""

COMMENT = """<li id="comment-{n}" class="comment depth-1"><article class="comment-body">
<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Lettore {n}</b>
<span class="says">dice:</span></div><div class="comment-metadata"><a href="#comment-{n}">
<time datetime="2024-03-{n:02d}T10:00:00+01:00">{n} marzo 2024 alle 10:00</time></a></div>
</footer><div class="comment-content"><p>{text}</p></div></article></li>"""

TEXTS = [
    "Pane ottimo, ci torno sabato.",
    "Servizio lento ma gentile.",
    "La focaccia è troppo unta.",
]


def post_page(page: int) -> bytes:
    numbers = range(9 - 3 * page + 1, 9 - 3 * page + 4)  # page 1 shows the newest comments
    comments = "".join(COMMENT.format(n=n, text=escape(TEXTS[n % 3])) for n in numbers)
    links = []
    if page < 3:
        links.append(
            f'<a class="prev" href="/forno/comment-page-{page + 1}/">Commenti precedenti</a>'
        )
    if page > 1:
        newer = "/forno/" if page == 2 else f"/forno/comment-page-{page - 1}/"
        links.append(f'<a class="next" href="{newer}">Commenti successivi</a>')
    return POST.format(comments=comments, pager=" ".join(links)).encode()


@pytest.fixture
def blog() -> Iterator[str]:
    html = "text/html; charset=utf-8"
    pages = {
        "/": (html, b'<html><body><h1>Il blog</h1><a href="/forno/">Il forno</a></body></html>'),
        "/forno/": (html, post_page(1)),
        "/forno/comment-page-2/": (html, post_page(2)),
        "/forno/comment-page-3/": (html, post_page(3)),
    }
    with serve_pages(pages) as url:
        yield url


def project(folder: Path, url: str) -> Path:
    (folder / "passaparola.toml").write_text(
        '[[brands]]\nname = "Panificio Rossi"\n\n'
        f'[[sources]]\nkind = "blog"\nurl = "{url}/"\ndepth = 1\n\n'
        '[crawl]\nuser_agent = "passaparola-test (+https://example.org/contact)"\ndelay = 0\n',
        encoding="utf-8",
    )
    return folder / "passaparola.toml"


def test_every_comment_page_of_a_thread_is_read_and_belongs_to_the_post(blog, tmp_path):
    config = load_config(project(tmp_path, blog))
    run_cli("crawl", cwd=tmp_path)
    mentions = list(iter_mentions(open_engine(config.database_url)))
    comments = sorted((m for m in mentions if m["kind"] == "comment"), key=lambda m: m["author"])
    assert [m["author"] for m in comments] == [f"Lettore {n}" for n in range(1, 10)]
    assert {m["url"] for m in comments} == {f"{blog}/forno/#comment-{n}" for n in range(1, 10)}
    assert all(m["published"] is not None for m in comments)
    posts = [m for m in mentions if m["kind"] == "post"]
    assert [m["url"] for m in posts] == [f"{blog}/forno/"]
