"""The Italian report reads as an Italian marketing manager expects: agreement in number, natural
labels, no English or configuration syntax left, scores in words. Each phrase pinned here was
once wrong on the demo."""

from __future__ import annotations

import re
from datetime import UTC

import lxml.html
import pytest

from crawler.report.labels import Words
from crawler.sentiment.labels import tone_of

WORDS = Words("it", UTC)
# What a reader once found on the pages, and must not find again.
NEVER = [
    "Made with",
    "Material for MkDocs",
    "Not found",
    "Dati aggiornati al:",
    "Quota negative",
    "Quota positive",
    "Periodo prima",
    "Sentiment netto",
    "[alerts]",
    "(0 gestite)",
    "(1 gestite)",
]


def page_text(path) -> str:
    tree = lxml.html.fromstring(path.read_bytes())
    for hidden in tree.xpath("//script | //style | //svg"):
        hidden.getparent().remove(hidden)
    return " ".join(tree.text_content().split())


def test_no_page_says_what_a_reader_once_stumbled_on(built):
    for path in sorted(built.site.rglob("*.html")):
        text = page_text(path)
        found = [phrase for phrase in NEVER if phrase in text]
        assert not found, f"{path.relative_to(built.site)}: {found}"


def test_the_footer_and_the_not_found_page_speak_italian(built):
    text = page_text(built.site / "404.html")
    assert "Pagina non trovata" in text and "404 - Not found" not in text
    assert "Ultimo aggiornamento dei dati:" in page_text(built.site / "index.html")


def test_handled_counts_agree_in_number(built):
    text = page_text(built.site / "index.html")
    counts = re.findall(r"\((\d+) gestit([ae])\)|\((nessuna) gestita finora\)", text)
    assert counts
    for number, ending, none in counts:
        assert none or (ending == "a") == (number == "1"), (number, ending)


def test_cards_say_the_tone_in_words_never_a_bare_score(built):
    tree = lxml.html.fromstring((built.site / "index.html").read_bytes())
    metas = [m.text_content() for m in tree.find_class("pp-meta")]
    assert metas
    for meta in metas:
        assert not re.search(r"· [+-]?\d+,\d\d ·", meta), meta
    assert any("tono molto negativo" in meta for meta in metas)


def test_a_chart_bar_of_one_mention_says_it_in_the_singular(built):
    svg = (built.site / "index.html").read_text(encoding="utf-8")
    tips = re.findall(r"<title>[^<]*: (\d+) (\w+)</title></rect>", svg)
    assert tips
    singular = {"negativa", "neutra", "positiva", "valutata"}
    for count, word in tips:
        assert (word in singular) == (count == "1"), (count, word)


@pytest.mark.parametrize(
    ("score", "words"),
    [
        (-0.92, "tono molto negativo"),
        (-0.2, "tono negativo"),
        (0.0, "tono neutro"),
        (0.3, "tono positivo"),
        (0.81, "tono molto positivo"),
    ],
)
def test_a_text_score_is_shown_as_a_tone(score, words):
    assert WORDS.tone(score) == words


def test_the_tone_follows_the_labels_thresholds():
    assert tone_of(-0.04) == "neutral" and tone_of(-0.06) == "negative"
    assert tone_of(0.15) == "neutral" and tone_of(0.16) == "positive"


def test_the_served_form_errors_name_statuses_in_italian():
    assert WORDS.form_status == "scegli uno stato: gestita, ignorata o da gestire"
    assert "handled" not in WORDS.form_status
