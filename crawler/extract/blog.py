"""A blog page read as a post and the reader comments under it.

`extract_blog_page` is pure: markup and URL in, facts out. The blog spider turns the post and
each comment into mentions (DESIGN.md, "What counts as a mention"); pingbacks, trackbacks,
comment forms and sidebars are not comments. Dates are never guessed: a date that cannot be read
is `None`.
"""

from __future__ import annotations

from datetime import datetime

from crawler.extract.comment_pages import comment_page_links, is_comment_page
from crawler.extract.comments import PageContext, find_comments
from crawler.extract.dates import DEFAULT_TZ
from crawler.extract.html_tree import Element, parse_html
from crawler.extract.page_dates import date_reading_for
from crawler.extract.page_scan import PageScan
from crawler.extract.post_parts import find_post
from crawler.extract.results import BlogPage, Comment, Post

__all__ = ["BlogPage", "Comment", "Post", "detect_platform", "extract_blog_page"]


def extract_blog_page(
    html: str,
    url: str,
    *,
    default_tz: str = DEFAULT_TZ,
    fetched_at: datetime | None = None,
    root: Element | None = None,
) -> BlogPage:
    """Read the post and the comments of one blog page.

    `fetched_at` anchors relative dates ("2 giorni fa"); without it they stay unknown. `root`
    is the page's tree (`parse_html(html)`) when the caller parsed it already to read it for
    more (a worker takes the page's links from it too): it is only read, never changed.
    """
    if root is None:
        root = parse_html(html)
    if root is None:
        return BlogPage(title=None, post=None, comments=[], platform="none")
    scan = PageScan(root)
    reader = date_reading_for(
        root, default_tz=default_tz, fetched_at=fetched_at, page_text=scan.text, scan=scan
    )
    platform = scan.platform
    found_post = find_post(root, reader, scan)
    post_body = found_post.body if found_post else None
    context = PageContext(
        read_date=reader,
        default_tz=default_tz,
        post_body=post_body,
        away=scan.away.nodes(keep=post_body) | scan.unread,
        scan=scan,
    )
    comments, extractor = find_comments(root, url, platform, context)
    post = (
        Post(found_post.title, found_post.text, found_post.author, found_post.published)
        if found_post and found_post.text
        else None
    )
    if platform is None:
        platform = extractor or ("generic" if post else "none")
    title = _page_title(root) or (post.title if post else None)
    pages = comment_page_links(root, url) if comments or is_comment_page(url) else []
    return BlogPage(title, post, comments, platform, pages)


def detect_platform(root: Element) -> str | None:
    """The blog platform the markup betrays: the generator meta tag first, then telltale
    asset paths and comment markup; `None` when nothing gives it away."""
    return PageScan(root).platform


def _page_title(root: Element) -> str | None:
    for title in root.iter("title"):
        text = " ".join((title.text or "").split())
        if text:
            return text
        break
    for meta in root.iter("meta"):
        if meta.get("property") == "og:title" and meta.get("content", "").strip():
            return " ".join(meta.get("content", "").split())
    return None
