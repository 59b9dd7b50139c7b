"""The parts of a page that are never the post or its comments: sidebars, widgets, menus,
related-post lists, comment forms.

They are known by their tag (`aside`, `nav`), their ARIA role, or a whole class or id name
(`sidebar`, `widget`, `related-posts`): never by a part of a longer name, so a body class such
as `content-sidebar` or `no-sidebars` hides nothing. And a region that holds most of the page's
text, or the post itself, is the page's layout, not a sidebar (Drupal and Future plc wrap the
article in `widget-area` blocks, some themes in `#sidebar`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

from crawler.extract.html_tree import Element

AWAY_TAGS = frozenset({"aside", "nav"})
AWAY_ROLES = frozenset({"navigation", "complementary", "banner", "search", "menu"})
AWAY_NAMES = frozenset(
    {
        *("sidebar", "side-bar", "sidebar-left", "sidebar-right", "sidebar-primary"),
        *("sidebar-secondary", "secondary", "widget", "widgets", "widget-area", "widgetarea"),
        *("widget-container", "footer-widgets", "recentcomments", "recent-comments"),
        *("widget-recent-comments", "widget_recent_comments", "recent-posts", "related"),
        *("related-posts", "relatedposts", "jp-relatedposts", "yarpp-related", "crp_related"),
        *("popular-posts", "most-popular", "more-posts", "menu", "breadcrumb", "breadcrumbs"),
        *("comment-respond", "respond", "comment-form", "commentform", "reply-form"),
    }
)
_MOST_OF_THE_PAGE = 0.5
_COMMENT_WORDS = frozenset(
    {"comment", "comments", "commenti", "commento", "kommentare", "comentarios", "commentaires"}
)
# A sidebar never holds the page's own heading or main content.
_MAIN = etree.XPath("boolean(.//h1 | .//main | .//*[@itemprop = 'articleBody'])")
_UNREAD = frozenset({"head", "script", "style", "template", "noscript"})


def is_away(element: Element) -> bool:
    """Whether the element itself is a sidebar, widget, menu, related list or comment form."""
    if element.tag in AWAY_TAGS or (element.get("role") or "").lower() in AWAY_ROLES:
        return True
    return _away_names(element.get("class") or "", element.get("id") or "")


@lru_cache(maxsize=8192)
def _away_names(classes: str, ident: str) -> bool:
    return ident.lower() in AWAY_NAMES or not AWAY_NAMES.isdisjoint(classes.lower().split())


def _away_from_post(element: Element) -> bool:
    return element.tag == "form" or is_comment_region(element)


def is_comment_region(element: Element) -> bool:
    """Whether the element is named as (part of) a comment thread: a class or id whose words
    include "comment" (`comments`, `comment-list`, `fyre-comment-stream`), or `Comment`
    microdata."""
    if "comment" in (element.get("itemtype") or "").lower():
        return True
    return _comment_names(element.get("class") or "", element.get("id") or "")


@lru_cache(maxsize=8192)
def _comment_names(classes: str, ident: str) -> bool:
    names = [*classes.lower().split(), ident.lower()]
    return any(_COMMENT_WORDS.intersection(re.split(r"[-_]", name)) for name in names if name)


def away_regions(
    root: Element, keep: Element | None = None, *, for_post: bool = False
) -> list[Element]:
    """The page's away regions, outermost first, leaving out any that holds `keep` (the post),
    the page's main heading or content, or most of the page's text. `for_post` counts comment
    threads and forms as away too (they are never the post).

    One walk of the tree: a region kept is not looked into again."""
    kept: list[Element] = []
    page: int | None = None
    walker = etree.iterwalk(root, events=("start",))
    for _, node in walker:
        tag = node.tag
        if not isinstance(tag, str):
            continue
        if tag in _UNREAD:
            walker.skip_subtree()
            continue
        if tag in ("html", "body"):
            continue
        if not (is_away(node) or (for_post and _away_from_post(node))):
            continue
        if keep is not None and (node is keep or _holds(node, keep)):
            continue
        if _MAIN(node):
            continue
        # A comment thread may well hold most of the text; a sidebar may not.
        if not (for_post and is_comment_region(node) and not is_away(node)):
            if page is None:
                page = _text_size(root)
            if page and _text_size(node) > _MOST_OF_THE_PAGE * page:
                continue
        kept.append(node)
        walker.skip_subtree()
    return kept


def away_nodes(
    root: Element, keep: Element | None = None, *, for_post: bool = False
) -> set[Element]:
    """Every element inside an away region (the regions themselves included)."""
    nodes: set[Element] = set()
    for region in away_regions(root, keep, for_post=for_post):
        nodes.update(region.iter())
    return nodes


def _holds(container: Element, node: Element) -> bool:
    return any(up is container for up in node.iterancestors())


def _text_size(element: Element) -> int:
    """Characters of text in `element`, scripts and styles aside (spacing counted: the size
    is only ever compared with the page's, measured the same way)."""
    size = len(etree.tostring(element, method="text", encoding="unicode", with_tail=False))
    for unread in element.iter("script", "style"):
        size -= len(etree.tostring(unread, method="text", encoding="unicode", with_tail=False))
    return size
