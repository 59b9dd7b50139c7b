"""Reader comments under a blog post: platform fast paths first, then structure.

The page's platform decides which fast path runs first (WordPress, Blogger, TypePad-style
signatures, Disqus/Livefyre static markup); the first that finds comments wins, so a WordPress
thread is never read twice. Pages of no known platform are read by structure (runs of repeated
dated blocks, `comment_structure.py`), or, for threads that show no dates, by the names of their
elements. Every comment gets a URL of its own: the page URL plus the fragment the page itself
uses for it, or, when the markup has none, a fragment derived from its author and date (or
text), so the same comment keeps its URL on the next crawl even if newer ones are added.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from urllib.parse import urldefrag

from crawler.extract.comment_items import FoundComment, PageContext, is_reader_comment
from crawler.extract.comment_platforms import (
    blogger_comments,
    typepad_comments,
    widget_comments,
    wordpress_comments,
)
from crawler.extract.comment_structure import named_comments, structural_comments
from crawler.extract.html_tree import Element
from crawler.extract.results import Comment

PLATFORMS = ("wordpress", "blogger", "typepad", "generic")
# A thread found by structure wins over one found by names unless the names find clearly more
# (comments without dates, which structure cannot see).
_STRUCTURE_SHARE = 0.6


def generic_comments(root: Element, context: PageContext) -> list[FoundComment]:
    """Comments of no known platform: by structure, with the comments named as such that
    structure missed (no date, or a date written unlike the others'); by names alone where they
    find clearly more."""
    by_structure = structural_comments(root, context)
    by_name = named_comments(root, context)
    if not by_structure:
        return by_name
    if len(by_structure) < _STRUCTURE_SHARE * len(by_name):
        return by_name
    taken: set[Element] = set()
    for found in by_structure:
        for element in found.elements:
            taken.update(element.iter())
    missed = [found for found in by_name if not _overlaps(found.elements, taken)]
    if not missed:
        return by_structure
    position = {node: number for number, node in enumerate(root.iter())}
    return sorted([*by_structure, *missed], key=lambda found: position.get(found.elements[0], 0))


def _overlaps(elements: tuple[Element, ...], taken: set[Element]) -> bool:
    """Whether a comment's elements hold, or sit inside, what another comment is made of."""
    return any(
        node in taken for element in elements for node in (element, *element.iterancestors())
    ) or any(node in taken for element in elements for node in element.iter())


EXTRACTORS: dict[str, Callable[[Element, PageContext], list[FoundComment]]] = {
    "wordpress": wordpress_comments,
    "blogger": blogger_comments,
    "widget": widget_comments,
    "generic": generic_comments,
    "typepad": typepad_comments,
}


def find_comments(
    root: Element, page_url: str, platform: str | None, context: PageContext
) -> tuple[list[Comment], str | None]:
    """The page's comments and the extractor that found them (`None` when there are none)."""
    order = [platform] if platform in EXTRACTORS else []
    order += [name for name in EXTRACTORS if name not in order]
    for name in order:
        found = [item for item in EXTRACTORS[name](root, context) if is_reader_comment(item)]
        if found:
            return with_urls(found, page_url), ("generic" if name == "widget" else name)
    return [], None


def with_urls(found: Sequence[FoundComment], page_url: str) -> list[Comment]:
    """Give each comment a unique `page#fragment` URL, stable across crawls of the page."""
    base = urldefrag(page_url).url
    used: set[str] = set()
    comments: list[Comment] = []
    for item in found:
        anchor = (
            item.anchor
            or "comment-"
            + hashlib.sha1(item.identity.encode("utf-8"), usedforsecurity=False).hexdigest()[:12]
        )
        unique, number = anchor, 1
        while unique in used:
            number += 1
            unique = f"{anchor}-{number}"
        used.add(unique)
        comments.append(
            Comment(item.text, item.author, item.published, f"{base}#{unique}", item.platform)
        )
    return comments


__all__ = ["PLATFORMS", "Comment", "PageContext", "find_comments"]
