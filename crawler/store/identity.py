"""What makes a mention itself: its id (brand and canonical URL) and the fingerprint of its
text, by which the same text met again elsewhere is recognised."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Combining marks (accents) left by NFKD: the Latin, extended and symbol ranges.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_NON_WORD = re.compile(r"\W+")
# ASCII as bytes.translate tables: a word character (letter, digit, "_") kept, lowercased, or
# any other byte made a space (then runs of spaces become one by split and join).
_WORD_BYTES = bytes(
    byte if byte < 0x80 and (chr(byte).isalnum() or byte == 0x5F) else 0x20 for byte in range(256)
)
_LOWER_WORD_BYTES = _WORD_BYTES.lower()


def normalise_text(text: str) -> str:
    """Casefolded, accent-free, single-spaced: the text a fingerprint is taken of.

    The words (regex `\\w` runs) of the casefolded NFKD text without its combining marks,
    joined by one space. ASCII text, most of what is crawled, takes one bytes translation
    instead (casefolding ASCII is lowercasing it, and there is nothing to decompose); so does
    text that is ASCII once its accents are gone. A test holds both ways to the definition
    for every Unicode character."""
    if text.isascii():
        return b" ".join(text.encode().translate(_LOWER_WORD_BYTES).split()).decode()
    folded = _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))
    if folded.isascii():  # decomposition can give capitals ("ℌ" is "H"): kept as they are
        return b" ".join(folded.encode().translate(_WORD_BYTES).split()).decode()
    return _NON_WORD.sub(" ", folded).strip()


def fingerprint(text: str) -> str:
    return normalised_fingerprint(normalise_text(text))


def normalised_fingerprint(normalised: str) -> str:
    """The fingerprint of a text already normalised (`normalise_text`), not normalised twice."""
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def mention_id(url: str, brand: str) -> str:
    """Stable id of a mention: its canonical URL (with fragment) for one brand."""
    return hashlib.sha256(f"{brand}\n{url}".encode()).hexdigest()[:32]
