"""Speed of blog page extraction (post + comments) on large generated pages.

    python bench/extract_blog.py

Prints, per page shape, the page size, the comments found, the median time per page and the
throughput in MB/s. Pages are generated here (each ~1 MB unless said otherwise) in the markup
of WordPress, Blogger and TypePad-style signatures, plus a typical 100 KB post and a page nested
past libxml2's depth limit (the html5lib fallback).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.extract.blog import extract_blog_page  # noqa: E402

URL = "https://blog.example.org/2024/03/post.html"
POST = (
    "<html><head><meta name='generator' content='{generator}'><title>Post</title></head><body>"
    "<article class='post hentry'><h1 class='entry-title'>Il nuovo forno</h1>"
    "<time class='entry-date published' datetime='2024-03-01T09:00:00+01:00'>1 marzo</time>"
    "<div class='entry-content'>" + "<p>Il Panificio Rossi ha aperto un nuovo forno. " * 20 + "</p>"
    "</div></article>"
)
TEXT = "Pane ottimo e servizio gentile, ma la fila era lunghissima anche alle otto del mattino."


def wordpress(size: int, *, iso_dates: bool = True) -> str:
    parts = [POST.format(generator="WordPress 6.4"), "<ol class='comment-list'>"]
    n = 0
    while sum(map(len, parts)) < size:
        n += 1
        minute, day = n % 60, 1 + n % 28
        date = (
            f"<time datetime='2024-03-{day:02d}T10:{minute:02d}:00+01:00'>{day} marzo 2024</time>"
            if iso_dates
            else f"<a href='#comment-{n}'>{day} marzo 2024 alle 10:{minute:02d}</a>"
        )
        parts.append(
            f"<li id='comment-{n}' class='comment depth-1'><article class='comment-body'>"
            "<footer class='comment-meta'><div class='comment-author vcard'>"
            f"<b class='fn'>Lettore {n}</b> <span class='says'>dice:</span></div>"
            f"<div class='comment-metadata'>{date}</div></footer>"
            f"<div class='comment-content'><p>{TEXT} ({n})</p></div>"
            "<div class='reply'><a class='comment-reply-link' href='#'>Rispondi</a></div>"
            "</article></li>"
        )
    return "".join(parts) + "</ol></body></html>"


def blogger(size: int) -> str:
    parts = [POST.format(generator="blogger"), "<dl id='comments-block'>"]
    n = 0
    while sum(map(len, parts)) < size:
        n += 1
        parts.append(
            f"<dt class='comment-author' id='c{n}'><a name='c{n}'></a>"
            f"<a href='https://www.blogger.com/profile/{n}'>Lettore {n}</a> ha detto...</dt>"
            f"<dd class='comment-body'><p>{TEXT} ({n})</p></dd><dd class='comment-footer'>"
            "<span class='comment-timestamp'><a href='?showComment="
            f"{1709280000000 + n * 60000}#c{n}'>1 marzo 2024 10:00</a></span></dd>"
        )
    return "".join(parts) + "</dl></body></html>"


def typepad_block(size: int) -> str:
    parts = [POST.format(generator="TypePad"), "<div class='comments-content'><p>"]
    n = 0
    while sum(map(len, parts)) < size:
        n += 1
        day, minute = 1 + n % 28, n % 60
        parts.append(f"{TEXT} ({n}) Inviato da: Lettore {n} @ {day:02d}.02.04 15:{minute:02d}")
    return "".join(parts) + "</p></div></body></html>"


def deep_unclosed(comments: int) -> str:
    items = "".join(
        f'<div class="comment" id="comment-{n}"><span class="author">Utente {n}</span>'
        f'<span class="date">{1 + n % 28:02d}/03/2019</span><p>{TEXT}</p>'
        for n in range(comments)
    )
    return f"<html><body><div id='comments'>{items}</body></html>"


def timed(function: Callable[[], object], *, budget: float = 3.0) -> float:
    """Median seconds per call over at least five calls, within about `budget` seconds."""
    function()
    samples = []
    deadline = time.perf_counter() + budget
    while time.perf_counter() < deadline or len(samples) < 5:
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    megabyte = 1_000_000
    cases = {
        "WordPress thread, ISO dates (1 MB)": wordpress(megabyte),
        "WordPress thread, text dates (1 MB)": wordpress(megabyte, iso_dates=False),
        "Blogger classic thread (1 MB)": blogger(megabyte),
        "TypePad signatures in one block (1 MB)": typepad_block(megabyte),
        "typical post with 20 comments (100 KB)": wordpress(100_000),
        "post without comments (1 MB)": POST.format(generator="WordPress")
        + "<p>Testo. </p>" * 80_000
        + "</body></html>",
        "unclosed divs 2,500 deep (html5lib fallback)": deep_unclosed(2500),
    }
    print(f"  {'page':<46} {'size':>8} {'comments':>8} {'median':>10} {'MB/s':>7}")
    for label, html in cases.items():
        found = len(extract_blog_page(html, URL).comments)
        seconds = timed(lambda html=html: extract_blog_page(html, URL))
        size = len(html.encode("utf-8"))
        print(
            f"  {label:<46} {size / 1e6:6.2f}MB {found:8d} {seconds * 1000:8.1f}ms"
            f" {size / 1e6 / seconds:7.2f}"
        )


if __name__ == "__main__":
    main()
