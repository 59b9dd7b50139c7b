"""The demo project's config: valid, and every kind of source pointed at the demo site."""

from __future__ import annotations

from pathlib import Path

import pytest
from demo_http import fetch

from crawler.config import parse_config
from crawler.demo.config import demo_config
from crawler.demo.server import DemoSite


def test_the_demo_config_is_a_valid_passaparola_toml(tmp_path: Path) -> None:
    config = parse_config(demo_config("http://127.0.0.1:8123"), path=tmp_path / "passaparola.toml")
    assert [b.name for b in config.brands] == ["Panificio Rossi", "Caffè Aurora"]
    rossi, aurora = config.brands
    assert (rossi.aliases, rossi.exclude) == (["Forno Rossi"], ["Valentino Rossi"])
    assert aurora.aliases == ["Aurora Caffè", "Aurora Coffee"]
    assert [(s.kind, s.url) for s in config.sources] == [
        ("feed", "http://127.0.0.1:8123/feeds/notizie.rss.xml"),
        ("feed", "http://127.0.0.1:8123/feeds/avvisi.atom.xml"),
        ("reviews", "http://127.0.0.1:8123/recensioni/panificio-rossi/"),
        ("blog", "http://127.0.0.1:8123/blog/"),
        ("sitemap", "http://127.0.0.1:8123/sitemap.xml"),
    ]
    reviews, blog = config.sources[2], config.sources[3]
    assert reviews.brand == "Panificio Rossi"
    assert blog.depth == 2
    assert config.crawl.delay == 0
    assert "https://" in config.crawl.user_agent
    assert config.storage.url == "sqlite:///passaparola.db"
    assert config.database_url == f"sqlite:///{tmp_path.resolve() / 'passaparola.db'}"


def test_a_trailing_slash_on_the_base_url_makes_no_double_slash() -> None:
    assert "127.0.0.1:8123//" not in demo_config("http://127.0.0.1:8123/")


@pytest.mark.parametrize("bad", ["127.0.0.1:8123", "ftp://127.0.0.1", "", "http://a b"])
def test_a_base_url_that_is_not_http_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        demo_config(bad)


def test_every_source_url_of_the_demo_config_is_served(site: DemoSite, tmp_path: Path) -> None:
    config = parse_config(demo_config(site.url), path=tmp_path / "passaparola.toml")
    for source in config.sources:
        path = source.url.removeprefix(site.url)
        assert fetch(site, path).status == 200, source.url
