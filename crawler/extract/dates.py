"""Dates as people write them on Italian and English pages, to timezone-aware datetimes.

Day-first is the rule here (`08/04/2019` is 8 April), and a date that cannot be read is
returned as `None` rather than guessed.
"""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import dateparser

DEFAULT_TZ = "Europe/Rome"
# TypePad/Splinder-style "12.02.04 17:31": day.month.two-digit-year hour:minute.
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})(?:[ ,]+(\d{1,2})[:.](\d{2}))?$")


def _aware(value: datetime, default_tz: str) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=ZoneInfo(default_tz))


@lru_cache(maxsize=4096)
def _parse_cached(
    text: str, languages: tuple[str, ...], default_tz: str, base: datetime | None
) -> datetime | None:
    try:
        return _aware(datetime.fromisoformat(text.replace("Z", "+00:00")), default_tz)
    except ValueError:
        pass
    match = _DOTTED.match(text)
    if match:
        day, month, year, hour, minute = match.groups()
        full_year = int(year) + (2000 if int(year) < 70 else 1900) if len(year) == 2 else int(year)
        try:
            return datetime(
                full_year,
                int(month),
                int(day),
                int(hour or 0),
                int(minute or 0),
                tzinfo=ZoneInfo(default_tz),
            )
        except ValueError:
            return None
    if "," in text[:5] or re.search(r"[+-]\d{4}$|GMT$|UTC$", text):
        try:
            return _aware(parsedate_to_datetime(text), default_tz)
        except (TypeError, ValueError, IndexError):
            pass
    settings = {
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "TIMEZONE": default_tz,
        "REQUIRE_PARTS": ["day", "month", "year"],
    }
    if base is not None:
        settings["RELATIVE_BASE"] = base.replace(tzinfo=None)
    try:
        return dateparser.parse(text, languages=list(languages), settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None


def parse_date(
    text: str | None,
    *,
    languages: tuple[str, ...] = ("it", "en"),
    default_tz: str = DEFAULT_TZ,
    relative_to: datetime | None = None,
) -> datetime | None:
    """Parse a date in any common Italian or English form; `None` when it cannot be read.

    `relative_to` anchors relative dates ("3 giorni fa") to when the page was fetched; without it
    they are refused, since "3 days ago" means nothing once stored.
    """
    if not text:
        return None
    cleaned = " ".join(text.split()).strip(" |-–—@")
    if not cleaned or len(cleaned) > 80:
        return None
    parsed = _parse_cached(cleaned, tuple(languages), default_tz, relative_to)
    if parsed is None:
        return None
    if relative_to is None and _looks_relative(cleaned):
        return None
    return parsed


_RELATIVE = re.compile(r"\b(fa|ago|ieri|oggi|yesterday|today|scors[oa]|last)\b", re.IGNORECASE)


def _looks_relative(text: str) -> bool:
    return bool(_RELATIVE.search(text))
