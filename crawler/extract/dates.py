"""Dates as people write them on web pages, to timezone-aware datetimes, never guessed.

A page's language chooses the words a date may be written with (Italian, English, German,
French, Spanish, Portuguese; all of them when the page does not say). Numeric dates are read
day first (`08/04/2019` is 8 April) except on pages that say they are American English, or whose
own dates can only be read month first (`5/21/2024`). A duration is never a date ("3 minuti",
"5 min read"); "2 ore fa" and "2 hours ago" count back from the fetch time, and mean nothing
without it. A date without a year ("May 2", "Jun 20th") takes the year that puts it nearest
before the page's own date or the fetch time. A time with an offset or `Z` keeps it; a local
time takes the configured time zone.

Known shapes are read by one regular expression built per set of languages: dateparser takes
about 2 ms a call, which a page with thousands of comments cannot afford; it is only the last
resort for a text that holds a four-digit year and no shape this module knows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from crawler.extract.date_words import (
    AGO_AFTER,
    AGO_BEFORE,
    DATE_JOINERS,
    LANGUAGES,
    MONTHS,
    NAMED_DAYS,
    ONE,
    TIME_JOINERS,
    UNITS,
    WEEKDAYS,
)

DEFAULT_TZ = "Europe/Rome"
_MAX_CHARS = 300


def _alternation(words: object) -> str:
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True, slots=True)
class _Grammar:
    absolute_pattern: str
    absolute: re.Pattern[str]
    relative: re.Pattern[str]
    months: dict[str, int]
    units: dict[str, tuple[str, int]]
    ones: frozenset[str]
    named_days: dict[str, int]


_TIME = rf"""
    (?:(?:T|[\s,]*(?:(?:{_alternation(TIME_JOINERS)})(?![^\W\d_]))?[\s,]*)
        (?P<hour>\d{{1,2}})(?:[:.]|h(?=\d))(?P<minute>\d{{2}})(?!\d)
        (?:[:.](?P<second>\d{{2}})(?:[.,]\d+)?(?!\d))?
        (?:\s*(?P<ampm>[ap])\.?\s?m\b\.?)?
        (?:\s*(?P<zone>Z(?![^\W\d_])|UTC|GMT|[+-]\d{{2}}:?\d{{2}}(?!\d)))?
    )?
"""


@lru_cache(maxsize=64)
def _grammar(languages: tuple[str, ...]) -> _Grammar:
    months = {word: month for lang in languages for word, month in MONTHS[lang].items()}
    month = rf"(?:{_alternation(months)})(?![^\W\d_])\.?"
    joiner = rf"(?:\s+(?:{_alternation(DATE_JOINERS)}))?"
    weekdays = [word for lang in languages for word in WEEKDAYS[lang]]
    absolute = rf"""
        (?:(?<![^\W\d_])(?:{_alternation(weekdays)})(?![^\W\d_])\.?,?\s+)?
        (?<![\d.,/:-])(?:
            (?P<iso_y>\d{{4}})(?P<iso_sep>[-/.])(?P<iso_m>\d{{1,2}})(?P=iso_sep)(?P<iso_d>\d{{1,2}})(?!\d)
          | (?P<cjk_y>\d{{4}})\s*年\s*(?P<cjk_m>\d{{1,2}})\s*月\s*(?P<cjk_d>\d{{1,2}})\s*日
          | (?P<num_a>\d{{1,2}})(?P<num_sep>[./-])(?P<num_b>\d{{1,2}})(?P=num_sep)
                (?P<num_y>\d{{4}}|\d{{2}})(?![\d]|[./-]\d)
          | (?P<dm_d>\d{{1,2}})(?:st|nd|rd|th|er|º|°)?\.?\s*{joiner}\s*(?P<dm_m>{month})
                (?:[\s,]*{joiner}\s*(?P<dm_y>\d{{4}}(?!\d)|'?\d{{2}}(?=\s*(?:,|$))))?
          | (?<![^\W\d_])(?P<md_m>{month})\s*(?P<md_d>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:])
                (?:\s*,?\s*(?P<md_y>\d{{4}})(?!\d))?
        )
        {_TIME}
    """
    units = {word: unit for lang in languages for word, unit in UNITS[lang].items()}
    ones = frozenset(word for lang in languages for word in ONE[lang])
    named = {word: days for lang in languages for word, days in NAMED_DAYS[lang].items()}
    after = [word for lang in languages for word in AGO_AFTER.get(lang, ())]
    before = [word for lang in languages for word in AGO_BEFORE.get(lang, ())]
    amount = rf"(?:\d{{1,3}}|{_alternation(ones)})"
    unit = rf"(?:{_alternation(units)})(?![^\W\d_])"
    options = []
    if after:
        options.append(
            rf"(?P<ago_n>{amount})\s*(?P<ago_u>{unit})\.?\s+(?:{_alternation(after)})(?![^\W\d_])"
        )
    if before:
        options.append(
            rf"(?<![^\W\d_])(?:{_alternation(before)})\s+(?P<pre_n>{amount})\s*(?P<pre_u>{unit})"
        )
    options.append(rf"(?<![^\W\d_])(?P<named>{_alternation(named)})(?![^\W\d_]){_TIME}")
    relative = "|".join(options)
    flags = re.IGNORECASE | re.VERBOSE
    return _Grammar(
        absolute,
        re.compile(absolute, flags),
        re.compile(relative, flags),
        months,
        units,
        ones,
        named,
    )


@dataclass(frozen=True, slots=True)
class DateReading:
    """How to read the dates of one page: its languages, its numeric order, its clocks.

    `relative_to` is the fetch time ("2 ore fa" counts back from it); `year_anchor` is the
    page's own date, when it has one, for dates written without a year (else the fetch time).
    Calling the object reads one text.
    """

    languages: tuple[str, ...] = ("it", "en")
    month_first: bool = False
    default_tz: str = DEFAULT_TZ
    relative_to: datetime | None = None
    year_anchor: datetime | None = None

    def __call__(self, text: str | None) -> datetime | None:
        return read_date(text, self)


def date_pattern(languages: tuple[str, ...] = LANGUAGES) -> str:
    """The verbose, case-insensitive pattern of an absolute date, to embed in larger patterns
    (comment signatures); its matches are read back with `date_from_match`."""
    return _grammar(_known(languages)).absolute_pattern


def date_from_match(match: re.Match[str], reading: DateReading | None = None) -> datetime | None:
    """The datetime a match of `date_pattern` spells."""
    reading = reading or DateReading(LANGUAGES)
    return _absolute(match, _grammar(LANGUAGES), reading)


def read_date(text: str | None, reading: DateReading | None = None) -> datetime | None:
    """The date written in `text`, alone or inside a longer phrase; `None` when there is none."""
    if not text:
        return None
    reading = reading or DateReading()
    cleaned = " ".join(text.split())[:_MAX_CHARS].strip(" |-–—@()[]")
    if not cleaned:
        return None
    return _read_cached(cleaned, reading)


def is_relative_date(text: str | None, languages: tuple[str, ...] = LANGUAGES) -> bool:
    """Whether `text` is a date counted from now ("2 ore fa", "Hace una hora", "ieri"): a date
    all the same, even where no fetch time says what it means."""
    if not text or len(text) > _MAX_CHARS:
        return False
    return _grammar(_known(languages)).relative.search(" ".join(text.split())) is not None


def parse_date(
    text: str | None,
    *,
    languages: tuple[str, ...] = ("it", "en"),
    default_tz: str = DEFAULT_TZ,
    relative_to: datetime | None = None,
    month_first: bool = False,
) -> datetime | None:
    """Parse a date in any common form of `languages`; `None` when it cannot be read."""
    return read_date(text, DateReading(tuple(languages), month_first, default_tz, relative_to))


@lru_cache(maxsize=16384)
def _read_cached(text: str, reading: DateReading) -> datetime | None:
    try:
        return _aware(datetime.fromisoformat(text), reading.default_tz)
    except ValueError:
        pass
    grammar = _grammar(_known(reading.languages))
    for match in grammar.absolute.finditer(text):
        found = _absolute(match, grammar, reading)
        if found is not None:
            return found
    if reading.relative_to is not None:
        match = grammar.relative.search(text)
        if match:
            return _relative(match, grammar, reading)
    return _fallback(text, reading)


def _known(languages: tuple[str, ...]) -> tuple[str, ...]:
    known = tuple(dict.fromkeys(lang for lang in languages if lang in MONTHS))
    return known or LANGUAGES


def _aware(value: datetime, default_tz: str) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=ZoneInfo(default_tz))


def _absolute(match: re.Match[str], grammar: _Grammar, reading: DateReading) -> datetime | None:
    year: int | None
    if match["iso_y"]:
        year, month, day = int(match["iso_y"]), int(match["iso_m"]), int(match["iso_d"])
    elif match["cjk_y"]:
        year, month, day = int(match["cjk_y"]), int(match["cjk_m"]), int(match["cjk_d"])
    elif match["num_a"]:
        first, second = int(match["num_a"]), int(match["num_b"])
        month_first = reading.month_first
        if first > 12 >= second:
            month_first = False
        elif second > 12 >= first:
            month_first = True
        day, month = (second, first) if month_first else (first, second)
        year = _full_year(match["num_y"])
    elif match["dm_d"]:
        day, month = int(match["dm_d"]), _month(grammar, match["dm_m"])
        year = _full_year(match["dm_y"]) if match["dm_y"] else None
    else:
        day, month = int(match["md_d"]), _month(grammar, match["md_m"])
        year = int(match["md_y"]) if match["md_y"] else None
    hour, minute, second = _clock(match)
    if hour is None:
        return None
    zone = _zone(match["zone"], reading.default_tz)
    if year is None:
        return _without_year(month, day, hour, minute, second, zone, reading)
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=zone)
    except ValueError:
        return None


def _month(grammar: _Grammar, word: str) -> int:
    return grammar.months[word.lower().rstrip(".")]


def _full_year(digits: str) -> int:
    digits = digits.lstrip("'")
    if len(digits) == 2:
        return int(digits) + (2000 if int(digits) < 70 else 1900)
    return int(digits)


def _clock(match: re.Match[str]) -> tuple[int | None, int, int]:
    """Hour, minute, second of the match (midnight when it has no time); hour `None` if invalid."""
    if match["hour"] is None:
        return 0, 0, 0
    hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"] or 0)
    ampm = (match["ampm"] or "").lower()
    if ampm and not 1 <= hour <= 12:
        return None, 0, 0
    if ampm == "p" and hour < 12:
        hour += 12
    elif ampm == "a" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return None, 0, 0
    return hour, minute, second


def _zone(written: str | None, default_tz: str) -> timezone | ZoneInfo:
    if not written:
        return ZoneInfo(default_tz)
    if written.upper() in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if written[0] == "-" else 1
    digits = written[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _without_year(
    month: int,
    day: int,
    hour: int,
    minute: int,
    second: int,
    zone: timezone | ZoneInfo,
    reading: DateReading,
) -> datetime | None:
    """The year that puts the date nearest before the page's own date (or the fetch time)."""
    anchor = reading.year_anchor or reading.relative_to
    if anchor is None:
        return None
    anchor = _aware(anchor, reading.default_tz)
    for year in (anchor.year, anchor.year - 1):
        try:
            candidate = datetime(year, month, day, hour, minute, second, tzinfo=zone)
        except ValueError:
            continue  # 29 February of a year without one
        if candidate <= anchor + timedelta(days=1):
            return candidate
    return None


def _relative(match: re.Match[str], grammar: _Grammar, reading: DateReading) -> datetime | None:
    base = _aware(reading.relative_to, reading.default_tz)  # type: ignore[arg-type]
    if match["named"]:
        days = grammar.named_days[match["named"].lower()]
        day = base - timedelta(days=days)
        if match["hour"] is None:
            return day.replace(hour=0, minute=0, second=0, microsecond=0)
        hour, minute, second = _clock(match)
        if hour is None:
            return None
        return day.replace(hour=hour, minute=minute, second=second, microsecond=0)
    amount_text = (match["ago_n"] or match["pre_n"]).lower()
    amount = 1 if amount_text in grammar.ones else int(amount_text)
    kind, size = grammar.units[(match["ago_u"] or match["pre_u"]).lower()]
    return base - relativedelta(**{kind: amount * size})


_HAS_YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")
_ZONE_AT_END = re.compile(r"[+-]\d{4}$|\b(?:GMT|UTC|[ECMP][SD]T)$")
# One number and no word (`_HAS_YEAR` found the number a year): dateparser, asked for a day, a
# month and a year, reads none from it, and takes half a millisecond to say so.
_NUMBER_ALONE = re.compile(r"\W*\d+\W*")


def _fallback(text: str, reading: DateReading) -> datetime | None:
    """RFC 2822 and, for texts with a year in a shape of no rule here, dateparser."""
    if len(text) > 80 or not _HAS_YEAR.search(text):
        return None
    if "," in text[:5] or _ZONE_AT_END.search(text):
        try:
            return _aware(parsedate_to_datetime(text), reading.default_tz)
        except (TypeError, ValueError, IndexError):
            pass
    if _NUMBER_ALONE.fullmatch(text):
        return None  # a year alone ("1850" in a link): no day and month for dateparser to find
    settings = {
        "DATE_ORDER": "MDY" if reading.month_first else "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "TIMEZONE": reading.default_tz,
        "REQUIRE_PARTS": ["day", "month", "year"],
        "PARSERS": ["absolute-time", "custom-formats"],
    }
    import dateparser  # a third of a second to import; most pages never get this far

    try:
        return dateparser.parse(text, languages=list(_known(reading.languages)), settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None


# --- the page's language ----------------------------------------------------------------------
_LANG_TAG = re.compile(r"^\s*([a-z]{2,3})(?:[-_]([a-z]{2}))?", re.IGNORECASE)
# A numeric date not preceded by a digit, "." "/" or "-": that look-behind is tested in Python
# on each match (`_numeric_dates`), since a pattern that starts with one is tried at every
# character of the page's text, one that starts with a digit only at digits.
# `\d\d?` rather than `\d{1,2}` (the same matches): a pattern that begins with one digit lets
# the regex engine skip ahead to the next digit in C instead of trying each character.
_NUMERIC_DATES = re.compile(r"(\d\d?)([/.-])(\d\d?)\2(?:\d{4}|\d{2})(?![\d])")
_DIGIT_SEPARATOR_DIGIT = re.compile(r"\d[/.-]\d")


@dataclass(frozen=True, slots=True)
class PageLanguage:
    """The language a page says it is in (`None` when it does not say) and its region."""

    language: str | None
    region: str | None = None

    @property
    def date_languages(self) -> tuple[str, ...]:
        """The languages its dates may be written in: its own and English, or all known."""
        if self.language in MONTHS:
            return tuple(dict.fromkeys((self.language, "en")))
        return LANGUAGES

    @property
    def american(self) -> bool:
        return self.language == "en" and self.region == "US"


def language_tag(tag: str | None) -> PageLanguage | None:
    """ "it-IT", "en_US", "pt-br" to a `PageLanguage`; `None` for an empty or odd tag."""
    match = _LANG_TAG.match(tag or "")
    if not match:
        return None
    region = match.group(2)
    return PageLanguage(match.group(1).lower(), region.upper() if region else None)


def month_first_by_evidence(text: str) -> bool | None:
    """What the page's own numeric dates say: `True` when some can only be month first
    (`5/21/2024`) and none only day first, `False` for the reverse, `None` when all could be
    either or there are none."""
    month_only = day_only = False
    for match in _numeric_dates(text):
        first, second = int(match.group(1)), int(match.group(3))
        if second > 12 >= first >= 1:
            month_only = True
        elif first > 12 >= second >= 1:
            day_only = True
    if month_only != day_only:
        return month_only
    return None


def _numeric_dates(text: str) -> Iterator[re.Match[str]]:
    """The numeric dates of `text` that stand on their own (not inside a longer run of digits
    and separators): no match can begin inside a match refused for what precedes it, since
    all it holds are digits and separators.

    Most pages' text has no digit, separator, digit anywhere: one quick search says so. Where
    there is one, no date begins more than one digit before the first."""
    first = _DIGIT_SEPARATOR_DIGIT.search(text)
    if first is None:
        return
    for match in _NUMERIC_DATES.finditer(text, max(0, first.start() - 1)):
        start = match.start()
        if start:
            before = text[start - 1]
            if before.isdecimal() or before in "./-":
                continue
        yield match
