"""Make scraped strings inert in every place the report puts them.

Scraped text is hostile. It reaches three contexts, each with its own rules:

- HTML (the mention lists are raw HTML blocks, which Markdown passes through untouched):
  `html.escape` plus dropping control characters, done by the template engine's autoescape;
- Markdown (a few headings): HTML-escaping is not enough there, `[x](javascript:…)` would still
  become a link, so Markdown punctuation is backslash-escaped as well;
- page titles, which MkDocs themes print unescaped and which Material even unescapes
  (`striptags`) inside `<title>`: characters that could form markup are replaced with harmless
  look-alikes, so a title is safe in every context whatever the theme does with it.

Only http(s) URLs ever become links.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import urlsplit

# C0 controls except tab/newline/carriage return, DEL, C1 controls, lone surrogates and the two
# non-characters: invalid in XML 1.0, refused by YAML, and Markdown uses STX/ETX internally.
_UNSAFE_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")  # Python-Markdown's escapable set
_ANGLE_LOOKALIKES = str.maketrans({"<": "‹", ">": "›"})
_URL_SCHEMES = ("http", "https")
_WHITESPACE = re.compile(r"\s")


def plain(text: object) -> str:
    """The string without characters that are invalid in HTML, XML or YAML."""
    return _UNSAFE_CHARACTERS.sub("", str(text))


def one_line(text: object) -> str:
    """Plain text on one line with single spaces: for names, titles and excerpts."""
    return " ".join(plain(text).split())


def html_text(text: object) -> str:
    """Text for an HTML element or attribute value."""
    return html.escape(plain(text), quote=True)


def markdown_text(text: object) -> str:
    """Text for a Markdown inline context (a heading): nothing in it can form markup."""
    text = one_line(text).translate(_ANGLE_LOOKALIKES)
    return html.escape(_MARKDOWN_SPECIALS.sub(r"\\\1", text), quote=False)


def title_text(text: object) -> str:
    """A page or site title, escaped, and with no angle bracket even once unescaped.

    MkDocs themes insert titles without escaping them, and Material's `<title>` even unescapes
    them (`striptags`): an escaped `&lt;/title&gt;` would become a live tag there. So angle
    brackets are replaced by look-alikes, and the rest is escaped as usual.
    """
    return html.escape(one_line(text).translate(_ANGLE_LOOKALIKES), quote=True)


def yaml_string(text: object) -> str:
    """A YAML scalar for front matter (JSON strings are valid YAML)."""
    return json.dumps(title_text(text), ensure_ascii=False)


def safe_url(url: object) -> str | None:
    """The URL when it is an http(s) URL with a host, else None (then it is shown as text)."""
    if not isinstance(url, str):
        return None
    candidate = plain(url).strip()
    if _WHITESPACE.search(candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in _URL_SCHEMES or not parts.hostname:
        return None
    return candidate
