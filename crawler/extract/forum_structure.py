"""Forum posts of an engine nobody told us about, found by the page's structure.

A thread page repeats one block per post, each with a date (`threads.find_repeated_blocks`), an
author and a message. The author and the date come from the comment reader
(`comment_parts.read_comment`); the message is the block's largest part that holds neither the
author nor the date, nor a copy of the author's name (layouts print the author pane twice, for
wide and narrow screens), nor mostly "Iscritto: … / Messaggi: …" profile lines. Of the page's
runs of blocks, the one holding most message text is the thread (the others are "latest posts"
boxes, member lists, pagers).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from lxml import etree

from crawler.extract.comment_items import is_link_only, read_blocks
from crawler.extract.comment_parts import CommentParts
from crawler.extract.dates import DateReading
from crawler.extract.forum_text import clean_post_text
from crawler.extract.html_tree import Element, class_tokens, nodes_within, visible_text
from crawler.extract.regions import away_nodes
from crawler.extract.signatures import clean_author
from crawler.extract.threads import Block, DateMark, date_marks, find_repeated_blocks, shape

_MIN_POSTS = 2
_MIN_AUTHORED = 0.5
_PROFILE_LINE = re.compile(
    r"^(?:joined|join date|registered|registration date|member since|posts|messages|reputation"
    r"|reaction score|anmeldungsdatum|mitglied seit|dabei seit|inscrit le|membre depuis"
    r"|fecha de (?:registro|ingreso)|miembro desde|membro desde|registrado em|data registrazione"
    r"|iscrizione|registrazione"
    r"|location|karma|thanks|likes|points|age|gender|group|status|rank|last visit|last seen"
    r"|iscritto(?: il)?|registrato(?: il)?|gruppo|stato|grado|rango|ultima visita"
    r"|messaggi|interventi|località|provenienza|reputazione|punti|età|sesso|beigetreten"
    r"|registriert(?: seit)?|beiträge|wohnort|inscrit|inscription|localisation|registrado"
    r"|mensajes|ubicación|mensagens|localização)\b\s*:?\s*(.{0,40})$",
    re.IGNORECASE,
)
_PROFILE_LABEL = re.compile(
    _PROFILE_LINE.pattern.replace(r"\b\s*:?\s*(.{0,40})$", r"\s*:?$"), re.IGNORECASE
)
_NAME_TAGS = frozenset({"a", "span", "strong", "b"})
_LABEL_TAGS = frozenset({"dt", "label", "strong", "b", "span", "th", "em"})
_PATHS_TRIED = 8
_DIGITS = re.compile(r"\d+")
_REPLY_SUBJECT = re.compile(r"^(?:re|r|aw|sv|rif|rép|resp)\s*(?:\[\d+\])?\s*:", re.IGNORECASE)
_UNREAD = etree.XPath("//head | //template | //noscript | //script | //style")
_UNREAD_TAGS = frozenset({"script", "style", "template", "noscript"})


@dataclass(frozen=True, slots=True)
class StructuralPost:
    """A post as the structure gives it: its parts and the anchor the markup has for it."""

    text: str
    author: str | None
    parts: CommentParts


def structural_posts(root: Element, reading: DateReading) -> list[StructuralPost]:
    """The thread's posts, in page order, or nothing when no run reads as one."""
    away = away_nodes(root) | nodes_within(_UNREAD(root))
    every = date_marks(root, reading, away, reading.default_tz)
    marks = _post_dates(every)
    dated = {mark.element for mark in every if mark.from_attribute}
    runs = find_repeated_blocks(
        root, reading, skip=away, default_tz=reading.default_tz, marks=marks
    )
    best: list[StructuralPost] = []
    best_size = 0
    for run in runs:
        # One run of dates may span the thread and a "similar threads" list below it: the
        # posts of a (flat) thread are siblings.
        siblings: dict[Element | None, list[Block]] = {}
        for block in run:
            siblings.setdefault(block.element.getparent(), []).append(block)
        for blocks in siblings.values():
            posts = _run_posts(blocks, reading, dated)
            size = sum(len(post.text) for post in posts)
            if size > best_size:
                best, best_size = posts, size
    return best


def _post_dates(marks: list[DateMark]) -> list[DateMark]:
    """The marks that may date a post: not profile dates, and not the second copy of a time
    printed twice in a row in the same kind of element (layouts repeat the header for narrow
    screens)."""
    kept: list[DateMark] = []
    last: dict[tuple[object, ...], DateMark] = {}
    for mark in marks:
        if _is_profile_date(mark):
            continue
        parent = mark.element.getparent()
        kind = (shape(mark.element), shape(parent) if parent is not None else None)
        previous = last.get(kind)
        last[kind] = mark
        if (
            previous is not None
            and mark.from_attribute
            and previous.from_attribute
            and mark.source == previous.source
            and ":" in mark.source
        ):
            continue
        kept.append(mark)
    return kept


def _is_profile_date(mark: DateMark) -> bool:
    """A date in the author's profile ("Iscritto: 2023-10-30", "Join Date: Mar 10"), not the
    post's: the line it sits on is a profile line."""
    for holder in (mark.element, mark.element.getparent()):
        if holder is None:
            continue
        line = " ".join(" ".join(holder.itertext()).split())
        if len(line) <= 80 and _PROFILE_LINE.match(line):
            return True
    return False


def _run_posts(
    blocks: list[Block], reading: DateReading, dated: Collection[Element]
) -> list[StructuralPost]:
    nested = {element for block in blocks for element in block.elements}
    read: list[tuple[Block, CommentParts]] = []
    for block, parts in read_blocks(
        blocks, nested, reading, reading.default_tz, with_holders=False
    ):
        # A form inside a post is its quick-reply box, not a reason to skip it.
        if not is_link_only(block.elements, parts):
            read.append((block, parts))
    candidates = [_candidates(block, parts, nested, dated) for block, parts in read]
    path = _message_path(candidates)
    posts: list[StructuralPost] = []
    for (_, parts), found in zip(read, candidates, strict=True):
        nodes = [node for node, (key, _) in found.items() if key == path] if path else []
        if not nodes:
            nodes = [node for node in found if _is_message(node)][:1]
        text = "\n\n".join(visible_text(node) for node in nodes) if nodes else parts.text
        text = clean_post_text(text)
        if text:
            posts.append(StructuralPost(text, _name(parts), parts))
    authored = sum(post.author is not None for post in posts)
    if len(posts) < _MIN_POSTS or authored < _MIN_AUTHORED * len(posts):
        return []
    return posts


Candidates = dict[Element, tuple[tuple[object, ...], int]]


def _candidates(
    block: Block, parts: CommentParts, nested: Collection[Element], dated: Collection[Element]
) -> Candidates:
    """The block's parts free of the author, its dates, copies of the author's name and
    profile pairs ("Iscritto: …"), each with its path of shapes from the block and its size,
    largest first."""
    elements = block.elements
    own = set(elements)
    headers = [node for node in (parts.author_element, block.date.element) if node is not None]
    name = " ".join((parts.author_text or "").split())
    sizes: dict[Element, int] = {}
    tainted: set[Element] = set()
    for element in elements:
        for node in element.iter():
            if not isinstance(node.tag, str):
                continue
            if node in dated or (name and node.tag in _NAME_TAGS and _text(node) == name):
                headers.append(node)
            elif node.tag in _LABEL_TAGS and _PROFILE_LABEL.match(_text(node)):
                pair = node.getparent()
                if pair is not None and pair not in own:
                    headers.append(pair)
                    tainted.update(pair.iter())
        _measure(element, sizes)
    for header in headers:
        tainted.add(header)
        tainted.update(header.iterancestors())
    found: Candidates = {}
    for node in sorted(sizes, key=lambda node: -sizes[node]):
        if node in tainted or node in own or not sizes[node]:
            continue
        chain = [node, *node.iterancestors()]
        if any(up in nested and up not in own for up in chain):
            continue
        path = []
        for up in chain:
            if up in own:
                path.append(elements.index(up))
                break
            path.append(shape(up))
        found[node] = (tuple(reversed(path)), sizes[node])
    return found


def _message_path(candidates: list[Candidates]) -> tuple[object, ...] | None:
    """The path, the same in every block, under which the run's messages are.

    Of the paths holding most text over all blocks, the one whose texts differ most from post
    to post (a profile pane, a rank or a "Posts: 12" line says nearly the same under every
    post; messages never do), and which do not read as profile or subject lines.
    """
    totals: dict[tuple[object, ...], int] = {}
    for found in candidates:
        for key, size in found.values():
            totals[key] = totals.get(key, 0) + size
    ranked = sorted(totals, key=lambda key: (-totals[key], len(key)))[:_PATHS_TRIED]
    best, best_score = None, 0.0
    for key in ranked:
        texts = []
        for found in candidates:
            nodes = [node for node, (k, _) in found.items() if k == key]
            if nodes:
                texts.append(" ".join(visible_text(node) for node in nodes))
        sample = [text for text in texts if text.strip()]
        if not sample or sum(_reads_as_message(text) for text in sample) * 2 <= len(sample):
            continue
        distinct = len({_DIGITS.sub("", " ".join(text.split())) for text in sample})
        score = totals[key] * (distinct / len(sample)) ** 2
        if score > best_score:
            best, best_score = key, score
    return best


def _is_message(node: Element) -> bool:
    return _reads_as_message(visible_text(node), node)


def _reads_as_message(text: str, node: Element | None = None) -> bool:
    lines = [line for line in (" ".join(part.split()) for part in text.split("\n")) if line]
    if not lines:
        return False
    profile: set[int] = set()
    for number, line in enumerate(lines):
        matched = _PROFILE_LINE.match(line)
        if matched:
            profile.add(number)
            if not matched.group(1):  # a label alone: its value is the next line
                profile.add(number + 1)
    if len(profile & set(range(len(lines)))) > len(lines) / 2:
        return False
    return node is None or not _is_subject(node, lines)


def _name(parts: CommentParts) -> str | None:
    """The author's name as the page shows it: where the author element is a whole profile
    (name, rank, "Post: 1204" on lines of their own) its first line, and never the letter of
    an avatar printed before the name."""
    element = parts.author_element
    if element is None or not parts.author:
        return parts.author
    text = visible_text(element, _is_avatar)
    for line in text.split("\n"):
        name = clean_author(" ".join(line.split()))
        if name and not _PROFILE_LINE.match(name):
            return name if len(name) <= 80 else parts.author
    return parts.author


def _is_avatar(node: Element) -> bool:
    return any("avatar" in token for token in class_tokens(node))


def _is_subject(node: Element, lines: list[str]) -> bool:
    """The post's subject line ("Re: …", a link to the post), not its message."""
    if len(lines) == 1 and _REPLY_SUBJECT.match(lines[0]):
        return True
    linked = " ".join(" ".join("".join(a.itertext()).split()) for a in node.iter("a"))
    return bool(linked) and linked == " ".join(lines)


def _text(node: Element) -> str:
    return " ".join("".join(node.itertext()).split())


def _measure(root: Element, sizes: dict[Element, int]) -> int:
    """Characters of text inside each element of `root` (scripts left out), bottom up."""
    stack: list[int] = []
    for event, node in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(node.tag, str):
            continue
        if event == "start":
            stack.append(0)
            continue
        size = stack.pop()
        if node.tag not in _UNREAD_TAGS:
            size += len((node.text or "").strip())
        sizes[node] = size
        if stack:
            stack[-1] += size + len((node.tail or "").strip())
    return sizes.get(root, 0)
