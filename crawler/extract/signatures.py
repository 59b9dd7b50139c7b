"""Comment signatures and the dates written in them, at the level of plain text.

Old Italian and English blogs (TypePad, Movable Type, Splinder) sign each comment with a line
such as `Inviato da: M. Bancora @ 16.02.04 20:35`, `Posted by: Jane | March 3, 2005 at 10:12 AM`
or `Scritto da Mario il 12/02/2004 alle 15:48`. Text dumps and some templates run every comment
of a thread together in one block, so the signatures are the only reliable boundaries: the text
before each signature is that comment.

The date in a signature is any date `dates.py` can read, in any of its languages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crawler.extract.date_words import LANGUAGES
from crawler.extract.dates import DEFAULT_TZ, DateReading, date_pattern


class LazyPattern:
    """A regular expression built and compiled on first use, standing in for it (`search`,
    `finditer`... are the compiled pattern's): a date in every language `dates.py` reads takes
    ~50 ms to build, and only pages with signature labels ever need it."""

    def __init__(self, build: Callable[[], re.Pattern[str]]) -> None:
        self._build = build
        self._pattern: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._pattern is None:
            self._pattern = self._build()
        return getattr(self._pattern, name)


DATE_PHRASE = LazyPattern(lambda: re.compile(date_pattern(), re.IGNORECASE | re.VERBOSE))
SIGNATURE = LazyPattern(
    lambda: re.compile(
        r"(?<![a-zà-ÿ])(?P<label>(?:inviato|postato|scritto|pubblicato|commentato)\s+da"
        r"|commento\s+di|risposta\s+di|(?:posted|written|submitted)\s+by)"
        r"\s*:?\s*(?P<name>[^\n@|]{1,80}?)\s*(?:[@|,–-]|\b(?:il|on|alle|at)\b)\s*"
        rf"(?P<date>{date_pattern()})",
        re.IGNORECASE | re.VERBOSE,
    )
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
    before it (a post footer, an empty comment) yields nothing. Where the signatures are
    headers instead ("Commento di Anna, 3 marzo 2020" above each text: nothing before the
    first, text after the last), each comment is the text after its signature.
    """
    matches = list(SIGNATURE.finditer(text))
    if not matches:
        return []
    before = _without_heading(text[: matches[0].start()].strip(_EDGE_NOISE))
    after = text[matches[-1].end() :].strip(_EDGE_NOISE)
    if not before and after:
        ends = [match.start() for match in matches[1:]] + [len(text)]
        return [
            SignedComment(body, clean_author(match["name"]), " ".join(match["date"].split()))
            for match, end in zip(matches, ends, strict=True)
            if (body := text[match.end() : end].strip(_EDGE_NOISE))
        ]
    comments: list[SignedComment] = []
    start = 0
    for match in matches:
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
    if _HEADING_LINE.match(first.strip()):
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
    """The date written in `text` (alone or inside a longer phrase), in any known language;
    `None` when there is none. Relative dates ("2 giorni fa") are read only against
    `relative_to`, the fetch time."""
    return DateReading(LANGUAGES, False, default_tz, relative_to)(text)
