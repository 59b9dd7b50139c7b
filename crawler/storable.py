"""Text a database accepts and a reader can trust, made once, where a mention is built.

Scraped pages are written by strangers. A lone surrogate (`"\\ud800"`, legal in JSON, not in
UTF-8) makes SQLite's driver refuse the whole batch, a NUL byte does the same on PostgreSQL, and
other C0 control characters break the Atom feed (XML 1.0 forbids them) and mean nothing in a
review. Bidi controls (U+202E RIGHT-TO-LEFT OVERRIDE and friends) in a title or author name let
a stranger make a line read backwards in the report and the e-mail ("Trust spoofing"); they are
dropped there. Body text keeps them: they are contained by its paragraph and right-to-left
languages use the marks legitimately.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Surrogates (paired or lone) and the C0 controls other than tab, LF and CR, DEL, and the two
# noncharacters U+FFFE/U+FFFF: nothing a person wrote, and not storable or not valid XML.
_SURROGATES = "\ud800-\udfff"
_CONTROL_CHARACTERS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff"
# Explicit directional formatting: embeddings, overrides, isolates and the implicit marks.
_BIDI_CHARACTERS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSTORABLE = re.compile(f"[{_CONTROL_CHARACTERS}{_SURROGATES}]")
_SURROGATE = re.compile(f"[{_SURROGATES}]")
_CONTROLS = re.compile(f"[{_CONTROL_CHARACTERS}]")
_BIDI_CONTROLS = re.compile(f"[{_BIDI_CHARACTERS}]")
_CLEANED = re.compile(f"[{_CONTROL_CHARACTERS}{_SURROGATES}{_BIDI_CHARACTERS}]")  # any of them


def storable(text: str) -> str:
    """`text` without what a database refuses: a surrogate pair written as two code points
    becomes its character, a lone surrogate U+FFFD (so the gap stays visible), NUL and other
    control characters (tab and newlines kept) are dropped."""
    if not _UNSTORABLE.search(text):
        return text  # almost every text: one scan, no copy
    if _SURROGATE.search(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return _CONTROLS.sub("", text)


def storable_line(text: str) -> str:
    """A title or an author name: storable, and without bidi controls that reorder it."""
    return _BIDI_CONTROLS.sub("", storable(text))


def all_clean(texts: Iterable[str]) -> bool:
    """Whether `storable` and `storable_line` would leave every one of `texts` as it is: one
    look at them all, for the many fields of a mention. Printable text (`str.isprintable`: no
    control, format, surrogate or unassigned character) has nothing to clean, and is checked
    three times faster than by searching for what would be cleaned."""
    joined = "".join(texts)
    return joined.isprintable() or _CLEANED.search(joined) is None
