"""Star ratings and scores become labels the same way everywhere."""

import pytest

from crawler.config import SentimentConfig
from crawler.sentiment import (
    NEGATIVE_BELOW,
    POSITIVE_ABOVE,
    label_for_rating,
    label_for_score,
)


@pytest.mark.parametrize(
    ("stars", "label"),
    [(1, "negative"), (2, "negative"), (3, "neutral"), (4, "positive"), (5, "positive")],
)
def test_a_star_rating_of_five_maps_to_its_label(stars: int, label: str) -> None:
    normalised = (stars - 1) / 4  # 1 star = 0.0, 3 stars = 0.5, 5 stars = 1.0
    assert label_for_rating(normalised) == label


def test_ratings_between_the_star_boundaries_follow_the_nearest_rule() -> None:
    assert label_for_rating(0.3) == "neutral"  # 2.2 of 5
    assert label_for_rating(0.7) == "neutral"  # 3.8 of 5
    assert label_for_rating(0.9) == "positive"


def test_a_rating_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError, match="normalised"):
        label_for_rating(4.0)


def test_scores_are_labelled_by_the_thresholds() -> None:
    assert label_for_score(-0.5) == "negative"
    assert label_for_score(0.0) == "neutral"
    assert label_for_score(0.5) == "positive"
    assert label_for_score(-0.2, negative_below=-0.3, positive_above=0.3) == "neutral"


def test_no_evidence_is_neutral_with_the_default_thresholds() -> None:
    assert NEGATIVE_BELOW < 0.0 < POSITIVE_ABOVE


def test_the_config_defaults_are_the_measured_thresholds() -> None:
    config = SentimentConfig()
    assert config.negative_below == NEGATIVE_BELOW
    assert config.positive_above == POSITIVE_ABOVE
