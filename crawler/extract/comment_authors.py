"""Who wrote a comment: the element that names its author, or the words around the name.

Themes mark the author with a class (`.fn`, `.comment-author`, `.username`, anything holding
"author" or "user"), with microdata (`itemprop=author`), or not at all: then the name is a short
link, `<strong>`, `<cite>` or heading next to the date, or it is written out in the header's
words ("Commento di Mario", "Risposta di Anna", "Posted by: Jane", "Mario ha scritto:",
"Soumis par Paul").
"""

from __future__ import annotations

import re

from crawler.extract.html_tree import Element

AUTHOR_ITEMPROPS = frozenset({"author", "creator"})
# Whole class names first (lower is surer), then names holding a telling part.
_EXACT_CLASSES = {
    "fn": 1,
    "comment-author-name": 2,
    "wp-block-comment-author-name": 2,
    "user": 3,
    "username": 3,
    "user-name": 3,
    "author-name": 3,
    "commenter": 3,
    "comment-user": 3,
    "nickname": 3,
    "comment-author": 4,
    "author": 4,
    "name": 5,
}
_NOT_NAMES = ("avatar", "pic", "photo", "image", "img", "icon", "url", "link-", "info", "meta")
_NAME_PARTS = (
    *(("name", 2), ("author", 3), ("user", 3), ("poster", 3), ("nick", 3), ("autor", 3)),
    *(("auteur", 3), ("utente", 3), ("usuario", 3), ("benutzer", 3), ("nome", 3)),
)


def author_rank(tokens: list[str]) -> int | None:
    """How surely a class list marks an author's name (lower is surer); `None` if it does not."""
    ranks = [_EXACT_CLASSES[token] for token in tokens if token in _EXACT_CLASSES]
    if ranks:
        return min(ranks)
    best: int | None = None
    for token in tokens:
        if any(part in token for part in _NOT_NAMES) or token.startswith(("by", "comment-author-")):
            continue  # "bypostauthor", WordPress's "comment-author-<login>" on the whole item
        for part, rank in _NAME_PARTS:
            if part in token:
                has_name = "name" in token and part != "name"
                rank = 2 if has_name else rank + 3
                best = rank if best is None else min(best, rank)
    return best


_LABELS_BEFORE = (
    *("posted by", "written by", "submitted by", "reply by", "comment by", "by"),
    *("commento di", "risposta di", "inviato da", "postato da", "scritto da", "pubblicato da"),
    *("commentato da", "soumis par", "publié par", "écrit par", "posté par", "par"),
    *("escrito por", "enviado por", "publicado por", "comentado por", "respuesta de", "por"),
    *("geschrieben von", "verfasst von", "kommentar von", "antwort von", "von"),
    *("comentário de", "resposta de"),
)
_LABELS_AFTER = (
    *("ha scritto", "ha detto", "ha commentato", "ha risposto", "dice", "scrive"),
    *("says", "said", "wrote", "writes", "replied", "commented"),
    *("a écrit", "a répondu", "a dit", "schrieb", "sagt", "antwortete"),
    *("escribió", "dijo", "respondió", "disse", "escreveu", "respondeu", "diz"),
)


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_STOP = r"(?=\s*(?:[,|@(\[]|\s[-–—·•]\s|\s(?:il|on|le|el|am|em|at|alle|à|um|às|o)\s|\d)|\s*$)"
_NAME_AFTER_LABEL = re.compile(
    rf"(?<![^\W\d_])(?:{_alternation(_LABELS_BEFORE)})\s*:?\s+"
    rf"(?P<name>[^\W\d_][^,|@()\[\]\n]{{0,58}}?){_STOP}",
    re.IGNORECASE,
)
_NAME_BEFORE_LABEL = re.compile(
    rf"^(?:#?\d+\s*[-–.]?\s*)?(?P<name>[^\n]{{1,60}}?)\s+(?:{_alternation(_LABELS_AFTER)})"
    r"(?![^\W\d_])\s*[:.…]*",
    re.IGNORECASE,
)
# A header word alone on its line: what is left of a header once name and date are out.
HEADER_WORDS = frozenset(
    word.lower()
    for phrase in (*_LABELS_BEFORE, *_LABELS_AFTER)
    for word in phrase.split()
    if len(word) > 1
) | frozenset(
    {
        *("reply", "replies", "rispondi", "risposta", "risposte", "répondre", "responder"),
        *("responda", "responder", "antworten", "permalink", "link", "quote", "cita", "citer"),
        *("report", "segnala", "signaler", "edit", "modifica", "modifier", "delete", "elimina"),
        *("like", "likes", "share", "condividi", "il", "on", "le"),
        *("el", "am", "em", "at", "alle", "ore", "à", "um", "às", "the", "de", "del", "du"),
        *("posted", "reply", "comment", "commento", "commentaire", "comentario", "kommentar"),
        *("comentário", "post", "messaggio", "message", "am", "pm", "utc", "gmt"),
    }
)


def author_from_words(text: str) -> str | None:
    """The name written in a header line ("Commento di Mario, 3 marzo", "Anna dice:")."""
    text = " ".join(text.split())
    if not text or len(text) > 200:
        return None
    match = _NAME_AFTER_LABEL.search(text)
    if match and is_name_like(match["name"]):
        return match["name"].strip()
    match = _NAME_BEFORE_LABEL.match(text)
    if match and is_name_like(match["name"]):
        return match["name"].strip()
    return None


_NOT_A_NAME = re.compile(r"^(?:https?://|www\.)|^[\W\d_]+$")


def is_name_like(text: str, *, strict: bool = False) -> bool:
    """A short text that can be someone's name: not a number, a link or a header word.
    `strict` also refuses what reads as a sentence (a name found by its place, not its class)."""
    text = " ".join(text.split())
    if not 1 <= len(text) <= 80 or len(text.split()) > 10 or _NOT_A_NAME.search(text):
        return False
    words = {word.strip(":.,;!?()[]#").lower() for word in text.split()}
    if words <= HEADER_WORDS:
        return False
    if not strict:
        return True
    last = text.split()[-1]
    sentence = text.endswith(".") and len(last) > 2 and len(text.split()) >= 2
    return len(text) <= 50 and not sentence and not text.endswith(("!", "?", ":"))


def itemprop_author_text(element: Element, visible: str) -> str:
    """The name inside an `itemprop=author` element (its `name` property, or its content)."""
    for name in element.iter():
        if (name.get("itemprop") or "").lower() == "name":
            return name.get("content") or " ".join("".join(name.itertext()).split())
    return element.get("content") or visible
