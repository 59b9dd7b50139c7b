"""Reviews and aggregate ratings of a page: schema.org data in any syntax, and visible cards.

The same review is often published twice (JSON-LD for search engines and microdata or a card
in the visible markup) or repeated across blocks; it is counted once, keeping what each copy
adds (`review_merge`). Cards without markup are found by their repetition (`review_blocks`):
beside a marked review, or on their own when the page has no schema.org reviews. A review by
the page's own author or publisher is the editor's, not a customer's, and is left out. Dates
that are missing stay `None`: a review's date is never guessed.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections import Counter
from dataclasses import fields, replace
from datetime import datetime, timedelta
from urllib.parse import urldefrag
from zoneinfo import ZoneInfo

from lxml import etree

from crawler.extract.date_words import LANGUAGES
from crawler.extract.dates import DEFAULT_TZ, DateReading, language_tag
from crawler.extract.html_tree import Element, parse_html
from crawler.extract.results import AggregateRating, Review, ReviewPage
from crawler.extract.review_blocks import card_groups, scan_page
from crawler.extract.review_merge import combine, same_words
from crawler.extract.review_records import aggregate_from_node, review_from_node
from crawler.extract.schema_graph import PAGE_TYPES, SchemaGraph, words_key
from crawler.extract.structured import Node, structured_nodes, types_of

__all__ = ["AggregateRating", "Review", "ReviewPage", "extract_reviews"]

_META_AUTHOR = etree.XPath("//meta[@name='author']/@content")


def _fragment_url(review: Review, page_url: str, *, detailed: bool = False) -> str:
    """`page#review-<hash of author and text>`; `detailed` adds date and stars, for the
    reviews whose author and words are the same ("Ottimo!" twice from one customer)."""
    parts = [words_key(review.author), words_key(review.text)]
    if detailed or not review.text:
        parts.append(str(review.rating_value))
    if detailed:
        parts.append(review.published.isoformat() if review.published else "")
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]
    return f"{urldefrag(page_url)[0]}#review-{digest}"


# --- one copy of each review --------------------------------------------------------------


def _compatible(a: Review, b: Review) -> bool:
    """Two copies of one review may differ in what they carry, never in what they say."""
    if a.rating is not None and b.rating is not None and abs(a.rating - b.rating) > 1e-6:
        return False
    if a.published and b.published:
        return abs(a.published - b.published) <= timedelta(hours=36)
    return True


def _richness(review: Review) -> int:
    return sum(getattr(review, f.name) not in (None, "") for f in fields(review))


def _merge(a: Review, b: Review) -> Review:
    richer, other = (a, b) if _richness(a) >= _richness(b) else (b, a)
    filled = {
        f.name: getattr(other, f.name)
        for f in fields(richer)
        if getattr(richer, f.name) in (None, "") and getattr(other, f.name) not in (None, "")
    }
    if len(other.text) > len(richer.text):
        filled["text"] = other.text
    return replace(richer, **filled)


def _dedupe(reviews: list[Review]) -> list[Review]:
    kept: list[Review] = []
    by_author: dict[str, list[int]] = {}
    for review in reviews:
        group = by_author.setdefault(words_key(review.author), [])
        for position in group:
            other = kept[position]
            if same_words(other.text, review.text) and _compatible(other, review):
                kept[position] = _merge(other, review)
                break
        else:
            group.append(len(kept))
            kept.append(review)
    return kept


def _with_unique_urls(reviews: list[Review], page_url: str) -> list[Review]:
    """Keep a review's own URL only where it names that review alone, not the page; address
    the others by a fragment of the page, unique on the page and stable across crawls."""
    page = urldefrag(page_url)[0]
    own_counts = Counter(review.url for review in reviews)
    addressed = [
        review
        if review.url and own_counts[review.url] == 1 and review.url != page
        else replace(review, url=_fragment_url(review, page_url))
        for review in reviews
    ]
    clashes = Counter(review.url for review in addressed)
    addressed = [
        replace(review, url=_fragment_url(review, page_url, detailed=True))
        if clashes[review.url] > 1
        else review
        for review in addressed
    ]
    seen: Counter[str] = Counter()
    unique = []
    for review in addressed:  # the same words, author, date and stars: number them in order
        seen[review.url] += 1
        count = seen[review.url]
        unique.append(review if count == 1 else replace(review, url=f"{review.url}-{count}"))
    return unique


def _main_aggregate(
    aggregates: list[AggregateRating], reviews: list[Review]
) -> AggregateRating | None:
    """The page's rating: the one about the reviewed item when several are shown."""
    if not aggregates:
        return None
    reviewed = {words_key(r.item_name) for r in reviews if r.item_name}
    return max(
        aggregates,
        key=lambda a: (
            words_key(a.item_name) in reviewed,
            a.count is not None,
            -aggregates.index(a),
        ),
    )


class _PageDates:
    """The page's date reader, worked out on the first date that needs it (most review dates
    are ISO, from JSON-LD): the languages of the page's declared `lang` (all known ones when it
    declares none), month first only on American English pages. Unlike the blog extractor it
    does not detect the language or weigh the page's own numeric dates: both read the whole
    text of the page, which costs more than all of a review page's extraction."""

    def __init__(self, tree: Element, default_tz: str, fetched_at: datetime | None):
        self.tree, self.default_tz, self.fetched_at = tree, default_tz, fetched_at
        self.reading: DateReading | None = None

    def __call__(self, text: str | None) -> datetime | None:
        if not text:
            return None
        with contextlib.suppress(ValueError):
            found = datetime.fromisoformat(text.strip())
            return found if found.tzinfo else found.replace(tzinfo=ZoneInfo(self.default_tz))
        if self.reading is None:
            declared = language_tag(self.tree.get("lang") or self.tree.get("xml:lang"))
            self.reading = DateReading(
                declared.date_languages if declared else LANGUAGES,
                bool(declared and declared.american),
                self.default_tz,
                self.fetched_at,
            )
        return self.reading(text)


def _is_editorial(node: Node, graph: SchemaGraph, page_people: set[str]) -> bool:
    """A review by the page's own author or publisher, or one that is the page's article."""
    if PAGE_TYPES.intersection(types_of(node)):
        return True
    authors = graph.name_list(node.get("author", node.get("reviewer")))
    return any(words_key(name) in page_people for name in authors)


def _page_people(graph: SchemaGraph, tree: Element) -> set[str]:
    return graph.page_people() | {words_key(name) for name in _META_AUTHOR(tree)} - {""}


def extract_reviews(
    html: str, url: str, *, default_tz: str = DEFAULT_TZ, fetched_at: datetime | None = None
) -> ReviewPage:
    """Every customer review and the aggregate rating a page shows. Dates are read in the
    page's languages; relative ones ("2 giorni fa") only against `fetched_at`."""
    tree = parse_html(html)
    if tree is None:
        return ReviewPage([], None)
    reading = _PageDates(tree, default_tz, fetched_at)
    scan = scan_page(tree)  # first: it drops carousel clones, whose microdata repeats reviews
    graph = SchemaGraph(structured_nodes(html, tree, url))
    people = _page_people(graph, tree)
    structured = [
        review
        for node, parent in graph.reviews.values()
        if not _is_editorial(node, graph, people)
        and (review := review_from_node(node, parent, graph, url, reading)) is not None
    ]
    groups = card_groups(scan.ratings, scan.marked, reading=reading)
    reviews = _dedupe(combine(_dedupe(structured), groups, url))
    reviews = _with_unique_urls(reviews, url)
    aggregates = list(
        dict.fromkeys(
            aggregate
            for node, parent in graph.aggregates.values()
            if (aggregate := aggregate_from_node(node, parent, graph)) is not None
        )
    )
    return ReviewPage(reviews, _main_aggregate(aggregates, reviews))
