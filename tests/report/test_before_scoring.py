"""An English one-brand project whose mentions are not scored yet: the site builds and says so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree as ET

import lxml.html
import pytest
from stores import DATABASES, new_store_url

from crawler.items import Mention
from crawler.report import build_report
from crawler.store import open_engine, upsert_mentions

from .store_fixtures import project

BRAND = "Caffè Aurora"
TEXTS = [
    "Stopped at Caffè Aurora for breakfast, the espresso was fine.",
    "Caffè Aurora opened a second shop near the station.",
    "Our team meeting at Caffè Aurora ran long, nobody complained.",
]


@pytest.fixture(scope="module", params=DATABASES)
def unscored(request: pytest.FixtureRequest, tmp_path_factory) -> tuple[Path, int]:
    """As a crawl stores mentions before any scoring: no label, no score, no crawl run yet."""
    folder = tmp_path_factory.mktemp("report-en")
    storage = new_store_url(request, request.param, folder)
    config = project(folder, language="en", brands=(BRAND,), title="Aurora", storage=storage)
    engine = open_engine(config.database_url)
    now = datetime.now(UTC).replace(microsecond=0)
    items = [
        Mention(
            brand=BRAND,
            kind="post",
            url=f"https://blog.example.com/2024/post-{n}",
            text=f"{TEXTS[n % len(TEXTS)]} ({n})",
            source="blog.example.com",
            published=now - timedelta(days=n * 3, hours=1),
            lang="en",
        )
        for n in range(20)
    ]
    upsert_mentions(engine, items)
    build_report(config, engine, now=now + timedelta(minutes=1), strict=True)
    return config.path("site"), len(items)


def page(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def test_the_site_speaks_english_and_has_no_comparison_for_one_brand(unscored):
    site, _ = unscored
    home = page(site / "index.html")
    assert home.get("lang") == "en"
    nav = [
        a.text_content().strip()
        for a in home.xpath('//nav[contains(@class, "md-nav--primary")]//a')
    ]
    assert {"Overview", "Brands", "Sources", "Archive", "Alerts"} <= set(nav)
    assert "Comparison" not in nav and "Confronto" not in nav
    assert not (site / "comparison.html").exists()
    assert "Panoramica" not in home.text_content()  # one language per site


def test_unscored_mentions_are_counted_and_shown_as_not_scored(unscored):
    site, total = unscored
    home = page(site / "index.html")
    (summary,) = home.find_class("pp-brand-summary")
    cell = summary.xpath('.//*[@data-metric="mentions"][@data-period="30"]')[0]
    assert int(cell.get("data-value")) == 10  # one every three days
    for metric in ("negative_share", "positive_share"):
        (value,) = summary.xpath(f'.//*[@data-metric="{metric}"][@data-period="30"]/@data-value')
        assert value == "", "no share of an unknown: a dash, not 0%"
    assert "Sentiment not scored yet" in summary.text_content()
    legend = " ".join(summary.xpath('.//*[local-name()="svg"]')[0].itertext())
    assert "not scored" in legend
    assert "No negative mention left to handle." in home.text_content()
    archive = [p for p in (site / "archive").glob("*.html") if p.name != "index.html"]
    cards = [c for p in archive for c in page(p).xpath("//article[contains(@class, 'pp-mention')]")]
    assert len(cards) == total
    for card in cards:
        assert "pp-unknown" in card.get("class")
        assert "not scored" in card.text_content() and "neutral" not in card.text_content()


def test_without_crawl_runs_or_alerts_the_site_says_so(unscored):
    site, _ = unscored
    footer = page(site / "index.html").find_class("md-copyright")[0].text_content()
    assert "Data last refreshed: no crawl finished yet" in footer
    assert "No alert recorded so far." in page(site / "alerts.html").text_content()
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.findall("{http://www.w3.org/2005/Atom}entry") == []
