"""Sentiment of mentions in Italian and English, measured on labeled data.

    from crawler.sentiment import score, Scorer
    score("Servizio pessimo, non comprerò mai più")   # negative, analyzer "it-lexicon-v1"
    Scorer(-0.05, 0.15).score(text, lang="it", rating=0.25)   # the star rating decides the label

See crawler/sentiment/README.md for how the analyzers work and how the thresholds were chosen.
"""

from __future__ import annotations

from crawler.sentiment.labels import (
    LABELS,
    NEGATIVE,
    NEGATIVE_BELOW,
    NEUTRAL,
    POSITIVE,
    POSITIVE_ABOVE,
    UNKNOWN,
    Sentiment,
    label_for_rating,
    label_for_score,
)
from crawler.sentiment.language import detect_language
from crawler.sentiment.scorer import SUPPORTED_LANGUAGES, Scorer, analyzer_for

__all__ = [
    "LABELS",
    "NEGATIVE",
    "NEGATIVE_BELOW",
    "NEUTRAL",
    "POSITIVE",
    "POSITIVE_ABOVE",
    "SUPPORTED_LANGUAGES",
    "UNKNOWN",
    "Scorer",
    "Sentiment",
    "analyzer_for",
    "detect_language",
    "label_for_rating",
    "label_for_score",
    "score",
]

_default = Scorer()


def score(text: str, lang: str | None = None) -> Sentiment:
    """Judge one text with the default thresholds; `lang` skips language detection."""
    return _default.score(text, lang)
