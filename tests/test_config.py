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
    waits = parse(MINIMAL + '[storage]\nurl = "sqlite:///data/p.db?timeout=5"\n')
    assert waits.database_url == "sqlite:////progetto/data/p.db?timeout=5"
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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[[brands]]\nname = "   "\n', "brands[0].name: '   ' has no letter or digit"),
        ('[[brands]]\nname = "!!!"\n', "brands[0].name: '!!!' has no letter or digit"),
        ('[[brands]]\nname = ""\n', "brands[0].name: '' has no letter or digit"),
        (MINIMAL + '[[brands]]\nname = "Aurora"\naliases = ["—"]\n', "brands[1].aliases[0]"),
        (MINIMAL.replace('"\n', '"\nexclude = [" . "]\n'), "brands[0].exclude[0]"),
        (MINIMAL + "[crawl]\ndelay = inf\n", "crawl.delay: Input should be a finite number"),
        (MINIMAL + "[crawl]\ndelay = nan\n", "crawl.delay: Input should be a finite number"),
        (MINIMAL + "[crawl]\ndelay = 1e300\n", "crawl.delay: Input should be less than or equal"),
        (MINIMAL + "[crawl]\ndelay = 3601\n", "crawl.delay: Input should be less than or equal"),
        (MINIMAL + "[crawl]\nmax_page_mb = inf\n", "crawl.max_page_mb: Input should be a finite"),
        (MINIMAL + "[crawl]\nmax_page_mb = 2048\n", "crawl.max_page_mb: Input should be less"),
        (MINIMAL + "[crawl]\ntimeout = inf\n", "crawl.timeout: Input should be a finite"),
        (MINIMAL + "[crawl]\ntimeout = 1e9\n", "crawl.timeout: Input should be less"),
        (MINIMAL + "[crawl]\nmax_pages = 9223372036854775807\n", "crawl.max_pages: Input should"),
        (MINIMAL + "[crawl]\ndepth = 100000\n", "crawl.depth: Input should be less"),
        (
            MINIMAL + '[[sources]]\nkind = "blog"\nurl = "https://b.example/"\ndepth = 1000\n',
            "sources[0].depth: Input should be less",
        ),
        (
            MINIMAL + '[[sources]]\nkind = "blog"\nurl = "https://b.example/"\nmax_pages = 0\n',
            "sources[0].max_pages: Input should be greater",
        ),
        (MINIMAL + "[alerts]\nsmtp_port = 70000\n", "alerts.smtp_port: Input should be less"),
        (MINIMAL + "[alerts]\ntimeout = inf\n", "alerts.timeout: Input should be a finite"),
        (MINIMAL + "[alerts]\nprobability = nan\n", "alerts.probability: Input should be a finite"),
        (MINIMAL + "[sentiment]\nnegative_below = -inf\n", "sentiment.negative_below: Input"),
        (MINIMAL + "[schedule]\ncrawl_timeout = inf\n", "schedule.crawl_timeout: Input should"),
        (MINIMAL + "[schedule]\ncrawl_timeout = 1e12\n", "schedule.crawl_timeout: Input should"),
    ],
)
def test_names_need_a_word_and_numbers_are_finite_and_in_range(text, expected):
    with pytest.raises(ConfigError) as error:
        parse(text)
    assert expected in str(error.value) and "\n" not in str(error.value)


def test_the_upper_bounds_themselves_are_accepted():
    config = parse(MINIMAL + "[crawl]\ndelay = 3600\nmax_page_mb = 1024\ndepth = 0\n")
    assert (config.crawl.delay, config.crawl.max_page_mb, config.crawl.depth) == (3600, 1024, 0)
    assert parse('[[brands]]\nname = "7½"\n').brands[0].name == "7½"
