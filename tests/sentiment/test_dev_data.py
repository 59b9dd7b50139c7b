"""Regression guard on the real labeled development data beside the repo (skipped without it).

bench/sentiment.py prints the full figures; this only keeps them from sliding below the targets.
"""

import json
import random
from pathlib import Path

import pytest

from crawler.sentiment import score

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
REVIEWS = DATA / "it-reviews-amazon-dev.ndjson"
pytestmark = pytest.mark.skipif(not REVIEWS.exists(), reason="no development data in ../shared")


def complaint_balanced_accuracy(rows: list[tuple[str, bool]]) -> float:
    """Mean of: share of gold negatives labelled negative, share of positives not so labelled."""
    caught = [score(text).label == "negative" for text, negative in rows if negative]
    spared = [score(text).label != "negative" for text, negative in rows if not negative]
    return (sum(caught) / len(caught) + sum(spared) / len(spared)) / 2


def test_italian_reviews_reach_the_target() -> None:
    reviews = [json.loads(line) for line in REVIEWS.read_text(encoding="utf-8").splitlines()]
    negatives = [(r["sentence"], True) for r in reviews if r["score"] <= 2]
    positives = [(r["sentence"], False) for r in reviews if r["score"] >= 4]
    sample = random.Random(2020).sample(positives, len(negatives))
    assert complaint_balanced_accuracy(negatives + sample) >= 0.85


@pytest.mark.parametrize("name", ["yelp", "amazon"])
def test_english_review_sentences_reach_the_target(name: str) -> None:
    rows = []
    for line in (DATA / f"en-{name}-uci_labelled.txt").read_text(encoding="utf-8").splitlines():
        text, _, label = line.rpartition("\t")
        rows.append((text, label.strip() == "0"))
    assert complaint_balanced_accuracy(rows) >= 0.85
