"""One tolerant way to turn a page's markup into an lxml tree."""

from __future__ import annotations

import lxml.html
from lxml import etree

_PARSER = lxml.html.HTMLParser(encoding="utf-8")


def parse_html(markup: str) -> lxml.html.HtmlElement | None:
    """The page as an lxml tree; `None` for an empty or unparsable page.

    Goes through UTF-8 bytes because lxml refuses a `str` that still carries an XML encoding
    declaration, which pages served as XHTML often do.
    """
    if not markup or not markup.strip():
        return None
    try:
        return lxml.html.document_fromstring(markup.encode("utf-8", "replace"), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
