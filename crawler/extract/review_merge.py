"""One review per review: the schema.org copy and the visible card of the same review merged.

Pages publish a review twice, as schema.org data for search engines and as a card for people,
and the two copies carry different things: the JSON-LD has the exact date and the scale of the
stars, the card has the text the reader wrote (where the markup's text is empty, a placeholder
such as "comment", or a cut of it), sometimes the fuller name ("L.M. - Haifa" for "L.M."), the
date when the markup has none. A card is the twin of a structured review when what both carry
agrees (author, words, date, stars); where the markup's text is empty, lists in the same order
with agreeing authors and stars pair off one by one.

Cards beside a twin (or beside a card marked as a Review) are reviews too: often only the first
card of a list carries markup. Without schema.org reviews on the page, card lists that read as
reviews by themselves (stars, authors or dates, words) are the reviews.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

from crawler.extract.review_blocks import CardGroup
from crawler.extract.review_parts import Card
from crawler.extract.review_records import Review
from crawler.extract.schema_graph import words_key

# What CMSs put in a review's text field when the reviewer wrote none.
PLACEHOLDERS = frozenset(
    {
        "comment",
        "comments",
        "review",
        "reviews",
        "description",
        "text",
        "body",
        "reviewbody",
        "commento",
        "recensione",
        "descrizione",
        "testo",
        "avis",
        "commentaire",
        "kommentar",
        "bewertung",
        "rese a",
        "reseña",
        "comentario",
        "opinion",
        "none",
        "null",
        "undefined",
        "n a",
        "na",
    }
)
_SAME_DAY = timedelta(hours=36)
_MIN_TEASER = 40  # characters a cut text must keep to be recognised as the start of another
# The "more" link a cut text ends with, as words: "… Altro", "Leggi tutto", "Read more".
_TEASER_END = re.compile(
    r"(?: (?:altro|leggi tutto|leggi di più|mostra altro|continua|read more|more))+$"
)


def is_placeholder(text: str | None) -> bool:
    """No words of the reviewer: empty, or a field name standing in for them."""
    key = words_key(text)
    return not key or key in PLACEHOLDERS


def _same_person(a: str | None, b: str | None) -> bool:
    """The same name, or one the start of the other ("L.M." and "L.M. - Haifa")."""
    if not a or not b:
        return True
    first, second = words_key(a), words_key(b)
    short, long = sorted((first, second), key=len)
    return bool(short) and (short == long or long.startswith(short + " "))


def same_words(a: str, b: str) -> bool:
    """Equal words, or one text a cut of the other ("… Altro", "Read more") long enough to
    tell: the visible teaser of a review published whole in JSON-LD."""
    first, second = _TEASER_END.sub("", words_key(a)), _TEASER_END.sub("", words_key(b))
    if not first or not second:
        return False
    short, long = sorted((first, second), key=len)
    return short == long or (len(short) >= _MIN_TEASER and long.startswith(short))


def _agree(review: Review, card: Card) -> bool:
    """Nothing the two copies carry contradicts: dates within a day, the same stars."""
    if review.published and card.published and abs(review.published - card.published) > _SAME_DAY:
        return False
    return _same_stars(review, card)


def _same_stars(review: Review, card: Card) -> bool:
    if review.rating is None or card.stars is None:
        return True
    return abs(review.rating - card.stars.rating) < 0.01 or review.rating_value == card.stars.value


def _twins(review: Review, card: Card) -> bool:
    if not _same_person(review.author, card.author) or not _agree(review, card):
        return False
    if not is_placeholder(review.text):
        return same_words(review.text, card.text)
    # No words to compare: a named author and a date or stars that agree must say it.
    return bool(review.author and card.author) and bool(
        (review.published and card.published)
        or (review.rating is not None and card.stars is not None)
    )


def merge(review: Review, card: Card, page_url: str) -> Review:
    """The structured review completed by its visible card."""
    text = review.text
    if is_placeholder(text) or (
        len(words_key(card.text)) > len(words_key(text)) and same_words(text, card.text)
    ):
        text = card.text if not is_placeholder(card.text) else ""
    author = review.author
    if card.author and (not author or words_key(card.author).startswith(words_key(author))):
        author = card.author
    return replace(
        review,
        text=text,
        author=author,
        published=review.published or card.published,
        title=review.title or card.title,
        url=review.url or card_url(card, page_url),
        **_stars_of(review, card),
    )


def _stars_of(review: Review, card: Card) -> dict:
    if review.rating is not None or card.stars is None:
        return {}
    stars = card.stars
    return {
        "rating": stars.rating,
        "rating_value": stars.value,
        "best_rating": stars.best,
        "worst_rating": stars.worst,
    }


def card_url(card: Card, page_url: str) -> str:
    """The card's own anchor on the page, or "" (a fragment is made for it later)."""
    return f"{page_url.split('#', 1)[0]}#{card.anchor}" if card.anchor else ""


def from_card(card: Card, page_url: str) -> Review:
    stars = card.stars
    return Review(
        text=card.text if not is_placeholder(card.text) else "",
        author=card.author,
        published=card.published,
        rating=stars.rating if stars else None,
        rating_value=stars.value if stars else None,
        best_rating=stars.best if stars else None,
        worst_rating=stars.worst if stars else None,
        title=card.title,
        url=card_url(card, page_url),
        item_name=None,
        lang=None,
    )


def combine(structured: list[Review], groups: list[CardGroup], page_url: str) -> list[Review]:
    """The page's reviews: structured ones completed by their cards, plus the cards that are
    reviews the markup left out. Structured reviews keep their order; extra cards follow."""
    if not structured:
        found = [card for group in groups if group.confirmed for card in group.reviews()]
        return [from_card(card, page_url) for card in found]
    cards = [card for group in groups for card in group.reviews()]
    twin: dict[int, Card] = {}
    used: set[int] = set()
    for position, review in enumerate(structured):
        for card in cards:
            if id(card) not in used and _twins(review, card):
                twin[position] = card
                used.add(id(card))
                break
    _pair_in_order(structured, groups, twin, used)
    merged = [
        merge(review, twin[position], page_url) if position in twin else review
        for position, review in enumerate(structured)
    ]
    extra = [
        from_card(card, page_url)
        for group in groups
        if group.marked or (group.confirmed and any(id(c) in used for c in group.cards()))
        for card in group.reviews()
        if id(card) not in used and not any(_echoes(review, card) for review in merged)
    ]
    return merged + extra


def _pair_in_order(
    structured: list[Review], groups: list[CardGroup], twin: dict[int, Card], used: set[int]
) -> None:
    """Structured reviews without words and a card list of the same length, in the same order,
    whose authors and stars agree pair by pair: the list is the markup's visible side."""
    waiting = [p for p, review in enumerate(structured) if p not in twin]
    if len(waiting) < 2:
        return
    for group in groups:
        free = [card for card in group.reviews() if id(card) not in used]
        if len(free) != len(waiting):
            continue
        pairs = list(zip(waiting, free, strict=True))
        if all(
            _same_person(structured[p].author, card.author) and _same_stars(structured[p], card)
            for p, card in pairs
        ) and any(structured[p].author and card.author for p, card in pairs):
            for position, card in pairs:
                twin[position] = card
                used.add(id(card))
            return


def _echoes(review: Review, card: Card) -> bool:
    """A card repeating a review already kept (its words, or its author with no words)."""
    if card.text and review.text and same_words(review.text, card.text):
        return True
    same_author = bool(card.author) and words_key(card.author) == words_key(review.author)
    return not card.text and same_author
