"""How to read the dates of one page: what the page says about its language, numeric order and
own date, turned into the `DateReading` every extractor of that page uses.

The language is the one the page declares (`<html lang>`, `Content-Language`, `og:locale`),
else the one of the six date languages its text is written in, told by its function words
(crawler/extract/text_language.py: the crawling process never loads the language model just
for this). Numeric dates are month first where the page says it is
American English, or where its own dates can only be read that way (`5/21/2024`) and none only
day first. The page's own date, for dates without a year, is its declared modification time.
"""

from __future__ import annotations

import re
from datetime import datetime

from lxml import etree

from crawler.extract.dates import (
    DEFAULT_TZ,
    DateReading,
    PageLanguage,
    language_tag,
    month_first_by_evidence,
)
from crawler.extract.html_tree import Element
from crawler.extract.page_meta import declared_languages, meta_contents
from crawler.extract.page_scan import TEXT_SAMPLE_CHARS, UNREAD_TAGS, PageScan
from crawler.extract.text_language import text_language

_DECLARED = etree.XPath(
    "(/html/@lang | /html/@xml:lang"
    " | //meta[translate(@http-equiv, 'CONTENTLANGUAGE', 'contentlanguage')"
    " = 'content-language']/@content"
    " | //meta[@property = 'og:locale']/@content"
    " | //meta[translate(@name, 'LANGUAGE', 'language') = 'language']/@content)",
    namespaces={"xml": "http://www.w3.org/XML/1998/namespace"},
)
_MODIFIED = etree.XPath(
    "//meta[@property = 'article:modified_time' or @property = 'og:updated_time'"
    " or @itemprop = 'dateModified']/@content"
)
_JSON_LD = etree.XPath("//script[@type = 'application/ld+json']/text()")


def _declares_modified(meta: Element) -> bool:
    """The `<meta>` test of `_MODIFIED`, for the metas a `PageScan` kept."""
    return (
        meta.get("property") == "article:modified_time"
        or meta.get("property") == "og:updated_time"
        or meta.get("itemprop") == "dateModified"
    )


_JSON_LD_MODIFIED = re.compile(r'"dateModified"\s*:\s*"([^"]{4,40})"')
_LANGUAGE_CHARS = 3000


def page_language(
    root: Element, page_text: str | None = None, scan: PageScan | None = None
) -> PageLanguage:
    """The language the page declares, else the one its text is in (no region then).
    `page_text`: the page's text as `PageScan.text` holds it, when the caller has it; `scan`
    the page's `PageScan`, whose `<meta>` elements are read instead of searching the tree."""
    tags = _DECLARED(root) if scan is None else declared_languages(root, scan.metas)
    declared = [found for tag in tags if (found := language_tag(tag)) is not None]
    with_region = [lang for lang in declared if lang.region]
    if declared:
        first = declared[0]
        regions = (lang.region for lang in with_region if lang.language == first.language)
        region = next(regions, None)
        return PageLanguage(first.language, region)
    if page_text is None:
        page_text = _page_text(root, _LANGUAGE_CHARS)
    return PageLanguage(text_language(page_text[:_LANGUAGE_CHARS]))


def date_reading_for(
    root: Element,
    *,
    default_tz: str = DEFAULT_TZ,
    fetched_at: datetime | None = None,
    page_text: str | None = None,
    scan: PageScan | None = None,
) -> DateReading:
    """The `DateReading` of this page, fetched at `fetched_at` (anchor of "2 ore fa").
    `page_text`: the page's text as `PageScan.text` holds it, when the caller has it (else the
    page is walked for it here); `scan` the page's `PageScan` (its metas and JSON-LD)."""
    language = page_language(root, page_text, scan)
    month_first = language.american
    if not month_first:
        text = page_text if page_text is not None else _page_text(root, TEXT_SAMPLE_CHARS)
        month_first = bool(month_first_by_evidence(text))
    plain = DateReading(language.date_languages, month_first, default_tz)
    modified = [plain(text) for text in _modified_texts(root, scan)]
    anchors = [found for found in modified if found is not None]
    if fetched_at is not None:
        anchors = [found for found in anchors if found <= fetched_at]
    year_anchor = max(anchors) if anchors else None
    return DateReading(language.date_languages, month_first, default_tz, fetched_at, year_anchor)


def _modified_texts(root: Element, scan: PageScan | None = None) -> list[str]:
    if scan is None:
        texts, blocks = list(_MODIFIED(root)), _JSON_LD(root)
    else:
        texts, blocks = meta_contents(scan.metas, _declares_modified), scan.json_ld
    for block in blocks:
        texts.extend(_JSON_LD_MODIFIED.findall(block))
    return texts


def _page_text(root: Element, limit: int) -> str:
    """Up to `limit` characters of the page's text, scripts and styles left out."""
    parts: list[str] = []
    size = 0
    walker = etree.iterwalk(root, events=("start",))
    for _, node in walker:
        if not isinstance(node.tag, str) or node.tag in UNREAD_TAGS:
            walker.skip_subtree()
            continue
        for text in (node.text, node.tail):
            if text and not text.isspace():
                parts.append(text)
                size += len(text)
        if size >= limit:
            break
    return " ".join(parts)[:limit]
