"""Speed of the per-page extraction functions: brand matching, reviews, pagination, feeds.

    python bench/extract.py

Prints the median time per call and calls per second for each case. Brand matching runs on
~5 KB of Italian blog text (the real posts in ../shared/seeds when present, else the bundled
test fixtures' text); reviews and pagination on the review-page fixtures, each also padded to
a realistic ~100 KB page.
"""

from __future__ import annotations

import html
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.extract.brands import Brand, BrandMatcher  # noqa: E402
from crawler.extract.feeds import parse_feed  # noqa: E402
from crawler.extract.pagination import next_page_url  # noqa: E402
from crawler.extract.reviews import extract_reviews  # noqa: E402
from crawler.extract.text import html_to_text  # noqa: E402

FIXTURES = ROOT / "tests" / "extract" / "fixtures"
SEEDS = ROOT / ".." / "shared" / "seeds"
AMAZON_IT = ROOT / ".." / "shared" / "data" / "it-reviews-amazon-dev.ndjson"
FILLER = "<div class='post'><p>" + "Lorem ipsum dolor sit amet, consectetur. " * 40 + "</p></div>"


def timed(function: Callable[[], object], *, budget: float = 1.5) -> float:
    """Median seconds per call over repeated batches, within about `budget` seconds."""
    function()
    start = time.perf_counter()
    function()
    once = max(time.perf_counter() - start, 1e-7)
    batch = max(1, int(0.05 / once))
    samples = []
    deadline = time.perf_counter() + budget
    while time.perf_counter() < deadline or len(samples) < 5:
        start = time.perf_counter()
        for _ in range(batch):
            function()
        samples.append((time.perf_counter() - start) / batch)
    return statistics.median(samples)


def report(label: str, seconds: float) -> None:
    print(f"  {label:<52} {seconds * 1000:9.3f} ms   {1 / seconds:11,.0f} /s")


def five_kb_text() -> str:
    if SEEDS.is_dir():
        text = "\n".join(
            p.read_text(encoding="utf-8", errors="replace") for p in sorted(SEEDS.iterdir())
        )
    else:
        pages = sorted((FIXTURES / "reviews").glob("*.html"))
        text = "\n".join(html_to_text(p.read_text(encoding="utf-8")) for p in pages)
    while len(text) < 5000:
        text += "\n" + text
    return text[:5000]


def padded(markup: str) -> str:
    return markup.replace("<body", "<body><!-- padding -->" + FILLER * 40 + "<div", 1).replace(
        "<div><!--", "<!--", 1
    )


def review_pages(per_page: int = 20) -> list[tuple[str, list[tuple[str, int]]]]:
    """Product pages of real Italian reviews (../shared/data when present), each review both in
    JSON-LD and in microdata as shops publish them, with the stars it was given."""
    if AMAZON_IT.exists():
        rows = [json.loads(line) for line in AMAZON_IT.read_text(encoding="utf-8").splitlines()]
        reviews = [(row["sentence"], int(row["score"])) for row in rows]
    else:
        reviews = [
            (f"Recensione numero {n}, pane buono e prezzo giusto.", n % 5 + 1) for n in range(200)
        ]
    pages = []
    for start in range(0, len(reviews) - per_page + 1, per_page):
        chunk = reviews[start : start + per_page]
        block = {
            "@context": "https://schema.org",
            "@type": "Product",
            "name": "Moka Aurora",
            "review": [
                {
                    "@type": "Review",
                    "author": {"@type": "Person", "name": f"Cliente {start + i}"},
                    "reviewBody": text,
                    "reviewRating": {"@type": "Rating", "ratingValue": f"{stars},0"},
                }
                for i, (text, stars) in enumerate(chunk)
            ],
        }
        visible = "".join(
            '<div itemprop="review" itemscope itemtype="https://schema.org/Review">'
            f'<span itemprop="author">Cliente {start + i}</span>'
            f'<meta itemprop="ratingValue" content="{stars}">'
            f'<p itemprop="reviewBody">{html.escape(text)}</p></div>'
            for i, (text, stars) in enumerate(chunk)
        )
        markup = (
            '<html><head><script type="application/ld+json">'
            + json.dumps(block, ensure_ascii=False).replace("/", "\\/")
            + "</script></head><body>"
            + FILLER * 10
            + '<div itemscope itemtype="https://schema.org/Product"><h1 itemprop="name">'
            + "Moka Aurora</h1>"
            + visible
            + "</div></body></html>"
        )
        pages.append((markup, chunk))
    return pages


def main() -> None:
    text = five_kb_text()
    config = [
        Brand("Panificio Rossi", ("Forno Rossi", "Rossi"), ("Valentino Rossi",)),
        Brand("Caffè Aurora", ("Aurora Caffè",), ("aurora boreale",)),
        Brand("Trattoria da Gino"),
    ]
    many = config + [
        Brand(f"Marchio {n}", (f"Alias {n} Srl",), (f"Marchio {n} Falso",)) for n in range(100)
    ]
    print(f"brand matching on {len(text):,} characters of text")
    for label, brands in (("3 brands", config), ("103 brands", many)):
        matcher = BrandMatcher(brands)
        report(f"{label}, text naming none", timed(lambda m=matcher: m.match(text)))
        named = text[:2500] + " dal Panificio Rossi, non Valentino Rossi, " + text[2500:4950]
        report(f"{label}, text naming one", timed(lambda m=matcher, t=named: m.match(t)))

    print("reviews extraction per page (extract_reviews)")
    url = "https://www.example.org/reviews/page-1"
    for path in sorted((FIXTURES / "reviews").glob("*.html")):
        markup = path.read_text(encoding="utf-8")
        big = padded(markup)
        found = len(extract_reviews(markup, url).reviews)
        report(
            f"{path.stem} ({len(markup) // 1000} KB, {found} reviews)",
            timed(lambda m=markup: extract_reviews(m, url)),
        )
        report(
            f"{path.stem} padded ({len(big) // 1000} KB)",
            timed(lambda m=big: extract_reviews(m, url)),
        )
    plain = "<html><body>" + FILLER * 50 + "</body></html>"
    report(
        f"no structured data ({len(plain) // 1000} KB)", timed(lambda: extract_reviews(plain, url))
    )

    pages = review_pages()
    found = right = expected = 0
    for markup, chunk in pages:
        reviews = extract_reviews(markup, url).reviews
        expected += len(chunk)
        found += len(reviews)
        right += sum(
            r.rating == (stars - 1) / 4 for r, (_, stars) in zip(reviews, chunk, strict=False)
        )
    size = sum(len(m) for m, _ in pages) // len(pages) // 1000
    label = f"{len(pages[0][1])} reviews, JSON-LD + microdata copies ({size} KB)"
    report(label, timed(lambda: [extract_reviews(m, url) for m, _ in pages[:10]]) / 10)
    print(
        f"  {len(pages)} such pages: {found} reviews found for {expected} published "
        f"(each twice), {right} with the right normalised rating"
    )

    print("pagination per page (next_page_url)")
    for path in sorted((FIXTURES / "reviews").glob("*.html"))[:3]:
        big = padded(path.read_text(encoding="utf-8"))
        report(
            f"{path.stem} padded ({len(big) // 1000} KB)",
            timed(lambda m=big: next_page_url(m, url)),
        )

    print("feeds (parse_feed)")
    for path in sorted((FIXTURES / "feeds").iterdir()):
        body = path.read_bytes()
        report(path.name, timed(lambda b=body: parse_feed(b, "https://example.org/feed")))


if __name__ == "__main__":
    main()
