"""The analysis quality page: how often the text analyzer agrees with this project's stars.

Every star-rated review the project stored is a free label: the stars say what the author meant,
the text score says what the analyzer read (a review's label follows its stars, but its text
score is kept). So the report measures the analyzer on *this* project's data, per language, as
balanced accuracy (the mean, over the star classes present, of the share read right: a guess
scores 1/3 on three classes, whatever their sizes) and the confusion table, with the count it
rests on, and says plainly when there are too few to tell. It also counts the labels the team
corrected in `passaparola serve`.

The counting is done by the database (GROUP BY over two CASE expressions), so 100,000 reviews
cost one scan.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Engine, and_, case, func, literal, select

from crawler.config import SentimentConfig
from crawler.report.labels import Words
from crawler.report.pages import PageWriter
from crawler.sentiment.labels import (
    LABELS,
    NEGATIVE,
    NEUTRAL,
    POSITIVE,
    RATING_NEGATIVE_AT_MOST,
    RATING_POSITIVE_AT_LEAST,
)
from crawler.store import mentions

MIN_REVIEWS = 30  # below this, one review more or less swings the figure by several points
MIN_CLASSES = 2  # with one star class only, agreement says nothing about telling them apart
ALL = "all"
_EPSILON = 1e-9  # as `label_for_rating`: ratings from other scales land a hair off a boundary


@dataclass(frozen=True, slots=True)
class Agreement:
    """The analyzer against the stars in one language (or `ALL`)."""

    lang: str
    count: int
    confusion: dict[str, dict[str, int]]  # stars' label -> text's label -> reviews
    balanced_accuracy: float | None  # None: no star class at all

    @property
    def classes(self) -> int:
        return sum(1 for gold in LABELS if sum(self.confusion[gold].values()))

    @property
    def enough(self) -> bool:
        """Enough reviews, in enough star classes, for the figure to mean something."""
        return self.count >= MIN_REVIEWS and self.classes >= MIN_CLASSES


@dataclass(frozen=True, slots=True)
class Corrections:
    """The labels the team corrected: how many, in which language, from what to what."""

    total: int
    by_lang: dict[str, int]
    moves: list[tuple[str, str, int]]  # (label before, label after, count), most first


def agreement(lang: str, counts: Counter[tuple[str, str]]) -> Agreement:
    """Confusion table and balanced accuracy from (stars' label, text's label) counts."""
    confusion = {gold: {got: counts[gold, got] for got in LABELS} for gold in LABELS}
    recalls = [
        confusion[gold][gold] / total for gold in LABELS if (total := sum(confusion[gold].values()))
    ]
    balanced = sum(recalls) / len(recalls) if recalls else None
    return Agreement(lang, sum(counts.values()), confusion, balanced)


def _stars_label():
    rating = mentions.c.rating
    return case(
        (rating <= RATING_NEGATIVE_AT_MOST + _EPSILON, literal(NEGATIVE)),
        (rating >= RATING_POSITIVE_AT_LEAST - _EPSILON, literal(POSITIVE)),
        else_=literal(NEUTRAL),
    )


def _text_label(thresholds: SentimentConfig):
    score = mentions.c.score
    return case(
        (score < thresholds.negative_below, literal(NEGATIVE)),
        (score > thresholds.positive_above, literal(POSITIVE)),
        else_=literal(NEUTRAL),
    )


def read_agreements(engine: Engine, thresholds: SentimentConfig) -> list[Agreement]:
    """Per language (most reviews first), then all together when there are several."""
    stars, text = _stars_label().label("stars"), _text_label(thresholds).label("text")
    lang = func.coalesce(mentions.c.lang, literal("?")).label("lang")
    query = (
        select(lang, stars, text, func.count())
        .where(and_(mentions.c.rating.is_not(None), mentions.c.score.is_not(None)))
        .group_by(lang, stars, text)
    )
    by_lang: dict[str, Counter[tuple[str, str]]] = {}
    with engine.connect() as conn:
        for language, gold, got, count in conn.execute(query):
            by_lang.setdefault(language, Counter())[gold, got] += count
    found = [agreement(language, counts) for language, counts in by_lang.items()]
    found.sort(key=lambda a: (-a.count, a.lang))
    if len(found) > 1:
        total: Counter[tuple[str, str]] = Counter()
        for counts in by_lang.values():
            total.update(counts)
        found.append(agreement(ALL, total))
    return found


def read_corrections(engine: Engine) -> Corrections:
    lang = func.coalesce(mentions.c.lang, literal("?")).label("lang")
    before = func.coalesce(mentions.c.corrected_from, literal("unknown")).label("before")
    query = (
        select(lang, before, mentions.c.label_correction, func.count())
        .where(mentions.c.label_correction.is_not(None))
        .group_by(lang, before, mentions.c.label_correction)
    )
    by_lang: Counter[str] = Counter()
    moves: Counter[tuple[str, str]] = Counter()
    with engine.connect() as conn:
        for language, was, now, count in conn.execute(query):
            by_lang[language] += count
            moves[was, now] += count
    ordered = sorted(moves.items(), key=lambda item: (-item[1], item[0]))
    return Corrections(
        total=sum(by_lang.values()),
        by_lang=dict(by_lang.most_common()),
        moves=[(was, now, count) for (was, now), count in ordered],
    )


def write_quality(
    engine: Engine, writer: PageWriter, words: Words, thresholds: SentimentConfig
) -> None:
    """Write quality.md: the analyzer against the stars, and the team's corrections."""
    writer.write(
        "quality.md",
        "quality.md.j2",
        agreements=read_agreements(engine, thresholds),
        corrections=read_corrections(engine),
        labels=LABELS,
        min_reviews=MIN_REVIEWS,
        all_languages=ALL,
    )
