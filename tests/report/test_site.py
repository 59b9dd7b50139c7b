"""The built site says what the store says, links everything it shows, and works offline."""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import feedparser
import lxml.html
import pytest

from crawler.report.archive import PAGE_SIZE
from crawler.store import iter_mentions

from .store_fixtures import BIANCHI, HOSTILE, ROSSI, hostile_id

SCORED = ("negative", "neutral", "positive")


def page(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def store_rows(built) -> list[dict]:
    rows = list(iter_mentions(built.store.engine))
    for row in rows:
        row["when"] = row["published"] or row["first_seen"]
        judged = row["score"] is not None or row["rating"] is not None
        row["bucket"] = row["label"] if row["label"] in SCORED and judged else "unknown"
    return rows


def figures_from_store(rows: list[dict], brand: str, start, end) -> dict:
    inside = [r for r in rows if r["brand"] == brand and start <= r["when"] < end]
    labels = Counter(r["bucket"] for r in inside)
    scored = sum(labels[label] for label in SCORED)
    return {
        "mentions": len(inside),
        "negative_share": labels["negative"] / scored if scored else None,
        "positive_share": labels["positive"] / scored if scored else None,
    }


def metric(summary: lxml.html.HtmlElement, name: str, period: int | None = None) -> float | None:
    query = f'.//*[@data-metric="{name}"]' + (f'[@data-period="{period}"]' if period else "")
    (cell,) = summary.xpath(query)
    value = cell.get("data-value")
    return None if value == "" else float(value)


def brand_summary(home: lxml.html.HtmlElement, brand: str) -> lxml.html.HtmlElement:
    (summary,) = [el for el in home.find_class("pp-brand-summary") if el.get("data-brand") == brand]
    return summary


# --- the home page ---


@pytest.mark.parametrize("brand", [ROSSI, BIANCHI])
def test_home_figures_equal_what_the_store_says(built, brand):
    rows = store_rows(built)
    now = built.store.now
    summary = brand_summary(page(built.site / "index.html"), brand)
    for days in (7, 30):
        span = timedelta(days=days)
        current = figures_from_store(rows, brand, now - span, now)
        before = figures_from_store(rows, brand, now - 2 * span, now - span)
        assert current["mentions"] > 0
        for name in ("mentions", "negative_share", "positive_share"):
            assert metric(summary, name, days) == pytest.approx(current[name]), (name, days)
            assert metric(summary, f"{name}_before", days) == pytest.approx(before[name])


def test_home_counts_open_negatives_and_median_time_to_handle(built):
    rows = store_rows(built)
    summary = brand_summary(page(built.site / "index.html"), ROSSI)
    open_negatives = sum(
        1 for r in rows if r["brand"] == ROSSI and r["label"] == "negative" and r["status"] == "new"
    )
    handled = [
        (r["handled_at"] - r["first_seen"]).total_seconds()
        for r in rows
        if r["brand"] == ROSSI and r["status"] == "handled"
    ]
    assert len(handled) == 3
    assert metric(summary, "open_negatives") == open_negatives
    assert metric(summary, "median_handling") == pytest.approx(statistics.median(handled))
    assert (
        metric(brand_summary(page(built.site / "index.html"), BIANCHI), "median_handling") is None
    )


def test_to_handle_first_lists_only_open_negative_mentions_with_their_ids(built):
    rows = {r["id"]: r for r in store_rows(built)}
    home = page(built.site / "index.html")
    listed = [a.get("data-id") for a in home.xpath('//article[contains(@class, "pp-mention")]')]
    assert listed, "the home page lists mentions to handle"
    for ident in listed:
        assert rows[ident]["bucket"] == "negative"
        assert rows[ident]["status"] == "new", "handled and ignored mentions leave the list"
    # The most negative, most recent ones come first: the hostile fixtures (-0.95, hours old).
    assert hostile_id(built.store.config, 0) in listed
    # Each shows the short id `passaparola handle` takes.
    first = home.xpath('//article[contains(@class, "pp-mention")]')[0]
    assert first.get("data-id")[:10] in first.text_content()


def test_home_shows_open_alerts_and_the_alerts_page_all_of_them(built):
    home = page(built.site / "index.html")
    assert len(home.xpath('//section[contains(@class, "pp-alert")][@data-alert]')) == 2
    alerts_page = page(built.site / "alerts.html")
    cards = alerts_page.xpath('//section[contains(@class, "pp-alert")][@data-alert]')
    assert len(cards) == 3
    text = " ".join(card.text_content() for card in cards)
    for words in ("picco", "recensione molto negativa", "inviato", "invio non confermato"):
        assert words in text  # in Italian


def test_alerts_link_to_the_mentions_that_raised_them(built):
    rows = {r["id"]: r for r in store_rows(built)}
    followed = 0
    for name in ("index.html", "alerts.html"):
        for cell in page(built.site / name).xpath('//*[contains(@class, "pp-alert-mentions")]'):
            for link in cell.xpath(".//a"):
                target, anchor = link.get("href").split("#")
                (card,) = page(built.site / target).xpath(f'//article[@id="{anchor}"]')
                assert card.get("data-id").startswith(anchor.removeprefix("m-"))
                stored = rows[card.get("data-id")]
                assert stored["source"] in link.text_content()  # labelled: where, when, what
                followed += 1
            # A mention the store no longer holds is said so, not linked.
            gone = [li for li in cell.xpath(".//li") if "non più in archivio" in li.text_content()]
            assert all(not li.xpath(".//a") for li in gone)
    assert followed >= 14  # every mention of every alert shown, on both pages


def test_home_has_a_trend_chart_per_brand_with_legend_and_axes(built):
    home = page(built.site / "index.html")
    charts = home.xpath('//*[local-name()="svg"][contains(@class, "pp-chart")]')
    assert len(charts) == 2
    text = " ".join(charts[0].itertext())
    for word in ("negative", "neutre", "positive"):
        assert word in text  # legend, in Italian
    assert re.search(r"\d+ (gen|feb|mar|apr|mag|giu|lug|ago|set|ott|nov|dic)", text)  # dates


def test_footer_says_when_the_data_was_last_refreshed(built):
    """The end of the latest crawl that fetched something (not the later failed or running one)."""
    local = built.store.refreshed.astimezone(ZoneInfo("Europe/Rome"))
    months = ["gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"]
    expected = f"{local.day} {months[local.month - 1]} {local.year} {local:%H:%M}"
    for path in (built.site / "index.html", built.site / "archive" / "index.html"):
        footer = page(path).find_class("md-copyright")[0].text_content()
        assert f"Ultimo aggiornamento dei dati: {expected}" in footer, footer


def test_a_label_without_a_score_or_rating_shows_as_not_scored(built):
    cards = {}
    for path in html_pages(built.site / "archive"):
        for card in page(path).xpath('//article[contains(@class, "pp-mention")]'):
            cards[card.text_content()] = card
    (unjudged,) = [card for text, card in cards.items() if "Etichetta senza punteggio" in text]
    assert "pp-unknown" in unjudged.get("class")
    assert "non valutata" in unjudged.text_content() and "neutra" not in unjudged.text_content()
    # A one-star review in a language no analyzer reads is negative by its stars.
    (starred,) = [card for text, card in cards.items() if "Brot alt" in text]
    assert "pp-negative" in starred.get("class")
    assert "★ 1/5" in starred.text_content()


def test_a_mention_without_a_date_says_so_with_when_it_was_first_seen(built):
    (row,) = [r for r in store_rows(built) if r["url"].endswith("/senza-data")]
    local = row["first_seen"].astimezone(ZoneInfo("Europe/Rome"))
    months = ["gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"]
    seen = f"{local.day} {months[local.month - 1]} {local.year}"
    texts = [
        card.text_content()
        for path in html_pages(built.site / "archive")
        for card in page(path).xpath('//article[contains(@class, "pp-mention")]')
    ]
    (undated,) = [text for text in texts if "Articolo senza data" in text]
    assert f"data sconosciuta (vista il {seen})" in undated
    dated = [text for text in texts if "Etichetta senza punteggio" in text]
    assert dated and "data sconosciuta" not in dated[0]


# --- archive, sources, brands, comparison ---


def test_archive_holds_every_mention_exactly_once_in_bounded_pages(built):
    archive = built.site / "archive"
    seen: Counter[str] = Counter()
    pages_per_month: Counter[str] = Counter()
    for path in archive.glob("*.html"):
        if path.name == "index.html":
            continue
        cards = page(path).xpath('//article[contains(@class, "pp-mention")]/@data-id')
        assert 0 < len(cards) <= PAGE_SIZE
        seen.update(cards)
        pages_per_month[path.stem[:7]] += 1
    ids = {r["id"] for r in store_rows(built)}
    assert set(seen) == ids
    assert max(seen.values()) == 1
    year, month = built.store.busy_month
    assert pages_per_month[f"{year:04d}-{month:02d}"] >= 3, "the busy month is paginated"
    index = page(archive / "index.html")
    counts = {
        tr.get("data-month"): int(tr.get("data-count")) for tr in index.xpath("//tr[@data-month]")
    }
    assert sum(counts.values()) == len(ids)


def test_archive_pages_link_to_each_other(built):
    year, month = built.store.busy_month
    first = page(built.site / "archive" / f"{year:04d}-{month:02d}.html")
    pager = first.find_class("pp-pager")[0]
    hrefs = pager.xpath(".//a/@href")
    assert f"{year:04d}-{month:02d}-2.html" in hrefs
    assert any(a.get("rel") == "next" for a in pager.xpath(".//a"))


def test_sources_are_ranked_by_recent_negative_mentions(built):
    sources = page(built.site / "sources" / "index.html")
    values = [int(v) for v in sources.xpath('//td[@data-metric="recent_negative"]/@data-value')]
    assert values == sorted(values, reverse=True)
    assert len(values) == len({r["source"] for r in store_rows(built)})
    assert sources.xpath('//*[local-name()="svg"][contains(@class, "pp-spark")]')


def test_each_brand_has_its_page_and_the_comparison_shares_add_up(built):
    brands = page(built.site / "brands" / "index.html")
    assert len(brands.xpath("//table//tbody/tr")) == 2
    comparison = page(built.site / "comparison.html")
    for period in ("7", "30", "90"):
        shares = comparison.xpath(
            f'//table[@data-period="{period}"]//td[@data-metric="share_of_voice"]/@data-value'
        )
        assert sum(float(s) for s in shares) == pytest.approx(1.0)


def test_nav_lists_a_handful_of_index_pages_only(built):
    archive_page = next(
        p for p in (built.site / "archive").glob("*.html") if p.name != "index.html"
    )
    nav = page(archive_page).xpath('//nav[contains(@class, "md-nav--primary")]//a/@href')
    assert 5 <= len(nav) <= 8, nav


# --- links, offline, escaping ---


def test_every_internal_link_and_anchor_resolves(built):
    site = built.site
    ids_cache: dict[Path, set[str]] = {}

    def ids_of(path: Path) -> set[str]:
        if path not in ids_cache:
            ids_cache[path] = set(page(path).xpath("//@id"))
        return ids_cache[path]

    checked = 0
    for path in html_pages(site):
        if path.name == "404.html":
            continue  # MkDocs writes it with root-relative links, for web servers only
        doc = page(path)
        for _element, attribute, link, _ in doc.iterlinks():
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//") or not (parts.path or parts.fragment):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{path.relative_to(site)}: broken {attribute} {link!r}"
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in ids_of(target), f"{path.relative_to(site)}: {link!r}"
            checked += 1
    assert checked > 300


def test_the_site_loads_nothing_from_other_hosts(built):
    for path in html_pages(built.site):
        doc = page(path)
        for element in doc.xpath("//script[@src] | //link[@href] | //img[@src] | //iframe"):
            url = element.get("src") or element.get("href") or ""
            assert not re.match(r"(?i)^(https?:)?//", url), f"{path.name}: {url}"
    assert "fonts.googleapis" not in (built.site / "index.html").read_text(encoding="utf-8")


def test_hostile_text_stays_text_in_every_page(built):
    found: Counter[str] = Counter()
    for path in html_pages(built.site):
        doc = page(path)
        for element in doc.iter():
            if not isinstance(element.tag, str):
                continue
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), f"{path.name}: <{element.tag} {name}>"
                if name in ("href", "src"):
                    assert not value.strip().lower().startswith("javascript"), path.name
        for script in doc.xpath("//script"):
            assert "__pwned" not in (script.text or ""), path.name
            assert "alert(" not in (script.text or ""), path.name
        assert not doc.xpath('//*[contains(@class, "md-content")]//iframe | //main//style')
        text = doc.text_content()
        for hostile in HOSTILE:
            if hostile.marker in text:
                found[hostile.marker] += 1
    assert set(found) == {h.marker for h in HOSTILE}, "every hostile text is shown, as text"


def test_only_http_urls_become_links(built):
    home_and_archive = html_pages(built.site / "archive") + [built.site / "index.html"]
    outbound = set()
    for path in home_and_archive:
        outbound.update(page(path).xpath('//a[contains(@class, "pp-link")]/@href'))
    assert outbound
    assert all(urlsplit(href).scheme in ("http", "https") for href in outbound)
    texts = " ".join(page(p).text_content() for p in home_and_archive)
    assert "javascript:window.__pwned='url'" in texts  # shown, not linked


def test_site_name_and_titles_cannot_smuggle_markup(built):
    source_pages = list((built.site / "sources").glob("*.html"))
    hostile = [p for p in source_pages if "fonte ostile" in p.read_text(encoding="utf-8")]
    assert hostile
    raw = hostile[0].read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", raw, re.DOTALL).group(1)
    assert "<" not in title and "onload" in title  # look-alike brackets, still readable


# --- feed and search ---


def test_feed_is_valid_atom_of_new_negative_mentions(built):
    feed_path = built.site / "feed.xml"
    root = ET.parse(feed_path).getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    assert root.tag == f"{atom}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{atom}{required}") is not None
    rows = {r["id"]: r for r in store_rows(built)}
    entries = root.findall(f"{atom}entry")
    assert entries
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert entry.find(f"{atom}{required}") is not None
        ident = entry.find(f"{atom}id").text.rsplit(":", 1)[1]
        assert rows[ident]["label"] == "negative"
        for link in entry.findall(f"{atom}link"):
            assert urlsplit(link.get("href")).scheme in ("http", "https")
    summaries = " ".join(e.find(f"{atom}summary").text for e in entries)
    assert "<script>window.__pwned='script'</script>" in summaries  # plain text, not markup
    parsed = feedparser.parse(feed_path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert len(parsed.entries) == len(entries)
    home = page(built.site / "index.html")
    assert home.xpath('//a[@type="application/atom+xml"]/@href') == ["feed.xml"]


def test_search_covers_italian_and_english_offline(built):
    index = json.loads((built.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["it", "en"]
    text = " ".join(doc["text"] for doc in index["docs"])
    assert "focaccia bruciata" in text and "croissants were stale" in text
    script = (built.site / "search" / "search_index.js").read_text(encoding="utf-8")
    assert script.startswith("var __index = {")
