"""At a glance, per brand: stars now and before, mentions per source and kind, filters that work.

Every number on the page is recomputed here from the store and compared.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta

import lxml.html
import pytest

from crawler.store import iter_mentions

from .store_fixtures import BIANCHI, ROSSI

KIND_WORDS = {
    "review": "recensione",
    "comment": "commento",
    "post": "articolo",
    "feed": "notizia da feed",
    "page": "pagina",
    "forum": "messaggio nel forum",
}


def page(path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def rows_of(built, brand: str) -> list[dict]:
    rows = [r for r in iter_mentions(built.store.engine) if r["brand"] == brand]
    for row in rows:
        row["when"] = row["published"] or row["first_seen"]
    return rows


def star(rating: float) -> int:
    return 1 + sum(rating >= edge for edge in (0.125, 0.375, 0.625, 0.875))


def periods(built):
    now = built.store.now
    span = timedelta(days=30)
    return (now - span, now), (now - 2 * span, now - span)


def brand_page(built, brand: str) -> lxml.html.HtmlElement:
    slug = {ROSSI: "panificio-rossi", BIANCHI: "forno-bianchi-figli"}[brand]
    return page(built.site / "brands" / f"{slug}.html")


@pytest.mark.parametrize("brand", [ROSSI, BIANCHI])
def test_the_stars_of_the_last_30_days_and_the_30_before_are_the_stores(built, brand):
    rows = rows_of(built, brand)
    (table,) = brand_page(built, brand).xpath('//table[@class="pp-stars"]')
    for column, (start, end) in enumerate(periods(built)):
        rated = [r["rating"] for r in rows if r["rating"] is not None and start <= r["when"] < end]
        assert rated or brand != ROSSI, "the fixture has reviews of Rossi in both periods"
        counts = Counter(star(r) for r in rated)
        for line in table.xpath(".//tr[@data-star]"):
            cell = line.xpath("./td")[column]
            assert int(cell.get("data-value")) == counts[int(line.get("data-star"))]
        if column == 0 and rated:
            average = 1 + 4 * sum(rated) / len(rated)
            (shown,) = [
                p
                for p in page(built.site / "index.html").find_class("pp-rating")
                if p.getparent().get("data-brand") == brand
            ]
            assert float(shown.get("data-value")) == pytest.approx(average)
            assert int(shown.get("data-count")) == len(rated)
            stars = f"★ {average:.1f}".replace(".", ",")
            assert stars in shown.text_content()


@pytest.mark.parametrize("brand", [ROSSI, BIANCHI])
def test_mentions_per_kind_and_per_source_are_the_stores(built, brand):
    rows = rows_of(built, brand)
    (recent_start, end), _ = periods(built)
    tree = brand_page(built, brand)
    by_kind = {
        tr.get("data-kind"): int(tr.xpath('./td[@data-metric="total"]')[0].get("data-value"))
        for tr in tree.xpath('//table[@class="pp-per-kind"]//tr[@data-kind]')
    }
    assert by_kind == Counter(r["kind"] for r in rows)
    by_source = {
        tr.get("data-source"): int(tr.xpath('./td[@data-metric="recent"]')[0].get("data-value"))
        for tr in tree.xpath('//table[@class="pp-per-source"]//tr[@data-source]')
    }
    recent = Counter(r["source_url"] for r in rows if recent_start <= r["when"] < end)
    assert {url: n for url, n in by_source.items() if n} == dict(recent)


def test_every_card_says_what_kind_of_mention_it_is(built):
    for name in ("index.html", "archive/index.html"):
        tree = page(built.site / name)
        for card in tree.xpath('//article[contains(@class, "pp-mention")]'):
            kind = card.get("data-kind")
            meta = card.find_class("pp-meta")[0].text_content()
            assert KIND_WORDS[kind] in meta


def test_net_sentiment_is_gone_in_favour_of_shares_a_person_reads(built):
    for path in built.site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "Sentiment netto" not in text, path.name
    home = page(built.site / "index.html")
    assert "Quota di positive" in home.text_content()


# --- the archive's filters, in Chromium, from file:// ---

FILTERED = """(() => {
  const visible = Array.from(document.querySelectorAll('article.pp-mention'))
    .filter(a => !a.hidden && a.offsetParent !== null);
  return {
    shown: visible.length,
    values: visible.map(a => [a.dataset.label, a.dataset.status, a.dataset.source, a.dataset.kind]),
    count: document.querySelector('.pp-filter-count').textContent,
  };
})()"""


def choose(tab, field: str, value: str) -> None:
    tab.evaluate(
        f"(() => {{ const s = document.querySelector('form.pp-filter select[name={field}]');"
        f" s.value = {json.dumps(value)};"
        " s.dispatchEvent(new Event('change', {bubbles: true})); })()"
    )


def test_the_archive_filters_by_label_status_source_and_kind_offline(built, browser):
    busy = (
        built.site
        / "archive"
        / f"{built.store.busy_month[0]:04d}-{built.store.busy_month[1]:02d}.html"
    )
    tab = browser.open(busy.as_uri())
    total = tab.evaluate("document.querySelectorAll('article.pp-mention').length")
    assert tab.evaluate("!document.querySelector('form.pp-filter').hidden"), "the script shows it"
    assert FILTERED and tab.evaluate(FILTERED)["shown"] == total

    choose(tab, "label", "negative")
    negative = tab.evaluate(FILTERED)
    assert 0 < negative["shown"] < total
    assert {v[0] for v in negative["values"]} == {"negative"}
    assert negative["count"].startswith(f"{negative['shown']} di {total}")

    source = negative["values"][0][2]
    choose(tab, "source", source)
    choose(tab, "kind", negative["values"][0][3])
    narrowed = tab.evaluate(FILTERED)
    assert narrowed["shown"] >= 1
    assert all(v[0] == "negative" and v[2] == source for v in narrowed["values"])

    choose(tab, "status", "ignored")
    assert all(v[1] == "ignored" for v in tab.evaluate(FILTERED)["values"])

    tab.evaluate("document.querySelector('form.pp-filter').reset()")
    tab.wait_for(lambda: tab.evaluate(FILTERED)["shown"] == total, "every card back")
    assert tab.problems() == []
