"""The archive's filters answer over the whole archive, not only the archive page shown.

A marketing manager asks "every negative review still to handle, from this source" and gets
them all, from whichever month and page they live on, offline and from file://; scraped text
in the results stays text.
"""

from __future__ import annotations

import json
from collections import Counter

from crawler.report.mention_search import FOLDER

from .store_fixtures import HOSTILE, hostile_id
from .test_browser import INJECTED
from .test_mention_search import IMG, hostile_archive_page, script_values

FIELDS = ("label", "status", "source", "kind", "brand")
SHOWN = """(() => ({
  count: document.querySelector('.pp-search-count').textContent,
  results: Array.from(document.querySelectorAll('.pp-search-result')).map(li => ({
    href: li.querySelector('a.pp-search-link').href, text: li.innerText})),
}))()"""


def indexed(site) -> list[dict[str, str]]:
    """Every mention as the compact index holds it: its filter fields and archive link."""
    manifest = script_values(site / FOLDER / "index.js")[0]
    mentions = []
    for number in range(-(-manifest["total"] // manifest["chunk"])):
        for record in script_values(site / FOLDER / f"r-{number}.js")[1]:
            mentions.append(
                {
                    "brand": manifest["brands"][record[0]],
                    "source": manifest["sources"][record[3]],
                    "link": record[6],
                    "label": record[8],
                    "status": record[9],
                    "kind": manifest["kinds"][record[10]],
                }
            )
    return mentions


def choose(tab, chosen: dict[str, str]) -> dict:
    """Pick `chosen` in the archive index's filters; what the page then lists."""
    tab.wait_for(
        lambda: tab.evaluate("!document.querySelector('form.pp-mention-search').hidden"),
        "the filters",
    )
    tab.evaluate("document.querySelector('.pp-search-count').textContent = ''")
    for field, value in chosen.items():
        tab.evaluate(
            "(() => { const s = document.querySelector("
            f"'form.pp-mention-search select[name={field}]'); s.value = {json.dumps(value)};"
            " s.dispatchEvent(new Event('change', {bubbles: true})); })()"
        )
    tab.wait_for(
        lambda: tab.evaluate("document.querySelector('.pp-search-count').textContent !== ''"),
        f"the mentions matching {chosen}",
    )
    return tab.evaluate(SHOWN)


def test_a_filter_finds_mentions_on_every_archive_page_not_only_the_first(built, browser):
    mentions = indexed(built.site)
    first_page = mentions[0]["link"].split("#")[0]
    groups = Counter(tuple(m[field] for field in FIELDS) for m in mentions)
    # The rarest combination held by a mention that is not on the newest archive page.
    elsewhere = [m for m in mentions if not m["link"].startswith(first_page)]
    target = min(elsewhere, key=lambda m: groups[tuple(m[field] for field in FIELDS)])
    chosen = {field: target[field] for field in FIELDS}
    expected = [m["link"] for m in mentions if all(m[f] == chosen[f] for f in FIELDS)]
    assert len(expected) <= 20  # all of them shown, newest first

    tab = browser.open((built.site / "archive" / "index.html").as_uri())
    shown = choose(tab, chosen)
    assert shown["count"].startswith(f"{len(expected)} menzioni")
    assert [r["href"].split("/site/")[-1] for r in shown["results"]] == expected
    assert tab.evaluate(INJECTED)["pwned"] is None
    assert tab.problems() == []

    target_href = next(r["href"] for r in shown["results"] if r["href"].endswith(target["link"]))
    tab.navigate(target_href)
    card_id = target["link"].split("#")[1]
    found = tab.evaluate(
        f"(() => {{ const a = document.getElementById({json.dumps(card_id)});"
        " return a && [a.dataset.label, a.dataset.status, a.dataset.source, a.dataset.kind]; })()"
    )
    assert found == [target["label"], target["status"], target["source"], target["kind"]]


def test_one_filter_alone_counts_the_whole_archive(built, browser):
    mentions = indexed(built.site)
    negative = [m for m in mentions if m["label"] == "negative"]
    tab = browser.open((built.site / "archive" / "index.html").as_uri())
    shown = choose(tab, {"label": "negative"})
    assert shown["count"].startswith(f"{len(negative)} menzioni")
    assert len(negative) > 200 > len(shown["results"]) > 0  # more than any archive page holds
    tab.evaluate("document.querySelector('form.pp-mention-search').reset()")
    tab.wait_for(
        lambda: tab.evaluate("document.querySelectorAll('.pp-search-result').length === 0"),
        "the results cleared",
    )


def test_a_hostile_source_in_the_filter_selects_its_mention_as_text(built, browser):
    hostile = HOSTILE[10]
    tab = browser.open((built.site / "archive" / "index.html").as_uri())
    shown = choose(tab, {"source": hostile.source})
    short_id = hostile_id(built.store.config, 10)[:10]
    assert [r["href"].split("#")[1] for r in shown["results"]] == [f"m-{short_id}"]
    assert hostile.source in shown["results"][0]["text"]
    assert tab.evaluate(INJECTED)["pwned"] is None
    assert tab.problems() == []


def test_a_hostile_author_found_by_filters_alone_shows_as_text(tmp_path, browser):
    page = hostile_archive_page(tmp_path)
    tab = browser.open(page.as_uri())
    shown = choose(tab, {"label": "negative", "kind": "comment"})
    assert len(shown["results"]) == 1
    assert IMG.format("author") in shown["results"][0]["text"]
    assert tab.evaluate(INJECTED)["onerror"] == 0
    assert tab.evaluate(INJECTED)["pwned"] is None
    assert choose(tab, {"status": "handled"})["results"] == []
    assert "Nessuna menzione corrisponde" in tab.evaluate(SHOWN)["count"]
    assert tab.problems() == []
