"""Reader comments under a blog post, one extractor per way blogs mark them up.

Each extractor returns what it found or nothing; the page's platform decides which runs first
and the first that finds comments wins, so a WordPress thread is never read twice by the
generic fallback. Every comment gets a URL of its own: the page URL plus the fragment the page
itself uses for it, or, when the markup has none, a fragment derived from its author and date
(or text), so the same comment keeps its URL on the next crawl even if newer ones are added.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urldefrag

from lxml import etree

from crawler.extract.comment_parts import (
    CommentParts,
    DateReader,
    anchor_of,
    comment_text,
    epoch_date,
    read_comment_element,
)
from crawler.extract.html_tree import Element, class_tokens, nodes_within, visible_text
from crawler.extract.signatures import SIGNATURE, SignedComment, clean_author, split_signed

PLATFORMS = ("wordpress", "blogger", "typepad", "generic")


@dataclass(frozen=True, slots=True)
class Comment:
    """One reader comment: each is a mention of its own, with its own URL."""

    text: str
    author: str | None
    published: datetime | None
    url: str
    platform: str


@dataclass(slots=True)
class FoundComment:
    """A comment before it has its final URL; `identity` seeds a fragment when markup has none."""

    text: str
    author: str | None
    published: datetime | None
    anchor: str | None
    platform: str
    identity: str


@dataclass(frozen=True, slots=True)
class PageContext:
    """What every extractor needs besides the tree: how to read dates, and what to leave alone."""

    read_date: DateReader
    default_tz: str
    post_body: Element | None = None


def find_comments(
    root: Element, page_url: str, platform: str | None, context: PageContext
) -> tuple[list[Comment], str | None]:
    """The page's comments and the extractor that found them (`None` when there are none)."""
    order = [platform] if platform in PLATFORMS else []
    order += [name for name in PLATFORMS if name not in order]
    for name in order:
        found = [item for item in EXTRACTORS[name](root, context) if _is_reader_comment(item)]
        if found:
            return with_urls(found, page_url), name
    return [], None


_NOT_COMMENTS = re.compile(
    r"^(?:pingback|trackback)\s*:|^(?:questo commento è stato eliminato|this comment has been"
    r" removed|il commento è stato (?:eliminato|rimosso)|this comment was deleted)",
    re.IGNORECASE,
)


def _is_reader_comment(found: FoundComment) -> bool:
    return bool(found.text) and not _NOT_COMMENTS.match(found.text)


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


def _identity(author_text: str, date_text: str, text: str) -> str:
    author = " ".join(author_text.split())
    if date_text.strip():
        return f"{author}|{' '.join(date_text.split())}"
    return f"{author}|{' '.join(text.split())[:500]}"


def _from_elements(
    items: list[Element],
    context: PageContext,
    platform: str,
    keep: Callable[[Element, CommentParts], bool] | None = None,
) -> list[FoundComment]:
    """Read each comment element, its nested replies excluded (they are items of their own)."""
    nested = set(items)
    found: list[FoundComment] = []
    for item in items:
        parts = read_comment_element(item, nested, context.read_date, context.default_tz)
        if parts.has_form or not parts.text or (keep is not None and not keep(item, parts)):
            continue
        found.append(
            FoundComment(
                parts.text,
                parts.author,
                parts.published,
                parts.anchor,
                platform,
                _identity(parts.author_text, parts.date_text, parts.text),
            )
        )
    return found


def _has_class(*names: str) -> str:
    return " or ".join(
        f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')" for name in names
    )


# --- WordPress --------------------------------------------------------------------------------
_WP_LISTS = etree.XPath(
    "//*[self::ol or self::ul or self::div]"
    f"[{_has_class('commentlist', 'comment-list', 'comments-list', 'wp-block-comment-template')}]"
)
_WP_COMMENT_ID = re.compile(r"^(?:li-)?comment-\d+$")


def wordpress_comments(root: Element, context: PageContext) -> list[FoundComment]:
    """`ol.commentlist`/`ol.comment-list` items with class `comment`; pingbacks left out."""
    items: list[Element] = []
    seen: set[Element] = set()
    for comment_list in _WP_LISTS(root):
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
    return _from_elements(items, context, "wordpress")


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
    return _from_elements(list(dict.fromkeys(_BLOGGER_THREAD_ITEMS(root))), context, "blogger")


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
                _identity(author_text, date_text, text),
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
    r"(?:inviato|postato|scritto|pubblicato|commentato)\s+da|commento\s+di"
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
        _identity(signed.author or "", signed.date_text, signed.text),
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


# --- generic fallback -------------------------------------------------------------------------
_ITEM_TOKEN = re.compile(
    r"^(?:(?:single|user|blog|reader|guest|visitor)[-_])?(?:comment|commento)"
    r"(?:[-_](?:item|entry|single|wrapper|\d+|[0-9a-f]{8,}))?$"
)
_ITEM_ID = re.compile(r"^(?:(?:comment|commento|comm)[-_]?(?:\d+|[0-9a-f]{8,})|c\d+)$")
_CONTAINERS = frozenset(
    {
        "comments",
        "commenti",
        "comment-list",
        "commentlist",
        "comments-list",
        "comments-area",
        "comments-section",
        "comment-section",
        "comments-container",
        "comments-wrapper",
        "user-comments",
        "comment-thread",
        "comments-content",
    }
)
_EXCLUDED_WORDS = (
    "respond",
    "comment-form",
    "commentform",
    "reply-form",
    "sidebar",
    "widget-area",
    "widget_",
    "pingback",
    "trackback",
    "recent",
    "related",
    "popular",
    "latest",
)
_COMMENT_TYPES = ("schema.org/comment", "schema.org/usercomments")


def generic_comments(root: Element, context: PageContext) -> list[FoundComment]:
    """Repeated elements named like comments, schema.org `Comment` microdata, or the articles
    and list items of a comments section; comment forms, widgets and sidebars are left out.

    An article or list item known only by its place in a comments section must also show an
    author or a date, so a list of share buttons is not taken for comments.
    """
    excluded = nodes_within(_EXCLUDED_REGIONS(root))
    in_sections = set(_IN_COMMENT_SECTIONS(root))
    items: list[Element] = []
    weak: set[Element] = set()
    for node in _GENERIC_CANDIDATES(root):
        if node in excluded:
            continue
        tokens = class_tokens(node)
        itemtype = (node.get("itemtype") or "").lower()
        if (
            any(kind in itemtype for kind in _COMMENT_TYPES)
            or any(_ITEM_TOKEN.match(token) for token in tokens)
            or _ITEM_ID.match((node.get("id") or "").lower())
        ):
            items.append(node)
        elif node in in_sections and node.tag in ("article", "li"):
            items.append(node)
            weak.add(node)

    def keep(element: Element, parts: CommentParts) -> bool:
        return element not in weak or bool(parts.author_text or parts.published)

    return _from_elements(items, context, "generic", keep)


def _named(*words: str) -> str:
    """XPath: the element's class or id contains one of `words`."""
    return " or ".join(f"contains(@class, '{w}') or contains(@id, '{w}')" for w in words)


_SECTION_TEST = " or ".join(
    [_has_class(name) for name in _CONTAINERS] + [f"@id = '{name}'" for name in _CONTAINERS]
)
_EXCLUDED_TEST = (
    _named(*_EXCLUDED_WORDS)
    + " or self::nav or self::head or self::script or self::style or self::template"
)
_EXCLUDED_REGIONS = etree.XPath(f"//*[{_EXCLUDED_TEST}]")
_IN_COMMENT_SECTIONS = etree.XPath(f"//*[{_SECTION_TEST}]//*[self::article or self::li]")
# "omment" matches Comment and comment alike; the tests in Python decide.
_GENERIC_CANDIDATES = etree.XPath(
    "//*[contains(@class, 'omment') or contains(@id, 'omment') or contains(@itemtype, 'omment')]"
    f" | //*[{_SECTION_TEST}]//*[self::article or self::li]"
)


EXTRACTORS: dict[str, Callable[[Element, PageContext], list[FoundComment]]] = {
    "wordpress": wordpress_comments,
    "blogger": blogger_comments,
    "typepad": typepad_comments,
    "generic": generic_comments,
}
