""" "Wrong label?" in `passaparola serve`: the team corrects a label from the browser; the card,
the quality page and the published site show it.

The server runs as a real subprocess on a free loopback port; requests are made with the
standard library, as the card's form makes them (or as another site's page would).
"""

from __future__ import annotations

from collections.abc import Iterator

import lxml.html
import pytest
from sqlalchemy import select

from crawler.store import mentions

from .serving import Served, page_cards, serve_while_testing, stored_row
from .store_fixtures import FilledStore, fill, project


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> FilledStore:
    return fill(project(tmp_path_factory.mktemp("relabel")), busy=20)


@pytest.fixture(scope="module")
def served(store: FilledStore) -> Iterator[Served]:
    yield from serve_while_testing(store)


row, cards = stored_row, page_cards


def shown(element: lxml.html.HtmlElement) -> str:
    """An element's text as a reader sees it (without the invisible bidi isolates)."""
    return element.text_content().replace("\u2068", "").replace("\u2069", "")


def post_label(served: Served, mention: str, fields: dict, **headers: str):
    sent = {"Origin": served.origin, **headers}
    return served.request("POST", f"/mentions/{mention}/label", fields, sent)


def negative_on_home(store: FilledStore, served: Served) -> str:
    """An uncorrected negative mention the served home page shows."""
    listed = cards(served.request("GET", "/").body)
    return next(
        m for m, card in listed.items()
        if card.get("data-label") == "negative" and row(store, m).label_correction is None
    )  # fmt: skip


def test_every_served_card_offers_the_labels_it_does_not_have(served):
    listed = cards(served.request("GET", "/").body)
    assert listed
    for mention, card in listed.items():
        (form,) = card.xpath('.//form[@class="pp-relabel-form"]')
        assert form.get("action") == f"/mentions/{mention}/label"
        offered = [o.get("value") for o in form.xpath(".//select[@name='label']/option")]
        expected = [x for x in ("negative", "neutral", "positive") if x != card.get("data-label")]
        assert offered == expected
        assert {f.get("name") for f in form.xpath(".//input")} == {"back", "by"}


def test_the_published_site_has_no_relabel_form(store, served):
    for page in store.config.path("site").rglob("*.html"):
        assert "pp-relabel" not in page.read_text(encoding="utf-8")


def test_a_correction_is_stored_shown_at_once_counted_and_published(store, served):
    mention = negative_on_home(store, served)

    answer = post_label(served, mention, {"label": "neutral", "by": "Anna", "back": "/"})

    assert answer.status == 303 and answer.headers["location"] == f"/#m-{mention[:10]}"
    stored = row(store, mention)
    assert (stored.label, stored.label_correction, stored.corrected_from) == (
        "neutral",
        "neutral",
        "negative",
    )
    assert stored.corrected_by == "Anna"
    # The card the browser goes back to shows it at once (patched), with who corrected it.
    card = cards(served.request("GET", "/").body).get(mention)
    if card is not None:  # the rebuild may already have taken it off the to-handle list
        assert card.get("data-label") == "neutral"
        assert "corretta da Anna" in shown(card.find_class("pp-meta")[0])
    served.wait_for_line("rebuilt the site")
    # The published pages show the corrected label, read-only...
    site = store.config.path("site")
    archive = [p for p in site.rglob("archive/*.html") if mention in p.read_text()]
    assert archive
    (card,) = [c for m, c in cards(archive[0].read_text()).items() if m == mention]
    meta = card.find_class("pp-meta")[0]
    assert card.get("data-label") == "neutral" and "pp-neutral" in card.get("class")
    assert meta.find("b").text == "neutra" and "corretta da Anna" in shown(meta)
    # ...and the quality page counts the correction.
    quality = lxml.html.fromstring((site / "quality.html").read_bytes())
    (total,) = quality.find_class("pp-corrections-total")
    corrected = sum(1 for r in store_rows(store) if r.label_correction is not None)
    assert int(total.get("data-count")) == corrected >= 1
    moves = {
        (tr.get("data-before"), tr.get("data-after")): int(tr.get("data-count"))
        for tr in quality.xpath('//table[@class="pp-corrections"]//tr[@data-count]')
    }
    assert moves[("negative", "neutral")] >= 1


def store_rows(store: FilledStore):
    with store.engine.connect() as conn:
        return conn.execute(select(mentions)).all()


def test_a_script_gets_json_and_a_repeat_says_nothing_changed(store, served):
    mention = negative_on_home(store, served)
    fields = {"label": "positive", "by": "Marco"}
    first = post_label(served, mention, fields, Accept="application/json")
    again = post_label(served, mention, fields, Accept="application/json")
    assert first.status == again.status == 200
    assert '"changed": true' in first.body and '"before": "negative"' in first.body
    assert '"changed": false' in again.body


@pytest.mark.parametrize(
    "headers",
    [{"Origin": "http://evil.example"}, {"Sec-Fetch-Site": "cross-site"}, {"Origin": "null"}],
)
def test_a_correction_from_another_origin_is_refused(store, served, headers):
    mention = negative_on_home(store, served)
    answer = served.request(
        "POST", f"/mentions/{mention}/label", {"label": "positive", "by": "Eve"}, headers
    )
    assert answer.status == 403
    assert row(store, mention).label_correction is None


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"label": "unknown", "by": "Anna"}, "scegli l&#x27;etichetta giusta"),
        ({"label": "NEGATIVE", "by": "Anna"}, "scegli l&#x27;etichetta giusta"),
        ({"label": "positive"}, "chi ha corretto l&#x27;etichetta"),
        ({"label": "positive", "by": "A" * 81}, "troppo lungo"),
        ({"label": "positive", "by": "Anna", "status": "handled"}, "campo sconosciuto"),
    ],
)
def test_a_malformed_correction_is_refused_with_a_page_saying_why(store, served, fields, says):
    mention = negative_on_home(store, served)
    answer = post_label(served, mention, fields)
    assert answer.status == 400 and says in answer.body
    assert row(store, mention).label_correction is None


def test_a_correction_of_an_unknown_mention_is_a_404_page(served):
    answer = post_label(served, "0123456789abcdef", {"label": "positive", "by": "Anna"})
    assert answer.status == 404 and "Menzione non trovata" in answer.body


def test_one_correction_in_chromium_with_the_remembered_name(store, served, browser):
    tab = browser.open(served.url)
    tab.wait_for(
        lambda: tab.evaluate("document.documentElement.classList.contains('js')"),
        "Material's script to start",
    )
    tab.evaluate("localStorage.setItem('passaparola.by', 'Giulia')")
    tab.loaded = False
    tab.evaluate("location.reload()")
    tab.wait_for(lambda: tab.loaded, "the page again")
    mention = negative_on_home(store, served)
    card = f"document.querySelector('article[data-id=\"{mention}\"]')"
    # The name typed once in this browser is already in the folded form.
    tab.evaluate(f"{card}.querySelector('details.pp-relabel').open = true")
    assert tab.evaluate(f"{card}.querySelector('.pp-relabel-form input[name=by]').value") == (
        "Giulia"
    )
    tab.evaluate(f"{card}.querySelector('.pp-relabel-form select').value = 'positive'")

    tab.loaded = False
    tab.evaluate(f"{card}.querySelector('.pp-relabel-form button').click()")
    tab.wait_for(lambda: tab.loaded, "the page after the click")

    assert tab.evaluate("location.pathname + location.hash") == f"/#m-{mention[:10]}"
    stored = row(store, mention)
    assert (stored.label, stored.corrected_by, stored.corrected_from) == (
        "positive",
        "Giulia",
        "negative",
    )
    if tab.evaluate(f"{card} !== null"):  # a rebuild may have taken it off the list already
        assert tab.evaluate(f"{card}.dataset.label") == "positive"
        meta = tab.evaluate(f"{card}.querySelector('.pp-meta').innerText")
        assert "corretta da" in meta and "Giulia" in meta
    assert tab.problems() == []
