"""What one visible review card says: its author, date, stars, title and text, read by structure.

A review card, with or without schema.org markup, holds a name, a date, a rating drawn or written
in some way, often a title, and the review's words, among buttons and counters ("Utile",
"Segnala", "Leggi di più"). The card is walked once; the parts are told apart by what they are
(a profile link, a `<time>`, a text that reads as a date or a rating) more than by class names,
and the text is the card's largest piece that holds none of the other parts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from lxml import etree

from crawler.extract.html_tree import Element, class_tokens, is_hidden, visible_text
from crawler.extract.ratings import Stars, rating_in_words
from crawler.extract.threads import DateReader

_PROFILE_PATH = re.compile(
    r"/(?:users?|u|profiles?|people|members?|author|authors|utenti|utente|autore|perfil|"
    r"benutzer|membres?|critics?)(?:/|$|\.|\?)|/gp/profile/",
    re.IGNORECASE,
)
# Class words that name a person: "author", "reviewer", "user"… ; "name" only beside a word
# saying whose ("review-name", "a-profile-name"), since "artist-name", "product-name" are things.
_AUTHOR_WORDS = (
    "author",
    "autore",
    "auteur",
    "autor",
    "reviewer",
    "recensore",
    "user",
    "utente",
    "nick",
    "byline",
    "uploader",
    "member",
    "critic",
)
_WHOSE_NAME = ("review", "profile", "customer", "client", "display", "person", "people")
_TITLE_WORDS = ("title", "headline", "titolo", "titre", "summary")
_DATE_WORDS = ("date", "time", "data", "datum", "fecha", "posted", "when")
# "di Maria", "by Maria", "Recensione di Maria", "Recensito da Maria", "Scritto da Maria"
_BY = re.compile(
    r"^(?:(?:recensione|recensito|scritto|inviato|pubblicato|opinione|review(?:ed)?|written|"
    r"posted|avis|bewertung|rese[ñn]a|avalia[çc][ãa]o)\s+)?"
    r"(?:by|di|da|par|von|por|de)\s*:?\s+(?P<name>\S.*)$",
    re.IGNORECASE,
)
_BY_START = re.compile(
    r"(?:by|di|da|par|von|por|de|recensione|recensito|scritto|review|written|posted)\b",
    re.IGNORECASE,
)
_MAX_NAME = 60
_MAX_NAME_WORDS = 6
_MAX_TITLE = 150
_MAX_DATE_TEXT = 80
# Nearly every date has a four-digit year or a numeric day/month: a cheap test that spares
# the date reader the texts of elements picked for their look only.
_DATE_DIGITS = re.compile(r"\d{4}|\d[./-]\d")
_SENTENCE = 40  # characters: a run of text this long is words, not a label
_PIECES_READ = 3  # the largest pieces of a card whose visible text is worked out
# Never review words: code, icons, controls, and the fallback text of media a browser plays.
_UNREAD = frozenset(
    {"script", "style", "template", "noscript", "svg", "button", "form", "video", "audio"}
)
# A visible review cut short: "… Leggi di più", "Read more", "Altro".
_TEASER_TAIL = 40
_TEASER_END = re.compile(
    r"(?:\s*…)?\s*(?:leggi tutto|leggi di più|mostra altro|continua a leggere|altro|read more|"
    r"more|show more|lire la suite|weiterlesen|leer más|ler mais)\s*$",
    re.IGNORECASE,
)


@dataclass(slots=True)
class Card:
    """One visible review. `named` says the author was marked as one (markup, a profile link,
    "di …"), not guessed from a short text beside the date."""

    element: Element
    text: str
    author: str | None
    named: bool
    published: datetime | None
    stars: Stars | None
    title: str | None
    anchor: str | None

    @property
    def facts(self) -> int:
        """How many of author, date and rating the card gives."""
        return (self.author is not None) + (self.published is not None) + (self.stars is not None)


def read_card(
    card: Element,
    ratings: Mapping[Element, Stars],
    *,
    reading: DateReader,
) -> Card:
    """Author, date, rating, title and text of the review card `card`."""
    authors: list[tuple[int, int, Element]] = []
    dates: list[tuple[int, int, Element]] = []
    titles: list[tuple[int, Element]] = []
    stars: tuple[Element, Stars] | None = None
    walker = etree.iterwalk(card, events=("start",))
    for order, (_, node) in enumerate(walker):
        if node is not card and (not isinstance(node.tag, str) or node.tag in _UNREAD):
            walker.skip_subtree()
            continue
        if stars is None and node in ratings:
            stars = (node, ratings[node])
            walker.skip_subtree()
            continue
        _look_at(node, order, authors, dates, titles)
    date_element, published = _first_date(dates, reading)
    parts = {e for e in (date_element, stars[0] if stars else None) if e is not None}
    author_element, author, named = _first_author(authors, parts, date_element, reading)
    if author_element is not None:
        parts.add(author_element)
    holders = {ancestor for part in parts for ancestor in part.iterancestors()}
    title_element = next(
        (t for _, t in sorted(titles, key=lambda x: x[0]) if t not in parts and t not in holders),
        None,
    )
    title = _line(visible_text(title_element)) if title_element is not None else None
    if title_element is not None and title and len(title) <= _MAX_TITLE:
        parts.add(title_element)
    else:
        title = None
    return Card(
        element=card,
        text=_body(card, parts),
        author=author,
        named=named,
        published=published,
        stars=stars[1] if stars else None,
        title=title,
        anchor=_anchor(card),
    )


_AUTHOR, _DATE, _TITLE = 1, 2, 4


def _names_a_person(token: str) -> bool:
    if any(word in token for word in _AUTHOR_WORDS):
        return True
    return "name" in token and any(word in token for word in _WHOSE_NAME)


@lru_cache(maxsize=4096)
def _token_roles(token: str) -> int:
    """What a class token can name: an author, a date, a title (bit flags)."""
    roles = _AUTHOR if _names_a_person(token) else 0
    if any(word in token for word in _DATE_WORDS):
        roles |= _DATE
    if any(word in token for word in _TITLE_WORDS):
        roles |= _TITLE
    return roles


def _look_at(
    node: Element,
    order: int,
    authors: list[tuple[int, int, Element]],
    dates: list[tuple[int, int, Element]],
    titles: list[tuple[int, Element]],
) -> None:
    """File `node` as a candidate author, date or title, with its rank (0 is best). Texts are
    read later, and only as far as the ranking needs."""
    tag = node.tag
    itemprop = (node.get("itemprop") or "").lower()
    roles = 0
    for token in class_tokens(node):
        roles |= _token_roles(token)
    if itemprop in ("author", "creator") or node.get("rel") == "author":
        authors.append((0, order, node))
    elif roles & _AUTHOR:
        authors.append((1, order, node))
    elif tag == "a" and _PROFILE_PATH.search(node.get("href") or ""):
        authors.append((2, order, node))
    elif tag in ("cite", "strong", "b"):
        authors.append((4, order, node))
    elif len(node) <= 2 and _BY_START.match((node.text or "").lstrip()):
        authors.append((3, order, node))
    if tag == "time" or itemprop.startswith("date"):
        dates.append((0, order, node))
    elif roles & _DATE:
        dates.append((1, order, node))
    elif node.get("title") and len(node) == 0:
        dates.append((2, order, node))
    elif len(node) <= 1:
        dates.append((3 + len(node), order, node))  # the innermost element holding the date
    if itemprop in ("name", "headline", "summary") or tag in ("h2", "h3", "h4", "h5"):
        titles.append((0, node))
    elif roles & _TITLE:
        titles.append((1, node))


def _author_text(rank: int, node: Element) -> str:
    return _named_text(node) if rank == 0 else visible_text(node)


def _named_text(node: Element) -> str:
    """The name inside an `itemprop=author` element (its `name` property or its text)."""
    for inner in node.iter():
        if (inner.get("itemprop") or "").lower() == "name":
            return inner.get("content") or visible_text(inner)
    return node.get("content") or visible_text(node)


def _line(text: str | None) -> str:
    return " ".join((text or "").split())


def _date_texts(node: Element) -> list[str]:
    texts = [node.get(a) or "" for a in ("datetime", "content", "title") if node.get(a)]
    raw = "".join(node.itertext()) if len(node) else (node.text or "")
    if raw and len(raw) <= 4 * _MAX_DATE_TEXT:
        own = _line(raw)
        if own and len(own) <= _MAX_DATE_TEXT and not is_hidden(node):
            texts.append(own)
    return texts


def _first_date(
    candidates: list[tuple[int, int, Element]], reading: DateReader
) -> tuple[Element | None, datetime | None]:
    """The best-ranked element whose attributes or text read as a date; an element picked for
    its look only (a title, a short text) must hold digits shaped like a date."""
    for rank, _, node in sorted(candidates, key=lambda c: (c[0], c[1])):
        for text in _date_texts(node):
            if (rank >= 2 and not _DATE_DIGITS.search(text)) or rating_in_words(text):
                continue
            published = reading(text)
            if published is not None:
                return node, published
    return None, None


def clean_name(text: str | None, reading: DateReader) -> str | None:
    """A reviewer's name as shown, without "di"/"by" and trailing colons; `None` if it is not
    a name (too long, a date, a rating, no letters)."""
    name = _line(text).strip(" :|,–—-•·")
    match = _BY.match(name)
    if match:
        name = match.group("name").strip(" :|,–—-")
    if (
        not name
        or len(name) > _MAX_NAME
        or len(name.split()) > _MAX_NAME_WORDS
        or not any(ch.isalpha() for ch in name)
        or rating_in_words(name) is not None
        or (_DATE_DIGITS.search(name) and reading(name) is not None)
    ):
        return None
    return name


def _first_author(
    candidates: list[tuple[int, int, Element]],
    parts: set[Element],
    date: Element | None,
    reading: DateReader,
) -> tuple[Element | None, str | None, bool]:
    """The best-ranked name: marked or linked ones first, then a name written just before the
    date ("Maria (12/03/2024)"), then bold or cited text. Of a marked element holding another
    ("criticContent" around "author"), the inner one."""
    holding = {
        ancestor for rank, _, node in candidates if rank <= 3 for ancestor in node.iterancestors()
    }
    for rank, _, node in sorted(candidates, key=lambda c: (c[0], c[1])):
        if rank == 4 and date is not None:
            before = _name_before(date, reading)
            if before is not None:
                return None, before, False
        if node in parts or (node in holding and rank <= 3):
            continue
        name = clean_name(_author_text(rank, node), reading)
        if name is not None:
            return node, name, rank <= 3
    if date is not None:
        return None, _name_before(date, reading), False
    return None, None, False


def _name_before(date: Element, reading: DateReader) -> str | None:
    """The "Name (date)" pattern: a short text just before the date, in the same line."""
    parent = date.getparent()
    if parent is None:
        return None
    previous = date.getprevious()
    before = previous.tail if previous is not None else parent.text
    return clean_name(before, reading)


def _body(card: Element, parts: set[Element]) -> str:
    """The review's words: the largest piece of the card that holds none of the other parts.

    The card splits into pieces: the elements outside every part's line of ancestors. Chrome
    ("Utile", counters, report links) is in small pieces of its own; the words are the big one.
    Text written straight into the card or a part's ancestors is one more piece.
    """
    holders: set[Element] = set()
    for part in parts:
        for ancestor in part.iterancestors():
            if ancestor is card:
                break
            holders.add(ancestor)
    pieces: list[tuple[float, Element]] = []
    loose = [card.text or ""]
    stack = [card]
    while stack:
        node = stack.pop()
        for child in node:
            loose.append(child.tail or "")
            if not isinstance(child.tag, str) or child.tag in _UNREAD or child in parts:
                continue
            if child in holders:
                loose.append(child.text or "")
                stack.append(child)
                continue
            if is_hidden(child) and not child.get("style"):
                continue
            raw = len("".join(child.itertext()).strip())  # cheap: the ranking needs no more
            if raw:
                pieces.append((raw / (3 if _is_label_strip(child) else 1), child))
    rest = _clean_body(" ".join(loose))
    best, best_weight = "", 0.0
    for weight, piece in sorted(pieces, key=lambda p: p[0], reverse=True)[:_PIECES_READ]:
        if weight <= best_weight:
            break
        text = _clean_body(visible_text(piece, skip=_is_chrome))
        weight *= len(text) / max(1, len("".join(piece.itertext()).strip()))
        if weight > best_weight:
            best, best_weight = text, weight
    return rest if len(rest) > best_weight else best


def _is_label_strip(piece: Element) -> bool:
    """A row of small labels ("Acquisto verificato | Ricompense… (Cos'è?)"): three or more
    short bits of text in elements of their own, none of them a sentence."""
    runs = [
        len(text.strip())
        for node in piece.iter()
        if isinstance(node.tag, str)
        for text in (node.text, node.tail if node is not piece else None)
        if text and text.strip()
    ]
    return len(runs) >= 3 and max(runs) < _SENTENCE


def _is_chrome(node: Element) -> bool:
    """A link standing alone on its line ("Report as inappropriate", "5 Comments"), or a
    control or media element (whose text is a fallback: "Your browser does not support…")."""
    if node.tag in _UNREAD:
        return True
    if node.tag != "a":
        return False
    text = _line("".join(node.itertext()))
    if len(text.split()) > 4:
        return False
    parent = node.getparent()
    return parent is not None and _line("".join(parent.itertext())) == text


def _clean_body(text: str) -> str:
    """Without edge punctuation and a trailing "Leggi di più" (looked for in the last words
    only: a `$`-anchored search would try every position of a long text)."""
    text = text.strip(" \n\t:|,–—-•·")
    while True:
        tail = text[-_TEASER_TAIL:]
        match = _TEASER_END.search(tail)
        if not match:
            return text
        text = text[: len(text) - len(tail) + match.start()].rstrip()


def _anchor(card: Element) -> str | None:
    """The card's own id, for a link to this review on the page."""
    own = card.get("id")
    if own:
        return own
    for node in card.iter():
        node_id = node.get("id") if isinstance(node.tag, str) else None
        if node_id and "review" in node_id.lower():
            return node_id
    return None
