"""Review records and how each is read from a schema.org node of the page's graph."""

from __future__ import annotations

from urllib.parse import urldefrag, urljoin, urlsplit

from crawler.extract.ratings import Stars, normalise_rating, parse_count
from crawler.extract.results import AggregateRating, Review
from crawler.extract.schema_graph import SchemaGraph, first, language, line, plain, string
from crawler.extract.structured import Node
from crawler.extract.threads import DateReader


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


def review_from_node(
    node: Node, parent: Node | None, graph: SchemaGraph, page_url: str, reading: DateReader
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
            published = reading(raw)
            if published:
                break
    own = own_url(string(node.get("url")), page_url)
    own = own or anchor_in_page(string(node.get("@id")), page_url)
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


def aggregate_from_node(
    node: Node, parent: Node | None, graph: SchemaGraph
) -> AggregateRating | None:
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


def own_url(candidate: str | None, page_url: str) -> str | None:
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


def anchor_in_page(identifier: str | None, page_url: str) -> str | None:
    """An `@id` naming a spot on this page (`#review-12`). Other `@id`s are identifiers, not
    addresses: review platforms use `https://site/#/schema/Review/…`, which opens the home page."""
    own = own_url(identifier, page_url)
    if own is None:
        return None
    address, fragment = urldefrag(own)
    return own if fragment and address == urldefrag(page_url)[0] else None
