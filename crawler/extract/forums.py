"""A forum page read as its thread's posts, or, on a board page, as links to its threads.

`extract_forum_page` is pure: markup and URL in, posts out. Known engines (`forum_engines.py`:
phpBB, vBulletin, Discourse, XenForo, Invision, SMF, Flarum, NodeBB, bbPress, wpForo, Discuz,
Stack Exchange) are read by their own markup; any other page by structure, the way blog
comments are found: a run of sibling blocks of one shape, each with an author, a date and a text
(`threads.py`, `comment_structure.py`). Either way each post's text leaves out quoted earlier
posts and signatures (`forum_text.py`), and each post gets its own URL: the fragment or path the
forum itself uses for it (`#p123`, `#post-123`, `/t/slug/123/4`), else one derived from its
author and text, stable across crawls. Dates are never guessed: unreadable is `None`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import urldefrag, urljoin, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from lxml import etree

from crawler.extract.dates import DEFAULT_TZ, DateReading
from crawler.extract.forum_engines import ENGINES
from crawler.extract.forum_shapes import Engine, Shape
from crawler.extract.forum_structure import structural_posts
from crawler.extract.forum_text import clean_post_text, drop_regions, noise_regions
from crawler.extract.html_tree import Element, class_tokens, parse_html, visible_text
from crawler.extract.page_dates import date_reading_for
from crawler.extract.pagination import next_page_url
from crawler.extract.results import ForumPage, ForumPost
from crawler.extract.signatures import clean_author
from crawler.extract.threads import date_marks

__all__ = ["ForumPage", "ForumPost", "extract_forum_page"]


def extract_forum_page(
    html: str,
    url: str,
    *,
    default_tz: str = DEFAULT_TZ,
    fetched_at: datetime | None = None,
) -> ForumPage:
    """Read the posts of one thread page (or the thread links of a board page).

    `fetched_at` anchors relative dates ("2 ore fa"); without it they stay unknown.
    """
    root = parse_html(html)
    if root is None:
        return ForumPage(title=None)
    reading = date_reading_for(root, default_tz=default_tz, fetched_at=fetched_at)
    # Read before the posts are: reading them drops quotes and signatures from the tree.
    following = next_page_url(html, url, tree=root)
    title = _title(root)
    engines = [engine for engine in ENGINES if engine.detect_xpath(root)]
    posts: list[ForumPost] = []
    name = "none"
    numbers: list[int | None] = []
    for engine in engines:
        read = _engine_posts(root, engine, reading, url)
        if read:
            posts = [post for post, _ in read]
            numbers = [number for _, number in read]
            name = engine.name
            break
    if not posts:
        posts = _generic_posts(root, reading, url)
        name = "generic" if posts else "none"
    if posts:
        first = _starts_thread(root, numbers[0] if numbers else None)
        return ForumPage(title, posts, name, first, following)
    links = _thread_links(root, engines, url)
    return ForumPage(title, [], "none", True, following, links)


def _title(root: Element) -> str | None:
    for expression in _TITLES:
        for found in expression(root):
            text = " ".join(
                (found if isinstance(found, str) else "".join(found.itertext())).split()
            )
            if text:
                return text
    return None


_TITLES = (
    etree.XPath("//meta[@property = 'og:title']/@content"),
    etree.XPath("//h1"),
    etree.XPath("//title"),
)


# --- known engines --------------------------------------------------------------------------


def _engine_posts(
    root: Element, engine: Engine, reading: DateReading, page_url: str
) -> list[tuple[ForumPost, int | None]]:
    """The posts an engine's shapes find, in page order, each body read once."""
    found: list[tuple[Element, ForumPost, int | None]] = []
    bodies: set[Element] = set()
    used: set[str] = set()
    for shape in engine.shapes:
        for post in shape.post_xpath(root):
            if shape.skip_xpath is not None and shape.skip_xpath(post):
                continue
            scopes = [post]
            if shape.pair and post.getnext() is not None:
                scopes.append(post.getnext())
            body = _first_element(shape.body_xpaths, scopes)
            if body is None or body in bodies:
                continue
            bodies.add(body)
            read = _read_post(post, scopes, body, shape, engine, reading, page_url, used)
            if read is not None:
                found.append((post, *read))
    if not found:
        return []
    position = {node: number for number, node in enumerate(root.iter())}
    found.sort(key=lambda item: position.get(item[0], 0))
    return [(post, number) for _, post, number in found]


def _read_post(
    post: Element,
    scopes: list[Element],
    body: Element,
    shape: Shape,
    engine: Engine,
    reading: DateReading,
    page_url: str,
    used: set[str],
) -> tuple[ForumPost, int | None] | None:
    author = clean_author(_first_text(shape.author_xpaths, scopes))
    published = _first_date(shape.date_xpaths, scopes, reading)
    noise = [region for xpath in shape.noise_xpaths for region in xpath(body)]
    drop_regions(_outermost(noise + noise_regions(body)))
    text = clean_post_text(visible_text(body))
    if not text:
        return None
    anchor = _first_text(shape.anchor_xpaths, scopes)
    number = _number(_first_text(shape.number_xpaths, scopes))
    url = _post_url(page_url, engine, anchor, number, f"{author}|{text[:200]}", used)
    return ForumPost(text, author, published, url), number


def _outermost(regions: list[Element]) -> list[Element]:
    inside: set[Element] = set()
    kept = []
    for region in regions:
        if region in inside:
            continue
        kept.append(region)
        inside.update(region.iter())
    return [region for region in kept if not any(up in inside for up in region.iterancestors())]


def _first_element(xpaths: Sequence[etree.XPath], scopes: list[Element]) -> Element | None:
    for xpath in xpaths:
        for scope in scopes:
            for found in xpath(scope):
                if isinstance(found, etree._Element):
                    return found
    return None


def _first_text(xpaths: Sequence[etree.XPath], scopes: list[Element]) -> str:
    """The first non-empty text (an element's visible text, or an attribute) the XPaths give."""
    for xpath in xpaths:
        for scope in scopes:
            results = xpath(scope)
            for found in results if isinstance(results, list) else [results]:
                text = found if isinstance(found, str) else visible_text(found)
                text = " ".join(str(text).split())
                if text:
                    return text
    return ""


def _first_date(
    xpaths: Sequence[etree.XPath], scopes: list[Element], reading: DateReading
) -> datetime | None:
    for xpath in xpaths:
        for scope in scopes:
            for found in xpath(scope):
                if isinstance(found, str):
                    date = _attribute_date(found, reading)
                else:
                    date = _element_date(found, reading)
                if date is not None:
                    return date
    return None


def _element_date(element: Element, reading: DateReading) -> datetime | None:
    """The date an element shows: its machine-readable attributes first (its own, then those
    of the elements inside it), else its text."""
    marks = [mark for mark in date_marks(element, reading, default_tz=reading.default_tz)]
    marks.sort(key=lambda mark: not mark.from_attribute)
    for mark in marks:
        if mark.published is not None:
            return mark.published
    return reading(" ".join(visible_text(element).split()))


_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")


def _attribute_date(value: str, reading: DateReading) -> datetime | None:
    value = value.strip()
    if _EPOCH.match(value):
        seconds = int(value) / (1000 if len(value) == 13 else 1)
        return datetime.fromtimestamp(seconds, UTC).astimezone(ZoneInfo(reading.default_tz))
    return reading(value)


def _number(text: str) -> int | None:
    digits = re.search(r"\d+", text or "")
    return int(digits.group()) if digits else None


def _post_url(
    page_url: str,
    engine: Engine | None,
    anchor: str,
    number: int | None,
    identity: str,
    used: set[str],
) -> str:
    """The post's own URL, unique on the page: the engine's post path, its permalink or its
    fragment, else a fragment derived from its author and text."""
    base = urldefrag(page_url).url
    url = None
    if engine is not None and engine.permalink_pattern is not None and number:
        parts = urlsplit(base)
        matched = engine.permalink_pattern.match(parts.path)
        if matched:
            path = engine.permalink[1].format(path=matched.group(1), n=number)
            url = urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    if url is None and anchor and ("/" in anchor or anchor.startswith("?")):
        url = urldefrag(urljoin(base, anchor)).url
    if url is None and anchor:
        url = f"{base}#{anchor.lstrip('#')}"
    if url is None:
        digest = hashlib.sha1(identity.encode("utf-8"), usedforsecurity=False).hexdigest()[:12]
        url = f"{base}#post-{digest}"
    unique, count = url, 1
    while unique in used:
        count += 1
        unique = f"{url}-{count}"
    used.add(unique)
    return unique


# --- any other forum: by structure -----------------------------------------------------------


def _generic_posts(root: Element, reading: DateReading, page_url: str) -> list[ForumPost]:
    """Posts found as repeated blocks with an author, a date and a text, quotes and
    signatures taken out first (so their dates and names never look like posts)."""
    body = root.find("body")
    drop_regions(noise_regions(body if body is not None else root))
    used: set[str] = set()
    posts = []
    for found in structural_posts(root, reading):
        parts = found.parts
        identity = f"{parts.author_text}|{parts.date_text or found.text[:200]}"
        url = _post_url(page_url, None, parts.anchor or "", None, identity, used)
        posts.append(ForumPost(found.text, found.author, parts.published, url))
    return posts


# --- thread pages and board pages ------------------------------------------------------------

_REL_PREV = "contains(concat(' ', normalize-space(translate(@rel, 'PREV', 'prev')), ' '), ' prev ')"
_PREVIOUS = etree.XPath(
    f"//link[{_REL_PREV}][normalize-space(@href)]"
    f" | //a[{_REL_PREV}][normalize-space(@href)][not(contains(@class, 'disabled'))]"
)
_PREVIOUS_CLASSES = frozenset(
    {"prev", "previous", "pagination-prev", "previouspostslink", "pager-prev", "page-prev"}
)


def _starts_thread(root: Element, first_number: int | None) -> bool:
    """Whether the page is its thread's first: the first post is number 1 where posts are
    numbered, else no pager link leads back to an earlier page."""
    if first_number is not None:
        return first_number <= 1
    if _PREVIOUS(root):
        return False
    for link in root.iter("a"):
        href = (link.get("href") or "").strip()
        usable = href and not href.startswith(("#", "javascript:"))
        if usable and _PREVIOUS_CLASSES.intersection(class_tokens(link)):
            return False
    return True


_THREAD_PATH = re.compile(
    r"(?:viewtopic\.php|showthread\.php|/threads?/|/t/[^/]+/\d+|/topics?/|/d/\d+|[?&]topic="
    r"|mod=viewthread|/questions/\d+|/discussions?/|/thread-\d+)",
    re.IGNORECASE,
)


def _thread_links(root: Element, engines: list[Engine], page_url: str) -> list[str]:
    """Links of a board page to its threads, on the board's own host, each once."""
    hrefs: list[str] = []
    for engine in engines:
        if engine.threads_xpath is not None:
            hrefs.extend(str(href) for href in engine.threads_xpath(root))
    if not hrefs:
        hrefs = [
            link.get("href")
            for link in root.iter("a")
            if link.get("href") and _THREAD_PATH.search(link.get("href"))
        ]
    host = urlsplit(page_url).hostname
    links: list[str] = []
    for href in hrefs:
        absolute = urldefrag(urljoin(page_url, href.strip())).url
        parts = urlsplit(absolute)
        if parts.scheme in ("http", "https") and parts.hostname == host and absolute not in links:
            links.append(absolute)
    return links
