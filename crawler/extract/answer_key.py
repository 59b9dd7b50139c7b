"""Scoring extracted comments, forum posts and reviews against a hand-checked answer key.

The key (`answers.json` of the development corpus, see `../shared/corpus/README.md`) gives per
page the expected number of comments, forum posts and reviews, and the first two and last item
of each with author, date and rating. `score_page` compares what an extraction found with it,
the same way for the bench (mentions read back from the store) and the corpus test (extractor
output), so both report the same figures.

Rules, chosen so that a figure means "a person would agree":

* an expected item is *found* by its text (the key's first words, start or anywhere in a found
  text), failing that by its author and date; each found item answers one expected item;
* *right author*: equal as lower-case words (punctuation and accents ignored); an item the key
  shows without an author, or as "Anonymous", must have none (or that placeholder);
* *right date*: the same calendar day, read in the key's own offset when it gives one, else in
  the found time's own offset or the crawl's time zone (the zone times without an offset are
  read in; the store keeps times in UTC). A key without a date
  (relative-only or no date on the page) cannot be checked and passes;
* *right rating*: the key's `value/best` on the project's 0–1 scale (`normalise_rating`, best 5
  where omitted) equal to the found rating within 0.01;
* a *double count* is a found text equal to, or (when 40 characters or longer) contained in,
  another found text of the same page by the same author (or where either has none): the same
  words stored twice;
* on a trap page every found item is a false mention.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from crawler.extract.brands import normalise
from crawler.extract.ratings import normalise_rating

THREAD_KINDS = ("comment", "forum")  # found kinds that answer the key's comments and posts
_KEY_THREAD_KINDS = ("comment", "post")
DOUBLE_MIN_CHARS = 40


@dataclass(frozen=True, slots=True)
class Found:
    """One extracted item: a comment, forum post or review, as a mention carries it."""

    kind: str  # "comment", "forum" or "review"
    text: str
    author: str | None = None
    published: datetime | None = None
    rating: float | None = None  # 0–1


@dataclass(slots=True)
class PageScore:
    """How one page's extraction compares with its answer."""

    file: str
    kind: str  # the page's kind in the key: blog, news, forum, reviews, trap
    expected: int = 0  # comments + forum posts
    found: int = 0
    checked: int = 0  # key items (first two and last) of comments and posts
    matched: int = 0  # ... found at all
    right: int = 0  # ... found with the right author and date
    expected_reviews: int = 0
    found_reviews: int = 0
    checked_reviews: int = 0
    matched_reviews: int = 0
    right_reviews: int = 0  # right author, date and rating
    doubles: int = 0
    false_on_trap: int = 0
    problems: list[str] = field(default_factory=list)


def load_answers(corpus: Path) -> list[dict]:
    """The answer key, one object per page, in file order."""
    return json.loads((corpus / "answers.json").read_text(encoding="utf-8"))


def _prefix_words(text_start: str) -> str:
    """The key's text start as words, without a last word the 60-character cut may have split."""
    tokens = normalise(text_start).split()
    if len(text_start) >= 60 and len(tokens) > 1:
        tokens = tokens[:-1]
    return " ".join(tokens)


_NO_NAME = frozenset({"anonymous", "anonimo", "anonyme", "anonym", "guest", "ospite"})


def same_author(expected: str | None, found: str | None) -> bool:
    return _name(expected) == _name(found)


def _name(author: str | None) -> str:
    name = normalise(author or "")
    return "" if name in _NO_NAME else name


def same_day(expected_iso: str | None, found: datetime | None, local_tz: str) -> bool:
    if not expected_iso:
        return True
    if found is None:
        return False
    day = date.fromisoformat(expected_iso[:10])
    if found.tzinfo is None:
        found = found.replace(tzinfo=ZoneInfo(local_tz))
    if len(expected_iso) == 10:
        # The day as shown: in the zone the time was given in, or read in.
        return day in (found.date(), found.astimezone(ZoneInfo(local_tz)).date())
    expected_time = datetime.fromisoformat(expected_iso.replace("Z", "+00:00"))
    zone = timezone(expected_time.utcoffset() or timedelta(0))
    return found.astimezone(zone).date() == day


def same_rating(expected: str | None, found: float | None) -> bool:
    """The key's `value/best` (best 5 where omitted) on the project's 0–1 scale, the one a
    mention's rating is stored on (`normalise_rating`: 1 of 5 stars is 0, 4.5 of 5 is 0.875)."""
    if not expected:
        return True  # the key has no rating to check
    if found is None:
        return False
    value, _, best = expected.partition("/")
    stars = normalise_rating(value, best or 5)
    return stars is not None and abs(stars.rating - found) <= 0.01


def _match(expected: Sequence[dict], found: Sequence[Found], local_tz: str) -> list[Found | None]:
    """For each expected item the found item that answers it (or `None`), each used once."""
    texts = [normalise(item.text) for item in found]
    used: set[int] = set()
    answer: list[Found | None] = [None] * len(expected)
    for position, item in enumerate(expected):
        wanted = _prefix_words(item.get("text_start") or "")
        if not wanted:
            continue
        starts = [i for i, t in enumerate(texts) if i not in used and t.startswith(wanted)]
        inside = [i for i, t in enumerate(texts) if i not in used and wanted in t]
        for candidates in (starts, inside):
            if candidates:
                best = next(
                    (i for i in candidates if same_author(item.get("author"), found[i].author)),
                    candidates[0],
                )
                used.add(best)
                answer[position] = found[best]
                break
    for position, item in enumerate(expected):
        if answer[position] is not None or not item.get("author"):
            continue
        for i, candidate in enumerate(found):
            if (
                i not in used
                and same_author(item.get("author"), candidate.author)
                and item.get("date_iso")
                and same_day(item.get("date_iso"), candidate.published, local_tz)
            ):
                used.add(i)
                answer[position] = candidate
                break
    return answer


def count_doubles(found: Iterable[Found]) -> int:
    """Found items whose words another found item of the page already carries, by the same
    author (or where one of the two has none): two customers leaving the same stock text are
    two reviews, one comment read twice is a double."""
    items = sorted(
        ((normalise(item.text), _name(item.author)) for item in found),
        key=lambda pair: len(pair[0]),
        reverse=True,
    )
    doubles = 0
    for i, (text, author) in enumerate(items):
        if not text:
            continue
        for longer, other in items[:i]:
            same_words = text == longer or (len(text) >= DOUBLE_MIN_CHARS and text in longer)
            if same_words and (author == other or not author or not other):
                doubles += 1
                break
    return doubles


def _describe(item: dict, got: Found | None) -> str:
    where = f"{item['kind']} {item['index']} ({item.get('author')!r}, {item.get('date_iso')})"
    if got is None:
        return f"{where}: not found"
    when = got.published.isoformat() if got.published else None
    return f"{where}: got {got.author!r}, {when}, rating {got.rating}"


def score_page(answer: dict, found: Sequence[Found], *, local_tz: str = "Europe/Rome") -> PageScore:
    """Compare one page's found items with its answer (see the module's rules)."""
    expected = answer["expected"]
    score = PageScore(file=answer["file"], kind=answer["kind"])
    thread = [item for item in found if item.kind in THREAD_KINDS]
    reviews = [item for item in found if item.kind == "review"]
    score.expected = expected.get("comments", 0) + expected.get("forum_posts", 0)
    score.found = len(thread)
    score.expected_reviews = expected.get("reviews", 0)
    score.found_reviews = len(reviews)
    score.doubles = count_doubles(thread) + count_doubles(reviews)
    if answer["kind"] == "trap":
        score.false_on_trap = len(thread) + len(reviews)
    key_thread = [item for item in answer["items"] if item["kind"] in _KEY_THREAD_KINDS]
    key_reviews = [item for item in answer["items"] if item["kind"] == "review"]
    for item, got in zip(key_thread, _match(key_thread, thread, local_tz), strict=True):
        score.checked += 1
        right = got is not None and (
            same_author(item.get("author"), got.author)
            and same_day(item.get("date_iso"), got.published, local_tz)
        )
        score.matched += got is not None
        score.right += right
        if not right:
            score.problems.append(_describe(item, got))
    for item, got in zip(key_reviews, _match(key_reviews, reviews, local_tz), strict=True):
        score.checked_reviews += 1
        right = got is not None and (
            same_author(item.get("author"), got.author)
            and same_day(item.get("date_iso"), got.published, local_tz)
            and same_rating(item.get("rating"), got.rating)
        )
        score.matched_reviews += got is not None
        score.right_reviews += right
        if not right:
            score.problems.append(_describe(item, got))
    return score


@dataclass(slots=True)
class Totals:
    """The corpus in a few ratios: what the targets of issue 10 are stated in."""

    expected: int = 0
    found: int = 0  # capped per page at the expected count: extras are not finds
    extra: int = 0
    checked: int = 0
    right: int = 0
    expected_forum: int = 0  # on forum pages (posts and their Q&A comments)
    found_forum: int = 0
    checked_forum: int = 0
    right_forum: int = 0
    expected_reviews: int = 0
    found_reviews: int = 0
    checked_reviews: int = 0
    right_reviews: int = 0
    doubles: int = 0
    false_on_traps: int = 0

    @property
    def found_ratio(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    @property
    def right_ratio(self) -> float:
        return self.right / self.checked if self.checked else 1.0

    @property
    def forum_found_ratio(self) -> float:
        return self.found_forum / self.expected_forum if self.expected_forum else 1.0

    @property
    def forum_right_ratio(self) -> float:
        return self.right_forum / self.checked_forum if self.checked_forum else 1.0

    @property
    def reviews_found_ratio(self) -> float:
        return self.found_reviews / self.expected_reviews if self.expected_reviews else 1.0

    @property
    def reviews_right_ratio(self) -> float:
        return self.right_reviews / self.checked_reviews if self.checked_reviews else 1.0

    def as_dict(self) -> dict:
        ratios = {
            name: round(getattr(self, name), 4)
            for name in (
                "found_ratio",
                "right_ratio",
                "forum_found_ratio",
                "forum_right_ratio",
                "reviews_found_ratio",
                "reviews_right_ratio",
            )
        }
        return {**asdict(self), **ratios}


def totals(pages: Iterable[PageScore]) -> Totals:
    out = Totals()
    for page in pages:
        found = min(page.found, page.expected)
        out.expected += page.expected
        out.found += found
        out.extra += max(0, page.found - page.expected) if page.kind != "trap" else 0
        out.checked += page.checked
        out.right += page.right
        if page.kind == "forum":
            out.expected_forum += page.expected
            out.found_forum += found
            out.checked_forum += page.checked
            out.right_forum += page.right
        out.expected_reviews += page.expected_reviews
        out.found_reviews += min(page.found_reviews, page.expected_reviews)
        out.checked_reviews += page.checked_reviews
        out.right_reviews += page.right_reviews
        out.doubles += page.doubles
        out.false_on_traps += page.false_on_trap
    return out
