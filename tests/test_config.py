"""A broken config is refused before anything runs, in one line naming the file, key and fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.config import ConfigError, load_config, parse_config
from crawler.starter import STARTER_CONFIG

MINIMAL = '[[brands]]\nname = "Panificio Rossi"\n'


def parse(text: str):
    return parse_config(text, path=Path("/progetto/passaparola.toml"))


def test_the_starter_config_is_valid_and_complete():
    config = parse(STARTER_CONFIG)
    assert config.brands[0].exclude == ["Valentino Rossi"]
    assert {s.kind for s in config.sources} == {"feed", "reviews"}
    assert config.alerts.security == "starttls"


def test_a_minimal_config_has_sensible_defaults():
    config = parse(MINIMAL)
    assert config.site.language == "it"
    assert config.storage.url == "sqlite:///passaparola.db"
    assert "https://" in config.crawl.user_agent


def test_relative_sqlite_paths_are_beside_the_config_file():
    assert parse(MINIMAL).database_url == "sqlite:////progetto/passaparola.db"
    other = parse(MINIMAL + '[storage]\nurl = "postgresql://u@db/passaparola"\n')
    assert other.database_url == "postgresql://u@db/passaparola"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (MINIMAL + "[crawl]\ndelai = 2\n", "crawl.delai: unknown key"),
        (MINIMAL + "[crawl]\ndelay = -1\n", "crawl.delay: Input should be greater than or equal"),
        (MINIMAL + '[[sources]]\nkind = "rss"\nurl = "https://x.example/"\n', "sources[0].kind"),
        (
            MINIMAL + '[[sources]]\nkind = "feed"\nurl = "ftp://x.example/"\n',
            "sources[0].url: must be an http:// or https:// URL",
        ),
        ("[site]\ntitle = 'x'\n", "brands: required"),
        (MINIMAL + '[crawl]\nuser_agent = "bot"\n', "crawl.user_agent: must include a contact"),
        (MINIMAL + '[schedule]\ntimezone = "Europe/Roma"\n', "unknown time zone 'Europe/Roma'"),
        (MINIMAL + '[alerts]\nsecurity = "tls"\n', "alerts.security"),
        (MINIMAL + "[crawl\n", "not valid TOML"),
        (
            MINIMAL + '[[brands]]\nname = "Caffè Aurora"\n[[sources]]\nkind = "reviews"\n'
            'url = "https://r.example/"\n',
            "brand is required on a reviews source",
        ),
    ],
)
def test_errors_name_the_file_the_key_and_the_fix(text, expected):
    with pytest.raises(ConfigError) as error:
        parse(text)
    message = str(error.value)
    assert message.startswith("/progetto/passaparola.toml: ")
    assert expected in message
    assert "\n" not in message


def test_a_missing_file_says_how_to_make_one(tmp_path):
    with pytest.raises(ConfigError, match="passaparola init"):
        load_config(tmp_path / "passaparola.toml")


def test_a_brand_name_longer_than_the_store_holds_is_refused_on_every_database():
    parse(f'[[brands]]\nname = "{"R" * 200}"\n')
    with pytest.raises(ConfigError, match=r"brands\[0\]\.name: .*at most 200 characters"):
        parse(f'[[brands]]\nname = "{"R" * 201}"\n')
