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
    excess: frozenset[str] = frozenset()  # "troppo", "too": a plain word after it is a fault
    split_elisions: bool = False
    morphology: Morphology = _no_morphology
    emoticons: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Weights:
    """The few numbers of the method, set by measurement on development data (bench/)."""

    negated_positive: float = -0.9  # "non lo consiglio": praise denied is a complaint
    negated_negative: float = -0.5  # "non è male": a fault denied is mild praise
    negation_window: int = 3  # words a negator reaches ("non lo ho mai consigliato")
    before_contrast: float = 0.5
    after_contrast: float = 1.5
    excess: float = -0.4  # "troppo piccolo"
    shouted: float = 1.3
    exclamation: float = 0.15  # per "!" (up to 3) on its sentence
    question: float = 0.6  # a question states less than an assertion
    negative_bias: float = 1.0  # weight of negative evidence relative to positive
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

    def polarity(self, text: str) -> float:
        """The text's score in [-1, 1]; 0.0 when it holds no sentiment evidence."""
        total = sum(a.valence for a in self.assessments(text))
        if total < 0:
            total *= self.weights.negative_bias
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
                base_value = lexicon.words.get(base)
                if base_value is not None:
                    value = max(-1.0, min(1.0, base_value * intensity))
                    break
        if value is None:
            value = lexicon.stem_of(word) or 0.0
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[word] = value
        return value

    def assessments(self, text: str) -> list[Assessment]:
        """The evidence found in `text`, each valence already weighed by its context."""
        tokens = tokenize(text, split_elisions=self.rules.split_elisions)
        found: list[Assessment] = []
        sentence_start = 0
        position = 0
        count = len(tokens)
        rules, weights, lexicon = self.rules, self.weights, self.lexicon
        negation = 0  # words still under a negator's reach
        boost = 1.0
        boost_reach = 0
        excess = False
        after_contrast = 1.0  # until the end of the sentence that holds the "ma"
        while position < count:
            token = tokens[position]
            kind = token.kind
            if kind == WORD or kind == NUMBER:
                word = token.text
                phrase = lexicon.phrase_at(tokens, position)
                if phrase is not None:
                    length, value = phrase
                    words = tuple(t.text for t in tokens[position : position + length])
                    position += length
                elif word in rules.negators:
                    negation = weights.negation_window
                    position += 1
                    continue
                elif word in rules.intensifiers:
                    boost *= rules.intensifiers[word]
                    boost_reach = 2
                    excess = excess or word in rules.excess
                    position += 1
                    continue
                elif word in rules.contrasts:
                    found = [Assessment(a.words, a.valence * weights.before_contrast) for a in found]
                    after_contrast = weights.after_contrast
                    negation = 0
                    position += 1
                    continue
                else:
                    value = self.valence(word) if kind == WORD else 0.0
                    words = (word,)
                    position += 1
                if value:
                    value *= boost * after_contrast
                    if token.shouted:
                        value *= weights.shouted
                    if negation > 0:
                        value *= weights.negated_positive if value > 0 else weights.negated_negative
                        words = ("¬",) + words
                    found.append(Assessment(words, max(-1.0, min(1.0, value))))
                    negation = 0
                    boost, boost_reach, excess = 1.0, 0, False
                else:
                    if excess and len(word) > 3 and kind == WORD:
                        found.append(Assessment(("troppo", word), weights.excess))
                        boost, boost_reach, excess = 1.0, 0, False
                    negation -= 1
                    boost_reach -= 1
                    if boost_reach <= 0:
                        boost, excess = 1.0, False
                continue
            position += 1
            if kind == EMOTICON:
                value = rules.emoticons.get(token.text)
                if value:
                    found.append(Assessment((token.text,), value))
            elif kind == BREAK:
                negation = 0
                boost, boost_reach, excess = 1.0, 0, False
            elif kind in (STOP, BANG, QUESTION):
                if kind == BANG:
                    factor = 1.0 + weights.exclamation * min(len(token.text), 3)
                elif kind == QUESTION:
                    factor = weights.question
                else:
                    factor = 1.0
                if factor != 1.0:
                    for index in range(sentence_start, len(found)):
                        a = found[index]
                        found[index] = Assessment(a.words, a.valence * factor)
                sentence_start = len(found)
                negation = 0
                boost, boost_reach, excess = 1.0, 0, False
                after_contrast = 1.0
        return found
