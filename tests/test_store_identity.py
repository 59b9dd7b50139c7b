"""A text's fingerprint is taken of its normalised form: casefolded, without accents, its words
joined by one space. The store's normalisation takes shortcuts for ASCII text; whatever the text,
it gives what the plain definition below gives."""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

import pytest

from crawler.store import fingerprint, normalise_text

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def definition(text: str) -> str:
    """The normalisation as the store first wrote it, and as every stored fingerprint was made:
    casefold, decompose (NFKD), drop combining marks, words (regex `\\w` runs) joined by a space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return re.sub(r"\W+", " ", COMBINING.sub("", decomposed)).strip()


def every_character() -> list[str]:
    return [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]


def ascii_once_folded(characters: list[str]) -> list[str]:
    """The non-ASCII characters whose casefolded, decomposed, accent-free form is ASCII (é, ß,
    ℌ, ﬁ): found in one pass, as casefolding and NFKD take each character apart ("\\0" never
    combines)."""
    wide = [c for c in characters if not c.isascii()]
    folded = COMBINING.sub("", unicodedata.normalize("NFKD", "\0".join(wide).casefold()))
    return [c for c, form in zip(wide, folded.split("\0"), strict=True) if form.isascii()]


def test_a_text_written_plainly_or_with_accents_and_capitals_has_one_fingerprint():
    assert normalise_text("  Pane   BUONO!! Ottimo... ") == "pane buono ottimo"
    assert normalise_text("Caffè AURORA: più che ottimo") == "caffe aurora piu che ottimo"
    assert fingerprint("CAFFÈ AURORA, più che ottimo!") == fingerprint(
        "caffe aurora piu che ottimo"
    )


def test_ascii_text_is_lowercased_and_split_into_words_as_the_definition_says():
    characters = "".join(map(chr, range(128)))
    for text in (characters, characters[::-1], " ".join(characters), f"Ab{characters}_Z9"):
        assert normalise_text(text) == definition(text)


def test_text_that_is_ascii_without_its_accents_keeps_what_decomposition_gives():
    """Capitals that only decomposition makes ("ℌ" is "H") stay capitals, as in the definition."""
    assert normalise_text("ℌello Wörld") == "Hello world" == definition("ℌello Wörld")
    folding = ascii_once_folded(every_character())
    assert {"é", "ß", "ℌ", "ﬁ", "Ⅻ"} <= set(folding)
    for text in ("".join(folding), " ".join(folding), "".join(f"a{c}B_{c}9 " for c in folding)):
        assert normalise_text(text) == definition(text)


def test_every_other_character_normalises_as_the_definition_says():
    characters = every_character()
    folding = set(ascii_once_folded(characters))
    rest = [c for c in characters if not c.isascii() and c not in folding]
    for start in range(0, len(rest), 5000):
        text = "a".join(rest[start : start + 5000])
        assert normalise_text(text) == definition(text)


@pytest.mark.skipif(not DATA.is_dir(), reason="no development data in ../shared")
def test_every_labeled_text_of_the_development_data_normalises_as_the_definition_says():
    texts = []
    for path in sorted(DATA.iterdir()):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line) if path.suffix == ".ndjson" else {"line": line}
            texts.extend(value for value in record.values() if isinstance(value, str))
    assert len(texts) > 8000
    assert [normalise_text(text) for text in texts] == [definition(text) for text in texts]
