"""The links of a blog page that its spider follows: Scrapy's `LinkExtractor` rules, made cheap.

The blog spider used `LinkExtractor(deny=…)`, which re-parses the page through parsel, makes
lxml.html proxy objects of every element of it to find the `<a>`s, reads each link's text (never
used), and tests each URL against 92 file extensions one `endswith` at a time: 0.6 ms of the
crawling process's time per page of six links, more than the rest of the spider's own work.

`SiteLinks` gives the same URLs in the same order (tests compare it with Scrapy's on real pages):
`<a>` and `<area>` `href`s, stripped of HTML5 whitespace, joined with the page's base URL,
made safe (`w3lib.url.safe_url_string`, in the page's encoding) and joined with the page's URL;
only `http`, `https`, `file` and `ftp` URLs, not matching a deny pattern or ending with one of
`scrapy.linkextractors.IGNORED_EXTENSIONS`, each once. Then what the spider keeps of them: no
feeds, styles, scripts or images (`not_pages`), and only links of the blog's host, or links that
are not web addresses at all — `file:///etc/passwd` is kept so that the fetch policy refuses it,
and counts the refusal (crawler/middlewares.py); it is never fetched.

It reads any lxml tree, the one the page was parsed into for extraction included, so a process
that has parsed the page already (an extraction worker) can take its links too.

Most of a page's links are its site's menus and sidebars, the same on every page and absolute
(`/category/…`, `https://blog.example/…`): what such a link becomes depends only on the base
URL's scheme and host, so it is worked out once per site and remembered.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlparse, urlsplit

from lxml import etree
from w3lib.html import get_base_url
from w3lib.url import safe_url_string

if TYPE_CHECKING:
    from scrapy.http import TextResponse

_XHTML = "{http://www.w3.org/1999/xhtml}"
_LINK_TAGS = ("a", "area", f"{_XHTML}a", f"{_XHTML}area")
_HTML5_WHITESPACE = " \t\n\r\x0c"
_ASCII_BLANKS = " \t\n\r"  # what libxml2 skips before a document's first tag
_LINK_SCHEMES = frozenset({"http", "https", "file", "ftp"})  # what LinkExtractor extracts
# Scrapy's `scrapy.linkextractors.IGNORED_EXTENSIONS` (a test checks they are the same), here so
# that a worker taking a page's links does not import Scrapy and Twisted for one list.
_IGNORED = (
    "7z 7zip bz2 rar tar tar.gz xz zip mng pct bmp gif jpg jpeg png pst psp tif tiff ai drw "
    "dxf eps ps svg cdr ico webp mp3 wma ogg wav ra aac mid au aiff 3gp asf asx avi mov mp4 "
    "mpg qt rm swf wmv m4a m4v flv webm xls xlsm xlsx xltm xltx potm potx ppt pptm pptx pps "
    "doc docb docm docx dotm dotx odt ods odg odp css pdf exe bin rss dmg iso apk jar sh rb "
    "js hta bat cpl msi msp py"
)
IGNORED_EXTENSIONS = tuple(_IGNORED.split())
_IGNORED_ENDINGS = tuple(f".{extension}" for extension in IGNORED_EXTENSIONS)
# URLs of the blog's host that are not pages: feeds, styles, scripts, images, documents.
NOT_PAGES = re.compile(r"\.(xml|rss|atom|json|css|js|png|jpe?g|gif|svg|webp|pdf|zip)$", re.I)
_REMEMBERED_LINKS = 8192


@dataclass(frozen=True, slots=True)
class SiteLinks:
    """The links one blog's pages lead to that its spider follows (picklable: plain values).

    `host` is the blog's host without `www.`; `deny` are the URL patterns never followed (a
    link matching any of them is dropped).
    """

    host: str
    deny: tuple[str, ...] = ()
    not_pages: re.Pattern[str] = NOT_PAGES

    def of_response(self, response: TextResponse, root: etree._Element | None = None) -> list[str]:
        """The links of a fetched page; `root` is its tree if it was parsed already."""
        return self.of_page(response.text, response.url, response.encoding, root=root)

    def of_page(
        self, html: str, url: str, encoding: str = "utf-8", *, root: etree._Element | None = None
    ) -> list[str]:
        """The links of the page at `url` whose markup is `html` (a worker's job: plain values
        in and out); `encoding` is the page's, for the queries of its links."""
        if root is None:
            root = parse(html)
        # As Scrapy finds a page's <base href>: in its first 4 KB.
        return self.of_tree(root, url, get_base_url(html[0:4096], url, encoding), encoding)

    def of_tree(
        self, root: etree._Element, page_url: str, base_url: str, encoding: str = "utf-8"
    ) -> list[str]:
        """The links of the page at `page_url` parsed into `root`; relative links are relative
        to `base_url` (its `<base href>`, else its URL), a query is in the page's `encoding`."""
        deny = _deny_pattern(self.deny)
        return [
            url
            for url in extracted_links(root, page_url, base_url, encoding, deny)
            if _followed(url, self.host, self.not_pages)
        ]


def reads_as_parsed(html: str, as_is: bool) -> bool:
    """Whether the tree an extraction parsed `html` into gives the links `parse(html)` would,
    so a worker need not parse the page twice (`as_is`: `PageTree.as_is` of that tree).

    Both are libxml2 parses of the page's UTF-8. The extraction's drops comments and processing
    instructions, which holds no link; `parse` strips the text and drops NUL characters first:
    the trees are the same when there are none to drop and what strip() removes is spacing
    libxml2 skips (ASCII blanks before the first tag and after the last one). Otherwise (NULs,
    other whitespace at either end, a page ending inside a tag) the page is parsed again."""
    if not as_is or "\x00" in html:
        return False
    stripped = html.strip()
    return stripped.endswith(">") and len(stripped) == len(html.strip(_ASCII_BLANKS))


def parse(text: str) -> etree._Element:
    """The page's tree as Scrapy's selector parses it (libxml2, same input), with plain
    elements: lxml.html's element classes cost a Python call per element looked at."""
    body = text.strip().replace("\x00", "").encode("utf-8") or b"<html/>"
    return etree.fromstring(body, parser=_parser())


def _parser() -> etree.HTMLParser:
    """One parser per thread (an lxml parser is not thread-safe); making one costs a page's
    parse time again."""
    parser = getattr(_parsers, "parser", None)
    if parser is None:
        parser = _parsers.parser = etree.HTMLParser(recover=True, encoding="utf-8", huge_tree=True)
    return parser


_parsers = threading.local()


def extracted_links(
    root: etree._Element,
    page_url: str,
    base_url: str,
    encoding: str = "utf-8",
    deny: re.Pattern[str] | None = None,
) -> list[str]:
    """What `LinkExtractor(deny=…).extract_links(response)` gives, as URLs, in its order."""
    origin = _origin(base_url)
    page_scheme = f"{urlsplit(page_url).scheme}:"
    found: dict[str, None] = {}
    for element in root.iter(_LINK_TAGS):
        href = element.get("href")
        if href is None:
            continue
        href = href.strip(_HTML5_WHITESPACE)
        if origin is not None and _resolved_by_origin(href):
            url = _extracted(href, origin, page_scheme, encoding, deny)
        else:
            url = _extracted(href, base_url, page_url, encoding, deny)
        if url is not None:
            found[url] = None
    return list(found)


def _resolved_by_origin(href: str) -> bool:
    """Whether what `href` becomes depends on its page's scheme and host alone: an absolute URL,
    an absolute path (`/blog/`) or a scheme-relative one (`//host/`); not `?page=2`, `../up`
    or `#top`, which depend on the page's path."""
    return href.startswith(("/", "http://", "https://"))


@lru_cache(maxsize=_REMEMBERED_LINKS)
def _extracted(
    href: str, base: str, page: str, encoding: str, deny: re.Pattern[str] | None
) -> str | None:
    """The URL an href leads to as LinkExtractor makes it, or None for one it does not extract:
    not http(s), file or ftp, denied, a file by its extension, or bogus.

    Called with the page's base URL and URL, or, for an href `_resolved_by_origin`, with the
    base's origin (`https://host/`) and the page's scheme (`https:`): urljoin gives the same."""
    try:
        url = urljoin(base, href)
        url = urljoin(page, safe_url_string(url, encoding=encoding))
    except ValueError:  # a bogus link (say, an invalid IPv6 host)
        return None
    if url.split("://", 1)[0] not in _LINK_SCHEMES:
        return None
    if deny is not None and deny.search(url):
        return None
    # The path as Scrapy reads it (`;params` aside), against every extension in one call.
    if urlparse(url).path.lower().endswith(_IGNORED_ENDINGS):
        return None
    return url


@lru_cache(maxsize=_REMEMBERED_LINKS)
def _followed(url: str, host: str, not_pages: re.Pattern[str]) -> bool:
    """Whether the spider queues a link: a page of the blog's host, or not a web address at
    all (for the fetch policy to refuse, and count)."""
    if not_pages.search(url):
        return False
    return domain(url) == host or not url.startswith(("http:", "https:"))


def domain(url: str) -> str:
    """The host a URL is on, without `www.`; worked out once for all of a page's fragments (its
    comments' URLs) and for every link to it."""
    return _domain(url.partition("#")[0])


@lru_cache(maxsize=_REMEMBERED_LINKS)
def _domain(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def _origin(base_url: str) -> str | None:
    """`scheme://host/` of a web base URL (None for another kind: `file:`, `about:`)."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}/"


@lru_cache(maxsize=64)
def _deny_pattern(deny: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern matching where any of `deny` does."""
    return re.compile("|".join(f"(?:{pattern})" for pattern in deny)) if deny else None
