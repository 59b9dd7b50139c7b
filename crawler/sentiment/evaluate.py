"""How right the analyzers are on a labeled CSV: accuracy, macro-F1 and confusions per language.

The CSV has a `text` and a `label` column (negative/neutral/positive, or a 1-5 star rating) and
optionally `lang`; with `lang` the texts are scored as that language and grouped by it, without
it the detected language groups them. Only the text is scored: a rating in the label column is
the answer, never a hint. Besides the classic figures it reports the monitor's own: the balanced
accuracy of "labelled negative" on gold negatives and positives (complaints caught, no wolf cried).
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from crawler.sentiment.labels import LABELS, NEGATIVE, NEUTRAL, POSITIVE, UNKNOWN
from crawler.sentiment.language import normalise_language
from crawler.sentiment.scorer import Scorer

PREDICTED = (*LABELS, UNKNOWN)
_STARS = {"1": NEGATIVE, "2": NEGATIVE, "3": NEUTRAL, "4": POSITIVE, "5": POSITIVE}
ALL = "all"


class EvaluationError(ValueError):
    """The labeled file cannot be evaluated; the message names the file and row."""


@dataclass(frozen=True)
class Result:
    """Figures for one group of rows (one language, or all)."""

    count: int
    accuracy: float
    macro_f1: float
    negative_balanced_accuracy: float | None  # None without both gold negatives and positives
    confusion: dict[str, dict[str, int]]  # gold label -> predicted label -> count


@dataclass(frozen=True)
class Evaluation:
    path: str
    negative_below: float
    positive_above: float
    results: dict[str, Result]  # language code -> figures; "all" for every row
    analyzers: dict[str, int] = field(default_factory=dict)  # analyzer -> rows it scored


def gold_label(value: str) -> str | None:
    """negative/neutral/positive (any case) or a 1-5 star rating ("4", "4.0"); None if neither."""
    value = value.strip().lower()
    if value in LABELS:
        return value
    try:
        stars = float(value.replace(",", "."))
    except ValueError:
        return None
    if stars.is_integer():
        return _STARS.get(str(int(stars)))
    return None


def evaluate_csv(path: Path | str, scorer: Scorer) -> Evaluation:
    """Score every row of a labeled CSV and measure the labels against the gold ones."""
    path = Path(path)
    pairs: dict[str, list[tuple[str, str]]] = {ALL: []}
    analyzers: Counter[str] = Counter()
    for text, label, lang in _read_rows(path):
        sentiment = scorer.score(text, lang=lang or None)
        analyzers[sentiment.analyzer] += 1
        group = normalise_language(lang) if lang else sentiment.lang
        pairs.setdefault(group, []).append((label, sentiment.label))
        pairs[ALL].append((label, sentiment.label))
    if not pairs[ALL]:
        raise EvaluationError(f"{path}: no rows to evaluate")
    results = {group: measure(rows) for group, rows in sorted(pairs.items())}
    return Evaluation(
        str(path), scorer.negative_below, scorer.positive_above, results, dict(analyzers)
    )


def _read_rows(path: Path) -> Iterator[tuple[str, str, str]]:
    """(text, gold label, lang) per row, or an EvaluationError naming the row at fault."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise EvaluationError(f"{path}: cannot read it ({error.strerror or error})") from None
    with handle:
        reader = csv.DictReader(handle)
        columns = [name.strip().lower() for name in reader.fieldnames or []]
        missing = [name for name in ("text", "label") if name not in columns]
        if missing:
            raise EvaluationError(
                f"{path}: missing column(s) {', '.join(missing)}; the header must name "
                "text,label (and optionally lang)"
            )
        reader.fieldnames = columns
        try:
            for index, row in enumerate(reader, start=1):
                where = f"{path}: row {index} (line {reader.line_num})"
                text = (row.get("text") or "").strip()
                raw_label = row.get("label") or ""
                label = gold_label(raw_label)
                if label is None:
                    raise EvaluationError(
                        f"{where}: label {raw_label!r} is not negative, neutral, positive "
                        "or a 1-5 star rating"
                    )
                if not text:
                    raise EvaluationError(f"{where}: empty text")
                yield text, label, (row.get("lang") or "").strip()
        except csv.Error as error:
            raise EvaluationError(f"{path}: line {reader.line_num}: {error}") from None
        except UnicodeDecodeError:
            raise EvaluationError(f"{path}: not UTF-8 text") from None


def measure(pairs: list[tuple[str, str]]) -> Result:
    """Accuracy, macro-F1 over the gold classes present, and the complaint balanced accuracy."""
    confusion = {gold: dict.fromkeys(PREDICTED, 0) for gold in LABELS}
    for gold, predicted in pairs:
        confusion[gold][predicted] += 1
    correct = sum(confusion[label][label] for label in LABELS)
    f1s = []
    for label in LABELS:
        gold_total = sum(confusion[label].values())
        predicted_total = sum(confusion[gold][label] for gold in LABELS)
        if not gold_total:
            continue
        hits = confusion[label][label]
        precision = hits / predicted_total if predicted_total else 0.0
        recall = hits / gold_total
        f1s.append(2 * precision * recall / (precision + recall) if hits else 0.0)
    negatives = sum(confusion[NEGATIVE].values())
    positives = sum(confusion[POSITIVE].values())
    balanced = None
    if negatives and positives:
        caught = confusion[NEGATIVE][NEGATIVE] / negatives
        spared = 1 - confusion[POSITIVE][NEGATIVE] / positives
        balanced = (caught + spared) / 2
    return Result(
        count=len(pairs),
        accuracy=correct / len(pairs),
        macro_f1=sum(f1s) / len(f1s),
        negative_balanced_accuracy=balanced,
        confusion=confusion,
    )


def render(evaluation: Evaluation) -> str:
    """A plain-text report for the terminal."""
    lines = [
        f"{evaluation.path}: thresholds negative < {evaluation.negative_below}, "
        f"positive > {evaluation.positive_above}",
        "analyzers: "
        + ", ".join(f"{name} ({count})" for name, count in sorted(evaluation.analyzers.items())),
        "",
        f"{'lang':<6} {'rows':>6} {'accuracy':>9} {'macro-F1':>9} {'neg-bal-acc':>12}",
    ]
    for group, result in _ordered(evaluation.results):
        balanced = (
            f"{result.negative_balanced_accuracy:.3f}"
            if result.negative_balanced_accuracy is not None
            else "-"
        )
        lines.append(
            f"{group:<6} {result.count:>6} {result.accuracy:>9.3f} {result.macro_f1:>9.3f} "
            f"{balanced:>12}"
        )
    for group, result in _ordered(evaluation.results):
        lines += ["", f"confusion ({group}): rows gold, columns predicted"]
        lines.append(f"{'':<10}" + "".join(f"{label:>10}" for label in PREDICTED))
        for gold in LABELS:
            counts = result.confusion[gold]
            lines.append(f"{gold:<10}" + "".join(f"{counts[label]:>10}" for label in PREDICTED))
    lines += [
        "",
        "neg-bal-acc: (gold negatives labelled negative + gold positives not labelled negative)/2",
    ]
    return "\n".join(lines)


def _ordered(results: dict[str, Result]) -> list[tuple[str, Result]]:
    return sorted(results.items(), key=lambda item: (item[0] == ALL, item[0]))


def to_json(evaluation: Evaluation) -> dict:
    """The evaluation as JSON-ready data (rounded figures, confusion matrices as nested dicts)."""

    def figures(result: Result) -> dict:
        balanced = result.negative_balanced_accuracy
        return {
            "rows": result.count,
            "accuracy": round(result.accuracy, 4),
            "macro_f1": round(result.macro_f1, 4),
            "negative_balanced_accuracy": None if balanced is None else round(balanced, 4),
            "confusion": result.confusion,
        }

    return {
        "path": evaluation.path,
        "thresholds": {
            "negative_below": evaluation.negative_below,
            "positive_above": evaluation.positive_above,
        },
        "analyzers": evaluation.analyzers,
        "languages": {group: figures(result) for group, result in _ordered(evaluation.results)},
    }
