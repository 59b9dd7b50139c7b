"""What a sentiment judgement is, and how scores and star ratings become labels.

Kept apart from the analyzers so the store, the report and the evaluation can speak of labels
without loading a lexicon.
"""

from __future__ import annotations

from dataclasses import dataclass

NEGATIVE = "negative"
NEUTRAL = "neutral"
POSITIVE = "positive"
UNKNOWN = "unknown"
LABELS = (NEGATIVE, NEUTRAL, POSITIVE)

# Chosen by `python bench/sentiment.py --sweep` on the development data: the pair with the best
# complaint balanced accuracy, macro-F1 on the 3-class files breaking ties. A text with no
# sentiment evidence scores 0.0 and must stay neutral, so the negative threshold sits below zero.
# Mirrored as the defaults of `[sentiment]` in crawler/config.py.
NEGATIVE_BELOW = -0.05
POSITIVE_ABOVE = 0.15

# A star rating normalised to 0-1 (1 of 5 stars = 0.0, 3 = 0.5, 5 = 1.0): 2 stars of 5 (0.25)
# and below are complaints, 4 stars (0.75) and above are praise.
RATING_NEGATIVE_AT_MOST = 0.25
RATING_POSITIVE_AT_LEAST = 0.75


@dataclass(frozen=True, slots=True)
class Sentiment:
    """One judgement of one text.

    `score` is the text analyzer's polarity in [-1, 1] (None when the language cannot be judged);
    `label` follows the star rating when there is one (`from_rating`), else the score.
    """

    score: float | None
    label: str
    analyzer: str
    lang: str
    from_rating: bool = False


def label_for_score(
    score: float,
    negative_below: float = NEGATIVE_BELOW,
    positive_above: float = POSITIVE_ABOVE,
) -> str:
    """negative below `negative_below`, positive above `positive_above`, neutral between."""
    if score < negative_below:
        return NEGATIVE
    if score > positive_above:
        return POSITIVE
    return NEUTRAL


# A text score this far from zero is a strong opinion ("molto negativo"), not a mild one.
STRONG_SCORE = 0.5
TONES = ("very_negative", "negative", "neutral", "positive", "very_positive")


def tone_of(
    score: float,
    negative_below: float = NEGATIVE_BELOW,
    positive_above: float = POSITIVE_ABOVE,
) -> str:
    """A text score as people say it, one of `TONES`: a bare "-0,92" means nothing to a reader,
    "very negative" does."""
    label = label_for_score(score, negative_below, positive_above)
    if label != NEUTRAL and abs(score) >= STRONG_SCORE:
        return f"very_{label}"
    return label


def label_for_rating(rating: float) -> str:
    """The label a star rating (normalised 0-1) means: <=2 of 5 negative, 3 neutral, >=4 positive.

    A small tolerance absorbs ratings from other scales (e.g. 4.5 of 10) that land a hair off the
    star boundaries after normalisation.
    """
    if not 0.0 <= rating <= 1.0:
        raise ValueError(f"rating must be normalised to 0-1, got {rating!r}")
    if rating <= RATING_NEGATIVE_AT_MOST + 1e-9:
        return NEGATIVE
    if rating >= RATING_POSITIVE_AT_LEAST - 1e-9:
        return POSITIVE
    return NEUTRAL
