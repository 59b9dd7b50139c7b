"""The analysis quality page: the text analyzer measured against this project's own stars."""

from __future__ import annotations

from collections import Counter

import lxml.html
import pytest

from crawler.items import Mention
from crawler.report import build_report
from crawler.report.quality import MIN_REVIEWS, agreement
from crawler.sentiment.labels import label_for_rating, label_for_score
from crawler.store import iter_mentions, open_engine, upsert_mentions

from .store_fixtures import ROSSI, project

LABELS = ("negative", "neutral", "positive")


def test_balanced_accuracy_is_the_mean_recall_over_the_star_classes_present():
    counts = Counter(
        {
            ("negative", "negative"): 8,
            ("negative", "neutral"): 2,  # 8 of 10 complaints read right
            ("positive", "positive"): 30,
            ("positive", "negative"): 10,  # 30 of 40 praises read right
        }
    )
    result = agreement("it", counts)
    assert result.count == 50 and result.classes == 2
    assert result.balanced_accuracy == pytest.approx((0.8 + 0.75) / 2)
    assert result.confusion["neutral"] == {"negative": 0, "neutral": 0, "positive": 0}
    assert result.enough


@pytest.mark.parametrize(
    ("counts", "why"),
    [
        ({("negative", "negative"): MIN_REVIEWS - 5, ("positive", "positive"): 4}, "too few"),
        ({("positive", "positive"): 200}, "one star class: nothing to tell apart"),
    ],
)
def test_a_figure_on_too_little_is_flagged(counts, why):
    assert not agreement("en", Counter(counts)).enough, why


def expected_agreement(built) -> dict[str, Counter]:
    """What the page must say, recomputed from the store with the analyzer's own rules."""
    thresholds = built.store.config.sentiment
    by_lang: dict[str, Counter] = {}
    for row in iter_mentions(built.store.engine):
        if row["rating"] is None or row["score"] is None:
            continue
        gold = label_for_rating(row["rating"])
        got = label_for_score(row["score"], thresholds.negative_below, thresholds.positive_above)
        by_lang.setdefault(row["lang"] or "?", Counter())[gold, got] += 1
    return by_lang


def test_the_quality_page_counts_what_the_store_holds_per_language(built):
    page = lxml.html.fromstring((built.site / "quality.html").read_bytes())
    expected = expected_agreement(built)
    assert expected, "the fixture store has star-rated reviews with a text score"
    rows = {
        tr.get("data-lang"): tr
        for tr in page.xpath('//table[@class="pp-agreement"]//tr[@data-lang]')
    }
    assert set(rows) == {*expected, "all"}
    for lang, counts in expected.items():
        assert int(rows[lang].get("data-count")) == sum(counts.values())
        (table,) = page.xpath(f'//table[@class="pp-confusion"][@data-lang="{lang}"]')
        for gold in LABELS:
            cells = table.xpath(f'.//tr[@data-stars="{gold}"]/td')
            assert [int(c.text_content()) for c in cells] == [counts[gold, got] for got in LABELS]
        result = agreement(lang, counts)
        shown = rows[lang].xpath("./td")[2].text_content()
        assert shown.startswith(f"{round(result.balanced_accuracy * 100)}%")
        assert ("dato poco affidabile" in shown) == (not result.enough)
    assert int(rows["all"].get("data-count")) == sum(sum(c.values()) for c in expected.values())


def test_the_quality_page_says_plainly_when_there_are_too_few(tmp_path):
    config = project(tmp_path, brands=(ROSSI,))
    engine = open_engine(config.database_url)
    reviews = [
        Mention(
            brand=ROSSI,
            kind="review",
            url=f"https://recensioni.example.it/r/{n}",
            text=text,
            source="recensioni.example.it",
            rating=rating,
            lang="it",
            score=score,
            label="positive",
            analyzer="it-lexicon",
        )
        for n, (text, rating, score) in enumerate(
            [("Buonissimo, torneremo", 1.0, 0.7), ("Ottimo pane", 0.75, 0.5)]
        )
    ]
    upsert_mentions(engine, reviews)
    build_report(config, engine, strict=True)

    page = lxml.html.fromstring((config.path("site") / "quality.html").read_bytes())
    text = " ".join(page.text_content().split())
    assert "Su 2 recensioni con stelle." in text
    assert f"Troppo poche per una misura affidabile: ne servono almeno {MIN_REVIEWS}" in text
    (row,) = page.xpath('//table[@class="pp-agreement"]//tr[@data-lang]')
    assert row.get("data-enough") == "false" and "dato poco affidabile" in row.text_content()
    assert "Nessuna etichetta corretta finora." in text


def test_every_page_links_the_quality_page(built):
    home = lxml.html.fromstring((built.site / "index.html").read_bytes())
    links = [a for a in home.iter("a") if a.get("href", "").endswith("quality.html")]
    assert links and "Qualità dell" in links[0].text_content()
