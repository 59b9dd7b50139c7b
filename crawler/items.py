"""The one item every spider yields: a piece of text that speaks of a brand."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter

from crawler.storable import all_clean, storable, storable_line

KINDS = ("review", "comment", "post", "feed", "page", "forum")


@dataclass(slots=True)
class Mention:
    """A review, comment, post, feed entry or page that names a brand.

    `url` is canonical and unique per piece of text: comments and reviews on a shared page carry
    a `#fragment`. `page_sha256` and `fetched_at` are evidence of what the page said when we read
    it, kept because reviews get edited and deleted.
    """

    brand: str
    kind: str
    url: str
    text: str
    source: str = ""
    source_url: str = ""
    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    rating: float | None = None
    lang: str | None = None  # as the page declares it; the pipeline sets the language judged
    score: float | None = None
    label: str | None = None
    analyzer: str | None = None
    page_url: str = ""
    page_sha256: str = ""
    fetched_at: datetime | None = None
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Cleaned once, here, so no stage downstream meets a character the store refuses.
        # Almost every mention has nothing to clean: its fields are looked at together first.
        if all_clean([value for value in _STRINGS(self) if isinstance(value, str)]):
            return
        for name in _TEXT_FIELDS:
            value = getattr(self, name)
            if isinstance(value, str):
                setattr(self, name, storable(value))
        for name in _LINE_FIELDS:
            value = getattr(self, name)
            if isinstance(value, str):
                setattr(self, name, storable_line(value))


_TEXT_FIELDS = ("brand", "kind", "url", "text", "source", "source_url", "lang", "page_url")
_LINE_FIELDS = ("title", "author")
_STRINGS = attrgetter(*_TEXT_FIELDS, *_LINE_FIELDS)


def scoring_text(kind: str, title: str | None, text: str) -> str:
    """The text whose sentiment is judged: a post's or page's title is part of what it says,
    a review's or comment's title is usually the page's and is left out."""
    if kind in ("post", "feed", "page") and title:
        return f"{title}\n{text}"
    return text
