"""Dates as pages write them, read in the page's own languages and numeric order, never
guessed: Italian first, then English, German, French, Spanish and Portuguese."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from crawler.extract.dates import DateReading, month_first_by_evidence
from crawler.extract.html_tree import parse_html
from crawler.extract.page_dates import date_reading_for, page_language

ROME = ZoneInfo("Europe/Rome")
FETCHED = datetime(2024, 6, 1, 12, 0, tzinfo=ROME)
ALL = ("it", "en", "de", "fr", "es", "pt")


def rome(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=ROME)


@pytest.mark.parametrize(
    ("languages", "text", "expected"),
    [
        (("it", "en"), "lunedì 9 luglio 2007 alle ore 15:48", rome(2007, 7, 9, 15, 48)),
        (("it", "en"), "Commento di Mario il 3 marzo 2020 alle 10:00", rome(2020, 3, 3, 10, 0)),
        (("it", "en"), "Risposta di Anna — 12 ott 2023, 18.05", rome(2023, 10, 12, 18, 5)),
        (("it", "en"), "Inviato da: Bea @ 16.02.04 20:35", rome(2004, 2, 16, 20, 35)),
        (("it", "en"), "08/04/2019", rome(2019, 4, 8)),
        (("it", "en"), "giovedì, 1° febbraio 2024", rome(2024, 2, 1)),
        (("it", "en"), "March 10, 2017 at 12:20 AM", rome(2017, 3, 10, 0, 20)),
        (("it", "en"), "May 13th, 2024, 03:50 am", rome(2024, 5, 13, 3, 50)),
        (("de", "en"), "Montag, 29. Oktober 2012 um 15:46", rome(2012, 10, 29, 15, 46)),
        (("de", "en"), "3. März 2021", rome(2021, 3, 3)),
        (("fr", "en"), "le lundi 29 octobre 2012 à 15h46", rome(2012, 10, 29, 15, 46)),
        (("fr", "en"), "1er août 2019", rome(2019, 8, 1)),
        (("es", "en"), "28 de agosto de 2018 a las 19:38", rome(2018, 8, 28, 19, 38)),
        (("pt", "en"), "terça-feira, agosto 28, 2018, 7:38 pm", rome(2018, 8, 28, 19, 38)),
        (("pt", "en"), "3 de dezembro de 2020 às 9:05", rome(2020, 12, 3, 9, 5)),
        (ALL, "於 2013/12/28 10:28", rome(2013, 12, 28, 10, 28)),
        (ALL, "2022 年 5 月 7 日 11:00", rome(2022, 5, 7, 11, 0)),
    ],
)
def test_dates_in_the_pages_languages(languages, text, expected):
    assert DateReading(languages)(text) == expected


def test_the_pages_language_chooses_the_month_names():
    assert DateReading(("de", "en"))("29. Oktober 2012") == rome(2012, 10, 29)
    assert DateReading(("it", "en"))("29. Oktober 2012") is None


@pytest.mark.parametrize(
    ("text", "month_first", "expected"),
    [
        ("7/2/2015, 12:08:18 PM", True, rome(2015, 7, 2, 12, 8, 18)),
        ("7/2/2015, 12:08:18 PM", False, rome(2015, 2, 7, 12, 8, 18)),
        ("03/12/15 03:28 PM", True, rome(2015, 3, 12, 15, 28)),
        # Only one reading is a date: it is taken whatever the page's order.
        ("5/21/2024 4:47:57 AM (No. 1721835)", False, rome(2024, 5, 21, 4, 47, 57)),
        ("21/5/2024", True, rome(2024, 5, 21)),
    ],
)
def test_numeric_dates_are_day_first_unless_the_page_is_american(text, month_first, expected):
    assert DateReading(("en",), month_first=month_first)(text) == expected


@pytest.mark.parametrize(
    "text",
    ["3 minuti", "5 min read", "Lettura: 4 minuti", "12 min", "2 ore", "Letto 3.409 volte"],
)
def test_a_duration_or_a_counter_is_never_a_date(text):
    assert DateReading(ALL, relative_to=FETCHED)(text) is None


@pytest.mark.parametrize(
    ("languages", "text", "back"),
    [
        (("it", "en"), "2 ore fa", timedelta(hours=2)),
        (("it", "en"), "un'ora fa", timedelta(hours=1)),
        (("it", "en"), "3 giorni fa", timedelta(days=3)),
        (("it", "en"), "2 hours ago", timedelta(hours=2)),
        (("it", "en"), "2 weeks ago", timedelta(days=14)),
        (("de", "en"), "vor 2 Stunden", timedelta(hours=2)),
        (("fr", "en"), "il y a 3 jours", timedelta(days=3)),
        (("es", "en"), "Hace 28 minutos", timedelta(minutes=28)),
        (("es", "en"), "Hace una hora", timedelta(hours=1)),
        (("pt", "en"), "há 5 dias", timedelta(days=5)),
    ],
)
def test_relative_dates_count_back_from_the_fetch_time(languages, text, back):
    assert DateReading(languages, relative_to=FETCHED)(text) == FETCHED - back


def test_relative_dates_mean_nothing_without_a_fetch_time():
    assert DateReading(("it", "en"))("2 ore fa") is None


def test_yesterday_takes_its_time():
    reading = DateReading(("it", "en"), relative_to=FETCHED)
    assert reading("ieri alle 10:15") == rome(2024, 5, 31, 10, 15)
    assert DateReading(("pt", "en"), relative_to=FETCHED)("1 ano atrás") == rome(2023, 6, 1, 12)


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        ("Jun 20th", rome(2024, 6, 1), rome(2023, 6, 20)),
        ("May 2", rome(2024, 6, 1), rome(2024, 5, 2)),
        ("12 dicembre", rome(2024, 1, 10), rome(2023, 12, 12)),
        ("2 giugno alle 9:30", rome(2024, 6, 2, 12), rome(2024, 6, 2, 9, 30)),
    ],
)
def test_a_date_without_a_year_takes_the_nearest_year_before_the_page(text, anchor, expected):
    assert DateReading(("it", "en"), year_anchor=anchor)(text) == expected
    assert DateReading(("it", "en"), relative_to=anchor)(text) == expected
    assert DateReading(("it", "en"))(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "2016-07-28 13:42:44Z, License: CC BY-SA 3.0",
            datetime(2016, 7, 28, 13, 42, 44, tzinfo=UTC),
        ),
        (
            "2024-05-05T19:21:30-0400",
            datetime(2024, 5, 5, 19, 21, 30, tzinfo=timezone(-timedelta(hours=4))),
        ),
        ("Tue, 10 Jun 2003 04:00:00 GMT", datetime(2003, 6, 10, 4, 0, tzinfo=UTC)),
        ("2024-05-05 19:21", rome(2024, 5, 5, 19, 21)),
        ("12.02.04 17:31", rome(2004, 2, 12, 17, 31)),
    ],
)
def test_offsets_and_z_are_kept_and_local_times_take_the_configured_zone(text, expected):
    found = DateReading(("it", "en"))(text)
    assert found == expected
    assert found.utcoffset() == expected.utcoffset()


def test_local_times_take_the_configured_zone():
    found = DateReading(("it", "en"), default_tz="America/New_York")("3 marzo 2020 alle 10:00")
    assert found == datetime(2020, 3, 3, 10, 0, tzinfo=ZoneInfo("America/New_York"))


@pytest.mark.parametrize("text", ["il giorno della merla", "comment_date", "2024", "1651892445000"])
def test_texts_without_a_date_give_none(text):
    assert DateReading(ALL, relative_to=FETCHED)(text) is None


@pytest.mark.parametrize("text", ["1850", "© 2018", "2013 -", "(1999)", "#2024"])
def test_a_year_alone_is_no_date_as_dateparser_would_say_too(text):
    import dateparser

    for month_first in (False, True):
        reading = DateReading(ALL, month_first, relative_to=FETCHED)
        settings = {
            "DATE_ORDER": "MDY" if month_first else "DMY",
            "PREFER_DAY_OF_MONTH": "first",
            "RETURN_AS_TIMEZONE_AWARE": True,
            "TIMEZONE": reading.default_tz,
            "REQUIRE_PARTS": ["day", "month", "year"],
            "PARSERS": ["absolute-time", "custom-formats"],
        }
        assert reading(text) is None
        assert dateparser.parse(text, languages=list(ALL), settings=settings) is None


@pytest.mark.parametrize(
    ("head", "language", "region"),
    [
        ('<html lang="it-IT">', "it", "IT"),
        ('<html lang="en-US">', "en", "US"),
        ('<html><meta property="og:locale" content="en_US">', "en", "US"),
        ('<html lang="pt-br">', "pt", "BR"),
        ('<html><meta http-equiv="Content-Language" content="de">', "de", None),
    ],
)
def test_the_page_says_its_language(head, language, region):
    root = parse_html(f"{head}<body><p>Testo</p></body></html>")
    found = page_language(root)
    assert (found.language, found.region) == (language, region)


def test_an_undeclared_page_is_read_in_the_language_of_its_text():
    text = "Il pane del forno era buonissimo, ci torneremo sicuramente con tutta la famiglia."
    found = page_language(parse_html(f"<html><body><p>{text}</p></body></html>"))
    assert found.language == "it"
    assert found.date_languages == ("it", "en")


def test_american_pages_read_numeric_dates_month_first():
    root = parse_html('<html lang="en-US"><body><p>Posted 7/2/2015</p></body></html>')
    assert date_reading_for(root)("7/2/2015") == rome(2015, 7, 2)
    british = parse_html('<html lang="en-GB"><body><p>Posted 7/2/2015</p></body></html>')
    assert date_reading_for(british)("7/2/2015") == rome(2015, 2, 7)


def test_a_page_whose_own_dates_can_only_be_month_first_is_read_so():
    html = "<html><body><p>7/2/2015, 12:08 PM</p><p>7/21/2015, 9:00 AM</p></body></html>"
    assert date_reading_for(parse_html(html))("7/2/2015") == rome(2015, 7, 2)
    assert month_first_by_evidence("1/2/2015 and 13/2/2015") is False
    assert month_first_by_evidence("1/2/2015 and 2/13/2015") is True
    assert month_first_by_evidence("1/2/2015") is None


def test_the_numeric_dates_of_a_long_text_count_wherever_they_are():
    prose = "Il forno apre alle 7.30, la focaccia costa 3.50 euro e il pane 2,80. " * 200
    assert month_first_by_evidence(prose) is None  # times and prices are no dates
    assert month_first_by_evidence(prose + "Aggiornato il 5/21/2024.") is True
    assert month_first_by_evidence("Versione 1.2.3 del 21/5/2024") is False
    assert month_first_by_evidence("Rif. 10/5/21/2024/11") is None  # a run of digits and slashes
    assert month_first_by_evidence("115/21/2024 e 05/21/2024") is True


def test_the_pages_modification_time_anchors_year_less_dates():
    html = (
        '<html lang="en"><head><meta property="article:modified_time"'
        ' content="2019-03-01T10:00:00+00:00"></head><body><p>x</p></body></html>'
    )
    reading = date_reading_for(parse_html(html), fetched_at=FETCHED)
    assert reading("Jun 20th") == rome(2018, 6, 20)
