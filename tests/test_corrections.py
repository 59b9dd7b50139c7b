"""The team's label corrections: stored with who and what they replaced, the mention's label from
then on, kept by `rescore` and by a re-crawl, exported as a labeled CSV `evaluate` reads."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from cli_runner import run_cli, write_config

from crawler.config import SentimentConfig
from crawler.corrections import correct_label, iter_corrections, write_corrections
from crawler.items import Mention
from crawler.rescore import rescore_mentions
from crawler.store import iter_mentions, open_engine, upsert_mentions

# Irony the lexicon reads as praise: what a person corrects.
IRONY = "Complimenti davvero, tre ore di attesa per un caffè freddo. Bravissimi!"
PRAISE = "Great sourdough and friendly staff, best bakery in the area."


def comment(url: str, text: str, lang: str, label: str, score: float) -> Mention:
    return Mention(
        brand="Panificio Rossi",
        kind="comment",
        url=url,
        text=text,
        source="blog.example",
        lang=lang,
        label=label,
        score=score,
        analyzer=f"{lang}-lexicon",
        fetched_at=datetime(2026, 11, 1, tzinfo=UTC),
    )


@pytest.fixture
def project(tmp_path):
    write_config(tmp_path, "")
    engine = open_engine(f"sqlite:///{tmp_path / 'passaparola.db'}")
    upsert_mentions(
        engine,
        [
            comment("https://blog.example/a#c1", IRONY, "it", "positive", 0.6),
            comment("https://blog.example/a#c2", PRAISE, "en", "positive", 0.8),
        ],
    )
    return tmp_path, engine


def stored(engine) -> dict[str, dict]:
    return {row["url"].rsplit("#", 1)[1]: row for row in iter_mentions(engine)}


def test_a_correction_becomes_the_label_and_remembers_what_it_replaced(project):
    _, engine = project
    mention = stored(engine)["c1"]["id"]

    change = correct_label(engine, mention[:8], "negative", "Anna")

    assert (change.before, change.label, change.by, change.changed) == (
        "positive",
        "negative",
        "Anna",
        True,
    )
    row = stored(engine)["c1"]
    assert (row["label"], row["label_correction"], row["corrected_from"]) == (
        "negative",
        "negative",
        "positive",
    )
    assert row["corrected_by"] == "Anna" and row["corrected_at"].utcoffset() is not None


def test_a_second_correction_keeps_the_analyzers_label_it_first_replaced(project):
    _, engine = project
    mention = stored(engine)["c1"]["id"]
    correct_label(engine, mention, "negative", "Anna")
    again = correct_label(engine, mention, "negative", "Marco")
    assert not again.changed and again.by == "Anna"
    correct_label(engine, mention, "neutral", "Marco")
    row = stored(engine)["c1"]
    assert (row["label"], row["corrected_from"], row["corrected_by"]) == (
        "neutral",
        "positive",
        "Marco",
    )


def test_an_unknown_mention_or_label_changes_nothing(project):
    _, engine = project
    assert correct_label(engine, "ffffffff", "negative", "Anna") is None
    with pytest.raises(ValueError, match="negative, neutral, positive"):
        correct_label(engine, stored(engine)["c1"]["id"], "unknown", "Anna")
    assert all(row["label_correction"] is None for row in stored(engine).values())


def test_rescore_renews_the_score_but_never_the_corrected_label(project):
    _, engine = project
    mention = stored(engine)["c1"]["id"]
    correct_label(engine, mention, "negative", "Anna")

    result = rescore_mentions(engine, SentimentConfig())

    assert result.scored == 2
    row = stored(engine)["c1"]
    assert row["label"] == "negative" and row["label_correction"] == "negative"
    assert row["score"] != 0.6  # the analyzer's own score, recomputed
    assert stored(engine)["c2"]["label"] == "positive"


def test_the_rescore_command_keeps_corrections_too(project):
    folder, engine = project
    correct_label(engine, stored(engine)["c1"]["id"], "negative", "Anna")
    run_cli("rescore", cwd=folder)
    assert stored(engine)["c1"]["label"] == "negative"


def test_a_recrawl_with_edited_text_keeps_the_correction(project):
    _, engine = project
    correct_label(engine, stored(engine)["c1"]["id"], "negative", "Anna")
    edited = comment("https://blog.example/a#c1", IRONY + " Mai più.", "it", "positive", 0.4)
    assert upsert_mentions(engine, [edited]).updated == 1
    row = stored(engine)["c1"]
    assert (row["label"], row["score"], row["text"]) == ("negative", 0.4, IRONY + " Mai più.")


def test_corrections_export_as_the_csv_evaluate_reads(project):
    folder, engine = project
    for key, label in (("c1", "negative"), ("c2", "neutral")):
        correct_label(engine, stored(engine)[key]["id"], label, "Anna")

    result = run_cli("export", "--corrections", "-o", "corrections.csv", cwd=folder)

    assert "exported 2 label corrections" in result.stderr
    with (folder / "corrections.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows == [
        {"text": IRONY, "label": "negative", "lang": "it"},
        {"text": PRAISE, "label": "neutral", "lang": "en"},
    ]
    run_cli("evaluate", "corrections.csv", "--json", "figures.json", cwd=folder)
    figures = json.loads((folder / "figures.json").read_text(encoding="utf-8"))["languages"]
    assert (figures["all"]["rows"], figures["it"]["rows"], figures["en"]["rows"]) == (2, 1, 1)
    # The analyzer read the irony as praise: the correction is what it is measured against.
    assert figures["it"]["confusion"]["negative"]["positive"] == 1


def test_corrections_export_refuses_options_that_do_not_apply(project):
    folder, _ = project
    result = run_cli("export", "--corrections", "--format", "xlsx", cwd=folder, check=False)
    assert result.returncode == 2
    assert "--corrections writes every correction as text,label,lang CSV" in result.stderr


def test_a_post_is_exported_with_the_title_the_analyzer_read(tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path / 'store.db'}")
    post = Mention(
        brand="Panificio Rossi",
        kind="post",
        url="https://blog.example/p",
        title="Delusione",
        text="Il pane era raffermo.",
        lang="it",
        label="neutral",
        score=0.0,
    )
    upsert_mentions(engine, [post])
    correct_label(engine, next(iter_mentions(engine))["id"], "negative", "Anna")
    stream = io.StringIO()
    assert write_corrections(iter_corrections(engine), stream) == 1
    assert list(csv.reader(io.StringIO(stream.getvalue()))) == [
        ["text", "label", "lang"],
        ["Delusione\nIl pane era raffermo.", "negative", "it"],
    ]
