"""Star ratings as pages write them ("4", 4.5, "4,2", "4/5", "80%") to one 0–1 scale."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_NUMBER = r"[-+]?\d+(?:[.,]\d+)?"
_FIRST_NUMBER = re.compile(_NUMBER)
# "4/5", "4 su 5", "4 out of 5", "4,5 di 5", "4 of 5 stars"
_OUT_OF = re.compile(
    rf"({_NUMBER})\s*(?:/|su|di|of|out\s+of|su\s+un\s+massimo\s+di)\s*({_NUMBER})",
    re.IGNORECASE,
)
_PERCENT = re.compile(rf"({_NUMBER})\s*%")
_COUNT = re.compile(r"\d[\d.,'\u00a0\u202f ]*")


@dataclass(frozen=True, slots=True)
class Stars:
    """A rating on its own scale and normalised: (value − worst) / (best − worst) in [0, 1]."""

    rating: float
    value: float
    best: float
    worst: float


def _as_float(text: str) -> float | None:
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def parse_number(value: object) -> float | None:
    """The first number in a value; decimal commas accepted. `None` when there is none."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, str):
        match = _FIRST_NUMBER.search(value)
        return _as_float(match.group()) if match else None
    return None


def parse_count(value: object) -> int | None:
    """A count such as 1234, "1.234", "1,234" or "1 234 recensioni" (separators dropped)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return int(value) if math.isfinite(value) and value >= 0 else None
    if isinstance(value, str):
        match = _COUNT.search(value)
        if match:
            digits = re.sub(r"\D", "", match.group())
            return int(digits) if digits else None
    return None


def _value_and_scale(value: object) -> tuple[float | None, float | None]:
    """The rating value, and a best rating when the value itself carries one ("4/5", "80%")."""
    if isinstance(value, str):
        out_of = _OUT_OF.search(value)
        if out_of:
            return _as_float(out_of.group(1)), _as_float(out_of.group(2))
        percent = _PERCENT.search(value)
        if percent:
            return _as_float(percent.group(1)), 100.0
    return parse_number(value), None


def _default_best(value: float) -> float:
    """schema.org's default best is 5; a value beyond it tells of a 10- or 100-point scale."""
    if value <= 5:
        return 5.0
    if value <= 10:
        return 10.0
    return 100.0


def normalise_rating(value: object, best: object = None, worst: object = None) -> Stars | None:
    """A rating on 0–1 (1★ of 5 = 0.0, 3★ = 0.5, 5★ = 1.0), clamped; `None` if unreadable.

    Missing `best` is 5 (schema.org's default) unless the value is larger; missing `worst` is 1,
    or 0 on a 0–1 scale.
    """
    number, scale = _value_and_scale(value)
    if number is None:
        return None
    best_number = parse_number(best)
    if best_number is None:
        best_number = scale if scale is not None else _default_best(number)
    worst_number = parse_number(worst)
    if worst_number is None:
        worst_number = 0.0 if best_number <= 1 or scale == 100.0 else 1.0
    if best_number <= worst_number:
        return None
    rating = (number - worst_number) / (best_number - worst_number)
    return Stars(min(1.0, max(0.0, rating)), number, best_number, worst_number)


# --- ratings written for people: on review cards without markup ----------------------------

_LABEL = (
    r"(?:voto|valutazione|giudizio|punteggio|rating|rated|score|note|notation|bewertung|"
    r"calificaci[oó]n|puntuaci[oó]n|nota|avalia[cç][aã]o)"
)
_UNIT = r"(?:stelle|stella|stars?|[eé]toiles?|sterne?n?|estrellas?|estrelas?|punti|points?)"
_SCALE_WORD = r"(?:/|su|di|of|out\s+of|sur|von|aus|de|su\s+un\s+massimo\s+di)"
# The whole of a short text is the rating: "Voto: 4/5", "4,5 su 5 stelle", "Rated 4 out of 5",
# "4 stelle". A label or a unit is what tells "4 su 5" from "pagina 1 di 5".
_WRITTEN = re.compile(
    rf"^(?P<label>{_LABEL}\s*:?\s*)?(?P<value>{_NUMBER})"
    rf"\s*(?:(?P<by>{_SCALE_WORD})\s*(?P<scale>{_NUMBER}))?\s*(?P<unit>{_UNIT})?\.?$",
    re.IGNORECASE,
)
_GLYPHS = re.compile(r"^[\s★☆✩✪✫✬✭✮✯⭐½]+$")
# "a-star-5", "allstar50", "stars-4-5", "rating-45", "bubble_40", "star-rating-4-half"
_STAR_CLASS = re.compile(r"(?:star|rating|rated|bubble|stelle)s?[-_]?(\d{1,2})(?:[-_](\d|half))?$")
_MAX_WRITTEN = 40
# "4 su 5", "4 out of 5" are ratings by themselves; "1 di 5", "1 of 5" are as often page counters.
_RATING_SCALES = frozenset({"/", "su", "out of", "sur", "von", "aus", "su un massimo di"})


def rating_in_words(text: str | None) -> Stars | None:
    """A rating written out for people: star glyphs ("★★★★☆"), "Voto: 4/5", "4,5 su 5 stelle",
    "4 out of 5 stars", "4 stelle", "4.5/5". Best is 5 unless the text says otherwise. A bare
    number is not a rating, nor "1 di 5" / "1 of 5" without a label or unit (page counters)."""
    text = " ".join((text or "").split())
    if not text or len(text) > _MAX_WRITTEN:
        return None
    if _GLYPHS.match(text):
        full = text.count("★") + text.count("⭐") + sum(text.count(g) for g in "✪✫✬✭✮✯")
        half = text.count("½")
        empty = text.count("☆") + text.count("✩")
        if full + half + empty < 3:
            return None
        best = full + half + empty if empty or half else max(5, full)
        return normalise_rating(full + half / 2, best)
    match = _WRITTEN.match(text)
    if not match:
        return None
    by = " ".join((match.group("by") or "").lower().split())
    if not (match.group("label") or match.group("unit") or by in _RATING_SCALES):
        return None
    value = _as_float(match.group("value"))
    scale = _as_float(match.group("scale")) if match.group("scale") else 5.0
    if value is None or scale is None or not 0 <= value <= scale:
        return None  # "12/05" is a date, not twelve stars of five
    return normalise_rating(value, scale)


def rating_in_classes(tokens: list[str]) -> Stars | None:
    """A rating carried by a class name: "a-star-5", "allstar50" (tenths), "stars-4-5",
    "bubble_45". Values beyond 5 stars are not read: those names mean something else."""
    for token in tokens:
        match = _STAR_CLASS.search(token)
        if not match:
            continue
        whole, part = match.group(1), match.group(2)
        if len(whole) == 2:
            value = int(whole) / 10
        else:
            value = int(whole) + (0.5 if part == "half" else int(part or 0) / 10)
        if 0 < value <= 5:
            return normalise_rating(value, 5)
    return None


def rating_in_icons(full: int, half: int, empty: int) -> Stars | None:
    """A rating drawn as a row of star icons: so many full, half and empty of the row."""
    total = full + half + empty
    if total < 3 or total > 10:
        return None
    return normalise_rating(full + half / 2, total)
