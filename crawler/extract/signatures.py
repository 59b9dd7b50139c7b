"""Comment signatures and the dates written in them, at the level of plain text.

Old Italian and English blogs (TypePad, Movable Type, Splinder) sign each comment with a line
such as `Inviato da: M. Bancora @ 16.02.04 20:35`, `Posted by: Jane | March 3, 2005 at 10:12 AM`
or `Scritto da Mario il 12/02/2004 alle 15:48`. Text dumps and some templates run every comment
of a thread together in one block, so the signatures are the only reliable boundaries: the text
before each signature is that comment.

Dates in a known shape are built directly from the regular expression's groups: dateparser
takes about 2 ms a call, which a page with thousands of comments cannot afford.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from crawler.extract.dates import DEFAULT_TZ, parse_date

MONTHS = {
    **dict.fromkeys(("gennaio", "gen", "january", "jan"), 1),
    **dict.fromkeys(("febbraio", "feb", "february"), 2),
    **dict.fromkeys(("marzo", "mar", "march"), 3),
    **dict.fromkeys(("aprile", "apr", "april"), 4),
    **dict.fromkeys(("maggio", "mag", "may"), 5),
    **dict.fromkeys(("giugno", "giu", "june", "jun"), 6),
    **dict.fromkeys(("luglio", "lug", "july", "jul"), 7),
    **dict.fromkeys(("agosto", "ago", "august", "aug"), 8),
    **dict.fromkeys(("settembre", "sett", "set", "september", "sept", "sep"), 9),
    **dict.fromkeys(("ottobre", "ott", "october", "oct"), 10),
    **dict.fromkeys(("novembre", "nov", "november"), 11),
    **dict.fromkeys(("dicembre", "dic", "december", "dec"), 12),
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = (
    r"(?:luned[iì]|marted[iì]|mercoled[iì]|gioved[iì]|venerd[iì]|sabato|domenica"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|lun|mar|mer|gio|ven|sab|dom|mon|tue|wed|thu|fri|sat|sun)\.?,?\s+"
)
_ORDINAL = r"(?:st|nd|rd|th|°|º)?"
DATE_PHRASE_PATTERN = rf"""
    (?<!\d)
    (?:
        (?P<day_n>\d{{1,2}})[./-](?P<month_n>\d{{1,2}})[./-](?P<year_n>\d{{4}}|\d{{2}})(?!\d)
      | (?:{_WEEKDAY})?(?P<day_a>\d{{1,2}}){_ORDINAL}\s+(?P<month_a>{_MONTH})\.?,?
            \s+(?P<year_a>\d{{4}})
      | (?:{_WEEKDAY})?(?P<month_b>{_MONTH})\.?\s+(?P<day_b>\d{{1,2}}){_ORDINAL},?
            \s+(?P<year_b>\d{{4}})
      | (?P<iso>\d{{4}}-\d{{2}}-\d{{2}}(?:[T\ ]\d{{2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?
            (?:Z|[+-]\d{{2}}:?\d{{2}})?)?)
    )
    (?:\s*(?:,|alle\ ore|alle|ore|at|@|-|–)?\s*
        (?P<hour>\d{{1,2}})[:.](?P<minute>\d{{2}})(?!\d)
        (?:\s*(?P<ampm>[ap])\.?\ ?m\.?(?![a-z]))?
    )?
"""
DATE_PHRASE = re.compile(DATE_PHRASE_PATTERN, re.IGNORECASE | re.VERBOSE)

SIGNATURE = re.compile(
    r"(?<![a-zà-ÿ])(?P<label>(?:inviato|postato|scritto|pubblicato|commentato)\s+da"
    r"|commento\s+di|(?:posted|written|submitted)\s+by)"
    r"\s*:?\s*(?P<name>[^\n@|]{1,80}?)\s*(?:[@|,–-]|\b(?:il|on|alle|at)\b)\s*"
    rf"(?P<date>{DATE_PHRASE_PATTERN})",
    re.IGNORECASE | re.VERBOSE,
)
_HEADING_LINE = re.compile(r"^\W*\d*\W*(?:commenti|commento|comments?)\b.{0,30}$", re.IGNORECASE)
_EDGE_NOISE = " \t\n|-–—"
ANONYMOUS = frozenset({"anonimo", "anonymous", "anonyme", "anónimo", "anonym", "utente anonimo"})


@dataclass(frozen=True, slots=True)
class SignedComment:
    """A comment cut out of a run of text by its signature."""

    text: str
    author: str | None
    date_text: str


def split_signed(text: str) -> list[SignedComment]:
    """Cut `text` at every signature: each comment is the text before its signature.

    Text after the last signature belongs to no one and is dropped; a signature with no text
    before it (a post footer, an empty comment) yields nothing.
    """
    comments: list[SignedComment] = []
    start = 0
    for match in SIGNATURE.finditer(text):
        body = text[start : match.start()].strip(_EDGE_NOISE)
        start = match.end()
        if not comments:
            body = _without_heading(body)
        if body:
            comments.append(
                SignedComment(body, clean_author(match["name"]), " ".join(match["date"].split()))
            )
    return comments


def count_signatures(text: str) -> int:
    return sum(1 for _ in SIGNATURE.finditer(text))


def _without_heading(body: str) -> str:
    first, _, rest = body.partition("\n")
    if rest.strip() and _HEADING_LINE.match(first.strip()):
        return rest.strip(_EDGE_NOISE)
    return body


_AUTHOR_SUFFIX = re.compile(
    r"\s*(?:\b(?:dice|says|said|scrive|wrote|ha\s+detto|ha\s+scritto|a\s+dit|dijo|schrieb)\b"
    r"\s*[:.…]*|[:|,–-])\s*$",
    re.IGNORECASE,
)


def clean_author(name: str | None) -> str | None:
    """A commenter's name without "dice:"/"says:" and similar; `None` when empty or anonymous."""
    if not name:
        return None
    name = " ".join(name.split())
    previous = None
    while previous != name:
        previous = name
        name = _AUTHOR_SUFFIX.sub("", name).strip()
    name = name.strip(" :|,–-")  # not ".": "Anna K." keeps her initial
    if not name or len(name) > 120 or name.lower() in ANONYMOUS:
        return None
    return name


def read_date(
    text: str | None,
    *,
    default_tz: str = DEFAULT_TZ,
    relative_to: datetime | None = None,
) -> datetime | None:
    """The date written in `text` (alone or inside a longer phrase); `None` when there is none.

    Relative dates ("2 giorni fa") are read only against `relative_to`, the fetch time.
    """
    if not text:
        return None
    text = " ".join(text.split()).strip(" |-–—@,()[]")
    if not text:
        return None
    match = DATE_PHRASE.fullmatch(text)
    if match:
        return date_from_match(match, default_tz)
    parsed = parse_date(text, default_tz=default_tz, relative_to=relative_to)
    if parsed is not None:
        return parsed
    match = DATE_PHRASE.search(text)
    return date_from_match(match, default_tz) if match else None


def date_from_match(match: re.Match[str], default_tz: str = DEFAULT_TZ) -> datetime | None:
    """Build the datetime a `DATE_PHRASE` match spells; day first for numeric dates."""
    if match["iso"]:
        return parse_date(match["iso"], default_tz=default_tz)
    if match["day_n"]:
        day, month, year = int(match["day_n"]), int(match["month_n"]), match["year_n"]
    elif match["day_a"]:
        day, month, year = int(match["day_a"]), MONTHS[match["month_a"].lower()], match["year_a"]
    else:
        day, month, year = int(match["day_b"]), MONTHS[match["month_b"].lower()], match["year_b"]
    full_year = int(year) + (2000 if int(year) < 70 else 1900) if len(year) == 2 else int(year)
    hour = int(match["hour"] or 0)
    minute = int(match["minute"] or 0)
    ampm = (match["ampm"] or "").lower()
    if ampm == "p" and hour < 12:
        hour += 12
    elif ampm == "a" and hour == 12:
        hour = 0
    try:
        return datetime(full_year, month, day, hour, minute, tzinfo=ZoneInfo(default_tz))
    except ValueError:
        return None
