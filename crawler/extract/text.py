"""Markup to clean, readable text, and the small text facts every extractor needs."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when first needed: the crawl's extraction walks lxml trees
    from bs4 import Tag

_BLOCKS = (
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "dd",
    "dt",
    "tr",
    "table",
    "blockquote",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "article",
    "section",
    "header",
    "footer",
    "aside",
)
# Spacing collapsed to one space: each of these becomes a space, then runs of spaces one. Plain
# `str.replace` and a regex that only ever meets runs of two spaces or more: a regex over every
# spacing character matches at every word and was the hot spot of extraction.
_SPACING = ("\t", "\r", "\f", "\v", "\u00a0", "\u200b")
_SPACE_RUNS = re.compile(" {2,}")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_INVISIBLE = ("script", "style", "noscript", "template", "svg", "iframe", "form", "button")


def clean_text(text: str) -> str:
    """Collapse runs of spaces and blank lines; keep paragraph breaks."""
    for spacing in _SPACING:
        if spacing in text:
            text = text.replace(spacing, " ")
    if "  " in text:
        text = _SPACE_RUNS.sub(" ", text)
    lines = [line.strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def element_text(element: Tag | None) -> str:
    """The visible text of an element, with scripts and styles dropped."""
    if element is None:
        return ""
    from bs4 import NavigableString, Tag

    for hidden in element.find_all(_INVISIBLE):
        hidden.decompose()
    parts: list[str] = []
    for piece in element.descendants:
        if isinstance(piece, Tag):
            if piece.name in _BLOCKS:
                parts.append("\n")
        elif type(piece) is NavigableString:
            parts.append(str(piece))
    return clean_text("".join(parts))


def html_to_text(markup: str) -> str:
    """The visible text of an HTML document or fragment."""
    from bs4 import BeautifulSoup

    return element_text(BeautifulSoup(markup, "lxml"))


def excerpt(text: str, limit: int = 280) -> str:
    """The start of a text, cut at a word boundary, for lists and emails."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut + "…"
