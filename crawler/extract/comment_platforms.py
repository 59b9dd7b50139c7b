"""Platform fast paths for reader comments: WordPress, Blogger, TypePad-style signatures and
the static markup Disqus and Livefyre leave in a page.

Each extractor knows where its platform puts the comments, so it needs no guessing; what each
comment says (author, date, text) is read by the same reader as every other comment.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urldefrag

from lxml import etree

from crawler.extract.comment_body import comment_text
from crawler.extract.comment_items import FoundComment, PageContext, from_elements, identity
from crawler.extract.comment_parts import anchor_of, epoch_date
from crawler.extract.html_tree import Element, class_tokens, visible_text
from crawler.extract.signatures import SIGNATURE, SignedComment, clean_author, split_signed


def _has_class(*names: str) -> str:
    return " or ".join(
        f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')" for name in names
    )


# --- WordPress --------------------------------------------------------------------------------
# The class names of a WordPress comment list (on an `ol`, `ul` or `div`); `PageScan` finds
# them in its walk of the page, this XPath where there is no scan.
WORDPRESS_COMMENT_LISTS = (
    "commentlist",
    "comment-list",
    "comments-list",
    "wp-block-comment-template",
)
_WP_LISTS = etree.XPath(
    f"//*[self::ol or self::ul or self::div][{_has_class(*WORDPRESS_COMMENT_LISTS)}]"
)
_WP_COMMENT_ID = re.compile(r"^(?:li-)?comment-\d+$")


def wordpress_comments(root: Element, context: PageContext) -> list[FoundComment]:
    """`ol.commentlist`/`ol.comment-list` items with class `comment`; pingbacks left out."""
    items: list[Element] = []
    seen: set[Element] = set()
    lists = context.scan.wordpress_lists if context.scan is not None else _WP_LISTS(root)
    for comment_list in lists:
        for node in comment_list.iter("li", "article", "div"):
            if node in seen:
                continue
            tokens = class_tokens(node)
            if "pingback" in tokens or "trackback" in tokens:
                continue
            is_item = "comment" in tokens or (
                node.tag == "li" and _WP_COMMENT_ID.match(node.get("id") or "")
            )
            if is_item:
                seen.add(node)
                items.append(node)
    return from_elements(items, context, "wordpress")


# --- Blogger ----------------------------------------------------------------------------------
_BLOGGER_BLOCKS = etree.XPath("//dl[@id='comments-block' or " + _has_class("comments-block") + "]")
_BLOGGER_THREAD_ITEMS = etree.XPath(
    f"//*[{_has_class('comment-thread')}]//li[{_has_class('comment')}]"
)
_SHOW_COMMENT = re.compile(r"[?&]showComment=(\d{10,13})")


def blogger_comments(root: Element, context: PageContext) -> list[FoundComment]:
    """Classic `dl#comments-block` (dt author, dd body, dd footer) or threaded `.comment-thread`."""
    found: list[FoundComment] = []
    for block in _BLOGGER_BLOCKS(root):
        found.extend(_blogger_classic(block, context))
    if found:
        return found
    return from_elements(list(dict.fromkeys(_BLOGGER_THREAD_ITEMS(root))), context, "blogger")


def _blogger_classic(block: Element, context: PageContext) -> list[FoundComment]:
    groups: list[dict[str, Element]] = []
    for node in block.iter("dt", "dd"):
        tokens = class_tokens(node)
        if node.tag == "dt" or not groups:
            groups.append({})
        if node.tag == "dt":
            groups[-1]["author"] = node
        elif "comment-footer" in tokens:
            groups[-1]["footer"] = node
        else:
            groups[-1].setdefault("body", node)
    found = []
    for group in groups:
        body = group.get("body")
        if body is None or body.xpath(f".//*[{_has_class('deleted-comment')}]"):
            continue
        author_el, footer = group.get("author"), group.get("footer")
        author_text = _blogger_author_text(author_el)
        published, date_text = _blogger_date(footer, context)
        text = comment_text(body)
        anchor = None
        for candidate in (author_el, body):
            if candidate is not None and anchor is None:
                anchor = anchor_of(candidate, _named_anchors(candidate))
        if anchor is None and footer is not None:
            anchor = _fragment_of_links(footer)
        found.append(
            FoundComment(
                text,
                clean_author(author_text),
                published,
                anchor,
                "blogger",
                identity(author_text, date_text, text),
            )
        )
    return found


def _blogger_author_text(author_el: Element | None) -> str:
    if author_el is None:
        return ""
    for link in author_el.iter("a"):
        if link.get("href") and visible_text(link):
            return visible_text(link)
    return visible_text(author_el)


def _blogger_date(footer: Element | None, context: PageContext) -> tuple[datetime | None, str]:
    if footer is None:
        return None, ""
    for link in footer.iter("a"):
        epoch = _SHOW_COMMENT.search(link.get("href") or "")
        if epoch:
            return epoch_date(epoch.group(1), context.default_tz), visible_text(link)
    stamp = footer.xpath(f".//*[{_has_class('comment-timestamp')}]")
    date_text = visible_text(stamp[0] if stamp else footer)
    return context.read_date(date_text), date_text


def _named_anchors(element: Element) -> list[str]:
    return [a.get("name") or a.get("id") or "" for a in element.iter("a")]


def _fragment_of_links(element: Element) -> str | None:
    for link in element.iter("a"):
        _, fragment = urldefrag(link.get("href") or "")
        if fragment:
            return fragment
    return None


# --- TypePad-style signatures -----------------------------------------------------------------
_LABEL = re.compile(
    r"(?:inviato|postato|scritto|pubblicato|commentato)\s+da|commento\s+di|risposta\s+di"
    r"|(?:posted|written|submitted)\s+by",
    re.IGNORECASE,
)
_SIGNED_ITEM_CLASSES = frozenset(
    {"comment", "commento", "comment-item", "comment-entry", "comments-body"}
)
_SIGNED_ITEM_ID = re.compile(r"^(?:comment|commento)[-_]?[0-9a-f]{2,}$|^c\d[0-9a-f]*$", re.I)
# First letters left out so "Inviato da" and "inviato da" both match without translate().
_LABELLED_TEXTS = etree.XPath(
    "//text()["
    + " or ".join(
        f"contains(., '{label}')"
        for label in (
            "nviato da",
            "ostato da",
            "critto da",
            "ubblicato da",
            "ommentato da",
            "ommento di",
            "isposta di",
            "osted by",
            "ritten by",
            "ubmitted by",
        )
    )
    + "]"
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_UNREAD = frozenset({"script", "style", "template", "textarea", "noscript"})
# Where a post signs itself ("Pubblicato da Enrica il 12 marzo 2024 | Permalink | Commenti (4)"):
# a byline, not a comment, and no part of the first comment's text.
_POST_BYLINES = frozenset(
    {"entry-footer", "post-footer", "post-footers", "entry-meta", "post-meta", "byline"}
)


def typepad_comments(root: Element, context: PageContext) -> list[FoundComment]:
    """Comments closed by a signature (`Inviato da: NAME @ 16.02.04 20:35`, `Posted by: …`).

    When each signature sits in its own comment element, that element is the comment; when
    they all run together in one block of text, the block is cut at the signatures.
    """
    owners = []
    for text in _LABELLED_TEXTS(root):
        owner = text.getparent()
        if text.is_tail:
            owner = owner.getparent()
        elif owner.tag in _UNREAD:
            continue
        if (
            owner is not None
            and _LABEL.search(text)
            and not _inside(owner, context.post_body)
            and not _in_post_byline(owner)
        ):
            owners.append(owner)
    if not owners:
        return []
    items = list(dict.fromkeys(i for i in map(_signed_item, owners) if i is not None))
    if items:
        found = []
        for item in items:
            signed = split_signed(visible_text(item))
            if len(signed) == 1:
                found.append(_from_signed(signed[0], context, anchor_of(item)))
        if found:
            return found
    container = _common_ancestor(owners)
    skip_roots = {context.post_body} if context.post_body is not None else set()

    def skip(node: Element) -> bool:
        return node.tag in _HEADINGS or node in skip_roots

    text = visible_text(container, skip)
    if not SIGNATURE.search(text):
        return []
    return [_from_signed(signed, context, None) for signed in split_signed(text)]


def _from_signed(signed: SignedComment, context: PageContext, anchor: str | None) -> FoundComment:
    return FoundComment(
        signed.text,
        signed.author,
        context.read_date(signed.date_text),
        anchor,
        "typepad",
        identity(signed.author or "", signed.date_text, signed.text),
    )


def _inside(node: Element, container: Element | None) -> bool:
    return container is not None and any(up is container for up in node.iterancestors())


def _in_post_byline(node: Element) -> bool:
    return any(_POST_BYLINES.intersection(class_tokens(up)) for up in (node, *node.iterancestors()))


def _signed_item(owner: Element) -> Element | None:
    for node in (owner, *owner.iterancestors()):
        if _SIGNED_ITEM_CLASSES.intersection(class_tokens(node)) or _SIGNED_ITEM_ID.match(
            node.get("id") or ""
        ):
            return node
    return None


def _common_ancestor(nodes: list[Element]) -> Element:
    chain = [nodes[0], *nodes[0].iterancestors()]
    position = {node: index for index, node in enumerate(chain)}
    lowest = 0
    for node in nodes[1:]:
        for candidate in (node, *node.iterancestors()):
            if candidate in position:
                lowest = max(lowest, position[candidate])
                break
    return chain[lowest]


# --- Disqus and Livefyre, as saved into the page ----------------------------------------------
_WIDGET_ITEMS = etree.XPath(
    "//*[@id = 'dsq-comments']//li[starts-with(@id, 'dsq-comment-') or "
    + _has_class("comment", "dsq-comment")
    + "] | //*["
    + _has_class("fyre-comment-article")
    + "]"
)


def widget_comments(root: Element, context: PageContext) -> list[FoundComment]:
    """Disqus's static fallback list (`#dsq-comments`) and Livefyre's rendered articles."""
    items = list(dict.fromkeys(_WIDGET_ITEMS(root)))
    return from_elements(items, context, "generic")
