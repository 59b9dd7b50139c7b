"""`passaparola evaluate`: figures per language from a labeled CSV, and clear errors."""

import csv
import json
from pathlib import Path

import pytest

from crawler.sentiment import Scorer
from crawler.sentiment.evaluate import EvaluationError, evaluate_csv, render, to_json

ROWS = [
    ("Servizio pessimo, non comprerò mai più", "negative", "it"),
    ("Non lo consiglio, arrivato rotto", "1", "it"),
    ("Prodotto ottimo, lo consiglio", "5", "it"),
    ("Personale gentilissimo, complimenti!", "positive", "it"),
    ("Il negozio apre alle nove.", "neutral", "it"),
    ("Rude staff, never again.", "negative", "en"),
    ("Great bread and friendly service!", "4", "en"),
    ("Everything was fine, thanks", "positive", "en"),
]


def write_csv(path: Path, rows: list[tuple[str, ...]], header: tuple[str, ...]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_figures_per_language_and_overall(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "labeled.csv", ROWS, ("text", "label", "lang"))
    evaluation = evaluate_csv(path, Scorer())
    assert set(evaluation.results) == {"it", "en", "all"}
    assert evaluation.results["it"].count == 5
    assert evaluation.results["en"].count == 3
    overall = evaluation.results["all"]
    assert overall.count == 8
    assert overall.accuracy == 1.0
    assert overall.macro_f1 == 1.0
    assert overall.negative_balanced_accuracy == 1.0
    assert overall.confusion["negative"] == {
        "negative": 3,
        "neutral": 0,
        "positive": 0,
        "unknown": 0,
    }
    assert evaluation.analyzers == {"it-lexicon-v1": 5, "en-lexicon-v1": 3}


def test_mistakes_show_in_the_confusion_matrix(tmp_path: Path) -> None:
    rows = [
        ("Servizio pessimo", "positive"),  # wrong on purpose
        ("Prodotto ottimo", "positive"),
        ("Le service était très lent.", "negative"),  # no French analyzer: unknown
    ]
    path = write_csv(tmp_path / "labeled.csv", rows, ("text", "label"))
    result = evaluate_csv(path, Scorer()).results["all"]
    assert result.accuracy == pytest.approx(1 / 3)
    assert result.confusion["positive"]["negative"] == 1
    assert result.confusion["negative"]["unknown"] == 1
    assert result.negative_balanced_accuracy == pytest.approx((0 + 0.5) / 2)


def test_without_a_lang_column_the_detected_language_groups_rows(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "labeled.csv", [(t, label) for t, label, _ in ROWS], ("text", "label")
    )
    evaluation = evaluate_csv(path, Scorer())
    assert evaluation.results["it"].count == 5
    assert evaluation.results["en"].count == 3


def test_render_and_json(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "labeled.csv", ROWS, ("text", "label", "lang"))
    evaluation = evaluate_csv(path, Scorer())
    text = render(evaluation)
    assert "macro-F1" in text
    assert "confusion (it)" in text
    assert "confusion (all)" in text
    data = json.loads(json.dumps(to_json(evaluation)))
    assert data["languages"]["all"]["accuracy"] == 1.0
    assert data["languages"]["en"]["rows"] == 3
    assert data["thresholds"] == {"negative_below": -0.05, "positive_above": 0.15}


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", [("Ottimo", "it")], ("text", "lang"))
    with pytest.raises(EvaluationError, match="missing column.*label"):
        evaluate_csv(path, Scorer())


def test_a_bad_label_names_its_row(tmp_path: Path) -> None:
    rows = [("Ottimo", "positive"), ("Pessimo", "bad"), ("Buono", "7")]
    path = write_csv(tmp_path / "bad.csv", rows, ("text", "label"))
    with pytest.raises(EvaluationError, match=r"row 2 \(line 3\): label 'bad'"):
        evaluate_csv(path, Scorer())


def test_an_empty_file_and_a_missing_file_are_errors(tmp_path: Path) -> None:
    empty = write_csv(tmp_path / "empty.csv", [], ("text", "label"))
    with pytest.raises(EvaluationError, match="no rows"):
        evaluate_csv(empty, Scorer())
    with pytest.raises(EvaluationError, match="cannot read"):
        evaluate_csv(tmp_path / "missing.csv", Scorer())
