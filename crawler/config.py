"""The project's one configuration object, read from `passaparola.toml` and validated once.

Every stage receives the `Config` it needs; nothing reads settings from globals. A broken file is
refused before anything runs with one line naming the file, the key and the fix.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from crawler import DEFAULT_CONFIG_NAME as DEFAULT_CONFIG_NAME  # the CLI's default, too

# The store's brand columns hold this many characters on every database (crawler/store/tables.py).
BRAND_NAME_MAX_CHARS = 200
SOURCE_KINDS = ("feed", "sitemap", "reviews", "blog", "forum")
# Upper bounds of the crawl limits: far above any real source, low enough to stay numbers that
# Scrapy and the queue can hold.
MAX_PAGES = 1_000_000
MAX_DEPTH = 100


class ConfigError(Exception):
    """A user error in the config file; its message is one line meant for the terminal."""


def http_url(value: str) -> str:
    """`value` if it is an http:// or https:// URL with a host, else ValueError."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("must be an http:// or https:// URL")
    return value


HttpUrl = Annotated[str, AfterValidator(http_url)]


def _time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {value!r}; use an IANA name like Europe/Rome"
        ) from None
    return value


TimeZone = Annotated[str, AfterValidator(_time_zone)]


class _Section(BaseModel):
    # TOML has `inf` and `nan`; no setting means either (an infinite delay never makes a request).
    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)


def _nameable(value: str) -> str:
    """A brand name, alias or exclusion term must have a word to match: "   " or "!!!" has none."""
    from crawler.extract.brands import words

    if not words(value):
        raise ValueError(f"{value!r} has no letter or digit to look for")
    return value


Term = Annotated[str, AfterValidator(_nameable)]
BrandName = Annotated[
    str, StringConstraints(max_length=BRAND_NAME_MAX_CHARS), AfterValidator(_nameable)
]


def _notify_urls(value: list[str]) -> list[str]:
    """Apprise URLs: `scheme://…`, with `${NAME}` placeholders well formed.

    Messages name the position and the scheme only: the URL may hold a secret.
    """
    from crawler.alerts.channels import check_channel_url

    for index, url in enumerate(value):
        check_channel_url(url, index)
    return value


NotifyUrls = Annotated[list[str], AfterValidator(_notify_urls)]


def _one_or_many(value: object) -> object:
    return [value] if isinstance(value, str) else value


def _e_mail_addresses(value: str | list[str]) -> str | list[str]:
    from email.utils import parseaddr

    for address in [value] if isinstance(value, str) else value:
        _, mailbox = parseaddr(address)
        if (
            any(ch in address for ch in "\r\n")
            or "@" not in mailbox
            or any(ch.isspace() for ch in mailbox)
        ):
            raise ValueError(
                f"{address!r} is not an e-mail address; write it as "
                '"team@example.org" or "Team <team@example.org>"'
            )
    return value


class SiteConfig(_Section):
    title: str = "passaparola"
    language: Literal["it", "en"] = "it"
    url: HttpUrl | None = None


class BrandConfig(_Section):
    name: BrandName
    aliases: list[Term] = []
    exclude: list[Term] = []


class SourceConfig(_Section):
    kind: Literal["feed", "sitemap", "reviews", "blog", "forum"]
    url: HttpUrl
    brand: str | None = None
    max_pages: int | None = Field(default=None, ge=1, le=MAX_PAGES)
    depth: int | None = Field(default=None, ge=0, le=MAX_DEPTH)
    follow: bool = False


class CrawlConfig(_Section):
    user_agent: str = "passaparola/0.1 (+https://github.com/passaparola/passaparola)"
    delay: float = Field(default=1.0, ge=0, le=3600)
    max_pages: int = Field(default=500, ge=1, le=MAX_PAGES)
    depth: int = Field(default=3, ge=0, le=MAX_DEPTH)
    timeout: float = Field(default=30.0, gt=0, le=3600)
    retries: int = Field(default=3, ge=0, le=10)
    max_page_mb: float = Field(default=5.0, gt=0, le=1024)
    timezone: TimeZone = "Europe/Rome"
    # One process crawls every source: this many at once, the rest wait their turn.
    concurrent_sources: int = Field(default=8, ge=1, le=256)
    # Worker processes shared by all sources, extracting pages and scoring texts (0: all in the
    # crawling process).
    workers: int = Field(default=1, ge=0, le=64)
    # Scrapyd nodes to crawl on, one job per source (crawler/dispatch); none: crawl here.
    scrapyd: list[HttpUrl] = []

    @field_validator("user_agent")
    @classmethod
    def _contact(cls, value: str) -> str:
        if "http://" not in value and "https://" not in value and "@" not in value:
            raise ValueError(
                "must include a contact URL or e-mail so site owners can reach you, "
                'e.g. "passaparola/0.1 (+https://example.org/contact)"'
            )
        return value


class StorageConfig(_Section):
    url: str = "sqlite:///passaparola.db"


class SentimentConfig(_Section):
    # Defaults measured on the development data by `python bench/sentiment.py --sweep` and kept
    # equal to crawler.sentiment.NEGATIVE_BELOW / POSITIVE_ABOVE (a test checks they agree).
    negative_below: float = Field(default=-0.05, ge=-1, le=1)
    positive_above: float = Field(default=0.15, ge=-1, le=1)

    @model_validator(mode="after")
    def _ordered(self) -> SentimentConfig:
        if self.negative_below > self.positive_above:
            raise ValueError("negative_below must not be greater than positive_above")
        return self


class AlertsConfig(_Section):
    """E-mail alerts on spikes of negative mentions (see crawler/alerts/detect.py for the test).

    SMTP user and password are never read from here: only from the environment variables
    PASSAPAROLA_SMTP_USER and PASSAPAROLA_SMTP_PASSWORD.
    """

    to: list[str] = []
    # Chat channels as Apprise URLs; `${NAME}` is replaced by the environment variable NAME
    # when a message is sent (crawler/alerts/channels.py).
    notify: NotifyUrls = []
    from_: str = Field(default="passaparola@localhost", alias="from")
    smtp_host: str = "localhost"
    smtp_port: int | None = Field(default=None, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    timeout: float = Field(default=30.0, gt=0, le=600)
    window: Literal["day", "week"] = "day"
    min_count: int = Field(default=3, ge=1, le=1_000_000)
    baseline_windows: int = Field(default=28, ge=1, le=366)
    probability: float = Field(default=0.001, gt=0, le=0.05)
    instant_min_rating: float | None = Field(default=None, ge=0, le=1)

    @field_validator("to", "notify", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return _one_or_many(value)

    @field_validator("to", "from_")
    @classmethod
    def _addresses(cls, value: str | list[str]) -> str | list[str]:
        return _e_mail_addresses(value)

    @property
    def port(self) -> int:
        """The SMTP port: the configured one, else the standard port of the security mode."""
        if self.smtp_port is not None:
            return self.smtp_port
        return {"starttls": 587, "ssl": 465, "none": 25}[self.security]


class ScheduleConfig(_Section):
    """When `passaparola schedule` runs the cycle (see crawler/schedule/crontab.py)."""

    # crontab(5): minute hour day-of-month month day-of-week, or a leading seconds field.
    cron: str = "0 */6 * * *"
    timezone: TimeZone = "Europe/Rome"
    # Seconds a cycle's crawl may take; then it is stopped (what it stored is kept).
    crawl_timeout: float = Field(default=10800.0, gt=0, le=7 * 24 * 3600)

    @field_validator("cron")
    @classmethod
    def _crontab(cls, value: str) -> str:
        from crawler.schedule.crontab import parse_crontab

        parse_crontab(value)  # CrontabError is a ValueError: pydantic reports it with the key
        return value


class DigestConfig(_Section):
    """The digest: what happened per brand in the period, sent on `cron` (crawler/digest)."""

    # Empty: no digest. Sent at the first cycle (or `passaparola digest`) after this time.
    cron: str = ""
    period: Literal["week", "day"] = "week"
    # None: the [alerts] ones.
    to: list[str] | None = None
    notify: NotifyUrls | None = None

    @field_validator("to", "notify", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return _one_or_many(value)

    @field_validator("to")
    @classmethod
    def _addresses(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _e_mail_addresses(value)  # type: ignore[return-value]

    @field_validator("cron")
    @classmethod
    def _crontab(cls, value: str) -> str:
        from crawler.schedule.crontab import parse_crontab

        if value.strip():
            parse_crontab(value)
        return value


class Config(_Section):
    site: SiteConfig = SiteConfig()
    brands: list[BrandConfig] = Field(min_length=1)
    sources: list[SourceConfig] = []
    crawl: CrawlConfig = CrawlConfig()
    storage: StorageConfig = StorageConfig()
    sentiment: SentimentConfig = SentimentConfig()
    alerts: AlertsConfig = AlertsConfig()
    schedule: ScheduleConfig = ScheduleConfig()
    digest: DigestConfig = DigestConfig()

    # Not keys of the file: where it was read from, so relative paths resolve beside it.
    root: Path = Field(default=Path("."), exclude=True)

    @model_validator(mode="after")
    def _source_brands(self) -> Config:
        names = {brand.name for brand in self.brands}
        for index, source in enumerate(self.sources):
            if source.brand is not None and source.brand not in names:
                raise ValueError(
                    f"sources[{index}].brand {source.brand!r} is not one of the [[brands]] names "
                    f"({', '.join(sorted(names))})"
                )
            if source.kind == "reviews" and source.brand is None and len(names) > 1:
                raise ValueError(
                    f"sources[{index}].brand is required on a reviews source when several brands "
                    "are configured (every review on it is about that brand)"
                )
        return self

    @property
    def database_url(self) -> str:
        """The storage URL with a relative SQLite path resolved beside the config file."""
        url = self.storage.url
        prefix = "sqlite:///"
        if url.startswith(prefix) and url != prefix + ":memory:":
            where, mark, query = url[len(prefix) :].partition("?")  # ?timeout=… stays
            path = Path(where)
            if not path.is_absolute():
                return prefix + str((self.root / path).resolve()) + mark + query
        return url

    def path(self, name: str) -> Path:
        """A project file or folder (`reports`, `site`, `mkdocs.yml`) beside the config file."""
        return self.root / name

    def brand_for(self, source: SourceConfig) -> str | None:
        """The brand every item of a source is about, when the source is about one brand."""
        if source.brand:
            return source.brand
        if source.kind == "reviews":
            return self.brands[0].name
        return None


def _location(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("function-after", "function-before") or "[" in str(part):
            continue
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


_FIXES = {
    "extra_forbidden": "unknown key: remove it or fix its spelling (see README, 'Configuration')",
    "missing": "required: add it",
    "literal_error": "",
    "too_short": "add at least one",
}


def _describe(error: dict) -> str:
    where = _location(error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    fix = _FIXES.get(error["type"])
    if error["type"] == "extra_forbidden":
        return f"{where}: {fix}"
    if error["type"] == "missing" and where == "brands":
        return 'brands: required: add a [[brands]] table with name = "Your Brand"'
    if fix:
        return f"{where}: {message}; {fix}"
    return f"{where}: {message}"


def parse_config(text: str, *, path: Path) -> Config:
    """Parse and validate the text of a config file; `path` is used for messages and paths."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    try:
        config = Config.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        more = error.error_count() - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise ConfigError(f"{path}: {_describe(first)}{suffix}") from None
    config.root = path.parent.resolve()
    return config


def load_config(path: Path | str = DEFAULT_CONFIG_NAME) -> Config:
    """Read and validate `passaparola.toml`; raise `ConfigError` with a one-line message."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: no such file; run `passaparola init` to write a starter config"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read it ({error})") from None
    return parse_config(text, path=path)
