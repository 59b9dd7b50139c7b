"""Sources in trouble are said first: the home page names them, the sources page lists them all.

A project with five configured sources and the crawl runs a few days of cycles leave: two
unreachable for three days, one that found nothing, one fine, one never crawled yet.
"""

from __future__ import annotations

from datetime import timedelta

import lxml.html
import pytest
from stores import new_store_url

from crawler.config import parse_config
from crawler.failures import Problem
from crawler.report import build_report
from crawler.store import crawl_runs

from .store_fixtures import fill

SOURCES = {
    "refused": ("reviews", "https://recensioni.example.it/panificio-rossi"),
    "gone": ("reviews", "https://altre-recensioni.example.it/forno-bianchi?pagina=1"),
    "empty": ("blog", "http://127.0.0.1:8123/blog/"),
    "fine": ("feed", "https://news.example.com/feed.xml"),
    "never": ("sitemap", "https://www.example.org/sitemap.xml"),
}
BRANDS = {"refused": "Panificio Rossi", "gone": "Forno Bianchi & Figli"}


def config_text(language: str, storage: str = "sqlite:///report.db") -> str:
    brands = "".join(
        f'\n[[brands]]\nname = "{name}"\n' for name in ("Panificio Rossi", "Forno Bianchi & Figli")
    )
    sources = "".join(
        f'\n[[sources]]\nkind = "{kind}"\nurl = "{url}"\n'
        + (f'brand = "{BRANDS[name]}"\n' if name in BRANDS else "")
        for name, (kind, url) in SOURCES.items()
    )
    return f'[site]\nlanguage = "{language}"\n{brands}{sources}\n[storage]\nurl = "{storage}"\n'


def add_runs(engine, now) -> None:
    """Four cycles a day for five days: two sources fail from three days ago on."""
    refused = Problem("refused", SOURCES["refused"][1], detail="Connection refused").to_json()
    gone = Problem("http", SOURCES["gone"][1], 404).to_json()
    rows = []
    for hours in range(5 * 24, 0, -6):
        started = now - timedelta(hours=hours)
        failing = hours <= 3 * 24 + 6  # from the first cycle three days ago
        base = {"started": started, "finished": started + timedelta(minutes=3)}
        for name in ("refused", "gone"):
            kind, url = SOURCES[name]
            if failing:
                problem = refused if name == "refused" else gone
                row = {"pages": 0, "errors": 1, "status": "failed", "last_error": problem}
            else:
                row = {"pages": 4, "new": 2, "errors": 0, "status": "finished", "found": 20}
            rows.append({**base, "source_url": url, "kind": kind, **row})
        rows.append(
            {
                **base,
                "source_url": SOURCES["empty"][1],
                "kind": "blog",
                "pages": 12,
                "status": "finished",
                "found": 0 if hours <= 6 else 7,
            }
        )
        rows.append(
            {
                **base,
                "source_url": SOURCES["fine"][1],
                "kind": "feed",
                "pages": 1,
                "new": 1,
                "status": "finished",
                "found": 30,
            }
        )
    with engine.begin() as conn:
        defaults = {"new": 0, "updated": 0, "errors": 0, "found": None, "last_error": None}
        conn.execute(crawl_runs.insert(), [{**defaults, **row} for row in rows])


@pytest.fixture(
    scope="module", params=[("it", "sqlite"), ("en", "sqlite"), ("it", "postgresql")], ids=str
)
def site(request, tmp_path_factory):
    language, database = request.param
    folder = tmp_path_factory.mktemp(f"health-{language}")
    path = folder / "passaparola.toml"
    storage = new_store_url(request, database, folder)
    path.write_text(config_text(language, storage), encoding="utf-8")
    config = parse_config(path.read_text(encoding="utf-8"), path=path)
    store = fill(config, busy=20)
    add_runs(store.engine, store.now)
    build_report(config, store.engine, now=store.now, strict=True)
    return language, config.path("site")


def page(path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


HEADLINES = {
    "it": "2 fonti non raggiungibili da 3 giorni; 1 fonte non ha trovato nulla nell'ultima raccolta",
    "en": "2 sources unreachable for 3 days; 1 source found nothing in its last run",
}
SAYS = {
    "it": {
        "refused": "il server ha rifiutato la connessione",
        "gone": "la pagina ha risposto 404 (non trovata)",
        "empty": "nessun commento riconosciuto nelle 12 pagine lette",
    },
    "en": {
        "refused": "the server refused the connection",
        "gone": "the page answered 404 (not found)",
        "empty": "no comments recognised on the 12 pages read",
    },
}


def test_the_home_page_says_first_which_sources_are_in_trouble(site):
    language, folder = site
    home = page(folder / "index.html")
    (banner,) = home.find_class("pp-health")
    content = home.xpath('//*[contains(@class, "md-content")]')[0]
    first = content.xpath('.//*[contains(@class, "pp-health") or contains(@class, "pp-figures")]')
    assert first[0] is banner, "the warning comes before the figures"
    assert HEADLINES[language] in banner.text_content()
    items = {li.get("data-source"): li.text_content() for li in banner.xpath(".//li")}
    assert set(items) == {SOURCES[name][1] for name in ("refused", "gone", "empty")}
    # Each named as configured: host, port and path (and query), without the scheme.
    assert "127.0.0.1:8123/blog/" in items[SOURCES["empty"][1]]
    assert "altre-recensioni.example.it/forno-bianchi?pagina=1" in items[SOURCES["gone"][1]]
    for name, says in SAYS[language].items():
        assert says in items[SOURCES[name][1]]
    (link,) = banner.xpath(".//a")
    assert link.get("href") == "sources/index.html"


def test_the_sources_page_lists_every_configured_source_with_its_last_run(site):
    language, folder = site
    sources = page(folder / "sources" / "index.html")
    rows = {
        tr.get("data-source"): tr
        for tr in sources.xpath('//table[@class="pp-configured"]//tr[@data-source]')
    }
    assert list(rows) == [url for _, url in SOURCES.values()], "every configured source, in order"
    states = {name: rows[url].get("data-state") for name, (_, url) in SOURCES.items()}
    assert states == {
        "refused": "failed",
        "gone": "failed",
        "empty": "empty",
        "fine": "ok",
        "never": "never",
    }
    for name, says in SAYS[language].items():
        assert says in rows[SOURCES[name][1]].text_content()
    empty = rows[SOURCES["empty"][1]]
    pages = {"it": "12 pagine lette", "en": "12 pages read"}[language]
    assert empty.xpath('.//*[@data-metric="pages"]')[0].text_content() == pages
    kinds = {"it": "pagina di recensioni", "en": "review page"}[language]
    assert kinds in rows[SOURCES["refused"][1]].text_content()
    assert "Forno Bianchi & Figli" in rows[SOURCES["gone"][1]].text_content()
    never = {"it": "mai raccolta", "en": "never crawled"}[language]
    assert never in rows[SOURCES["never"][1]].text_content()
