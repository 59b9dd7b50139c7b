"""The report's words (`words_it`, `words_en`) and numbers and dates in each language's style.

One language per site (`site.language`): a page never mixes the two.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from types import MappingProxyType

from crawler.report import words_en, words_it
from crawler.sentiment.labels import tone_of

LABEL_KEYS = ("negative", "neutral", "positive", "unknown")

_MONTHS = {
    "it": [
        "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
        "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre",
    ],
    "en": [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ],
}  # fmt: skip

LABELS = MappingProxyType(
    {"it": MappingProxyType(words_it.WORDS), "en": MappingProxyType(words_en.WORDS)}
)


class Words:
    """The labels and number/date formats of one language, for templates and charts."""

    def __init__(self, language: str, zone: tzinfo) -> None:
        if language not in LABELS:
            raise ValueError(f"no labels for language {language!r}")
        self.language = language
        self.zone = zone
        self._labels = LABELS[language]

    def __getattr__(self, key: str) -> str:
        try:
            return self._labels[key]
        except KeyError:
            raise AttributeError(key) from None

    def __getitem__(self, key: str) -> str:
        return self._labels[key]

    def word(self, key: str) -> str:
        """The label for `key`, or the key itself for a value the report has no word for."""
        return self._labels.get(key, key)

    # --- numbers ---
    def _decimal(self, text: str) -> str:
        if self.language == "it":
            return text.replace(",", "_").replace(".", ",").replace("_", ".")
        return text

    def integer(self, value: int) -> str:
        return self._decimal(f"{value:,d}")

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(self._labels)

    def star_average(self, stars: float | None) -> str:
        """An average on the five-star scale: "★ 3,4/5"."""
        if stars is None:
            return self.no_rating
        return "★ " + self._decimal(f"{stars:.1f}") + "/5"

    def rating_of(self, count: int) -> str:
        """How many reviews an average is based on: "su 12 recensioni"."""
        return self.count_of(count, "rating") if count else ""

    def count_of(self, value: int, noun: str) -> str:
        """A count with its noun in the right number: "1 errore", "3 errori"."""
        key = f"count_{noun}" if value == 1 else f"count_{noun}_many"
        return self[key].format(n=self.integer(value))

    def percent(self, value: float | None, digits: int = 1) -> str:
        """A share in [0, 1] as a percentage, or a dash when undefined."""
        if value is None:
            return "—"
        return self._decimal(f"{value * 100:.{digits}f}") + "%"

    def change_percent(self, now: int, before: int) -> str:
        """Relative change of a count; a dash when there is nothing to compare with."""
        if before == 0:
            return "—"
        change = (now - before) / before * 100
        return ("+" if change > 0 else "") + self._decimal(f"{change:.0f}") + "%"

    def change_points(self, now: float | None, before: float | None) -> str:
        """Change of a share in percentage points."""
        if now is None or before is None:
            return "—"
        change = (now - before) * 100
        return ("+" if change > 0 else "") + self._decimal(f"{change:.1f}") + " " + self.points

    def tone(self, value: float | None) -> str:
        """A text score in words ("tono molto negativo"); empty when the text was not scored."""
        if value is None:
            return ""
        return self[f"tone_{tone_of(value)}"]

    def score(self, value: float | None) -> str:
        if value is None:
            return "—"
        return ("+" if value > 0 else "") + self._decimal(f"{value:.2f}")

    def stars(self, rating: float) -> str:
        """A rating normalised to 0-1 as the five-star scale people know (0 is 1 star)."""
        stars = 1 + 4 * min(1.0, max(0.0, rating))
        return "★ " + self._decimal(f"{stars:.1f}".removesuffix(".0")) + "/5"

    def duration(self, seconds: float | None) -> str:
        if seconds is None:
            return "—"
        if seconds < 3600:
            return f"{max(1, round(seconds / 60))} min"
        if seconds < 2 * 86400:
            return self._decimal(f"{seconds / 3600:.1f}") + " h"
        return self._decimal(f"{seconds / 86400:.1f}") + f" {self.days_unit}"

    # --- dates (shown in the report's time zone) ---
    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def date(self, moment: datetime | None) -> str:
        if moment is None:
            return "—"
        local = self.local(moment)
        month = _MONTHS[self.language][local.month - 1]
        return f"{local.day} {month[:3]} {local.year}"

    def short_date(self, moment: datetime) -> str:
        local = self.local(moment)
        return f"{local.day} {_MONTHS[self.language][local.month - 1][:3]}"

    def datetime(self, moment: datetime | None) -> str:
        if moment is None:
            return "—"
        return f"{self.date(moment)} {self.local(moment):%H:%M}"

    def undated(self, first_seen: datetime) -> str:
        """A mention whose page gave no date: said so, with when it was first seen."""
        seen = self["first_seen_on"].format(date=self.date(first_seen))
        return f"{self['date_unknown']} ({seen})"

    def month(self, year: int, month: int) -> str:
        name = _MONTHS[self.language][month - 1]
        return f"{name.capitalize()} {year}"
