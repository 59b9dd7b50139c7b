"""Polarity lexicons: the words, word stems and phrases an analyzer knows, with their valence.

Two sources feed one `Lexicon`: a published base lexicon (Pattern's Italian or TextBlob's English
XML, read from the installed wheel where it ships) and the project's own hand-written TSV files
in `crawler/sentiment/data/`, which add the customer-care vocabulary those lack and override
entries whose reading in reviews differs from the general one ("caro" is "expensive" there).
"""

from __future__ import annotations

import importlib.resources
import importlib.util
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from crawler.sentiment.tokens import NUMBER, WORD, Token

DATA = importlib.resources.files("crawler.sentiment") / "data"


class LexiconError(Exception):
    """A lexicon file is missing or malformed; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class Phrase:
    """A multi-word entry; each later word is exact or, ending in `*`, a prefix."""

    rest: tuple[str, ...]
    valence: float

    def matches(self, tokens: list[Token], start: int) -> bool:
        if start + len(self.rest) > len(tokens):
            return False
        for offset, pattern in enumerate(self.rest):
            token = tokens[start + offset]
            if token.kind not in (WORD, NUMBER):
                return False
            if pattern.endswith("*"):
                if not token.text.startswith(pattern[:-1]):
                    return False
            elif token.text != pattern:
                return False
        return True


@dataclass(frozen=True, slots=True)
class SecondWords:
    """The phrases of one first word by their second word, so only those that can follow are
    tried, in the order of the whole list (longest first, then as added): the first that
    matches is the one a walk through the whole list would find."""

    exact: dict[str, tuple[Phrase, ...]]
    starred: tuple[tuple[int, Phrase], ...]  # second word a prefix ("non rispond*"), by place
    places: dict[Phrase, int]

    @classmethod
    def of(cls, entries: list[Phrase]) -> SecondWords:
        exact: dict[str, list[Phrase]] = {}
        starred = []
        for place, phrase in enumerate(entries):
            if phrase.rest[0].endswith("*"):
                starred.append((place, phrase))
            else:
                exact.setdefault(phrase.rest[0], []).append(phrase)
        places = {phrase: place for place, phrase in enumerate(entries)}
        groups = {second: tuple(group) for second, group in exact.items()}
        return cls(groups, tuple(starred), places)

    def candidates(self, second: str) -> tuple[Phrase, ...]:
        """The phrases whose second word `second` is, or starts with."""
        found = self.exact.get(second, ())
        if self.starred:
            prefixed = [entry for entry in self.starred if second.startswith(entry[1].rest[0][:-1])]
            if prefixed:
                placed = sorted([(self.places[phrase], phrase) for phrase in found] + prefixed)
                found = tuple(phrase for _, phrase in placed)
        return found


@dataclass(slots=True)
class Lexicon:
    """Exact word forms, stems (entries written `stem*`) and phrases, each with a valence."""

    words: dict[str, float] = field(default_factory=dict)
    stems: dict[str, float] = field(default_factory=dict)
    phrases: dict[str, list[Phrase]] = field(default_factory=dict)
    # Words whose other forms the analyzer may derive (adjectives: "bello" -> "belle"); kept to
    # adjectives so a noun or verb form does not lend its polarity ("funziona" -> "funzione").
    inflectable: set[str] = field(default_factory=set)
    # `phrases` indexed by their second word too (kept by `add`): "non" starts 58 Italian
    # phrases and texts say "non" often; only those whose second word follows it are tried.
    second_words: dict[str, SecondWords] = field(default_factory=dict, repr=False)

    def add(self, term: str, valence: float) -> None:
        """Add or override one entry; `term` is a word, a `stem*` or a space-separated phrase."""
        parts = term.lower().split()
        if len(parts) > 1:
            first, rest = parts[0], tuple(parts[1:])
            if first.endswith("*"):
                raise ValueError(f"{term!r}: a phrase must start with a whole word")
            entries = [p for p in self.phrases.get(first, []) if p.rest != rest]
            entries.append(Phrase(rest, valence))
            entries.sort(key=lambda phrase: -len(phrase.rest))  # longest match wins
            self.phrases[first] = entries
            self.second_words[first] = SecondWords.of(entries)
        elif parts[0].endswith("*"):
            self.stems[parts[0][:-1]] = valence
        else:
            self.words[parts[0]] = valence

    def update(self, entries: Mapping[str, float] | Iterable[tuple[str, float]]) -> None:
        items = entries.items() if isinstance(entries, Mapping) else entries
        for term, valence in items:
            self.add(term, valence)

    def phrase_at(self, tokens: list[Token], start: int) -> tuple[int, float] | None:
        """(length, valence) of the longest phrase starting at `start`, if any."""
        first = tokens[start].text
        if first not in self.phrases:
            return None
        if start + 1 >= len(tokens):
            return None  # every phrase has a second word
        for phrase in self.second_words[first].candidates(tokens[start + 1].text):
            if phrase.matches(tokens, start + 1):
                return 1 + len(phrase.rest), phrase.valence
        return None

    def stem_of(self, word: str) -> float | None:
        """The valence of the longest stem entry `word` starts with."""
        for end in range(len(word), 2, -1):
            valence = self.stems.get(word[:end])
            if valence is not None:
                return valence
        return None

    def __len__(self) -> int:
        return len(self.words) + len(self.stems) + sum(map(len, self.phrases.values()))


def shipped_file(package: str, path: str, install: str) -> Path:
    """A data file inside an installed package, found without importing the package (importing
    textblob drags in NLTK, a second of start-up for a file we only read)."""
    spec = importlib.util.find_spec(package)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        candidate = Path(location) / path
        if candidate.is_file():
            return candidate
    raise LexiconError(f"{package}/{path} not found: the lexicon ships in it; {install}")


Senses = dict[str, dict[str, list[float]]]  # form -> part of speech -> its senses' polarities


def read_pattern_xml(
    source: Path | importlib.resources.abc.Traversable, tags: tuple[str, ...] | None = None
) -> dict[str, float]:
    """Word -> polarity from a Pattern/TextBlob `*-sentiment.xml`, senses averaged as TextBlob does;
    with `tags`, only words with a sense of those parts of speech ("JJ": adjectives)."""
    return pattern_polarities(read_pattern_senses(source), tags, source)


def read_pattern_lexicon(
    source: Path | importlib.resources.abc.Traversable,
) -> tuple[dict[str, float], set[str]]:
    """Word -> polarity (`read_pattern_xml`), and which of those words are adjectives, from one
    reading of the file."""
    senses = read_pattern_senses(source)
    adjectives = pattern_polarities(senses, ("JJ",), source)
    return pattern_polarities(senses, source=source), set(adjectives)


def read_pattern_senses(source: Path | importlib.resources.abc.Traversable) -> Senses:
    """The senses of each word of a Pattern/TextBlob `*-sentiment.xml`, read once for the
    several selections an analyzer makes of them (`pattern_polarities`)."""
    try:
        with source.open("rb") as handle:
            root = ElementTree.parse(handle).getroot()
    except (OSError, ElementTree.ParseError) as error:
        raise LexiconError(f"{source}: cannot read the sentiment lexicon ({error})") from None
    senses: Senses = {}
    for node in root.iter("word"):
        form = node.get("form")
        if not form:
            continue
        polarity = float(node.get("polarity", "0") or 0)
        senses.setdefault(form.lower(), {}).setdefault(node.get("pos") or "", []).append(polarity)
    return senses


def pattern_polarities(
    senses: Senses, tags: tuple[str, ...] | None = None, source: object = "the lexicon"
) -> dict[str, float]:
    """Word -> polarity, senses averaged as TextBlob does; with `tags`, only words with a sense
    of those parts of speech.

    Words whose senses average to 0.0 are left out: they carry no polarity, and leaving them out
    lets the morphology fallbacks find a polar form of the same word.
    """
    polarities: dict[str, float] = {}
    for form, by_pos in senses.items():
        if tags is not None and not any(tag in by_pos for tag in tags):
            continue
        per_pos = [sum(values) / len(values) for values in by_pos.values()]
        polarity = sum(per_pos) / len(per_pos)
        if polarity:
            polarities[form] = polarity
    if not polarities:
        raise LexiconError(f"{source}: no <word polarity=...> entries found")
    return polarities


def read_tsv(source: Path | importlib.resources.abc.Traversable) -> list[tuple[str, float]]:
    """Entries of a project lexicon: `term valence` per line (the valence is the last field, the
    term may be a phrase of several words); `#` starts a comment."""
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as error:
        raise LexiconError(f"{source}: cannot read the lexicon ({error})") from None
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        term, _, value = line.replace("\t", " ").rpartition(" ")
        try:
            valence = float(value)
        except ValueError:
            valence = None
        if not term.strip() or valence is None or not -1.0 <= valence <= 1.0:
            raise LexiconError(
                f"{source}, line {number}: expected 'term valence' with a valence in [-1, 1], "
                f"got {line!r}"
            )
        entries.append((" ".join(term.split()), valence))
    return entries
