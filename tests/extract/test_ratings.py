"""Star ratings in the forms pages write them, on one 0–1 scale."""

from __future__ import annotations

import pytest

from crawler.extract.ratings import normalise_rating, parse_count, parse_number


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
