"""How a forum engine's markup is described: its signature, its post shapes, its links.

`forum_engines.py` holds the table of engines written in these terms; `forums.py` reads a page
with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree


def c(name: str) -> str:
    """XPath test: the element has the class `name` (a whole token)."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _xpaths(*expressions: str) -> tuple[etree.XPath, ...]:
    return tuple(etree.XPath(expression) for expression in expressions)


@dataclass(frozen=True)
class Shape:
    """One kind of post on an engine's thread page (Q&A pages have answers and comments).

    `post` finds the posts; the rest are relative to one post: the first of `author`, `date`,
    `body` that finds an element is used. `author` may end in an attribute (`@data-author`).
    `noise` inside the body is not the poster's text (quotes, signatures, edit notes, buttons).
    `anchor` gives the post's own fragment (`p123`) or link; `number` its position in the
    thread, for engines whose post URLs are paths (`/t/slug/123/4`). `pair`: a post is its
    element and the next sibling (a header row, then the post). `skip`: posts to leave out
    (system notices, header rows).
    """

    post: str
    author: tuple[str, ...]
    date: tuple[str, ...]
    body: tuple[str, ...]
    noise: tuple[str, ...] = ()
    anchor: tuple[str, ...] = ("@id",)
    number: tuple[str, ...] = ()
    pair: bool = False
    skip: str | None = None

    def __post_init__(self) -> None:
        compiled = {
            "post_xpath": etree.XPath(self.post),
            "author_xpaths": _xpaths(*self.author),
            "date_xpaths": _xpaths(*self.date),
            "body_xpaths": _xpaths(*self.body),
            "noise_xpaths": _xpaths(*self.noise),
            "anchor_xpaths": _xpaths(*self.anchor),
            "number_xpaths": _xpaths(*self.number),
            "skip_xpath": etree.XPath(f"boolean({self.skip})") if self.skip else None,
        }
        for name, value in compiled.items():
            object.__setattr__(self, name, value)


@dataclass(frozen=True)
class Engine:
    """A forum engine: how to know it, its post shapes, its thread links on a board page, and
    (`permalink`) how its thread URL becomes a post's URL: a pattern of the thread's path and
    the path of post `{n}`."""

    name: str
    detect: str
    shapes: tuple[Shape, ...]
    threads: str | None = None
    permalink: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "detect_xpath", etree.XPath(f"boolean({self.detect})"))
        object.__setattr__(
            self, "threads_xpath", etree.XPath(self.threads) if self.threads else None
        )
        pattern = re.compile(self.permalink[0]) if self.permalink else None
        object.__setattr__(self, "permalink_pattern", pattern)


_GENERATOR = "//meta[translate(@name, 'GENRATO', 'genrato') = 'generator']"


_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def generator(word: str) -> str:
    """XPath: the generator meta tag names `word` (lower-case), in any case."""
    return f"{_GENERATOR}[contains(translate(@content, '{_UPPER}', '{_UPPER.lower()}'), '{word}')]"
