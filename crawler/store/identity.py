"""What makes a mention itself: its id (brand and canonical URL) and the fingerprint of its
text, by which the same text met again elsewhere is recognised."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Combining marks (accents) left by NFKD: the Latin, extended and symbol ranges.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_NON_WORD = re.compile(r"\W+")


def normalise_text(text: str) -> str:
    """Casefolded, accent-free, single-spaced: the text a fingerprint is taken of."""
    folded = text.casefold()
    if folded.isascii():  # nothing to decompose, no accents to drop
        return _NON_WORD.sub(" ", folded).strip()
    decomposed = unicodedata.normalize("NFKD", folded)
    return _NON_WORD.sub(" ", _COMBINING.sub("", decomposed)).strip()


def fingerprint(text: str) -> str:
    return normalised_fingerprint(normalise_text(text))


def normalised_fingerprint(normalised: str) -> str:
    """The fingerprint of a text already normalised (`normalise_text`), not normalised twice."""
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def mention_id(url: str, brand: str) -> str:
    """Stable id of a mention: its canonical URL (with fragment) for one brand."""
    return hashlib.sha256(f"{brand}\n{url}".encode()).hexdigest()[:32]
