"""Star ratings in the forms pages write them, on one 0–1 scale."""

from __future__ import annotations

import pytest

from crawler.extract.ratings import (
    normalise_rating,
    parse_count,
    parse_number,
    rating_in_classes,
    rating_in_icons,
    rating_in_words,
)


@pytest.mark.parametrize(
    ("value", "best", "worst", "expected"),
    [
        (1, None, None, 0.0),
        (3, None, None, 0.5),
        (5, None, None, 1.0),
        ("4,5", None, None, 0.875),
        ("4.5", "5", "1", 0.875),
        ("4/5", None, None, 0.75),
        ("4 su 5", None, None, 0.75),
        ("4 out of 5 stars", None, None, 0.75),
        ("80%", None, None, 0.8),
        (8, None, None, 7 / 9),  # beyond 5: a 10-point scale
        (8, 10, 0, 0.8),
        (0.7, 1, None, 0.7),  # a 0–1 scale starts at 0
        (0, None, None, 0.0),
        (9, 5, 1, 1.0),  # out of range: clamped
    ],
)
def test_normalised_from_worst_to_best(value, best, worst, expected):
    stars = normalise_rating(value, best, worst)
    assert stars is not None
    assert stars.rating == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "best", "worst"),
    [
        (None, None, None),
        ("", None, None),
        ("n/d", None, None),
        (True, None, None),
        (3, 2, 2),
        (float("nan"), None, None),
    ],
)
def test_unreadable_ratings_are_none(value, best, worst):
    assert normalise_rating(value, best, worst) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [(4, 4.0), ("4,2", 4.2), (" 3.5 stelle", 3.5), ("nessuna", None), (None, None)],
)
def test_numbers(value, expected):
    assert parse_number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (89, 89),
        ("1.234", 1234),
        ("1,234", 1234),
        ("1 234 recensioni", 1234),
        ("", None),
        (-3, None),
    ],
)
def test_counts_drop_thousands_separators(value, expected):
    assert parse_count(value) == expected


@pytest.mark.parametrize(
    ("text", "value", "best"),
    [
        ("★★★★☆", 4, 5),
        ("★★★★", 4, 5),
        ("★★½☆☆", 2.5, 5),
        ("4,5 su 5", 4.5, 5),
        ("Voto: 4/5", 4, 5),
        ("Valutazione: 8/10", 8, 10),
        ("5,0 su 5 stelle", 5, 5),
        ("4 stelle", 4, 5),
        ("4.5/5", 4.5, 5),
        ("4 out of 5 stars", 4, 5),
        ("Rated 4 out of 5", 4, 5),
        ("3 sur 5 étoiles", 3, 5),
        ("4 von 5 Sternen", 4, 5),
    ],
)
def test_ratings_written_for_people(text, value, best):
    stars = rating_in_words(text)
    assert stars is not None
    assert (stars.value, stars.best) == (value, best)


@pytest.mark.parametrize(
    "text",
    ["Pagina 1 di 5", "1 di 5", "1 of 5", "12/05", "9", "45 valutazioni globali", "", "★"],
)
def test_counters_dates_and_bare_numbers_are_not_ratings(text):
    assert rating_in_words(text) is None


@pytest.mark.parametrize(
    ("tokens", "value"),
    [
        (["a-icon", "a-star-5"], 5),
        (["allstar50", "rating"], 5),  # tenths
        (["allstar10"], 1),
        (["stars-4-5"], 4.5),
        (["ui_bubble_rating", "bubble_45"], 4.5),
        (["star-rating-4-half"], 4.5),
        (["rating-thumb"], None),
        (["col-2-of-4"], None),
        (["rating-value"], None),
    ],
)
def test_ratings_carried_by_class_names(tokens, value):
    stars = rating_in_classes(tokens)
    assert (stars.value if stars else None) == value


def test_a_row_of_star_icons():
    assert rating_in_icons(3, 1, 1).value == 3.5
    assert rating_in_icons(3, 0, 2).rating == 0.5
    assert rating_in_icons(1, 0, 0) is None  # one icon is a decoration, not a scale
