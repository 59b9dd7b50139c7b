"""Split a comment into the tokens the lexicon analyzer reasons about.

Real comments carry emoticons, emoji, shouted words, elongated words ("bellooo") and runs of
exclamation marks; each is a token kind of its own so the analyzer can weigh it. Links and
@handles carry no sentiment and are dropped before tokenizing.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

WORD = "word"
NUMBER = "number"
EMOTICON = "emoticon"
BANG = "bang"  # one or more "!"
QUESTION = "question"
STOP = "stop"  # end of a sentence
BREAK = "break"  # a clause break inside a sentence: , ; : ( ) -

# Emoticons as people type them, matched before punctuation so ":(" is not a colon.
_EMOTICON = (
    r"(?:(?<![\w:])[<>]?[:;=][\-o\*'^]?[\)\]\(\[dDpP/\\|@3oO]+(?![^\W\d_]))"
    r"|(?:<3+)|(?:</3)|(?:\^_?\^)|(?:-_-)|(?:\b[xX][dD]+\b)"
)
_EMOJI = r"[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50\u2B55\u2764]\ufe0f?"
_TOKEN = re.compile(
    rf"(?P<emoticon>{_EMOTICON}|{_EMOJI})"
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)*['’]?)"
    r"|(?P<number>\d+(?:[.,]\d+)?)"
    r"|(?P<bang>!+)"
    r"|(?P<question>\?+)"
    r"|(?P<stop>[.…]+)"
    r"|(?P<break>[,;:()\[\]\-–—/\"«»])"
)
_NOISE = re.compile(r"https?://\S+|www\.\S+|@\w+|&\w+;")
_ELONGATED = re.compile(r"([^\W\d_])\1{2,}")


class Token(NamedTuple):
    """One token. A named tuple, not a dataclass: a comment has hundreds of tokens, and a
    tuple is built in a third of the time."""

    kind: str
    text: str  # lower-cased, elongations collapsed, apostrophes normalised
    shouted: bool = False  # written in capitals inside a text that is not all capitals


def tokenize(text: str, *, split_elisions: bool = False) -> list[Token]:
    """The tokens of `text`, in order.

    `split_elisions` splits words at apostrophes, as Italian wants ("un'ottima" is "un ottima",
    "un po'" is "un po"); English keeps "don't" whole.

    No token holds or looks across whitespace (the lookarounds of `_TOKEN` treat a space and
    the end of the text alike), so a text's tokens are those of its whitespace-separated
    chunks one after the other; the same chunks ("pane", "scusato.") recur in every text, and
    each is tokenized once (per capitals and elision setting).
    """
    text = _NOISE.sub(" ", text)
    all_caps = text.isupper()
    known = _CHUNKS[all_caps, split_elisions]
    tokens: list[Token] = []
    extend = tokens.extend
    for chunk in text.split():
        found = known.get(chunk)
        if found is None:
            found = tuple(_tokens(chunk, all_caps, split_elisions))
            if len(known) >= CHUNKS_KEPT:
                known.clear()
            known[chunk] = found
        extend(found)
    return tokens


CHUNKS_KEPT = 65_536  # per setting: a few MB at most, then started afresh
_CHUNKS: dict[tuple[bool, bool], dict[str, tuple[Token, ...]]] = {
    (caps, elisions): {} for caps in (False, True) for elisions in (False, True)
}


def _tokens(text: str, all_caps: bool, split_elisions: bool) -> list[Token]:
    """The tokens of a text without noise; `all_caps`: the whole text is in capitals, so a
    word in capitals is not shouted."""
    tokens: list[Token] = []
    append = tokens.append
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        raw = match.group()
        if kind == WORD:
            word, upper = _word(raw)
            shouted = upper and not all_caps
            if split_elisions and "'" in word:
                for part in word.split("'"):
                    if part:
                        append(Token(WORD, part, shouted))
            else:
                append(Token(WORD, word, shouted))
        elif kind == EMOTICON:
            append(Token(EMOTICON, raw.lower().replace("\ufe0f", "")))
        else:
            append(Token(kind, raw))  # type: ignore[arg-type]
    return tokens


@lru_cache(maxsize=65_536)
def _word(raw: str) -> tuple[str, bool]:
    """A word as the lexicons spell it, and whether it is written in capitals (three letters
    or more): the same few thousand words recur in every text, so each is worked out once."""
    word = raw.lower().replace("’", "'")
    if _ELONGATED.search(word):
        word = _ELONGATED.sub(r"\1", word)
    return word, len(raw) > 2 and raw.isupper()
