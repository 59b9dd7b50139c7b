"""The lexicon analyzer: words with a valence, read in context the way people write reviews.

A bag of polar words misses what decides a complaint: "non lo consiglio" is negative although
"consiglio" is praise, "non è male" is mild praise, "molto" and "davvero" strengthen what follows,
"troppo" turns a plain word ("troppo piccolo") into a complaint, what follows "ma"/"però"
outweighs what precedes it, and "!!!" or a shouted word raise the temperature. The rules here are
language-neutral; each language brings its lexicon and word lists as `Rules`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from crawler.sentiment.lexicon import Lexicon
from crawler.sentiment.tokens import (
    BANG,
    BREAK,
    EMOTICON,
    NUMBER,
    QUESTION,
    STOP,
    WORD,
    Token,
    tokenize,
)

# Morphology fallback: candidate (base form, intensity) pairs for a word the lexicon lacks.
Morphology = Callable[[str], Iterable[tuple[str, float]]]


def _no_morphology(word: str) -> Iterable[tuple[str, float]]:
    return ()


@dataclass(frozen=True)
class Rules:
    """What one language contributes besides its lexicon."""

    negators: frozenset[str]
    intensifiers: dict[str, float]  # word -> factor on the next polar word (<1 softens)
    contrasts: frozenset[str]  # "ma", "però", "but": what follows outweighs what precedes
    concessives: frozenset[str] = frozenset()  # "sebbene", "although": the clause counts less
    complaint_negators: frozenset[str] = frozenset()  # a bare "non ..." reports a fault
    excess: frozenset[str] = frozenset()  # "troppo", "too": a plain word after it is a fault
    emphatic_negators: frozenset[str] = frozenset()  # "never ... so bad" stresses "bad"
    split_elisions: bool = False
    morphology: Morphology = _no_morphology
    emoticons: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Weights:
    """The few numbers of the method: set by hand from how reviews are written, then each
    checked by ablation on the development data (a change that helps one file only is not kept)."""

    negated_positive: float = -0.9  # "non lo consiglio": praise denied is a complaint
    negated_negative: float = -0.5  # "non è male": a fault denied is mild praise
    negation_window: int = 3  # words a negator reaches ("non lo ho mai consigliato")
    bare_negation: float = -0.2  # "non si accende": negation of a plain verb, in a review
    conceded: float = 0.5
    before_contrast: float = 0.5
    after_contrast: float = 1.5
    excess: float = -0.4  # "troppo piccolo"
    shouted: float = 1.3
    exclamation: float = 0.15  # per "!" (up to 3) on its sentence
    question: float = 0.6  # a question states less than an assertion
    alpha: float = 1.0  # normalisation: score = s / sqrt(s^2 + alpha)


@dataclass(frozen=True, slots=True)
class Assessment:
    """One piece of evidence: the words that produced it and their valence after context."""

    words: tuple[str, ...]
    valence: float


class LexiconAnalyzer:
    """Scores text in [-1, 1] from a lexicon and a language's rules. Reusable and thread-safe
    for reading; the lookup cache only ever grows with the vocabulary seen."""

    def __init__(
        self, name: str, lang: str, lexicon: Lexicon, rules: Rules, weights: Weights | None = None
    ) -> None:
        self.name = name
        self.lang = lang
        self.lexicon = lexicon
        self.rules = rules
        self.weights = weights or Weights()
        self._cache: dict[str, float] = {}
        # the words that are more than their valence: any other word skips those rules
        self.rule_words = frozenset(
            rules.negators | rules.intensifiers.keys() | rules.contrasts | rules.concessives
        ) | {"se"}  # "anche se" is a concession, read at its second word

    def polarity(self, text: str) -> float:
        """The text's score in [-1, 1]; 0.0 when it holds no sentiment evidence."""
        total = sum(a.valence for a in self.assessments(text))
        return total / math.sqrt(total * total + self.weights.alpha)

    def valence(self, word: str) -> float:
        """The context-free valence of one word (0.0 when unknown), morphology included."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        lexicon = self.lexicon
        value = lexicon.words.get(word)
        if value is None:
            for base, intensity in self.rules.morphology(word):
                base_value = lexicon.words.get(base) if base in lexicon.inflectable else None
                if base_value is not None:
                    value = max(-1.0, min(1.0, base_value * intensity))
                    break
        if value is None:
            value = lexicon.stem_of(word) or 0.0
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[word] = value
        return value

    def emoticon(self, text: str) -> float | None:
        """Valence of an emoticon, tolerating noses and repeats (":-)))" reads as ":)))")."""
        table = self.rules.emoticons
        value = table.get(text)
        if value is None:
            plain = text.replace("-", "")
            value = table.get(plain) or table.get(plain[:4]) or table.get(plain[:3])
        return value

    def assessments(self, text: str) -> list[Assessment]:
        """The evidence found in `text`, each valence already weighed by its context."""
        tokens = tokenize(text, split_elisions=self.rules.split_elisions)
        reading = _Reading(self, tokens)
        reading.run()
        return reading.found


def _word_follows(tokens: list[Token], position: int) -> bool:
    """An intensifier needs a word to act on; alone ("Super!") it is a word itself."""
    return position < len(tokens) and tokens[position].kind == WORD


class _Reading:
    """The state of reading one text left to right: what negates, boosts or discounts what."""

    __slots__ = (
        "analyzer",
        "tokens",
        "rules",
        "weights",
        "found",
        "sentence_start",
        "previous_sentence_start",
        "negation",
        "negator",
        "emphatic",
        "boost",
        "boost_reach",
        "excess",
        "clause_factor",
        "sentence_factor",
    )

    def __init__(self, analyzer: LexiconAnalyzer, tokens: list[Token]) -> None:
        self.analyzer = analyzer
        self.tokens = tokens
        self.rules = analyzer.rules
        self.weights = analyzer.weights
        self.found: list[Assessment] = []
        self.sentence_start = 0
        self.previous_sentence_start = 0
        self.sentence_factor = 1.0  # after "ma": what follows outweighs what came before
        self.negation = 0
        self.negator = ""
        self.emphatic = False  # the negation holds "mai"/"never": before "così" it stresses
        self._reset_clause()

    def _reset_clause(self) -> None:
        self._end_negation()
        self.negation = 0  # words still under a negator's reach
        self.negator = ""
        self.boost = 1.0
        self.boost_reach = 0
        self.excess = False
        self.clause_factor = 1.0  # inside "sebbene ...": a conceded clause counts less

    def _end_negation(self) -> None:
        if self.negation > 0:
            self._bare_negation()
        self.negation = 0

    def _bare_negation(self) -> None:
        """A negation that reached no polar word: in reviews it mostly reports a fault
        ("non si accende", "non mantiene la carica")."""
        if self.negator in self.rules.complaint_negators:
            self._add((self.negator, "…"), self.weights.bare_negation)

    def _add(self, words: tuple[str, ...], value: float) -> None:
        value *= self.sentence_factor * self.clause_factor
        self.found.append(Assessment(words, max(-1.0, min(1.0, value))))

    def _scale(self, start: int, factor: float) -> None:
        found = self.found
        for index in range(start, len(found)):
            a = found[index]
            found[index] = Assessment(a.words, a.valence * factor)

    def run(self) -> None:
        tokens, rules, weights = self.tokens, self.rules, self.weights
        analyzer = self.analyzer
        lexicon, rule_words, known = analyzer.lexicon, analyzer.rule_words, analyzer._cache
        phrases = lexicon.phrases  # most words start no phrase, nor a rule: one dict miss each
        position, count = 0, len(tokens)
        while position < count:
            token = tokens[position]
            kind, word, shouted = token
            if kind != WORD and kind != NUMBER:
                self._punctuation(token)
                position += 1
                continue
            phrase = lexicon.phrase_at(tokens, position) if word in phrases else None
            if phrase is not None:
                length, value = phrase
                words = tuple(t.text for t in tokens[position : position + length])
                if word in rules.negators:  # "mai più" carries its own negation
                    self.negation = 0
                position += length
            elif word not in rule_words:  # what the branch below ends in, for most words
                position += 1
                words = (word,)
                value = known.get(word) if kind == WORD else 0.0
                if value is None:
                    value = analyzer.valence(word)
            else:
                position += 1
                if word in rules.negators:
                    if self.negation <= 0:
                        self.negator = word
                        self.emphatic = False
                    self.emphatic = self.emphatic or word in rules.emphatic_negators
                    self.negation = weights.negation_window
                    continue
                if word in rules.intensifiers and _word_follows(tokens, position):
                    self.boost *= rules.intensifiers[word]
                    self.boost_reach = 2
                    self.excess = self.excess or word in rules.excess
                    continue
                if word in rules.contrasts:
                    self._contrast()
                    continue
                if word in rules.concessives or (
                    word == "se" and position > 1 and tokens[position - 2].text == "anche"
                ):
                    self.clause_factor = weights.conceded
                    continue
                value = self.analyzer.valence(word) if kind == WORD else 0.0
                words = (word,)
            if value:
                self._polar(words, value, shouted)
            elif self.excess or self.negation > 0:
                self._plain(word, kind)
            else:  # what `_plain` comes to with no excess or negation pending
                self.boost_reach -= 1
                if self.boost_reach <= 0:
                    self.boost = 1.0

    def _polar(self, words: tuple[str, ...], value: float, shouted: bool) -> None:
        weights = self.weights
        if self.excess and 0 < value < 0.3:  # "troppo leggero": a mild quality in excess
            self.boost = 1.0
            value = weights.excess
            words = ("troppo",) + words
        value *= self.boost
        if shouted:
            value *= weights.shouted
        if self.negation > 0:
            if self.boost > 1.0 and self.emphatic:  # "non sono mai stato così contento"
                words = (self.negator, "!") + words
            else:
                value *= weights.negated_positive if value > 0 else weights.negated_negative
                words = ("¬",) + words
            self.negation = 0
        self._add(words, value)
        self.boost, self.boost_reach, self.excess = 1.0, 0, False

    def _plain(self, word: str, kind: str) -> None:
        if self.excess and kind == WORD and len(word) > 3:
            self._add(("troppo", word), self.weights.excess)  # "troppo piccolo"
            self.boost, self.boost_reach, self.excess = 1.0, 0, False
        if self.negation > 0:
            self.negation -= 1
            if self.negation == 0:
                self._bare_negation()
        self.boost_reach -= 1
        if self.boost_reach <= 0:
            self.boost, self.excess = 1.0, False

    def _contrast(self) -> None:
        """ "Bello, ma si è rotto": discount the clause before, weigh the one after. A "Però"
        opening a sentence discounts the previous sentence."""
        self._end_negation()
        start = self.sentence_start
        if start == len(self.found):
            start = self.previous_sentence_start
        self._scale(start, self.weights.before_contrast)
        self.sentence_factor = self.weights.after_contrast

    def _punctuation(self, token: Token) -> None:
        kind, weights = token.kind, self.weights
        if kind == EMOTICON:
            value = self.analyzer.emoticon(token.text)
            if value:
                self.found.append(Assessment((token.text,), value))
        elif kind == BREAK:
            self._reset_clause()
        elif kind in (STOP, BANG, QUESTION):
            self._reset_clause()
            if kind == BANG:
                self._scale(
                    self.sentence_start, 1.0 + weights.exclamation * min(len(token.text), 3)
                )
            elif kind == QUESTION:
                self._scale(self.sentence_start, weights.question)
            self.previous_sentence_start = self.sentence_start
            self.sentence_start = len(self.found)
            self.sentence_factor = 1.0
