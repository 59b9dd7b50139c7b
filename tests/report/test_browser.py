"""The built site in real headless Chromium: it renders, runs nothing a stranger wrote, searches.

Pages are opened from file:// (how a colleague opens site/index.html from a shared folder) and
over HTTP from `passaparola serve`'s server.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import REPO
from .store_fixtures import HOSTILE

INJECTED = """(() => ({
  pwned: window.__pwned === undefined ? null : String(window.__pwned),
  scripts: Array.from(document.scripts).filter(s => /alert|__pwned/.test(s.textContent)).length,
  onerror: document.querySelectorAll('img[onerror], [onload], [onmouseover]').length,
  javascript: document.querySelectorAll('a[href^="javascript" i]').length,
  iframes: document.querySelectorAll('.md-content iframe').length,
}))()"""


def pages_with_hostile_text(site: Path) -> list[Path]:
    found = []
    for path in sorted(site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if "window.__pwned" in text or "ostile" in text:
            found.append(path)
    return found


def wait_for_material(tab) -> None:
    tab.wait_for(
        lambda: tab.evaluate("document.documentElement.classList.contains('js')"),
        "Material's script to start",
    )


def test_home_renders_its_charts_without_errors_and_is_saved_as_a_screenshot(built, browser):
    tab = browser.open((built.site / "index.html").as_uri())
    wait_for_material(tab)
    assert tab.evaluate("document.querySelectorAll('svg.pp-chart rect').length") > 20
    assert (
        tab.evaluate("document.querySelector('svg.pp-chart').getBoundingClientRect().width") > 300
    )
    assert tab.evaluate("document.querySelectorAll('article.pp-mention').length") >= 5
    assert tab.evaluate("document.documentElement.lang") == "it"
    assert tab.problems() == []
    artifact = REPO / "test-artifacts" / "home.png"
    tab.screenshot(artifact)
    assert artifact.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_hostile_text_shows_as_literal_text_and_nothing_runs(built, browser):
    pages = pages_with_hostile_text(built.site)
    assert len(pages) >= 3  # home, archive, the hostile source's page, ...
    seen = set()
    for path in pages:
        tab = browser.open(path.as_uri())
        wait_for_material(tab)
        injected = tab.evaluate(INJECTED)
        assert injected == {
            "pwned": None,
            "scripts": 0,
            "onerror": 0,
            "javascript": 0,
            "iframes": 0,
        }, path.name
        text = tab.evaluate("document.body.innerText")
        seen.update(h.marker for h in HOSTILE if h.marker in text)
        assert tab.problems() == [], path.name
    assert seen >= {h.marker for h in HOSTILE if "o" * 20 not in h.marker}


def test_a_very_long_word_wraps_instead_of_widening_the_page(built, browser):
    long_word = next(h for h in HOSTILE if "o" * 20 in h.marker)
    pages = [
        p
        for p in pages_with_hostile_text(built.site)
        if long_word.marker in p.read_text(encoding="utf-8")
    ]
    assert pages
    tab = browser.open(pages[0].as_uri(), width=1024)
    wait_for_material(tab)
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert tab.evaluate(
        "Array.from(document.querySelectorAll('.pp-text')).every("
        "p => p.scrollWidth <= p.clientWidth + 1)"
    )


SEARCH = """(() => {
  const toggle = document.getElementById('__search');
  toggle.checked = true;
  toggle.dispatchEvent(new Event('change', {bubbles: true}));
  const input = document.querySelector('input.md-search__input');
  input.focus();
  input.value = %s;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true, key: 'a'}));
})()"""


def search(tab, words: str) -> str:
    tab.evaluate(SEARCH % json.dumps(words))
    tab.wait_for(
        lambda: tab.evaluate("document.querySelectorAll('.md-search-result__item').length") > 0,
        f"search results for {words!r}",
    )
    return tab.evaluate("document.querySelector('.md-search-result__list').innerText")


@pytest.mark.parametrize("where", ["file", "http"])
@pytest.mark.parametrize(
    ("words", "expected"),
    [("focaccia bruciata", "focaccia bruciata"), ("croissants stale", "croissants were stale")],
)
def test_search_finds_italian_and_english_words(built, browser, served, where, words, expected):
    url = (built.site / "index.html").as_uri() if where == "file" else served + "index.html"
    tab = browser.open(url)
    wait_for_material(tab)
    assert expected in search(tab, words)
    assert tab.problems() == []
