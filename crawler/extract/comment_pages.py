"""The other pages of a paginated comment thread, and the post they all belong to.

WordPress splits long threads into `/comment-page-2/` or `?cpage=2`, Blogger into
`?commentPage=2`, LiveJournal into `?page=2#comments`; hand-made themes put "Commenti
precedenti" / "Older comments" links, or a pager inside the comments' navigation. Every such
page belongs to one thread, known by the post's own URL, so a comment keeps its URL when newer
comments push it to another page.
"""

from __future__ import annotations

import re
from itertools import islice
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

from crawler.extract.html_tree import Element, class_tokens
from crawler.extract.thread_urls import is_comment_page, thread_url

__all__ = ["comment_page_links", "is_comment_page", "thread_url"]

_THREAD_FRAGMENTS = re.compile(r"^(?:comments?|commenti|t\d+|c\d+|respond)$", re.IGNORECASE)
_WORDS = re.compile(
    r"^\W*(?:(?:commenti|commentaires|comentarios|comentários|kommentare|comments)\s+"
    r"(?:precedenti|successivi|più\s+vecchi|più\s+recenti|meno\s+recenti|précédents"
    r"|suivants|plus\s+anciens|plus\s+récents|anteriores|siguientes|más\s+antiguos"
    r"|mais\s+antigos|seguintes)"
    r"|(?:older|newer|previous|next|earlier|later|more)\s+comments"
    r"|(?:ältere|neuere|weitere)\s+kommentare)\W*$",
    re.IGNORECASE,
)
_NAVIGATION_PARTS = ("nav", "pag", "pages", "pager")
_REPLY_FORM = re.compile(r"(?:^|&)(?:replytocom|mode=reply|action=|reply=|share=)", re.IGNORECASE)


def comment_page_links(root: Element, url: str) -> list[str]:
    """Absolute URLs of the thread's other comment pages linked from this page, in page order."""
    base = url
    for element in root.iter("base"):
        if element.get("href"):
            base = urljoin(url, element.get("href", "").strip())
            break
    here = urldefrag(url)[0]
    host = urlsplit(url).hostname
    found: list[str] = []
    in_navigation = _Navigation()
    for link in root.iter("a"):
        href = (link.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        if not _may_lead_to_comment_page(link, href, in_navigation):
            continue  # most links: decided without parsing the URL
        absolute = urljoin(base, href)
        target, fragment = urldefrag(absolute)
        if urlsplit(target).hostname != host or target == here or target in found:
            continue
        if _REPLY_FORM.search(urlsplit(target).query):
            continue
        if _leads_to_comment_page(link, target, fragment, in_navigation):
            found.append(target)
    return found


_HINT = re.compile(
    r"comment-page-|[?&](?:cpage|commentpage|comments_page|comment_page|cp|page)=", re.I
)


class _Navigation:
    """Whether a link sits in a comment pager (within four levels), each ancestor judged once:
    a page's links share them (`nav > ul > li > a`)."""

    def __init__(self) -> None:
        self.judged: dict[Element, bool] = {}

    def __call__(self, link: Element) -> bool:
        judged = self.judged
        for up in islice(link.iterancestors(), 4):
            verdict = judged.get(up)
            if verdict is None:
                verdict = judged[up] = _is_comment_navigation(up)
            if verdict:
                return True
        return False


def _may_lead_to_comment_page(link: Element, href: str, in_navigation: _Navigation) -> bool:
    """A cheap first test: a page-like URL, words that say so, or a place in a comment pager."""
    if _HINT.search(href):
        return True
    words = " ".join("".join(link.itertext()).split()) or link.get("title") or ""
    if words and len(words) < 40 and _WORDS.match(words):
        return True
    return in_navigation(link)


def _leads_to_comment_page(
    link: Element, target: str, fragment: str, in_navigation: _Navigation
) -> bool:
    if is_comment_page(target):
        return True
    parameters = {key.lower() for key, _ in parse_qsl(urlsplit(target).query)}
    if "page" in parameters and _THREAD_FRAGMENTS.match(fragment or ""):
        return True  # LiveJournal: ?page=2#comments
    words = " ".join("".join(link.itertext()).split()) or link.get("title") or ""
    if _WORDS.match(words):
        return True
    return in_navigation(link)


def _is_comment_navigation(element: Element) -> bool:
    names = [*class_tokens(element), (element.get("id") or "").lower()]
    return any(
        "comment" in name and any(part in name for part in _NAVIGATION_PARTS) for name in names
    )
