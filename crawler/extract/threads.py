"""Comment threads and forum posts found by their structure, whatever their class names.

A thread is a run of blocks of the same shape, each with a date (a `<time>`, a `datetime` or
`title` attribute, a short text that reads as a date), usually an author and a text. The dates
are found first; dates in the same kind of element under the same kind of parent belong to one
run; the run's blocks are what lies between its dates: the element holding one date, or, where
a comment is a header and a body side by side (`dt` + `dd`), the siblings that repeat with it.
A block holding several dates of the run holds nested replies: each is a block of its own, and
the parent's own part leaves them out.

`find_repeated_blocks` is the public entry: blog comments and forum posts both build on it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from zoneinfo import ZoneInfo

from lxml import etree

from crawler.extract.dates import is_relative_date
from crawler.extract.html_tree import Element, visible_text

DateReader = Callable[[str | None], datetime | None]

_UNREAD = frozenset({"script", "style", "template", "noscript", "head", "textarea", "select"})
_DATE_ATTRIBUTES = ("datetime", "data-time", "data-timestamp", "data-utime", "data-date")
_TITLED_TAGS = frozenset({"abbr", "span", "a", "time", "small", "div", "em", "p", "li", "td"})
_MAX_DATE_TEXT = 160
# Cheap test before reading a text as a date: a digit, or a word of "yesterday", "an hour ago".
_DATE_HINT = re.compile(
    r"\d|\b(?:ieri|oggi|yesterday|today|gestern|heute|hier|aujourd|ayer|hoy|ontem|hoje"
    r"|fa|ago|vor|il y a|hace|há|atrás)\b",
    re.IGNORECASE,
)
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")
_POSITIONAL = re.compile(r"^(?:odd|even|alt|first|last|thread-\w+|depth-\w+|parent|hidden)$")
_MAX_RELATIVE = 40  # "Hace 28 minutos": a date even where no fetch time says which
_MAX_DEPTH = 400
_MIN_RUN = 2


@dataclass(frozen=True, slots=True)
class DateMark:
    """A date-like element, the date it gives and the text or attribute it came from."""

    element: Element
    published: datetime | None
    source: str
    from_attribute: bool


@dataclass(slots=True)
class Block:
    """One repeated block: one element, or a run of siblings (`dt` + `dd`), with its date."""

    elements: tuple[Element, ...]
    date: DateMark
    holder: Element | None = None  # the comment element whose own part this is (its replies aside)

    @property
    def element(self) -> Element:
        return self.elements[0]


def date_marks(
    root: Element,
    read_date: DateReader,
    skip: Collection[Element] = (),
    default_tz: str = "UTC",
    *,
    before: Element | None = None,
) -> list[DateMark]:
    """Every date-like element of the page in document order, the innermost of nested ones
    (a `<span>` around a `<time>` is one date, the `<time>`'s, unless only the outer one
    reads from an attribute). One walk, however deep the page. With `before`, for a caller that
    wants only the marks before that element, the walk ends there, unless a date element
    encloses it: whether that one counts depends on all inside it, so then the walk goes on."""
    marks: list[DateMark] = []
    held: dict[Element, list[DateMark]] = {}  # mark element -> the marks inside it
    open_marks: list[DateMark] = []
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, node in walker:
        if event == "end":
            if open_marks and open_marks[-1].element is node:
                open_marks.pop()
            continue
        if node is before:
            if not open_marks:
                break
            before = None  # an enclosing date element: what follows still decides on it
        tag = node.tag
        if not isinstance(tag, str) or tag in _UNREAD or node in skip:
            walker.skip_subtree()
            continue
        mark = _mark_of(node, read_date, default_tz)
        if mark is None:
            continue
        for holder in open_marks:
            held.setdefault(holder.element, []).append(mark)
        marks.append(mark)
        open_marks.append(mark)
    return [
        mark
        for mark in marks
        if not any(m.from_attribute or not mark.from_attribute for m in held.get(mark.element, ()))
    ]


def _mark_of(node: Element, read_date: DateReader, default_tz: str) -> DateMark | None:
    # Most elements have no attribute at all: one call says so, instead of one per attribute.
    if node.keys():
        for attribute in _DATE_ATTRIBUTES:
            value = node.get(attribute)
            if value:
                found = _attribute_date(value, read_date, default_tz)
                if found is not None:
                    return DateMark(node, found, value, True)
        title = node.get("title")
        if title and node.tag in _TITLED_TAGS and len(title) <= 80 and _DATE_HINT.search(title):
            found = read_date(title)
            if found is not None:
                return DateMark(node, found, title, True)
    for text in _own_texts(node):
        if len(text) <= _MAX_DATE_TEXT and _DATE_HINT.search(text):
            found = read_date(text)
            if found is not None or (len(text) <= _MAX_RELATIVE and is_relative_date(text)):
                return DateMark(node, found, text, False)
    return None


def _attribute_date(value: str, read_date: DateReader, default_tz: str) -> datetime | None:
    value = value.strip()
    if _EPOCH.match(value):
        seconds = int(value) / (1000 if len(value) == 13 else 1)
        try:
            return datetime.fromtimestamp(seconds, UTC).astimezone(ZoneInfo(default_tz))
        except (OverflowError, OSError, ValueError):
            return None
    return read_date(value)


def _own_texts(node: Element) -> Iterator[str]:
    """The node's own text and the text right after each of its children (not inside them)."""
    if node.text and not node.text.isspace():
        yield " ".join(node.text.split())
    for child in node:
        if child.tail and not child.tail.isspace():
            yield " ".join(child.tail.split())


def shape(element: Element) -> tuple[str, tuple[str, ...]]:
    """What an element looks like, whatever its position: its tag and steady classes."""
    classes = (element.get("class") or "").lower().split()
    steady = sorted(
        token
        for token in classes
        if not any(c.isdigit() for c in token) and not _POSITIONAL.match(token)
    )
    return element.tag, tuple(steady)


def _signature(mark: DateMark) -> tuple[object, ...]:
    parent = mark.element.getparent()
    return (
        shape(mark.element),
        shape(parent) if parent is not None else None,
        mark.from_attribute,
    )


def find_repeated_blocks(
    root: Element,
    read_date: DateReader,
    *,
    skip: Collection[Element] = (),
    default_tz: str = "UTC",
    marks: list[DateMark] | None = None,
) -> list[list[Block]]:
    """Runs of repeated blocks, each block with its date; largest runs first.

    `skip` holds regions never to look into (sidebars, forms). Blocks of different runs never
    overlap: a run whose blocks would cover the dates of a bigger run is dropped. `marks` may
    pass the page's date marks when the caller already has them.
    """
    if marks is None:
        marks = date_marks(root, read_date, skip, default_tz)
    runs: dict[tuple[object, ...], list[DateMark]] = {}
    for mark in marks:
        runs.setdefault(_signature(mark), []).append(mark)
    candidates = [run for run in runs.values() if len(run) >= _MIN_RUN]
    candidates.sort(key=len, reverse=True)
    taken: set[Element] = set()
    threads: list[list[Block]] = []
    for run in candidates:
        blocks = _blocks_of(run)
        blocks = [block for block in blocks if not _overlaps(block, taken)]
        if len(blocks) < _MIN_RUN:
            continue
        for block in blocks:
            for element in block.elements:
                taken.update(element.iter())
        threads.append(blocks)
    return threads


def _deeper_than(element: Element, depth: int) -> bool:
    return next(islice(element.iterancestors(), depth, None), None) is not None


def _overlaps(block: Block, taken: set[Element]) -> bool:
    return any(element in taken for element in block.elements) or any(
        up in taken for up in block.element.iterancestors()
    )


class _Paths:
    """Each mark's chain of ancestors from the root, computed once."""

    def __init__(self, marks: list[DateMark]) -> None:
        self.of: dict[Element, list[Element]] = {}
        for mark in marks:
            chain = [mark.element, *mark.element.iterancestors()]
            chain.reverse()
            self.of[mark.element] = chain

    def common_depth(self, marks: list[DateMark]) -> int:
        """Depth of the lowest element holding all of `marks`."""
        chains = [self.of[mark.element] for mark in marks]
        depth = 0
        shortest = min(len(chain) for chain in chains)
        while depth + 1 < shortest and all(c[depth + 1] is chains[0][depth + 1] for c in chains):
            depth += 1
        return depth


def _blocks_of(run: list[DateMark]) -> list[Block]:
    if any(_deeper_than(mark.element, _MAX_DEPTH) for mark in run):
        return []  # pathological nesting: left to the extractors that need no ancestry
    paths = _Paths(run)
    order = {mark.element: number for number, mark in enumerate(run)}
    blocks = _split(paths, run, paths.common_depth(run))
    blocks.sort(key=lambda block: order[block.date.element])
    return blocks


def _split(paths: _Paths, marks: list[DateMark], depth: int) -> list[Block]:
    """The blocks of `marks` inside the element at `depth` of their common ancestry."""
    container = paths.of[marks[0].element][depth]
    buckets: dict[Element, list[DateMark]] = {}
    for mark in marks:
        chain = paths.of[mark.element]
        child = chain[depth + 1] if len(chain) > depth + 1 else chain[depth]
        buckets.setdefault(child, []).append(mark)
    if len(buckets) == 1:
        ((child, held),) = buckets.items()
        if len(held) == 1 or child is container:
            return [Block((child,), held[0])]
        return _split(paths, held, depth + 1)
    children = [child for child in container if isinstance(child.tag, str)]
    blocks: list[Block] = []
    partial: list[tuple[Element, DateMark]] = []
    for child in children:
        held = buckets.get(child)
        if not held:
            continue
        if len(held) > 1:
            inner = _split(paths, held, paths.common_depth(held))
            first = min(inner, key=lambda block: held.index(block.date)) if inner else None
            if (
                first is not None
                and first.element.getparent() is child
                and shape(first.element) != shape(child)
            ):
                first.holder = child  # its header and text beside its replies, in it
            blocks.extend(inner)
        elif _has_body(child, held[0]):
            blocks.append(Block((child,), held[0]))
        else:
            partial.append((child, held[0]))
    if partial:
        blocks.extend(_sibling_runs(children, partial, set(buckets)))
    return blocks


def _has_body(element: Element, mark: DateMark) -> bool:
    """Whether `element` holds more than a header: text outside its date, links and names."""

    def header(node: Element) -> bool:
        return node is mark.element or node.tag in _HEADER_TAGS or node.tag == "img"

    residue = visible_text(element, header) if element is not mark.element else ""
    if element is mark.element:
        residue = " ".join(_own_texts(element)).replace(mark.source, " ")
    return len(_LABELS.sub(" ", residue).strip(" \n\t:,.-–—|·•()[]#")) >= 2


_HEADER_TAGS = frozenset({"a", "strong", "b", "cite", "h1", "h2", "h3", "h4", "h5", "h6", "time"})
_LABELS = re.compile(
    r"\b(?:says|said|wrote|reply|replies|posted|by|on|at|dice|ha scritto|scrive|commento di"
    r"|risposta di|inviato da|rispondi|il|alle|le|à|par|soumis|a répondu|schrieb|von|am|um"
    r"|escribió|dijo|por|el|de|disse|escreveu|em|no)\b|\d+",
    re.IGNORECASE,
)


def _sibling_runs(
    children: list[Element], partial: list[tuple[Element, DateMark]], holders: set[Element]
) -> list[Block]:
    """Blocks that are a header and a body side by side: each date's element with the
    siblings that repeat with it (`dt` + `dd`, a header `div` + a text `div`).

    Which siblings go with which date is told by the pattern: the siblings between two dates
    split where the run before the first date and the run after the last one repeat them. With
    no pattern to go by, a header comes first and the siblings after it, up to the next date,
    are its body (or those before it, when nothing follows).
    """
    index = {child: position for position, child in enumerate(children)}
    positions = [index[child] for child, _ in partial]
    gaps = [children[a + 1 : b] for a, b in zip(positions, positions[1:], strict=False)]
    gap = _common_gap(gaps)
    before = children[: positions[0]]
    after = children[positions[-1] + 1 :]
    cut = len(gap)
    if gap:
        shapes = [shape(node) for node in gap]
        for k in range(len(gap), -1, -1):
            lead = len(gap) - k
            if (
                len(before) >= lead
                and [shape(n) for n in before[len(before) - lead :]] == shapes[k:]
                and [shape(n) for n in after[:k]] == shapes[:k]
            ):
                cut = k
                break
    blocks = []
    for number, (child, mark) in enumerate(partial):
        position = positions[number]
        low = positions[number - 1] if number else -1
        high = positions[number + 1] if number + 1 < len(positions) else len(children)
        if gap:
            span = range(
                max(position - (len(gap) - cut), low + 1), min(position + cut, high - 1) + 1
            )
        else:
            following = range(position + 1, high)
            span = following if len(following) else range(low + 1, position)
        members = [child] + [
            children[i] for i in span if children[i] is not child and children[i] not in holders
        ]
        members.sort(key=index.__getitem__)
        blocks.append(Block(tuple(members), mark))
    return blocks


def _common_gap(gaps: list[list[Element]]) -> list[Element]:
    """The most common run of siblings between two dates (by shape), as one example of it."""
    if not gaps:
        return []
    counts: dict[tuple[object, ...], list[list[Element]]] = {}
    for gap in gaps:
        counts.setdefault(tuple(shape(node) for node in gap), []).append(gap)
    return max(counts.values(), key=len)[0]
