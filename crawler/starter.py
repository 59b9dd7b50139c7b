"""`passaparola init`: a commented starter config (and the report's mkdocs.yml) to edit."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from crawler.config import ConfigError

STARTER_CONFIG = """\
# passaparola.toml: what to watch, where, and what to do about it.
# Every key is optional unless marked; unknown keys are refused (typos must not pass silently).
# Relative paths are relative to this file's folder.

[site]
title = "Reputazione — Panificio Rossi"   # the report site's title
language = "it"                            # "it" or "en": the language of the report and e-mails
# url = "https://reports.example.org/"     # where site/ is published (e-mails link to it)

# One [[brands]] table per brand (at least one is required).
[[brands]]
name = "Panificio Rossi"                   # required
aliases = ["Forno Rossi"]                  # other names people use
exclude = ["Valentino Rossi"]              # phrases that look like the brand but are not it

# One [[sources]] table per place people talk about the brand.
# kind: "feed" (RSS/Atom), "reviews" (pages with schema.org reviews), "blog" (posts and their
# comments), "forum" (a forum thread or board; each post), "sitemap" (a sitemap or sitemap
# index; pages that name a brand).
[[sources]]
kind = "feed"
url = "https://example.org/feed.xml"
# follow = true        # feed only: fetch each matching entry's page for its full text

[[sources]]
kind = "reviews"
url = "https://reviews.example.org/company/panificio-rossi"
brand = "Panificio Rossi"   # every review on a reviews source is about this brand
# max_pages = 50            # per-source page limit (default: [crawl] max_pages)
# depth = 2                 # blog only: how many links away from url to follow

# [[sources]]
# kind = "forum"
# url = "https://forum.example.org/viewforum.php?f=12"   # a board (its threads) or one thread

[crawl]
# Must include a contact URL or e-mail, so site owners can reach you.
user_agent = "passaparola/0.1 (+https://example.org/contact)"
delay = 1.0            # seconds between requests to one site (AutoThrottle adapts above it)
max_pages = 500        # pages per source and run
depth = 3              # blog link depth
timeout = 30           # seconds before a request is abandoned
retries = 3            # retries of a timed-out or 5xx request, 1 s apart then doubling
max_page_mb = 5        # larger pages are skipped
timezone = "Europe/Rome"   # assumed for dates that pages print without a time zone

[storage]
url = "sqlite:///passaparola.db"   # any SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db

[sentiment]
# negative_below = -0.05  # text scores below this are labelled negative
# positive_above = 0.15   # text scores above this are labelled positive

[alerts]
to = ["marketing@example.org"]
from = "passaparola@example.org"
# SMTP user and password come only from the environment variables PASSAPAROLA_SMTP_USER and
# PASSAPAROLA_SMTP_PASSWORD, never from this file.
smtp_host = "smtp.example.org"
# smtp_port = 587                # default: 587 for starttls, 465 for ssl, 25 for none
security = "starttls"            # "starttls", "ssl" or "none"
window = "day"                   # count negative mentions per "day" or "week"
min_count = 3                    # never alert on fewer negative mentions than this in a window
# Chat channels (Apprise URLs); ${NAME} is read from the environment when a message is sent:
# notify = ["slack://${SLACK_TOKENS}/#reputation", "tgram://${TELEGRAM_BOT}/${TELEGRAM_CHAT}"]

[schedule]
cron = "0 */6 * * *"       # crontab syntax: minute hour day-of-month month day-of-week
timezone = "Europe/Rome"

# A digest of what happened, even when nothing spiked (to and notify: the [alerts] ones).
# [digest]
# cron = "0 8 * * 1"       # Mondays at 8
# period = "week"          # or "day"
"""


def packaged_mkdocs_yml() -> str:
    """The report's default mkdocs.yml, shipped in the package."""
    return resources.files("crawler.report").joinpath("mkdocs.yml").read_text(encoding="utf-8")


def write_starter(config_path: Path, *, force: bool = False) -> list[Path]:
    """Write passaparola.toml and mkdocs.yml beside it; refuse to overwrite unless `force`."""
    mkdocs_path = config_path.parent / "mkdocs.yml"
    targets = {config_path: STARTER_CONFIG, mkdocs_path: packaged_mkdocs_yml()}
    existing = [path for path in targets if path.exists()]
    if existing and not force:
        names = ", ".join(str(path) for path in existing)
        raise ConfigError(f"{names} already exists; use --force to overwrite")
    config_path.parent.mkdir(parents=True, exist_ok=True)
    for path, text in targets.items():
        path.write_text(text, encoding="utf-8")
    return list(targets)
