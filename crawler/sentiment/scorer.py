"""Scoring a mention: detect its language, pick that language's analyzer, apply thresholds.

Analyzers are built once per process (loading a lexicon takes tens of milliseconds) and shared by
every `Scorer`; a `Scorer` only holds the label thresholds from the config. A language without an
analyzer gets the label "unknown", never a silent "neutral", so the report can say how much it
could not read.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from crawler.sentiment.labels import (
    NEGATIVE_BELOW,
    POSITIVE_ABOVE,
    UNKNOWN,
    Sentiment,
    label_for_rating,
    label_for_score,
)
from crawler.sentiment.language import UNDETERMINED, detect_language, normalise_language

if TYPE_CHECKING:  # the analyzers load with the first text: a crawl that scores in its worker
    from crawler.sentiment.analyzer import LexiconAnalyzer  # never needs them in its own process

NO_ANALYZER = "none"


def _italian_analyzer() -> LexiconAnalyzer:
    from crawler.sentiment.italian import italian_analyzer

    return italian_analyzer()


def _english_analyzer() -> LexiconAnalyzer:
    from crawler.sentiment.english import english_analyzer

    return english_analyzer()


def emoticon_analyzer() -> LexiconAnalyzer:
    """For texts with no words at all ("👍👍", ":("): emoticons and emoji speak any language."""
    from crawler.sentiment.analyzer import LexiconAnalyzer, Rules
    from crawler.sentiment.lexicon import DATA, Lexicon, read_tsv

    rules = Rules(
        negators=frozenset(),
        intensifiers={},
        contrasts=frozenset(),
        emoticons=dict(read_tsv(DATA / "emoticons.txt")),
    )
    return LexiconAnalyzer("emoticons-v1", UNDETERMINED, Lexicon(), rules)


FACTORIES: dict[str, Callable[[], LexiconAnalyzer]] = {
    "it": _italian_analyzer,
    "en": _english_analyzer,
    UNDETERMINED: emoticon_analyzer,
}
SUPPORTED_LANGUAGES = ("it", "en")

_analyzers: dict[str, LexiconAnalyzer] = {}
_lock = threading.Lock()


def analyzer_for(lang: str) -> LexiconAnalyzer | None:
    """The shared analyzer for a language code, built on first use; None if there is none."""
    analyzer = _analyzers.get(lang)
    if analyzer is None and lang in FACTORIES:
        with _lock:
            analyzer = _analyzers.get(lang)
            if analyzer is None:
                analyzer = _analyzers[lang] = FACTORIES[lang]()
    return analyzer


SHORT_TEXT_WORDS = 3


def _other_reading(
    text: str, lang: str, analyzer: LexiconAnalyzer
) -> tuple[str, LexiconAnalyzer, float]:
    """A comment of a word or three ("Bad", "Mah...") is a coin toss between Italian and
    English for any detector: when the detected language's analyzer finds nothing in it, the
    other's reading is taken if it finds something."""
    if len(text.split()) <= SHORT_TEXT_WORDS:
        for other in SUPPORTED_LANGUAGES:
            alternative = analyzer_for(other)
            if other != lang and alternative is not None:
                value = alternative.polarity(text)
                if value:
                    return other, alternative, value
    return lang, analyzer, 0.0


class Scorer:
    """Labels texts with the thresholds of one config; cheap to create, fast to call."""

    def __init__(
        self, negative_below: float = NEGATIVE_BELOW, positive_above: float = POSITIVE_ABOVE
    ) -> None:
        if not -1.0 <= negative_below <= positive_above <= 1.0:
            raise ValueError(
                "thresholds must satisfy -1 <= negative_below <= positive_above <= 1, "
                f"got {negative_below} and {positive_above}"
            )
        self.negative_below = negative_below
        self.positive_above = positive_above

    def warm_up(self) -> None:
        """Load the language model and every analyzer now, before the first text waits on it."""
        detect_language("pronto")
        for lang in FACTORIES:
            analyzer_for(lang)

    def score(self, text: str, lang: str | None = None, rating: float | None = None) -> Sentiment:
        """Judge `text`; `lang` (a language tag) skips detection; a `rating` (0-1) decides the
        label, the text's own score is kept beside it."""
        detected = not lang
        lang = normalise_language(lang) if lang else detect_language(text)
        analyzer = analyzer_for(lang)
        if analyzer is None:
            value, label, name = None, UNKNOWN, NO_ANALYZER
        else:
            value = analyzer.polarity(text)
            if detected and not value and lang in SUPPORTED_LANGUAGES:
                lang, analyzer, value = _other_reading(text, lang, analyzer)
            value = round(value, 4)
            label = label_for_score(value, self.negative_below, self.positive_above)
            name = analyzer.name
        if rating is not None:
            return Sentiment(value, label_for_rating(rating), name, lang, from_rating=True)
        return Sentiment(value, label, name, lang)

    def __repr__(self) -> str:
        return f"Scorer(negative_below={self.negative_below}, positive_above={self.positive_above})"
