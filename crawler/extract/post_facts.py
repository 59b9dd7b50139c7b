"""Title, author and date of a blog post, read from its markup.

The post's own container (the `<article>`, `.post`, `.hentry`, `.entry` around its body) is
searched first; outside it only unmistakable signs count, such as Blogger's `h2.date-header`
(which sits outside the post), `article:published_time` or JSON-LD `datePublished`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from crawler.extract.comment_authors import is_name_like
from crawler.extract.html_tree import Element, class_tokens, visible_text
from crawler.extract.page_meta import PageDeclarations
from crawler.extract.signatures import clean_author
from crawler.extract.threads import date_marks

if TYPE_CHECKING:
    from crawler.extract.page_scan import PageScan

DateReader = Callable[[str | None], datetime | None]
AwayFilter = Callable[[list[Element]], list[Element]]
Candidate = tuple[int, int, int, Element]


@dataclass(slots=True)
class PostFacts:
    title_element: Element | None
    title: str | None
    author: str | None
    published: datetime | None


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


_TITLE_CLASSES = {"entry-title": 0, "post-title": 0, "entry-header": 1, "title": 3}
_AUTHOR_CLASSES = {
    "fn": 1,
    "author-name": 3,
    "post-author": 3,
    "entry-author": 3,
    "author": 3,
    "autore": 3,
    "autor": 3,
    "auteur": 3,
    "byline": 4,
    "post-footers": 4,
    "posted": 4,
}
_DATE_CLASSES = {
    "entry-date": 2,
    "post-date": 2,
    "published": 2,
    "date-header": 2,
    "date": 2,
    "data": 2,
    "post-timestamp": 2,
    "timestamp": 2,
    "posted-on": 2,
    "entry-meta": 3,
    "post-meta": 3,
    "meta": 3,
    "byline": 3,
    "post-footers": 3,
    "posted": 3,
    "post-info": 3,
    "postmetadata": 3,
}
_HEADINGS = frozenset({"h1", "h2", "h3", "h4"})
# A cheap superset of what `_rank` ranks inside the container; exact class tests are in Python.
_INSIDE_TAGS = frozenset({"h1", "h2", "h3", "h4", "time", "abbr"})
_INSIDE_PARTS = (
    *("title", "header", "author", "autor", "auteur", "fn", "byline", "date", "data"),
    *("published", "time", "meta", "footers", "posted", "info"),
)
# Outside the container only names no comment or widget uses ("comment-metadata" holds "data").
_PAGE_PARTS = ("date-header", "author-name", "post-author", "entry-author", "entry-date")
_PAGE_TOKENS = frozenset({"date", "data"})
_FACT_PROPS = frozenset({"headline", "author", "datePublished"})


@lru_cache(maxsize=8192)
def _facts_class(classes: str) -> tuple[bool, bool]:
    """Whether a class list may name a fact inside the post's container, and on the page."""
    inside = any(part in classes for part in _INSIDE_PARTS)
    page = any(part in classes for part in _PAGE_PARTS) or not _PAGE_TOKENS.isdisjoint(
        classes.split()
    )
    return inside, page


def _facts_nodes(top: Element, *, page: bool) -> list[Element]:
    """The elements under `top` that may hold the title, author or date (one walk)."""
    found = []
    for node in top.iter():
        if node is top or not isinstance(node.tag, str):
            continue
        if _may_be_fact(node, page):
            found.append(node)
    return found


def _may_be_fact(node: Element, page: bool) -> bool:
    tag = node.tag
    if not node.keys():  # no attribute: one call says so, instead of three
        return (page and tag == "h1") or (not page and tag in _INSIDE_TAGS)
    return bool(
        (page and tag == "h1")
        or (not page and tag in _INSIDE_TAGS)
        or node.get("itemprop") in _FACT_PROPS
        or "author" in (node.get("rel") or "")
        or (classes := node.get("class"))
        and _facts_class(classes)[1 if page else 0]
    )


def is_page_fact(node: Element) -> bool:
    """Whether an element of the page (outside the post's container) may hold the post's
    title, author or date: for a walk of the page's `<body>` made once for several uses."""
    return _may_be_fact(node, True)


_JSON_LD_HEADLINE = re.compile(r'"headline"\s*:\s*"((?:[^"\\]|\\.){4,300})"')
_JSON_LD_AUTHOR = re.compile(
    r'"author"\s*:\s*(?:\[\s*)?(?:\{[^{}]*?"name"\s*:\s*"((?:[^"\\]|\\.){1,80})"'
    r'|"((?:[^"\\]|\\.){1,80})")'
)
# "Last updated 4 April 17", "Aggiornato il", "Mis à jour le": a date, but not the post's.
_UPDATED = re.compile(
    r"updated|modified|aggiornat|modificat|mis à jour|actualizad|atualizad|aktualisiert",
    re.IGNORECASE,
)
_JSON_LD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]{4,40})"')


def post_facts(
    root: Element,
    container: Element,
    away: AwayFilter,
    read_date: DateReader,
    body: Element | None = None,
    page_facts: list[Element] | None = None,
    scan: PageScan | None = None,
) -> PostFacts:
    """Title, author and date of the post in `container`; `away` drops comments and sidebars.
    With no date marked as one, the date written next to the body (`body`) is the post's.
    `page_facts` are the page's elements that `is_page_fact`, when a walk found them already;
    `scan` the page's `PageScan` (its metas and JSON-LD are read from it)."""
    declared_by = PageDeclarations(root, scan)
    titles: list[Candidate] = []
    authors: list[Candidate] = []
    dates: list[Candidate] = []
    inside = away([container, *_facts_nodes(container, page=False)])
    inside_set = set(inside)
    if page_facts is None:
        page_facts = _facts_nodes(next(root.iter("body"), root), page=True)
    outside = away([node for node in page_facts if node not in inside_set])
    for is_outside, nodes in ((0, inside), (1, outside)):
        for order, node in enumerate(nodes):
            _rank(node, is_outside, order, titles, authors, dates)
    site = next(iter(declared_by.site_names()), None)
    declared, document = _metadata_titles(root, declared_by)
    title_element, title = _title(titles, declared, document, site)
    published = _published(dates, read_date, declared_by)
    if published is None and body is not None:
        published = _written_near(root, container, body, away, read_date)
    return PostFacts(title_element, title, _author(authors, declared_by), published)


def _rank(
    node: Element,
    outside: int,
    order: int,
    titles: list[Candidate],
    authors: list[Candidate],
    dates: list[Candidate],
) -> None:
    tag = node.tag
    tokens = class_tokens(node)
    itemprop = (node.get("itemprop") or "").lower()
    if itemprop == "headline":
        titles.append((outside, 0, order, node))
    elif tag in _HEADINGS:
        rank = min((_TITLE_CLASSES[t] for t in tokens if t in _TITLE_CLASSES), default=None)
        if rank is None and (tag == "h1" or (not outside and tag in ("h2", "h3"))):
            rank = 2
        if rank is not None:
            titles.append((outside, rank, order, node))
    if itemprop == "author":
        authors.append((outside, 0, order, node))
    elif tag == "a" and "author" in (node.get("rel") or "").split():
        authors.append((outside, 2, order, node))
    author_rank = min((_AUTHOR_CLASSES[t] for t in tokens if t in _AUTHOR_CLASSES), default=-1)
    if author_rank > 1 or (author_rank == 1 and not outside):
        authors.append((outside, author_rank, order, node))
    if _is_update(node, tokens):
        dates.append((outside, 5, order, node))
    elif itemprop == "datepublished" or (
        tag in ("time", "abbr") and {"published", "entry-date"} & set(tokens)
    ):
        dates.append((outside, 0, order, node))
    elif tag == "time" and node.get("datetime"):
        dates.append((outside, 1, order, node))
    date_rank = min((_DATE_CLASSES[t] for t in tokens if t in _DATE_CLASSES), default=None)
    if date_rank is not None:
        dates.append((outside, date_rank, order, node))


def _is_update(node: Element, tokens: list[str]) -> bool:
    """A date the page marks as its last update ("updated" class, "Last updated" before it)."""
    if {"updated", "modified", "date-modified"} & set(tokens) and "published" not in tokens:
        return True
    parent = node.getparent()
    before = (node.text or "") if node.tag != "time" else ""
    if parent is not None:
        previous = node.getprevious()
        before += (previous.tail if previous is not None else parent.text) or ""
    return bool(_UPDATED.search(before[-40:]))


def _ranked(candidates: list[Candidate]) -> list[Candidate]:
    return sorted(candidates, key=lambda candidate: candidate[:3])


def _title(
    candidates: list[Candidate],
    declared: list[str],
    document: str | None = None,
    site: str | None = None,
) -> tuple[Element | None, str | None]:
    """The best heading, preferring one the page also declares as its title (`og:title`,
    JSON-LD `headline`, `<title>` as `document`): a category label above the post is no
    title. With no heading that matches, the declared title itself (not `<title>`, which
    holds the site's name too)."""
    texts = [(node, " ".join(visible_text(node).split())) for *_, node in _ranked(candidates)]
    texts = [(node, text) for node, text in texts if text]
    wanted = [_comparable(title) for title in [*declared, document or ""] if title.strip()]
    matching = [
        (node, text)
        for node, text in texts
        if len(_comparable(text)) > 3 and any(_comparable(text) in title for title in wanted)
    ]
    # The post's title, not the site's name, when <title> holds both.
    matching = [
        pair for pair in matching if not _names_the_site(pair[0], pair[1], site)
    ] or matching
    if matching:
        return matching[0]
    if declared:
        return None, " ".join(declared[0].split())
    return texts[0] if texts else (None, None)


def _names_the_site(heading: Element, text: str, site: str | None) -> bool:
    """A heading that is the site's name: `og:site_name`, or a link to the site's home page."""
    if site and _comparable(site) == _comparable(text):
        return True
    for link in heading.iter("a"):
        path = urlsplit(link.get("href") or "").path.rstrip("/")
        if path in ("", "/blog", "/index.html", "/index.php"):
            return True
    return False


def _comparable(text: str) -> str:
    """A title as compared: markup, leading bullets and spacing aside, case folded."""
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(text.split()).strip("■□●•▪►»«·-–— ").casefold()


def _metadata_titles(root: Element, declared_by: PageDeclarations) -> tuple[list[str], str | None]:
    """The titles the page declares (`og:title`, JSON-LD `headline`) and its `<title>`."""
    declared = [*declared_by.titles()]
    for block in declared_by.json_ld():
        declared.extend(_unescape_json(found) for found in _JSON_LD_HEADLINE.findall(block))
    declared = [re.sub(r"<[^>]+>", " ", title) for title in declared]
    document = next(("".join(title.itertext()) for title in root.iter("title")), None)
    return [title for title in declared if title.strip()], document


def _unescape_json(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


_AUTHOR_PREFIX = re.compile(
    r"^(?:(?:pubblicato|postato|scritto|inviato)\s+da|posted\s+by|written\s+by|by|autore|author)"
    r"\b\s*:?\s*|^(?:di|da)\s+(?=[A-ZÀ-Ý])",
    re.IGNORECASE,
)
_AUTHOR_TAIL = re.compile(r"\s+(?:alle|at|il|on|in|\||-|–|—)\s.*$", re.IGNORECASE | re.DOTALL)


def _author(candidates: list[Candidate], declared_by: PageDeclarations) -> str | None:
    """The byline's name, else the author the page declares (JSON-LD, `meta author`)."""
    for *_, node in _ranked(candidates)[:6]:
        name = _author_name(node)
        if name:
            return name
    for block in declared_by.json_ld():
        for in_object, plain in _JSON_LD_AUTHOR.findall(block):
            name = clean_author(_unescape_json(in_object or plain))
            if name and not name.startswith(("http", "@")):
                return name
    for declared in declared_by.authors():
        name = clean_author(declared)
        if name and not name.startswith(("http", "@")):
            return name
    return None


def _author_name(node: Element) -> str | None:
    if (node.get("itemprop") or "").lower() == "author":
        for part in node.iter():
            if (part.get("itemprop") or "").lower() == "name":
                return clean_author(part.get("content") or visible_text(part))
        if node.get("content"):
            return clean_author(node.get("content"))
    text = _AUTHOR_PREFIX.sub("", " ".join(visible_text(node).split()), count=1)
    for link in node.iter("a"):
        name = " ".join(visible_text(link).split())
        if name and text.startswith(name) and len(name) < len(text):
            # "Anna Bianchi pubblicato in Ricette": the linked name, not what follows it
            return clean_author(name) if is_name_like(name, strict=True) else None
    text = _AUTHOR_PREFIX.sub("", text, count=1)
    text = _AUTHOR_TAIL.sub("", text)
    return clean_author(text) if len(text) <= 80 else None


def _published(
    candidates: list[Candidate], read_date: DateReader, declared_by: PageDeclarations
) -> datetime | None:
    ranked = _ranked(candidates)
    page_level = [
        *declared_by.dates(),
        *_json_ld_dates(declared_by.json_ld()),
    ]
    # The post's own marked date, then what the page declares, then any other date near it.
    attempts: list[str | Element] = [c[3] for c in ranked if c[:2] == (0, 0)]
    attempts += page_level
    attempts += [c[3] for c in ranked if c[0] == 0 and c[1] != 0]
    attempts += [c[3] for c in ranked if c[0] == 1]
    for attempt in attempts[:16]:
        texts = [attempt] if isinstance(attempt, str) else _date_texts(attempt)
        for text in texts:
            published = read_date(text)
            if published is not None:
                return published
    return None


_NEAR = 200  # elements before the body where its byline's date may be
_PARAGRAPH = 80  # characters: where the text proper begins


def _lead_of(body: Element) -> set[Element]:
    """What comes before the body's first real paragraph: where a byline sits inside it."""
    lead: set[Element] = set()
    for node in body.iter():
        if node is not body and node.tag == "p" and len("".join(node.itertext())) >= _PARAGRAPH:
            break
        lead.add(node)
    return lead


def _written_near(
    root: Element, container: Element, body: Element, away: AwayFilter, read_date: DateReader
) -> datetime | None:
    """A date written in the post's header or footer ("Publié le 29/10/2012", "Mario Rossi |
    Roma | 08/01/2014"), else the nearest one written before the body."""
    inside_body = set(body.iter())
    lead = _lead_of(body)
    own = [
        mark
        for mark in date_marks(container, read_date)
        if (mark.element not in inside_body or mark.element in lead)
        and away([mark.element])
        and not _UPDATED.search(mark.source)
    ]
    if own:
        return own[0].published
    before: list[Element] = []
    for node in root.iter():
        if node is body:
            break
        before.append(node)
    nearby = set(before[-_NEAR:])
    marks = [
        mark
        for mark in date_marks(root, read_date, before=body)
        if mark.element in nearby and away([mark.element])
    ]
    return marks[-1].published if marks else None


def _date_texts(node: Element) -> Iterator[str]:
    """The node's date attributes, then its text (read only when the caller gets that far)."""
    for name in ("datetime", "content", "title"):
        if value := node.get(name):
            yield value
    if text := visible_text(node):
        yield text


def _json_ld_dates(blocks: list[str]) -> list[str]:
    """`datePublished` of JSON-LD blocks, read as text so a malformed block still gives it."""
    return [date for block in blocks for date in _JSON_LD_DATE.findall(block)]
