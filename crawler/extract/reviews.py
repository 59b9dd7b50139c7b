"""Reviews and aggregate ratings of a page, from its schema.org data in any syntax.

The same review is often published twice (JSON-LD for search engines and microdata in the
visible markup) or repeated across blocks; it is counted once, keeping what each copy adds.
Dates that are missing stay `None`: a review's date is never guessed.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from urllib.parse import urldefrag, urljoin, urlsplit

from crawler.extract.dates import DEFAULT_TZ, parse_date
from crawler.extract.html_tree import parse_html
from crawler.extract.ratings import Stars, normalise_rating, parse_count
from crawler.extract.schema_graph import (
    SchemaGraph,
    first,
    language,
    line,
    plain,
    string,
    words_key,
)
from crawler.extract.structured import Node, structured_nodes

# A visible review cut short where the JSON-LD copy is whole: "… Altro", "Leggi tutto", "More".
_TEASER_END = re.compile(
    r"(?: (?:altro|leggi tutto|leggi di più|mostra altro|continua|read more|more))+$"
)
_MIN_TEASER = 40


@dataclass(frozen=True, slots=True)
class Review:
    """One review. `rating` is 0–1; `rating_value`/`best_rating`/`worst_rating` are the page's
    own scale (defaults filled in). `url` is unique per review: its own link when the page gives
    one, else the page URL with a `#review-…` fragment stable across crawls."""

    text: str
    author: str | None
    published: datetime | None
    rating: float | None
    rating_value: float | None
    best_rating: float | None
    worst_rating: float | None
    title: str | None
    url: str
    item_name: str | None
    lang: str | None


@dataclass(frozen=True, slots=True)
class AggregateRating:
    rating: float
    rating_value: float
    best_rating: float
    count: int | None
    item_name: str | None


@dataclass(frozen=True, slots=True)
class ReviewPage:
    reviews: list[Review]
    aggregate: AggregateRating | None


# --- building records ---------------------------------------------------------------------


def _stars(node: Node, graph: SchemaGraph) -> Stars | None:
    rating = graph.resolve(first(node.get("reviewRating", node.get("rating"))))
    if isinstance(rating, dict):
        return normalise_rating(
            first(rating.get("ratingValue")),
            first(rating.get("bestRating")),
            first(rating.get("worstRating")),
        )
    if rating is not None:
        return normalise_rating(rating)
    if "ratingValue" in node:
        return normalise_rating(
            first(node.get("ratingValue")),
            first(node.get("bestRating")),
            first(node.get("worstRating")),
        )
    return None


def _review(
    node: Node, parent: Node | None, graph: SchemaGraph, page_url: str, default_tz: str
) -> Review | None:
    visible = "@syntax" in node
    text = (
        plain(node.get("reviewBody"), visible=visible)
        or plain(node.get("description"), visible=visible)
        or ""
    )
    stars = _stars(node, graph)
    if not text and stars is None:
        return None
    author = graph.names(node.get("author", node.get("reviewer")))
    published = None
    for field in ("datePublished", "dateCreated", "dtreviewed"):
        raw = string(node.get(field))
        if raw:
            published = parse_date(raw, default_tz=default_tz)
            if published:
                break
    own = _own_url(string(node.get("url")), page_url) or _anchor(string(node.get("@id")), page_url)
    return Review(
        text=text,
        author=author,
        published=published,
        rating=stars.rating if stars else None,
        rating_value=stars.value if stars else None,
        best_rating=stars.best if stars else None,
        worst_rating=stars.worst if stars else None,
        title=line(first([node.get(k) for k in ("name", "headline", "summary")]), visible=visible),
        url=own or "",
        item_name=graph.item_name(node, parent),
        lang=language(node.get("inLanguage")),
    )


def _aggregate(node: Node, parent: Node | None, graph: SchemaGraph) -> AggregateRating | None:
    stars = normalise_rating(
        first(node.get("ratingValue")),
        first(node.get("bestRating")),
        first(node.get("worstRating")),
    )
    if stars is None:
        return None
    count = parse_count(first(node.get("ratingCount"))) or parse_count(
        first(node.get("reviewCount"))
    )
    return AggregateRating(
        stars.rating, stars.value, stars.best, count, graph.item_name(node, parent)
    )


def _own_url(candidate: str | None, page_url: str) -> str | None:
    """A review's own URL, if it is an http(s) URL on the page's site."""
    if not candidate or candidate.startswith("_:"):
        return None
    absolute = urljoin(page_url, candidate)
    parts, page = urlsplit(absolute), urlsplit(page_url)
    if parts.scheme not in ("http", "https"):
        return None
    if (parts.hostname or "").removeprefix("www.") != (page.hostname or "").removeprefix("www."):
        return None
    return absolute


def _anchor(identifier: str | None, page_url: str) -> str | None:
    """An `@id` naming a spot on this page (`#review-12`). Other `@id`s are identifiers, not
    addresses: review platforms use `https://site/#/schema/Review/…`, which opens the home page."""
    own = _own_url(identifier, page_url)
    if own is None:
        return None
    address, fragment = urldefrag(own)
    return own if fragment and address == urldefrag(page_url)[0] else None


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


def _same_words(a: str, b: str) -> bool:
    """Equal texts, or one a cut of the other ("… Altro", "Read more") long enough to tell."""
    if a == b:
        return True
    short, long = sorted((_TEASER_END.sub("", a), _TEASER_END.sub("", b)), key=len)
    return len(short) >= _MIN_TEASER and long.startswith(short)


def _dedupe(reviews: list[Review]) -> list[Review]:
    kept: list[Review] = []
    by_author: dict[str, list[int]] = {}
    for review in reviews:
        text = words_key(review.text)
        group = by_author.setdefault(words_key(review.author), [])
        for position in group:
            other = kept[position]
            if _same_words(words_key(other.text), text) and _compatible(other, review):
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


def extract_reviews(html: str, url: str, *, default_tz: str = DEFAULT_TZ) -> ReviewPage:
    """Every review and the aggregate rating a page publishes as schema.org data."""
    tree = parse_html(html, html_elements=True)  # extruct's microdata extractor needs them
    graph = SchemaGraph(structured_nodes(html, tree, url))
    reviews = [
        review
        for node, parent in graph.reviews.values()
        if (review := _review(node, parent, graph, url, default_tz)) is not None
    ]
    reviews = _with_unique_urls(_dedupe(reviews), url)
    aggregates = list(
        dict.fromkeys(
            aggregate
            for node, parent in graph.aggregates.values()
            if (aggregate := _aggregate(node, parent, graph)) is not None
        )
    )
    return ReviewPage(reviews, _main_aggregate(aggregates, reviews))
