"""The demo site's dates are written relative to the day it is served."""

from __future__ import annotations

from datetime import datetime

import pytest

from crawler.demo.placeholders import ROME, PlaceholderError, moment, render

NOW = datetime(2024, 3, 15, 10, 0, tzinfo=ROME)  # a Friday


def fill(text: str, now: datetime = NOW) -> str:
    return render(text, now=now, base_url="http://127.0.0.1:8123", external_url="http://x:8123")


@pytest.mark.parametrize(
    ("placeholder", "expected"),
    [
        ("@@date|-3d@17:31|iso@@", "2024-03-12T17:31:00+01:00"),
        ("@@date|-3d@17:31|day@@", "2024-03-12"),
        ("@@date|-3d@17:31|rfc822@@", "Tue, 12 Mar 2024 17:31:00 +0100"),
        ("@@date|-3d@17:31|dotted@@", "12.03.24 17:31"),
        ("@@date|-3d@17:31|numeric@@", "12/03/2024"),
        ("@@date|-3d@17:31|it_long@@", "martedì 12 marzo 2024"),
        ("@@date|-3d@17:31|it_day@@", "12 marzo 2024"),
        ("@@date|-3d@17:31|it_time@@", "12 marzo 2024 17:31"),
        ("@@date|-3d@17:31|it_alle@@", "12 marzo 2024 alle 17:31"),
        ("@@date|-3d@17:31|en_day@@", "March 12, 2024"),
        ("@@date|-3d@17:31|en_time@@", "March 12, 2024 at 5:31 pm"),
        ("@@date|-3d@09:05|en_time@@", "March 12, 2024 at 9:05 am"),
        ("@@date|-3d@17:31|year@@", "2024"),
        ("@@date|-5h|iso@@", "2024-03-15T05:00:00+01:00"),
        ("@@date|-26h30m|iso@@", "2024-03-14T07:30:00+01:00"),
        ("@@date|-60d@08:00|it_long@@", "lunedì 15 gennaio 2024"),
    ],
)
def test_each_format_writes_the_date_as_pages_write_it(placeholder: str, expected: str) -> None:
    assert fill(placeholder) == expected


def test_the_base_and_external_urls_are_filled_in() -> None:
    text = "<loc>@@base@@/blog/</loc> <a href='@@external@@/x'>"
    assert fill(text) == "<loc>http://127.0.0.1:8123/blog/</loc> <a href='http://x:8123/x'>"


def test_days_keep_their_clock_time_across_a_change_to_summer_time() -> None:
    after_switch = datetime(2024, 4, 2, 9, 0, tzinfo=ROME)
    assert fill("@@date|-3d@17:31|iso@@", after_switch) == "2024-03-30T17:31:00+01:00"


def test_hours_are_real_hours_across_a_change_to_summer_time() -> None:
    # 31 March 2024: clocks went from 02:00 to 03:00; nine real hours before 10:00 is 00:00.
    morning = datetime(2024, 3, 31, 10, 0, tzinfo=ROME)
    assert fill("@@date|-9h|iso@@", morning) == "2024-03-31T00:00:00+01:00"


def test_now_in_another_zone_means_the_same_instant() -> None:
    utc_now = datetime.fromisoformat("2024-03-15T09:00:00+00:00")
    assert fill("@@date|-5h|iso@@", utc_now) == "2024-03-15T05:00:00+01:00"
    assert moment("-1d@12:00", utc_now) == datetime(2024, 3, 14, 12, 0, tzinfo=ROME)


def test_hostile_text_that_looks_like_a_template_is_left_alone() -> None:
    text = "{{ config }} {% raw %} ${x} @ 12.02.24 17:31 a@b.example"
    assert fill(text) == text


@pytest.mark.parametrize(
    "typo",
    [
        "@@date|-3d|iso@@",  # days need a clock time
        "@@date|+3d@10:00|iso@@",  # no dates in the future
        "@@date|-3d@10:00|isoo@@",
        "@@dates|-3d@10:00|iso@@",
        "@@date|-3d@10:00@@",
        "@@bas@@",
        "@@date|-3d@10:00|iso",
    ],
)
def test_a_typo_in_a_placeholder_is_an_error_not_a_silent_leftover(typo: str) -> None:
    with pytest.raises(PlaceholderError):
        fill(f"<p>{typo}</p>")
