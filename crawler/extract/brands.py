"""Which brands a text names: whole words, any case or accents, aliases, and exclusion terms.

Text and terms are reduced to the same form (accents dropped, case folded, every run of
punctuation a single space), so "CAFFE' AURORA", "Caffè Aurora" and "caffè-aurora" are one
thing, and "Panificio Rossi's" still names "Panificio Rossi". Terms are then compared as
token sequences, so "Rossiani" never names "Rossi".

An exclusion removes only the occurrences it covers: "Valentino Rossi" is not the bakery
"Rossi", yet "Valentino Rossi ha comprato il pane da Rossi" still names it once.

This runs on every crawled page and every comment, and almost every text names no brand: each
is folded once and searched for the terms' first words as plain substrings (a word of the text
is a substring of it), which rules most texts out without splitting them into words (a tenth
of the time for 2 KB). A text that has one is not split either: each first word present is
found where it is a whole word, and only the words after it are read, to compare the rest of
the term (splitting a 2 KB post that names a brand, then walking its 400 words, was most of the
matching time). Terms are then compared as token sequences still: a term's occurrence is the
span from its first word's start to its last word's end, and an exclusion covers an
occurrence when its span contains it. With many terms, searching for each first word costs
more than one split and one set intersection, and the text is split into words instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Protocol

_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_WORD = re.compile(r"[^\W_]+")
# Punctuation common in Italian and English text, and the marks stuck to brand names ("Aurora™"
# must not become "auroratm"): with it gone most pages are ASCII, and sre's
# ASCII character class is much faster than its Unicode `\w` (0.26 against 0.36 ms per 5 KB).
_PUNCTUATION = re.compile(
    "[\u00a0\u00ab\u00bb\u00b7\u00b4\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac\u00b0\u2122\u2120]"
)

# Up to this many first words, a text is searched for each before it is split into words.
_SEARCHED_TERMS = 32


def words(text: str) -> list[str]:
    """The lower-case, accent-free words of a text."""
    return _split(_folded(text))


def _folded(text: str) -> str:
    """The text in the form its words are read from: case folded, and for text that is not
    ASCII, without accents and with punctuation marks as spaces."""
    text = text.casefold()
    if text.isascii():
        return text
    # Folded again: compatibility forms decompose to capitals ("™" → "TM", "Ａ" → "A").
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", _PUNCTUATION.sub(" ", text)))
    return text.casefold()


def _split(folded: str) -> list[str]:
    return _ASCII_WORD.findall(folded) if folded.isascii() else _WORD.findall(folded)


def _whole_words(folded: str, word: str) -> Iterator[int]:
    """Where `word` is in `folded` as a whole word: neither preceded nor followed by a letter or
    digit (what `_split` makes words of: `str.isalnum` is exactly `\\w` but `_`).

    `str.find` rather than a regular expression with lookarounds: a pattern that starts with a
    lookbehind is tried at every position of the text, five times slower on a 2 KB post."""
    end = len(word)
    at = folded.find(word)
    while at != -1:
        after = at + end
        if (at == 0 or not folded[at - 1].isalnum()) and (
            after == len(folded) or not folded[after].isalnum()
        ):
            yield at
        at = folded.find(word, at + 1)


def normalise(text: str) -> str:
    """Lower-case, accent-free words separated by single spaces."""
    return " ".join(words(text))


@dataclass(frozen=True)
class Brand:
    """A brand as the config names it: its name, other names, and phrases that are not it."""

    name: str
    aliases: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


class _BrandLike(Protocol):
    name: str
    aliases: Sequence[str]
    exclude: Sequence[str]


@dataclass(frozen=True, slots=True)
class _Term:
    tokens: tuple[str, ...]
    brand: int  # index of the brand in config order
    excluding: bool


class BrandMatcher:
    """Built once from the configured brands; `match` is then cheap enough for every page."""

    def __init__(self, brands: Iterable[Brand]):
        self.brands: tuple[Brand, ...] = tuple(brands)
        self._names: tuple[str, ...] = tuple(brand.name for brand in self.brands)
        by_first: dict[str, list[_Term]] = {}
        self._excluding = False
        for index, brand in enumerate(self.brands):
            naming = [t for t in (brand.name, *brand.aliases) if words(t)]
            if not naming:
                raise ValueError(f"brand {brand.name!r} has no letters or digits to match")
            terms = [(t, False) for t in naming] + [(t, True) for t in brand.exclude]
            for raw, excluding in terms:
                tokens = tuple(words(raw))
                if not tokens:
                    continue
                self._excluding = self._excluding or excluding
                by_first.setdefault(tokens[0], []).append(_Term(tokens, index, excluding))
        # Longest first, so the spans of overlapping terms are all found at one position.
        self._by_first = {
            first: sorted(terms, key=lambda term: -len(term.tokens))
            for first, terms in by_first.items()
        }
        self._firsts = frozenset(self._by_first)
        # With many terms, searching for each in turn costs more than splitting the text.
        self._searched = tuple(self._firsts) if len(self._firsts) <= _SEARCHED_TERMS else None

    @classmethod
    def from_config(cls, config_brands: Iterable[_BrandLike]) -> BrandMatcher:
        """From the config's `[[brands]]` (anything with `.name`, `.aliases`, `.exclude`)."""
        return cls(
            Brand(b.name, tuple(b.aliases or ()), tuple(b.exclude or ())) for b in config_brands
        )

    def match(self, text: str) -> list[str]:
        """Names of the brands the text names, in config order, each once."""
        if not text:
            return []
        folded = _folded(text)
        if self._searched is None:
            return self._named(self._occurrences_in_words(_split(folded)))
        present = [first for first in self._searched if first in folded]
        if not present:
            return []
        return self._named(self._occurrences_in_text(folded, present))

    def _occurrences_in_text(
        self, folded: str, firsts: list[str]
    ) -> Iterable[tuple[_Term, int, int]]:
        """Each term at each place of `folded` where its first word is a whole word, as
        (term, start, end) character offsets of its words."""
        word = _ASCII_WORD if folded.isascii() else _WORD
        for first in firsts:
            terms = self._by_first[first]
            longest = len(terms[0].tokens)
            for start in _whole_words(folded, first):
                if longest == 1:
                    for term in terms:
                        yield term, start, start + len(first)
                    continue
                following = list(islice(word.finditer(folded, start), longest))
                tokens = tuple(match.group() for match in following)
                for term in terms:
                    size = len(term.tokens)
                    if tokens[:size] == term.tokens:
                        yield term, start, following[size - 1].end()

    def _occurrences_in_words(self, tokens: list[str]) -> Iterable[tuple[_Term, int, int]]:
        """Each term at each place of `tokens` it starts at, as (term, start, end) indices."""
        if self._firsts.isdisjoint(tokens):
            return
        count = len(tokens)
        for start, token in enumerate(tokens):
            terms = self._by_first.get(token)
            if terms is None:
                continue
            for term in terms:
                end = start + len(term.tokens)
                if end > count:
                    continue
                if len(term.tokens) > 1 and tuple(tokens[start:end]) != term.tokens:
                    continue
                yield term, start, end

    def _named(self, occurrences: Iterable[tuple[_Term, int, int]]) -> list[str]:
        """The brands named by occurrences that no exclusion of the same brand covers."""
        naming: list[tuple[int, int, int]] = []  # (brand, start, end) of each occurrence
        excluded: list[tuple[int, int, int]] = []
        for term, start, end in occurrences:
            (excluded if term.excluding else naming).append((term.brand, start, end))
        found = {
            brand
            for brand, start, end in naming
            if not any(b == brand and s <= start and end <= e for b, s, e in excluded)
        }
        return list(dict.fromkeys(self._names[index] for index in sorted(found)))
