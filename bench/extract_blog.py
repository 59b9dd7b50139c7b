"""Speed of blog page extraction (post + comments): per page as a crawl meets them, and on
large generated pages.

    python bench/extract_blog.py [--rounds 7]

First the CPU time (`time.process_time`, the figure a shared machine disturbs least) per page of
`extract_blog_page`, as the spiders call it (`fetched_at` the time of the call): the median over
`--rounds` rounds on `bench/crawl.py`'s generated post (~6 KB, five WordPress comments), and on
each blog, news and trap page of the development corpus (`../shared/corpus/pages`, skipped when
absent) with their median and sum; forum and review pages through their own extractors.

Then, per page shape, the page size, the comments found, the median time per page and the
throughput in MB/s. Pages are generated here (each ~1 MB unless said otherwise) in the markup
of WordPress, Blogger and TypePad-style signatures, plus a typical 100 KB post and a page nested
past libxml2's depth limit (the html5lib fallback).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from crawl import page as crawl_page  # noqa: E402

from crawler.extract.blog import extract_blog_page  # noqa: E402
from crawler.extract.forums import extract_forum_page  # noqa: E402
from crawler.extract.reviews import extract_reviews  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "pages"
# The corpus pages by the extractor that reads them (file names end in their kind).
KINDS: dict[str, tuple[tuple[str, ...], Callable[..., object]]] = {
    "blog, news and trap pages": (("blog", "news", "trap"), extract_blog_page),
    "forum pages": (("forum",), extract_forum_page),
    "review pages": (("reviews",), extract_reviews),
}

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


def cpu_per_page(extract: Callable[..., object], html: str, url: str, rounds: int) -> float:
    """Median CPU seconds of one extraction of `html`, as a spider calls it (after one call
    that warms what is read once per process, such as the date parser's locales)."""
    extract(html, url, fetched_at=datetime.now(UTC))
    samples = []
    for _ in range(rounds):
        start = time.process_time()
        extract(html, url, fetched_at=datetime.now(UTC))
        samples.append(time.process_time() - start)
    return statistics.median(samples)


def per_page(rounds: int) -> None:
    """CPU per page on the crawl bench's post and on the corpus pages."""
    posts = [crawl_page(number, 2000).decode() for number in range(100, 110)]
    seconds = statistics.median(
        cpu_per_page(extract_blog_page, html, f"http://127.0.0.1/blog/post-{n}.html", rounds)
        for n, html in enumerate(posts, start=100)
    )
    print(f"CPU per page, median of {rounds} rounds (load average {_load()})")
    print(f"  {'bench/crawl.py post (extract_blog_page)':<46} {seconds * 1000:8.2f} ms")
    if not CORPUS.is_dir():
        print(f"  corpus pages skipped: {CORPUS} not found")
        return
    for label, (kinds, extract) in KINDS.items():
        pages = sorted(p for p in CORPUS.glob("*.html") if p.stem.rsplit("-", 1)[-1] in kinds)
        times = [
            cpu_per_page(
                extract,
                p.read_text(encoding="utf-8", errors="replace"),
                f"https://x/{p.name}",
                rounds,
            )
            for p in pages
        ]
        print(
            f"  corpus {label} ({len(pages)}): median {statistics.median(times) * 1000:7.2f} ms,"
            f" sum {sum(times) * 1000:8.1f} ms"
        )


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7, help="rounds per page (default 7)")
    args = parser.parse_args()
    per_page(args.rounds)
    print()
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
