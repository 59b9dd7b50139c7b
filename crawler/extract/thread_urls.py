"""Which URLs are pages of a comment thread, and the post's URL they all belong to.

Apart from `comment_pages` (which reads a page's links) because the blog spider needs only
these two answers, in the crawling process, where the HTML parsers are never imported.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urldefrag, urlencode, urlsplit, urlunsplit

_PAGE_IN_PATH = re.compile(r"/comment-page-\d+/?(?=$|[?#])", re.IGNORECASE)
_PAGE_PARAMETERS = frozenset({"cpage", "commentpage", "comments_page", "comment_page", "cp"})


def is_comment_page(url: str) -> bool:
    """Whether `url` is a later page of a comment thread (`/comment-page-2/`, `?cpage=2`)."""
    parts = urlsplit(url)
    if _PAGE_IN_PATH.search(parts.path):
        return True
    return any(key.lower() in _PAGE_PARAMETERS for key, _ in parse_qsl(parts.query))


def thread_url(url: str) -> str:
    """The URL of the post a comment page belongs to (the URL itself for the post's page)."""
    parts = urlsplit(urldefrag(url)[0])
    path = _PAGE_IN_PATH.sub("/", parts.path)
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in _PAGE_PARAMETERS
    ]
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))
