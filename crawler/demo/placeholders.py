"""Dates on the demo site, written relative to the day it is served.

The alerts stage needs a recent burst of complaints, so the site's files cannot carry fixed
dates: they carry placeholders that `render` turns into dates relative to `now`.

Grammar (chosen so it cannot collide with the hostile `{{ config }}` text on the site):

    @@base@@                     the server's own URL, e.g. http://127.0.0.1:8123
    @@external@@                 a different host name for the same server (http://localhost:8123):
                                 an "external" link a crawler must not follow, which stays on this
                                 machine even when a crawler does follow it
    @@date|WHEN|FORMAT@@         a date
      WHEN    -Nd@HH:MM          N days before today, at HH:MM (Europe/Rome)
              -Nh  or  -NhMMm    N hours (and MM minutes) before now
      FORMAT  iso       2024-03-12T17:31:00+01:00   (Atom, JSON-LD, <time datetime>)
              day       2024-03-12                  (sitemap lastmod, JSON-LD, microdata)
              rfc822    Tue, 12 Mar 2024 17:31:00 +0100   (RSS)
              dotted    12.03.24 17:31              (TypePad "Inviato da: … @ 12.03.24 17:31")
              numeric   12/03/2024                  (day first, as Italians write it)
              it_long   martedì 12 marzo 2024       (Blogger date header)
              it_day    12 marzo 2024
              it_time   12 marzo 2024 17:31         (Blogger comment timestamp)
              it_alle   12 marzo 2024 alle 17:31    (WordPress, Italian)
              en_day    March 12, 2024
              en_time   March 12, 2024 at 5:31 pm   (WordPress, English)
              year      2024
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from zoneinfo import ZoneInfo

ROME = ZoneInfo("Europe/Rome")

_TOKEN = re.compile(r"@@([a-z]+(?:\|[^|\s<>\"]+?)*)@@")
_DAYS = re.compile(r"-(\d+)d@(\d{2}):(\d{2})")
_HOURS = re.compile(r"-(\d+)h(?:(\d{1,2})m)?")

_IT_WEEKDAYS = ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica")
_IT_MONTHS = (
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
)
_EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _it_day(moment: datetime) -> str:
    return f"{moment.day} {_IT_MONTHS[moment.month - 1]} {moment.year}"


def _en_day(moment: datetime) -> str:
    return f"{_EN_MONTHS[moment.month - 1]} {moment.day}, {moment.year}"


def _en_clock(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d} {'am' if moment.hour < 12 else 'pm'}"


FORMATS: dict[str, Callable[[datetime], str]] = {
    "iso": lambda m: m.isoformat(timespec="seconds"),
    "day": lambda m: m.strftime("%Y-%m-%d"),
    "rfc822": format_datetime,
    "dotted": lambda m: m.strftime("%d.%m.%y %H:%M"),
    "numeric": lambda m: m.strftime("%d/%m/%Y"),
    "it_long": lambda m: f"{_IT_WEEKDAYS[m.weekday()]} {_it_day(m)}",
    "it_day": _it_day,
    "it_time": lambda m: f"{_it_day(m)} {m:%H:%M}",
    "it_alle": lambda m: f"{_it_day(m)} alle {m:%H:%M}",
    "en_day": _en_day,
    "en_time": lambda m: f"{_en_day(m)} at {_en_clock(m)}",
    "year": lambda m: str(m.year),
}


class PlaceholderError(ValueError):
    """A placeholder in a site file that the grammar above does not allow (a typo)."""


def moment(when: str, now: datetime) -> datetime:
    """The instant a WHEN expression (`-3d@17:31`, `-5h`, `-5h30m`) names, in Rome time."""
    now = now.astimezone(ROME)
    days = _DAYS.fullmatch(when)
    if days:
        count, hour, minute = (int(part) for part in days.groups())
        day = now.date() - timedelta(days=count)
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ROME)
    hours = _HOURS.fullmatch(when)
    if hours:
        delta = timedelta(hours=int(hours[1]), minutes=int(hours[2] or 0))
        # In UTC: aware arithmetic in a zone with DST is wall-clock arithmetic.
        instant = now.astimezone(UTC) - delta
        return instant.replace(second=0, microsecond=0).astimezone(ROME)
    raise PlaceholderError(f"bad WHEN {when!r}: use -Nd@HH:MM, -Nh or -NhMMm")


def render(text: str, *, now: datetime, base_url: str, external_url: str) -> str:
    """Replace every `@@…@@` placeholder in `text`; raise `PlaceholderError` on an unknown one."""

    def replace(match: re.Match[str]) -> str:
        body = match[1]
        if body == "base":
            return base_url
        if body == "external":
            return external_url
        parts = body.split("|")
        if len(parts) != 3 or parts[0] != "date":
            raise PlaceholderError(f"unknown placeholder {match[0]!r}")
        formatter = FORMATS.get(parts[2])
        if formatter is None:
            raise PlaceholderError(
                f"unknown date format {parts[2]!r} in {match[0]!r}; one of {', '.join(FORMATS)}"
            )
        return formatter(moment(parts[1], now))

    rendered = _TOKEN.sub(replace, text)
    leftover = rendered.find("@@")
    if leftover >= 0:
        raise PlaceholderError(f"malformed placeholder near {rendered[leftover : leftover + 40]!r}")
    return rendered
