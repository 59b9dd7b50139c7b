"""The English analyzer: TextBlob's lexicon with negation, intensifiers and care vocabulary."""

import pytest

from crawler.sentiment import score


@pytest.mark.parametrize(
    "text",
    [
        "The staff was rude and nobody apologized.",
        "I would not recommend this place.",
        "Waited 45 minutes for cold food. Never again.",
        "It stopped working after two days and they refused a refund.",
        "Don't waste your money.",
        "Not worth it.",
        "I've never been treated so badly.",
        "The screen is nice but the battery died within a week.",
    ],
)
def test_complaints_are_negative(text: str) -> None:
    assert score(text, "en").label == "negative"


@pytest.mark.parametrize(
    "text",
    [
        "Great service, very friendly staff!",
        "Not bad at all, I'd come back.",
        "Works perfectly, highly recommend :)",
        "I could not be happier with it.",
        "No problems so far, worth every penny.",
    ],
)
def test_praise_is_positive(text: str) -> None:
    assert score(text, "en").label == "positive"


def test_the_english_analyzer_names_itself() -> None:
    assert score("Lovely bakery", "en").analyzer == "en-lexicon-v1"


def test_negation_and_intensifiers() -> None:
    good = score("The bread is good", "en").score
    assert score("The bread is very good", "en").score > good > 0
    assert score("The bread is not good", "en").score < 0
