"""The archive's own search: a compact, split index of every mention, searched in the browser.

Material's index leaves the archive pages out (they made it 60 MiB at 100,000 mentions); a
person still finds a mention by a word of its text, its author or its source, from file:// and
over HTTP, and scraped text in the results stays text.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

import pytest

from crawler.report.labels import Words
from crawler.report.mention_search import FOLDER, MentionIndex, file_key, words_of
from crawler.report.pages import PageWriter
from crawler.report.views import MentionCard

from .store_fixtures import hostile_id
from .test_browser import INJECTED


def card(
    number: int, text: str, *, author: str = "", source: str = "blog.example.it"
) -> MentionCard:
    return MentionCard(
        id=f"{number:064x}",
        short_id=f"{number:010x}",
        brand="Panificio Rossi",
        source=source,
        kind="comment",
        label="negative",
        status="new",
        score=-0.5,
        rating=None,
        when=datetime(2025, 5, 31, 23, 30, tzinfo=UTC),
        dated=True,
        title="",
        author=author,
        text=text,
        url=f"https://{source}/post/{number}",
        url_text="",
    )


def script_values(path: Path) -> list:
    """The arguments of the ppMentionSearch.*(…) call a search file makes."""
    text = path.read_text(encoding="utf-8")
    call, arguments = text.split("(", 1)
    assert call.startswith("ppMentionSearch.")
    return json.loads("[" + arguments.rstrip().removesuffix(");") + "]")


def test_words_are_folded_like_what_a_person_types():
    assert words_of("Però la FOCACCIA è già finita, 2 volte!") == {
        "pero", "la", "focaccia", "gia", "finita", "volte"
    }  # fmt: skip
    assert words_of("الخدمة سيئة") == words_of("الخدمة سيية")  # the hamza is a mark
    assert "الخدمة" in words_of("الخدمة سيئة")


def test_word_files_have_ascii_names_for_every_script():
    assert file_key("focaccia") == "fo"
    assert file_key("الخدمة") == "_627_644"


def test_the_index_holds_every_word_and_a_record_per_mention(tmp_path):
    index = MentionIndex(tmp_path, UTC)
    long_text = "Inizio " + "parola " * 200 + "immangiabile"
    index.add(card(1, "Pane raffermo stamattina", author="Mario Bianchi"), "archive/2025-05.md", "")
    index.add(card(2, long_text[:600]), "archive/2025-05.md", long_text)
    keys = index.finish()
    manifest = script_values(tmp_path / "index.js")[0]
    assert manifest["total"] == 2
    assert manifest["keys"] == keys
    words = script_values(tmp_path / "t-im.js")[1]
    assert words["immangiabile"] == "1"  # mention 1 (the second), beyond its card's excerpt
    assert script_values(tmp_path / "t-bi.js")[1]["bianchi"] == "0"
    number, records = script_values(tmp_path / "r-0.js")
    assert number == 0
    assert records[0][1:3] == ["2025-05-31", "Mario Bianchi"]
    assert records[1][6] == "archive/2025-05.html#m-0000000002"
    assert len(records[1][5]) < 200  # first words, not the whole text


def test_archive_pages_stay_out_of_materials_index_and_every_mention_is_in_its_own(built):
    material = json.loads((built.site / "search" / "search_index.json").read_text("utf-8"))
    locations = {doc["location"].split("#")[0] for doc in material["docs"]}
    assert "archive/index.html" in locations
    assert not [page for page in locations if page.startswith("archive/2")]
    manifest = script_values(built.site / FOLDER / "index.js")[0]
    assert manifest["total"] == built.result.mentions


SEARCH = """(() => {
  const input = document.querySelector('form.pp-mention-search input[type=search]');
  input.value = %s;
  input.dispatchEvent(new Event('input', {bubbles: true}));
})()"""


def search(tab, words: str) -> list[dict[str, str]]:
    """Type `words` into the archive's search box; the results, once shown."""
    tab.wait_for(
        lambda: tab.evaluate("!document.querySelector('form.pp-mention-search').hidden"),
        "the search box",
    )
    tab.evaluate(SEARCH % json.dumps(words))
    tab.wait_for(
        lambda: tab.evaluate("document.querySelector('.pp-search-count').textContent !== ''"),
        f"results for {words!r}",
    )
    return tab.evaluate(
        "Array.from(document.querySelectorAll('.pp-search-result')).map(li => ({"
        "href: li.querySelector('a.pp-search-link').href, text: li.innerText}))"
    )


@pytest.mark.parametrize("where", ["file", "http"])
@pytest.mark.parametrize(
    ("words", "hostile"),
    [("davvero immangiab", 4), ("محمد", 5), ("svg onload", 10)],
    ids=["text-beyond-the-excerpt", "author", "source"],
)
def test_a_word_of_a_mentions_text_author_or_source_finds_its_archive_card(
    built, browser, served, where, words, hostile
):
    archive = built.site / "archive" / "index.html"
    tab = browser.open(archive.as_uri() if where == "file" else served + "archive/index.html")
    results = search(tab, words)
    short_id = hostile_id(built.store.config, hostile)[:10]
    hits = [result for result in results if result["href"].endswith(f"#m-{short_id}")]
    assert len(hits) == 1
    assert tab.evaluate(INJECTED)["pwned"] is None
    assert tab.problems() == []
    tab.navigate(hits[0]["href"])
    assert tab.evaluate(f"document.getElementById('m-{short_id}') !== null")


def test_words_no_mention_holds_say_so(built, browser):
    tab = browser.open((built.site / "archive" / "index.html").as_uri())
    assert search(tab, "zzzquasinulla") == []
    assert "Nessuna menzione" in tab.evaluate(
        "document.querySelector('.pp-search-count').textContent"
    )


IMG = "<img src=x onerror=\"window.__pwned='{}'\">"


def hostile_archive_page(tmp_path: Path) -> Path:
    """The real template, index and script in a page of their own, with one hostile mention
    (markup in its text and author)."""
    docs = tmp_path / "site"
    index = MentionIndex(docs / FOLDER, UTC)
    hostile = card(7, "Pessimo " + IMG.format("text"), author=IMG.format("author") + " Gino")
    index.add(hostile, "archive/2025-05.md", hostile.text)
    index.finish()
    PageWriter(docs, {"w": Words("it", UTC)}).write(
        "archive/index.md",
        "archive.md.j2",
        months=[],
        sources=[hostile.source],
        kinds=[hostile.kind],
        brands=[hostile.brand],
    )
    script = files("crawler.report").joinpath("assets/mention-search.js").read_bytes()
    (docs / "assets").mkdir()
    (docs / "assets" / "mention-search.js").write_bytes(script)
    markdown = (docs / "archive" / "index.md").read_text(encoding="utf-8")
    form = markdown[markdown.index("<form") : markdown.index("</ol>") + len("</ol>")]
    page = docs / "archive" / "index.html"
    page.write_text(
        f'<!doctype html><html lang="it"><head><meta charset="utf-8"></head><body>{form}'
        '<script src="../assets/mention-search.js"></script></body></html>',
        encoding="utf-8",
    )
    return page


def test_markup_in_a_mentions_text_or_author_shows_as_text_in_the_results(tmp_path, browser):
    page = hostile_archive_page(tmp_path)
    tab = browser.open(page.as_uri())
    for words in ("pessimo", "gino", "onerror"):
        results = search(tab, words)
        assert len(results) == 1
        assert IMG.format("author") in results[0]["text"]
        assert IMG.format("text") in results[0]["text"]
        assert tab.evaluate(INJECTED)["onerror"] == 0
        assert tab.evaluate(INJECTED)["pwned"] is None
    assert tab.problems() == []
