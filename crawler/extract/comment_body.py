"""The body of a comment and its text, once its author and date are known.

The header is the smallest part holding the author and the date that does not hold the body;
the body is the element themes name as the text, or else the part that holds most of what is
left (link text aside: reply, like and report links are chrome). What remains of a header in
the text ("says:", "Rispondi", "Reply 1 - Posted by:") is dropped line by line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import islice

from crawler.extract.comment_authors import HEADER_WORDS
from crawler.extract.html_tree import Element, visible_text

# What a body may be: a block that groups paragraphs, not a paragraph or a quotation itself.
_BODY_CONTAINERS = frozenset(
    {"div", "section", "article", "li", "dd", "td", "main", "footer", "header", "span", "font"}
)
_DOMINANT = 0.75
_LEADING_LABEL = re.compile(
    r"^(?:dice|says|ha detto\.*|ha scritto|said\.*|wrote|a écrit|escribió|schrieb|disse)"
    r"\s*[:.…]*\s*",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
NOISE_LINES = frozenset(
    {
        *("rispondi", "reply", "risposta", "risposte", "rispondi a questo commento"),
        *("reply to this comment", "modifica", "edit", "elimina", "delete", "segnala"),
        *("report", "mi piace", "like", "cita", "quote", "dice:", "says:", "ha detto..."),
        *("said...", "permalink", "répondre", "responder", "antworten", "responda"),
    }
)


# How far up a comment's parts are looked for: far more than any comment nests, and a bound,
# so pages nested thousands of levels deep (unclosed tags) stay linear.
_NESTING = 100


def contains(container: Element, node: Element) -> bool:
    """Whether `node` is inside `container` (not `container` itself), within a comment's
    nesting of it."""
    return any(up is container for up in islice(node.iterancestors(), _NESTING))


def within(node: Element, elements: Sequence[Element]) -> bool:
    """Whether `node` is one of `elements` or inside one of them."""
    return any(node is element or contains(element, node) for element in elements)


def _up_to(node: Element, roots: set[Element]) -> list[Element]:
    """`node` and its ancestors up to the first of `roots` (included); empty if none is met."""
    chain = [node]
    for up in islice(node.iterancestors(), _NESTING):
        if chain[-1] in roots:
            break
        chain.append(up)
    return chain if chain[-1] in roots else []


def find_body(
    named: Sequence[Element],
    elements: Sequence[Element],
    skip: Callable[[Element], bool],
    measured: dict[Element, str] | None = None,
) -> Element | None:
    """The element holding the text: the one the theme names so, else the part holding most
    of the text once the header is out (`None` when the comment's elements are the body).
    Link text does not count towards "most": reply, like and report links are chrome.
    `measured` receives the visible text (`skip` aside) of each named element read."""
    for element in named:
        if skip(element):
            continue
        text = visible_text(element, skip)
        if measured is not None:
            measured[element] = text
        if text.strip():
            return element

    def size_of(node: Element) -> int:
        return len(visible_text(node, lambda n: n.tag == "a" or skip(n)))

    sizes = [(size_of(element), element) for element in elements]
    total = sum(size for size, _ in sizes)
    if not total:
        return None
    size, body = max(sizes, key=lambda pair: pair[0])
    if len(elements) > 1 and size < _DOMINANT * total:
        return None
    while True:
        children = [
            (size_of(child), child)
            for child in body
            if isinstance(child.tag, str) and not skip(child)
        ]
        inner = sum(size for size, _ in children)
        if not children or not inner:
            return body
        size, child = max(children, key=lambda pair: pair[0])
        if child.tag not in _BODY_CONTAINERS or size < _DOMINANT * total:
            return body
        body = child


def find_header(
    elements: Sequence[Element],
    author_el: Element | None,
    date_el: Element | None,
    body: Element | None,
) -> Element | None:
    """The smallest part holding both author and date that does not hold the body."""
    if author_el is None or date_el is None:
        return None
    roots = set(elements)
    above_author = set(_up_to(author_el, roots))
    header = next((node for node in _up_to(date_el, roots) if node in above_author), None)
    if header is None:
        return None
    if body is not None and (header is body or contains(header, body)):
        return None
    if header in roots:
        return header if len(elements) > 1 else None
    while True:
        parent = header.getparent()
        if parent is None or parent in roots or (body is not None and contains(parent, body)):
            return header
        header = parent


def surely_outside(node: Element, container: Element, roots: Sequence[Element]) -> bool:
    """Whether `node` is known not to be inside `container`: its ancestors reach one of the
    comment's `roots` (or the page's top) without meeting `container`, within a comment's
    nesting of it (past that, nothing is known)."""
    if node is container:
        return False
    for depth, up in enumerate(node.iterancestors()):
        if depth >= _NESTING or up is container:
            return False
        if any(up is root for root in roots):
            return True
    return True


def text_of(
    body: Element | None,
    elements: Sequence[Element],
    skip: Callable[[Element], bool],
    header_texts: tuple[str, ...] = (),
    body_text: str | None = None,
) -> str:
    """The comment's text: its body's, or its elements' without what `skip` names; lines that
    are only its header (`header_texts`: the date and name as written) and header words go.
    `body_text` is the body's visible text when it was read already (with the same `skip`)."""
    if body is not None:
        return comment_text(body, skip, header_texts, body_text)
    return "\n".join(
        part
        for element in elements
        if not skip(element)
        if (part := comment_text(element, skip, header_texts))
    ).strip()


def comment_text(
    element: Element,
    skip: Callable[[Element], bool] | None = None,
    header_texts: tuple[str, ...] = (),
    text: str | None = None,
) -> str:
    """A comment's visible text without reply/edit/like chrome and header words left over.
    `text` is the element's visible text (with the same `skip`) when it was read already."""
    if text is None:
        text = visible_text(element, skip)
    headers = tuple(" ".join(part.split()) for part in header_texts if part and part.strip())
    lines = [line for line in text.split("\n") if not _is_chrome_line(line, headers)]
    return _LEADING_LABEL.sub("", "\n".join(lines).strip()).strip()


def _is_chrome_line(line: str, headers: tuple[str, ...] = ()) -> bool:
    """A line of chrome: "Rispondi", "says:", or header words, numbers and the header's own
    name and date only."""
    stripped = line.strip()
    if stripped.lower() in NOISE_LINES:
        return True
    for header in headers:
        if header in stripped:
            stripped = stripped.replace(header, " ").strip()
            if not stripped.strip(" :,.-–—|·•()[]"):
                return True
    if not stripped or len(stripped) > 60:
        return False
    words = [word.lower() for word in _WORD.findall(stripped)]
    return bool(words) and all(word in HEADER_WORDS for word in words) and len(words) <= 6
