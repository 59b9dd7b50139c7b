"""What a page declares of itself in `<meta>` tags and JSON-LD blocks, read from the elements
its `PageScan` met, not by an XPath over the whole tree per question.

A blog page was searched from its root by ten XPaths (`//meta[...]`, `//script[...]`) for its
language, title, site name, author, dates and JSON-LD: most of a small page's extraction time
outside its one walk. `PageScan` keeps the page's `<meta>` and JSON-LD `<script>` elements as it
walks; these functions give what each XPath gave, in the same (document) order, from those.
Each names the XPath it stands for; tests compare both on real pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from lxml import etree

from crawler.extract.html_tree import Element

if TYPE_CHECKING:
    from crawler.extract.page_scan import PageScan

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_LANG_ATTRIBUTES = ("lang", _XML_LANG)
# XPath's translate(@x, 'CONTENTLANGUAGE', 'contentlanguage'): only those capitals are lowered.
_CONTENT_LANGUAGE = str.maketrans("CONTENTLANGUAGE", "contentlanguage")
_LANGUAGE = str.maketrans("LANGUAGE", "language")

MetaTest = Callable[[Element], bool]


def meta_values(metas: Iterable[Element], wanted: MetaTest) -> list[str]:
    """`//meta[wanted]/@*[name() = 'content' or name() = 'value']`."""
    return [
        value
        for meta in metas
        if wanted(meta)
        for name, value in meta.items()
        if name == "content" or name == "value"
    ]


def meta_contents(metas: Iterable[Element], wanted: MetaTest) -> list[str]:
    """`//meta[wanted]/@content`."""
    return [
        content for meta in metas if wanted(meta) and (content := meta.get("content")) is not None
    ]


def declared_languages(root: Element, metas: Iterable[Element]) -> list[str]:
    """`/html/@lang | /html/@xml:lang | //meta[http-equiv content-language]/@content |
    //meta[@property = 'og:locale']/@content | //meta[name language]/@content`, in document
    order: the root's attributes in their order, then the metas'."""
    found = [value for name, value in root.items() if name in _LANG_ATTRIBUTES]
    if root.tag != "html":
        found = []
    found.extend(meta_contents(metas, _declares_language))
    return found


def _declares_language(meta: Element) -> bool:
    return (
        (meta.get("http-equiv") or "").translate(_CONTENT_LANGUAGE) == "content-language"
        or meta.get("property") == "og:locale"
        or (meta.get("name") or "").translate(_LANGUAGE) == "language"
    )


_TEXT_NODES = etree.XPath("text()")


def json_ld_texts(scripts: Iterable[Element]) -> list[str]:
    """`//script[@type = 'application/ld+json']/text()` of the scripts so typed (pages have a
    few at most: each asked for its text nodes as the XPath does)."""
    return [text for script in scripts for text in _TEXT_NODES(script)]


# What a post's facts (post_facts.py) read of the page's declarations, as XPaths over the tree,
# and the same tests on one `<meta>`.
_META_DATES = etree.XPath(
    "//meta[@property='article:published_time' or @name='article:published_time'"
    " or @itemprop='datePublished' or @name='date' or @name='DC.date.issued']"
    "/@*[name() = 'content' or name() = 'value']"
)
_META_TITLES = etree.XPath(
    "//meta[@property='og:title' or @name='og:title' or @name='twitter:title']"
    "/@*[name() = 'content' or name() = 'value']"
)
_SITE_NAME = etree.XPath(
    "//meta[@property='og:site_name' or @name='og:site_name']"
    "/@*[name() = 'content' or name() = 'value']"
)
_META_AUTHORS = etree.XPath(
    "//meta[@name='author' or @property='article:author' or @name='article:author']"
    "/@*[name() = 'content' or name() = 'value']"
)
_JSON_LD = etree.XPath("//script[@type='application/ld+json']/text()")


def _declares_date(meta: Element) -> bool:
    name = meta.get("name")
    return (
        meta.get("property") == "article:published_time"
        or name == "article:published_time"
        or meta.get("itemprop") == "datePublished"
        or name == "date"
        or name == "DC.date.issued"
    )


def _declares_title(meta: Element) -> bool:
    name = meta.get("name")
    return meta.get("property") == "og:title" or name == "og:title" or name == "twitter:title"


def _declares_site(meta: Element) -> bool:
    return meta.get("property") == "og:site_name" or meta.get("name") == "og:site_name"


def _declares_author(meta: Element) -> bool:
    name = meta.get("name")
    return name == "author" or meta.get("property") == "article:author" or name == "article:author"


class PageDeclarations:
    """The post's published dates, titles, site names and authors the page declares in its
    metas, and its JSON-LD blocks: from its `PageScan` when the caller has one, else by the
    XPaths over the tree (the same values, in the same order)."""

    def __init__(self, root: Element, scan: PageScan | None = None) -> None:
        self.root = root
        self.scan = scan

    def _metas(self, xpath: etree.XPath, test: MetaTest) -> list[str]:
        return xpath(self.root) if self.scan is None else meta_values(self.scan.metas, test)

    def dates(self) -> list[str]:
        return self._metas(_META_DATES, _declares_date)

    def titles(self) -> list[str]:
        return self._metas(_META_TITLES, _declares_title)

    def site_names(self) -> list[str]:
        return self._metas(_SITE_NAME, _declares_site)

    def authors(self) -> list[str]:
        return self._metas(_META_AUTHORS, _declares_author)

    def json_ld(self) -> list[str]:
        return _JSON_LD(self.root) if self.scan is None else self.scan.json_ld
