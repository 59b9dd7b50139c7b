"""Sentiment benchmark on the labeled development data in ../shared/data (beside the repo).

For each data file it prints the metric that matters for a monitor, the balanced accuracy of
"labelled negative" versus "not labelled negative" on texts whose gold label is negative or
positive, for TextBlob alone and for the project's analyzer (language detection included), plus
3-class macro-F1 where the file has neutral texts, language-detection accuracy, and the
throughput of `crawler.sentiment.score()` on one core (CPU time: a first reading of the texts,
and the median of several more).

    python bench/sentiment.py            # the figures
    python bench/sentiment.py --sweep    # how the default thresholds were chosen

The data is for measuring only: nothing here is copied into the project or trained on it.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawler.sentiment import (  # noqa: E402
    NEGATIVE,
    NEGATIVE_BELOW,
    NEUTRAL,
    POSITIVE,
    POSITIVE_ABOVE,
    Scorer,
    analyzer_for,
    detect_language,
    label_for_score,
    score,
)
from crawler.sentiment.evaluate import measure  # noqa: E402

DATA = REPO / ".." / "shared" / "data"
SAMPLE_SEED = 2020  # which >= 4-star reviews stand beside the <= 2-star ones


@dataclass
class Dataset:
    name: str
    lang: str
    rows: list[tuple[str, str]]  # (text, gold label)
    binary: bool  # True when only negatives and positives are in it


def _stars(value: int) -> str:
    return NEGATIVE if value <= 2 else NEUTRAL if value == 3 else POSITIVE


def load_datasets(folder: Path) -> list[Dataset]:
    datasets = []
    reviews = folder / "it-reviews-amazon-dev.ndjson"
    if reviews.exists():
        rows = [json.loads(line) for line in reviews.read_text(encoding="utf-8").splitlines()]
        rows = [(row["sentence"], _stars(int(row["score"]))) for row in rows]
        negatives = [row for row in rows if row[1] == NEGATIVE]
        positives = [row for row in rows if row[1] == POSITIVE]
        sample = random.Random(SAMPLE_SEED).sample(positives, len(negatives))
        datasets.append(
            Dataset("it-reviews-amazon (<=2 vs >=4 stars)", "it", negatives + sample, True)
        )
        datasets.append(Dataset("it-reviews-amazon (all, 3 classes)", "it", rows, False))
    for split in ("train", "val"):
        texts = folder / f"it-tweets-sentipolc-{split}_text.txt"
        labels = folder / f"it-tweets-sentipolc-{split}_labels.txt"
        if texts.exists() and labels.exists():
            names = {"0": NEGATIVE, "1": NEUTRAL, "2": POSITIVE}
            rows = list(
                zip(
                    texts.read_text(encoding="utf-8").splitlines(),
                    [names[value.strip()] for value in labels.read_text().splitlines()],
                    strict=True,
                )
            )
            datasets.append(Dataset(f"it-tweets-sentipolc-{split}", "it", rows, False))
    for name in ("yelp", "amazon"):
        path = folder / f"en-{name}-uci_labelled.txt"
        if path.exists():
            rows = []
            for line in path.read_text(encoding="utf-8").splitlines():
                text, _, value = line.rpartition("\t")
                if text.strip():
                    rows.append((text.strip(), NEGATIVE if value.strip() == "0" else POSITIVE))
            datasets.append(Dataset(f"en-{name}-uci", "en", rows, True))
    return datasets


def textblob_polarity() -> Callable[[str], float]:
    from textblob import TextBlob

    return lambda text: TextBlob(text).sentiment.polarity


def negative_balanced_accuracy(rows: list[tuple[str, str]], labels: list[str]) -> float:
    pairs = [(gold, got) for (_, gold), got in zip(rows, labels, strict=True) if gold != NEUTRAL]
    result = measure(pairs)
    assert result.negative_balanced_accuracy is not None
    return result.negative_balanced_accuracy


def report(datasets: list[Dataset], runs: int) -> None:
    speed = throughput(datasets, runs)  # first: the texts are new to the scorer only once
    blob = textblob_polarity()
    print(
        f"thresholds: negative < {NEGATIVE_BELOW}, positive > {POSITIVE_ABOVE} "
        "(same for TextBlob); neg-bal-acc on gold negative + positive texts\n"
    )
    header = (
        f"{'data file':<40} {'rows':>5} {'TextBlob':>9} {'project':>8} "
        f"{'caught':>7} {'spared':>7} {'macro-F1':>9} {'lang ok':>8}"
    )
    print(header)
    print("-" * len(header))
    for dataset in datasets:
        rows = dataset.rows
        blob_labels = [label_for_score(blob(text)) for text, _ in rows]
        judged = [score(text) for text, _ in rows]
        labels = [s.label for s in judged]
        polar = [
            (gold, got) for (_, gold), got in zip(rows, labels, strict=True) if gold != NEUTRAL
        ]
        negatives = [got for gold, got in polar if gold == NEGATIVE]
        positives = [got for gold, got in polar if gold == POSITIVE]
        caught = sum(got == NEGATIVE for got in negatives) / len(negatives)
        spared = sum(got != NEGATIVE for got in positives) / len(positives)
        macro = (
            "-"
            if dataset.binary
            else f"{measure(list(zip([g for _, g in rows], labels, strict=True))).macro_f1:.3f}"
        )
        lang_ok = sum(s.lang == dataset.lang for s in judged) / len(judged)
        print(
            f"{dataset.name:<40} {len(rows):>5} "
            f"{negative_balanced_accuracy(rows, blob_labels):>9.3f} "
            f"{negative_balanced_accuracy(rows, labels):>8.3f} "
            f"{caught:>7.3f} {spared:>7.3f} {macro:>9} {lang_ok:>8.3f}"
        )
    print(
        "\ncaught: gold negatives labelled negative; spared: gold positives not labelled "
        "negative;\nmacro-F1 over negative/neutral/positive where the file has neutral texts; "
        "lang ok: detected language right"
    )
    print(speed)


def throughput(datasets: list[Dataset], runs: int) -> str:
    """Texts per CPU second, on the first reading of each text and the median of the readings
    after it: the tokenizer remembers the chunks of text it has seen, so words seen before cost
    less (a crawl meets new texts made mostly of words it has seen)."""
    distinct = {text: d.lang for d in datasets for text, _ in d.rows}
    items = list(distinct.items())
    chars = statistics.mean(len(text) for text, _ in items)
    runs = max(runs, 2)

    def rate(function: Callable[[str, str], object]) -> str:
        timings = []
        for _ in range(runs):
            start = time.process_time()
            for text, lang in items:
                function(text, lang)
            timings.append(time.process_time() - start)
        first, again = len(items) / timings[0], len(items) / statistics.median(timings[1:])
        return f"{first:>8,.0f} on a first reading, {again:>8,.0f} on the next"

    score("warm up")  # the language model and the analyzers load
    return (
        f"\nthroughput on {len(items)} distinct texts (mean {chars:.0f} chars), one core, CPU "
        f"time, median of the {runs - 1} runs after the first:\n"
        f"  score(text), language detected: {rate(lambda t, _: score(t))} mentions/s\n"
        f"  score(text, lang) given:        {rate(score)} mentions/s (words seen above)\n"
        f"  detect_language(text) alone:    {rate(lambda t, _: detect_language(t))} texts/s"
    )


def sweep(datasets: list[Dataset]) -> None:
    """Balanced accuracy and macro-F1 over a grid of thresholds, scores computed once."""
    scored = []
    for dataset in datasets:
        analyzer = analyzer_for(dataset.lang)
        assert analyzer is not None
        scored.append((dataset, [(analyzer.polarity(t), g) for t, g in dataset.rows]))
    print("mean over files: neg-bal-acc on the binary views, macro-F1 on the 3-class files")
    print(f"{'negative_below':>15} {'positive_above':>15} {'neg-bal-acc':>12} {'macro-F1':>9}")
    for low in (-0.3, -0.2, -0.15, -0.1, -0.05, -0.02):
        for high in (0.02, 0.05, 0.1, 0.15, 0.2, 0.3):
            scorer = Scorer(low, high)
            balanced, macro = [], []
            for dataset, pairs in scored:
                labels = [
                    (g, label_for_score(s, scorer.negative_below, scorer.positive_above))
                    for s, g in pairs
                ]
                result = measure(labels)
                if dataset.binary:
                    balanced.append(result.negative_balanced_accuracy)
                else:
                    macro.append(result.macro_f1)
            print(
                f"{low:>15} {high:>15} {statistics.mean(balanced):>12.3f} "
                f"{statistics.mean(macro):>9.3f}"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", action="store_true", help="sweep the label thresholds")
    parser.add_argument(
        "--runs", type=int, default=5, help="timing runs (the first and the median of the others)"
    )
    parser.add_argument("--data", type=Path, default=DATA, help="folder of the labeled data")
    options = parser.parse_args()
    folder = options.data.resolve()
    datasets = load_datasets(folder) if folder.is_dir() else []
    if not datasets:
        print(f"no development data in {folder}: nothing to measure (see shared/data/README.md)")
        return 0
    if options.sweep:
        sweep(datasets)
    else:
        report(datasets, options.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
