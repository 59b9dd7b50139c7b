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
_CANDIDATES = etree.XPath("//aside | //nav | //form | //*[@role] | //*[@class] | //*[@id]")


def is_away(element: Element) -> bool:
    """Whether the element itself is a sidebar, widget, menu, related list or comment form."""
    if element.tag in AWAY_TAGS or (element.get("role") or "").lower() in AWAY_ROLES:
        return True
    names = (element.get("class") or "").lower().split()
    ident = (element.get("id") or "").lower()
    return ident in AWAY_NAMES or not AWAY_NAMES.isdisjoint(names)


def _away_from_post(element: Element) -> bool:
    return element.tag == "form" or is_comment_region(element)


def is_comment_region(element: Element) -> bool:
    """Whether the element is named as (part of) a comment thread: a class or id whose words
    include "comment" (`comments`, `comment-list`, `fyre-comment-stream`), or `Comment`
    microdata."""
    if "comment" in (element.get("itemtype") or "").lower():
        return True
    names = [*(element.get("class") or "").lower().split(), (element.get("id") or "").lower()]
    return any(_COMMENT_WORDS.intersection(re.split(r"[-_]", name)) for name in names if name)


def away_regions(
    root: Element, keep: Element | None = None, *, for_post: bool = False
) -> list[Element]:
    """The page's away regions, outermost first, leaving out any that holds `keep` (the post),
    the page's main heading or content, or most of the page's text. `for_post` counts comment
    threads and forms as away too (they are never the post)."""
    regions = [
        node
        for node in _CANDIDATES(root)
        if isinstance(node.tag, str)
        and node.tag not in ("html", "body")
        and (is_away(node) or (for_post and _away_from_post(node)))
    ]
    if not regions:
        return []
    page = _text_size(root)
    kept: list[Element] = []
    inside: set[Element] = set()
    for region in regions:
        if region in inside:
            continue
        if keep is not None and (region is keep or _holds(region, keep)):
            continue
        if _MAIN(region):
            continue
        # A comment thread may well hold most of the text; a sidebar may not.
        holds_most = page and _text_size(region) > _MOST_OF_THE_PAGE * page
        if holds_most and not (for_post and is_comment_region(region) and not is_away(region)):
            continue
        kept.append(region)
        inside.update(region.iter())
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


_TEXTS = etree.XPath(".//text()[not(ancestor::script) and not(ancestor::style)]")


def _text_size(element: Element) -> int:
    return sum(len(text.strip()) for text in _TEXTS(element))
