"""The archive's own search: a compact index of every mention, split so a browser loads little.

Material's search index holds the whole text of every page; with the archive in it, 100,000
mentions made a 60 MiB index that took the browser 11 s to load before the first result. The
archive pages are therefore kept out of Material's index, and this module writes a separate one
for mentions, under `mention-search/` in the site:

- `index.js`: a manifest (how many mentions, how the files are split, brand and source names);
- `t-<key>.js`: the words starting with the two letters `key`, each with the numbers of the
  mentions it appears in (their text, title, author, source and brand), delta-encoded;
- `r-<n>.js`: the records of mentions n*CHUNK … n*CHUNK+CHUNK-1 (brand, date, author, source,
  first words, archive link, original link, label, status, kind), in archive order (newest
  first). The last three let the archive's filters answer over every mention, not one page.

A query loads the manifest, one word file per word typed and the record files of the first
results: a few hundred kB whatever the archive's size. Every file is a script calling
`ppMentionSearch.*`, so it loads from `file://` (where a page cannot fetch JSON) and offline.
The data is JSON produced by `json.dumps` and only ever shown with `textContent`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from array import array
from collections import defaultdict
from datetime import tzinfo
from pathlib import Path

from crawler.extract.text import excerpt
from crawler.report.escape import plain
from crawler.report.views import MentionCard

FOLDER = "mention-search"
CHUNK = 1000  # mention records per record file
FIRST_WORDS = 160  # characters of text a result shows
KEY_LENGTH = 2  # word files are split by the first letters of the words
_WORD = re.compile(r"\w+")
# Accents and vowel marks that NFKD splits off (Latin, Hebrew, Arabic): a word is found typed
# with or without them.
_MARKS = re.compile("[\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670]")
_FILE_SAFE = re.compile(r"[a-z0-9]")


def words_of(text: str) -> set[str]:
    """The searchable words of `text`: lower case, accents dropped, two characters or more.

    Must agree with `fold` in assets/mention-search.js, which does the same to what is typed.
    """
    folded = _MARKS.sub("", unicodedata.normalize("NFKD", text.lower()))
    return {word[:40] for word in _WORD.findall(folded) if len(word) >= KEY_LENGTH}


def file_key(word: str) -> str:
    """The word file a word belongs to; its name is ASCII whatever the script of the word.

    Must agree with `fileKey` in assets/mention-search.js.
    """
    return "".join(
        char if _FILE_SAFE.fullmatch(char) else f"_{ord(char):x}" for char in word[:KEY_LENGTH]
    )


def _script(call: str, *values: object) -> bytes:
    arguments = ",".join(
        json.dumps(value, ensure_ascii=False, separators=(",", ":")) for value in values
    )
    return f"ppMentionSearch.{call}({arguments});\n".encode()


def _deltas(numbers: array) -> str:
    """Ascending mention numbers as the differences between neighbours: mostly one digit."""
    previous = 0
    parts = []
    for number in numbers:
        parts.append(str(number - previous))
        previous = number
    return ",".join(parts)


class MentionIndex:
    """Collects mentions in archive order and writes the search files as it goes (records) and
    at the end (words), so memory holds one record chunk and the word postings (4 bytes each)."""

    def __init__(self, folder: Path, zone: tzinfo) -> None:
        self.folder = folder
        self.zone = zone  # dates are shown as the archive files them
        self.total = 0
        self._postings: dict[str, array] = defaultdict(lambda: array("I"))
        self._records: list[list[object]] = []
        self._brands: dict[str, int] = {}
        self._sources: dict[str, int] = {}
        self._kinds: dict[str, int] = {}
        folder.mkdir(parents=True, exist_ok=True)

    def add(self, card: MentionCard, page: str, whole_text: str) -> None:
        """Index `card`, shown in the archive at `page` (a docs path such as archive/2025-05.md);
        every word of `whole_text` is searchable, not only those of the card's excerpt."""
        number = self.total
        self.total += 1
        searchable = (plain(whole_text), card.title, card.author, card.source, card.brand)
        for word in words_of(" ".join(searchable)):
            self._postings[word].append(number)
        link = page.removesuffix(".md") + f".html#m-{card.short_id}"
        self._records.append(
            [
                self._brands.setdefault(card.brand, len(self._brands)),
                card.when.astimezone(self.zone).date().isoformat(),
                card.author,
                self._sources.setdefault(card.source, len(self._sources)),
                card.title,
                excerpt(card.text, FIRST_WORDS),
                link,
                card.url or "",
                card.label,
                card.status,
                self._kinds.setdefault(card.kind, len(self._kinds)),
            ]
        )
        if len(self._records) == CHUNK:
            self._write_records()

    def _write_records(self) -> None:
        if not self._records:
            return
        number = (self.total - 1) // CHUNK
        (self.folder / f"r-{number}.js").write_bytes(_script("records", number, self._records))
        self._records = []

    def finish(self) -> list[str]:
        """Write the word files and the manifest; return the word-file keys."""
        self._write_records()
        by_key: dict[str, dict[str, str]] = defaultdict(dict)
        for word in sorted(self._postings):
            by_key[file_key(word)][word] = _deltas(self._postings[word])
        self._postings.clear()
        for key, words in by_key.items():
            (self.folder / f"t-{key}.js").write_bytes(_script("words", key, words))
        manifest = {
            "total": self.total,
            "chunk": CHUNK,
            "keyLength": KEY_LENGTH,
            "keys": sorted(by_key),
            "brands": list(self._brands),
            "sources": list(self._sources),
            "kinds": list(self._kinds),
        }
        (self.folder / "index.js").write_bytes(_script("manifest", manifest))
        return sorted(by_key)
