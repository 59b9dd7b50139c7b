"""How extracted items are scored against the corpus answer key (bench and corpus test share it)."""

from __future__ import annotations

from datetime import UTC, datetime

from crawler.extract.answer_key import (
    Found,
    count_doubles,
    same_author,
    same_day,
    same_rating,
    score_page,
)

FIRST = "Il pane del Panificio Rossi è ottimo, ci vado ogni mattina alle sette"


def answer(kind: str = "forum", **expected: int) -> dict:
    items = [
        {
            "kind": "post",
            "index": 0,
            "author": "Mario Rossi",
            "date_iso": "2024-03-01",
            "text_start": FIRST[:60],
        },
        {
            "kind": "post",
            "index": 1,
            "author": "Giulia",
            "date_iso": "2024-03-02T23:30:00-05:00",
            "text_start": "Giulia wrote: quoted words of the first post that we strip",
        },
    ]
    counts = {"comments": 0, "forum_posts": 2, "reviews": 0, **expected}
    return {"file": "99-example-it-forum.html", "kind": kind, "expected": counts, "items": items}


def test_authors_compare_as_words() -> None:
    assert same_author("Michelle @ Sally's Baking", "michelle sally s baking")
    assert not same_author("Mario Rossi", "Mario Rossi dice:")
    assert same_author(None, "")
    assert same_author("Anonymous", None)  # a placeholder is no name


def test_dates_compare_in_the_keys_offset_or_the_crawl_zone() -> None:
    # 23:30 in New York is the next day in UTC: the key's own offset decides the day.
    late = datetime(2024, 3, 3, 4, 30, tzinfo=UTC)
    assert same_day("2024-03-02T23:30:00-05:00", late, "Europe/Rome")
    # A date-only key is the day in the zone local times were read in (midnight in Rome).
    assert same_day("2024-03-01", datetime(2024, 2, 29, 23, 0, tzinfo=UTC), "Europe/Rome")
    assert not same_day("2024-03-01", None, "Europe/Rome")
    assert same_day(None, None, "Europe/Rome")  # nothing to check


def test_an_item_is_found_by_its_text_then_by_author_and_date() -> None:
    found = [
        Found(
            "forum",
            FIRST,
            "Mario Rossi",
            datetime(2024, 3, 1, 8, 0, tzinfo=UTC),
        ),
        Found(
            "forum",
            "My own words, without the quote",
            "Giulia",
            datetime(2024, 3, 3, 4, 30, tzinfo=UTC),
        ),
    ]
    score = score_page(answer(), found)
    assert (score.found, score.matched, score.right, score.doubles) == (2, 2, 2, 0)


def test_wrong_author_or_missing_items_are_reported() -> None:
    found = [Found("comment", FIRST, "Rispondi")]
    score = score_page(answer(), found)
    assert (score.matched, score.right) == (1, 0)
    assert len(score.problems) == 2


def test_the_same_words_twice_are_a_double_count() -> None:
    text = "Servizio lento ma cornetti ottimi, tornerò senz'altro la prossima settimana"
    items = [
        Found("comment", text),
        Found("comment", "Mario dice: " + text),
        Found("comment", "Sì"),
    ]
    assert count_doubles(items) == 1
    assert count_doubles([Found("comment", "Grazie!"), Found("comment", "Grazie! Ottimo")]) == 0
    stock = "Punteggio 9, nessuna recensione scritta dal cliente dopo l'acquisto"
    two = [Found("review", stock, "Anna"), Found("review", stock, "Marco")]
    assert count_doubles(two) == 0  # two customers, the same stock words


def test_the_same_short_words_by_different_people_are_not_a_double_count() -> None:
    same = [Found("review", "Ottimo!", "Lia"), Found("review", "Ottimo!", "Ugo")]
    assert count_doubles(same) == 0
    assert count_doubles([*same, Found("review", "Ottimo!", "Lia")]) == 1
    assert count_doubles([Found("review", "Ottimo!", "Lia"), Found("review", "Ottimo!")]) == 1


def test_a_rating_is_checked_on_the_projects_scale() -> None:
    # "4.5/5" in the key is 0.875 stored (1 of 5 stars is 0); best 5 where the key omits it.
    assert same_rating("4.5/5", 0.875) and same_rating("4.5", 0.875)
    assert same_rating("9/10", 8 / 9) and not same_rating("9/10", 0.5)
    assert not same_rating("5/5", None) and same_rating(None, None)


def test_every_item_on_a_trap_page_is_false() -> None:
    score = score_page(answer("trap", forum_posts=0), [Found("review", "x", rating=0.2)])
    assert score.false_on_trap == 1
