"""Visible review cards found by their repetition: sibling blocks of one shape, each with stars,
an author or a date, and words.

A review list is a run of sibling elements of the same tag and classes (`li.review`,
`div.quoteBubble`, `div.comment-item`), each holding a rating however it is drawn (star glyphs,
"4,5 su 5", a `title="5/5"`, a class such as `a-star-5`, a row of star icons), an author or a
date, and text. The list is found from its ratings up: the lowest level at which blocks holding
a rating repeat is the card level. A schema.org `Review` element in the markup (microdata,
RDFa) is a seed as well, so the unmarked cards beside one marked card are found too.

Carousel clones (slick, swiper, owl) repeat cards that are already on the page and are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice

from lxml import etree

from crawler.extract.html_tree import Element, class_tokens
from crawler.extract.ratings import (
    Stars,
    normalise_rating,
    rating_in_classes,
    rating_in_icons,
    rating_in_words,
)
from crawler.extract.review_parts import Card, read_card
from crawler.extract.threads import DateReader

CLONE_CLASSES = frozenset({"slick-cloned", "swiper-slide-duplicate", "cloned", "clone"})
_SKIPPED = frozenset({"script", "style", "template", "noscript", "head", "svg", "select"})
# Attributes a rating is written in; `content` (a `<meta>`'s) only where a class says rating.
_RATING_ATTRIBUTES = ("title", "aria-label", "alt", "data-rating", "data-score", "content")
# A bare number is a rating only in an element named so ("rating-value"); "score" and "votes"
# are as often counts of likes.
_NUMBER_CLASS_WORDS = ("rating",)
_BARE_NUMBER = re.compile(r"^\d{1,2}(?:[.,]\d)?$")
_ICON_TAGS = frozenset({"i", "span", "svg", "img", "li", "em"})
_EMPTY_ICON = re.compile(r"(?:empty|off|outline|-o$|inactive|grey|gray|far$|blank|none)")
_MAX_CLIMB = 8
_SHALLOW = 12  # ancestors looked at for an enclosing rating or a <script>/<svg>
_MAX_CARD_NODES = 1500  # a review card is a few dozen elements; thousands make a page section
_MIN_CARDS = 2
_SAMPLE = 6  # cards a group is first judged on
_REVIEW_TYPE = re.compile(r"(?:^|[/:#\s])(?:User|Critic|Employer)?Review(?:\s|$)")


class CardGroup:
    """Sibling cards of one shape. `marked`: a card carries schema.org Review markup;
    `confirmed`: the group reads as reviews by itself (else it only may be, e.g. the visible
    twin of a page's JSON-LD reviews, which carries no date and no marked author).

    Cards are read when first asked for, so a row of rated products is judged on its first
    few cards and never read whole unless a structured review needs its twin there.
    """

    __slots__ = ("_read", "confirmed", "elements", "marked")

    def __init__(self, elements: list[Element], marked: bool, read: Callable[[Element], Card]):
        self.elements = elements
        self.marked = marked
        self.confirmed = False
        self._read = read

    def cards(self, limit: int | None = None) -> list[Card]:
        return [self._read(element) for element in self.elements[:limit]]

    def reviews(self, limit: int | None = None) -> list[Card]:
        """The cards that are reviews: with words or stars, and with two of author, date and
        rating (one in a marked group); a pager or a "see all" link in the row is not one."""
        least = 1 if self.marked else 2
        return [c for c in self.cards(limit) if (c.text or c.stars) and c.facts >= least]

    def looks_like_reviews(self, limit: int | None = None) -> bool:
        """Reviews by their own look: mostly rated, mostly dated or signed, with words (in a
        marked group, with words)."""
        cards = self.reviews(limit)
        if len(cards) < _MIN_CARDS:
            return False
        half = len(cards) / 2
        worded = sum(bool(card.text) for card in cards)
        if self.marked:
            return worded >= _MIN_CARDS
        rated = sum(card.stars is not None for card in cards)
        dated = sum(card.published is not None for card in cards)
        named = sum(card.named for card in cards)
        signed = dated >= half or named >= half
        return rated >= max(_MIN_CARDS, half) and signed and worded >= half


_STARRY = re.compile(r"star|rating|bubble", re.IGNORECASE)
_STARS = re.compile(r"star", re.IGNORECASE)
_TYPE_ATTRIBUTES = frozenset({"itemtype", "typeof"})
_WRITTEN_ATTRIBUTES = frozenset(_RATING_ATTRIBUTES[:-1])
_DIGITISH = re.compile(r"[0-9★☆⭐½]")
_RATING_WORDS = re.compile(
    r"[★☆⭐½/]|\b(?:su|of|sur|von|aus|de|di)\b|stell|star|toile|stern|estrel|punt|point"
    r"|voto|valutaz|rating|rated|score|note|giudizio|bewert|calific|nota|avalia",
    re.IGNORECASE,
)
_MAX_RATING_TEXT = 120


@dataclass(slots=True)
class PageScan:
    """What one pass over a page's elements finds for review cards."""

    ratings: dict[Element, Stars]
    marked: list[Element]  # elements carrying schema.org Review markup (microdata, RDFa)


def scan_page(root: Element) -> PageScan:
    """One pass over the page: drop carousel clones (copies a slider repeats for its endless
    scrolling), and find the elements that show a rating and those marked as a Review.

    A plain loop with cheap substring tests: it costs about what the parse costs, where an
    XPath testing the same attributes costs two to three times more.
    """
    clones: list[Element] = []
    marked: list[Element] = []
    candidates: dict[Element, None] = {}
    body = root.find("body")
    for node in (body if body is not None else root).iter(etree.Element):
        if node.tag in _SKIPPED:
            continue
        for name, value in node.items():
            if name == "class":
                if _is_clone(value):
                    clones.append(node)
                if _STARRY.search(value):
                    candidates[node] = None
                    if _STARS.search(value) and (parent := node.getparent()) is not None:
                        candidates.setdefault(parent)  # a row of star icons
            elif name in _TYPE_ATTRIBUTES:
                if _REVIEW_TYPE.search(" " + value):
                    marked.append(node)
            elif name in _WRITTEN_ATTRIBUTES and _might_rate(value):
                candidates.setdefault(node)
        text = node.text
        if text and len(text) < _MAX_RATING_TEXT and _might_rate(text):
            candidates.setdefault(node)
        tail = node.tail
        if tail and len(tail) < _MAX_RATING_TEXT and _might_rate(tail):
            parent = node.getparent()
            if parent is not None:
                candidates.setdefault(parent)  # "<b>4</b>/5"
    for clone in clones:
        parent = clone.getparent()
        if parent is not None:
            parent.remove(clone)
    ratings: dict[Element, Stars] = {}
    for node in candidates:
        if node.tag in _SKIPPED or (clones and _detached(node, root)):
            continue
        if any(a in ratings or a.tag in _SKIPPED for a in islice(node.iterancestors(), _SHALLOW)):
            continue
        stars = _rating_of(node)
        if stars is not None:
            ratings[node] = stars
    kept = [node for node in marked if not (clones and _detached(node, root))]
    return PageScan(ratings, kept)


def _might_rate(text: str) -> bool:
    """A text that could be a rating: star glyphs, or a digit beside a scale, a unit or a
    label ("4/5", "4 su 5", "4 stelle", "Voto 4"). Prices, dates and counts mostly are not."""
    return bool(_DIGITISH.search(text)) and bool(_RATING_WORDS.search(text))


def _is_clone(classes: str) -> bool:
    return ("clone" in classes or "dupl" in classes) and bool(
        CLONE_CLASSES.intersection(classes.lower().split())
    )


def _detached(node: Element, root: Element) -> bool:
    """Inside a removed clone: no longer under the page's root."""
    return node.getroottree().getroot() is not root


def _rating_of(node: Element) -> Stars | None:
    tokens = class_tokens(node)
    stars = rating_in_classes(tokens) if tokens else None
    if stars is not None:
        return stars
    for attribute in _RATING_ATTRIBUTES:
        value = node.get(attribute)
        if value and (stars := rating_in_words(value)) is not None:
            return stars
    if len(node) <= 4:
        text = "".join(node.itertext()) if len(node) else (node.text or "")
        if len(text) <= 60:
            stars = rating_in_words(text)
            if stars is None and _BARE_NUMBER.match(text.strip()):
                named = any(w in t for t in tokens for w in _NUMBER_CLASS_WORDS)
                stars = normalise_rating(text.strip()) if named else None
            if stars is not None:
                return stars
    return _icon_row(node)


def _icon_row(node: Element) -> Stars | None:
    """A row of star icons (`<i class="fa fa-star">` ×5, half and empty ones)."""
    if not 3 <= len(node) <= 10:
        return None
    full = half = empty = 0
    for child in node:
        tokens = class_tokens(child)
        if child.tag not in _ICON_TAGS or not any("star" in token for token in tokens):
            return None
        if any("half" in token for token in tokens):
            half += 1
        elif any(_EMPTY_ICON.search(token) for token in tokens):
            empty += 1
        else:
            full += 1
    return rating_in_icons(full, half, empty)


def _alike(a: Element, b: Element) -> bool:
    """Siblings of one shape: the same tag, and a class in common (or no class at all)."""
    if a.tag != b.tag:
        return False
    first, second = set(class_tokens(a)), set(class_tokens(b))
    return bool(first & second) if first or second else True


def card_groups(
    ratings: dict[Element, Stars], marked: Iterable[Element], *, reading: DateReader
) -> list[CardGroup]:
    """The repeated card groups of a page, each seeded by ratings or marked reviews.

    For every seed the group is the lowest level at which its block has siblings of the same
    shape that hold seeds too (any siblings, for a marked review), and that reads as reviews;
    a level that does not (a row of sub-ratings) gives way to the next one up. A seed with no
    such level keeps its lowest group, unconfirmed.
    """
    marked = list(marked)
    seeded = _with_ancestors([*ratings, *marked])
    holding_marked = _with_ancestors(marked)
    cache: dict[Element, Card] = {}

    def read(element: Element) -> Card:
        card = cache.get(element)
        if card is None:
            card = cache[element] = read_card(element, ratings, reading=reading)
        return card

    groups: dict[tuple[int, int], CardGroup] = {}
    settled: set[Element] = set()
    for seed in [*marked, *ratings]:
        if seed in settled:
            continue
        lowest: tuple[tuple[int, int], CardGroup] | None = None
        block = seed
        for _ in range(_MAX_CLIMB):
            parent = block.getparent()
            if parent is None or parent.tag in ("body", "html"):
                break
            siblings = [child for child in parent if _alike(child, block)]
            repeated = (
                len(siblings)
                if seed in holding_marked
                else sum(child in seeded for child in siblings)
            )
            if repeated >= _MIN_CARDS:
                if any(_larger_than(child, _MAX_CARD_NODES) for child in siblings):
                    break  # page sections, not cards
                key = (id(parent), id(siblings[0]))
                group = groups.get(key) or CardGroup(
                    siblings, any(child in holding_marked for child in siblings), read
                )
                if group.looks_like_reviews(_SAMPLE) and group.looks_like_reviews():
                    group.confirmed = True
                    groups[key] = group
                    settled.update(_descendants_in(siblings, seeded))
                    lowest = None
                    break
                lowest = lowest or (key, group)
            block = parent
        if lowest is not None and lowest[0] not in groups:
            groups[lowest[0]] = lowest[1]
    return list(groups.values())


def _with_ancestors(elements: list[Element]) -> set[Element]:
    """The elements and their ancestors up to the climbing limit."""
    found: set[Element] = set(elements)
    for element in elements:
        found.update(islice(element.iterancestors(), _MAX_CLIMB))
    return found


def _larger_than(element: Element, limit: int) -> bool:
    return sum(1 for _ in islice(element.iter(), limit + 1)) > limit


def _descendants_in(blocks: list[Element], seeded: set[Element]) -> set[Element]:
    inside: set[Element] = set()
    for block in blocks:
        inside.update(node for node in block.iter() if node in seeded)
    return inside
