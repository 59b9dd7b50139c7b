"""The next page of a paginated listing (reviews, blog archives), as pagers actually mark it.

Signals in order of trust: `<link rel="next">`, `<a rel="next">`, pager classes (WordPress,
Bootstrap, Blogger), the link's words ("Successiva", "Older posts", "»"), and finally a numbered
pager's link to the page after the current one. A candidate that leads back to the same page,
or nowhere (`#`, `javascript:`), is skipped, so a crawl cannot loop on one page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urldefrag, urljoin, urlsplit

from crawler.extract.html_tree import Element, class_tokens, parse_html

_NEXT_CLASSES = frozenset(
    {
        "next",
        "next-page",
        "nextpage",
        "page-next",
        "pager-next",
        "pagination-next",
        "pagination__next",
        "pagination-item--next",
        "nextpostslink",
        "blog-pager-older-link",
        "older-posts",
    }
)
_NEXT_WORDS = frozenset(
    {
        "successiva",
        "successivo",
        "pagina successiva",
        "pagina seguente",
        "seguente",
        "avanti",
        "next",
        "next page",
        "older posts",
        "older entries",
        "older",
        "post più vecchi",
        "post meno recenti",
        "articoli meno recenti",
        "articoli precedenti",
        "messaggi più vecchi",
        "vai alla pagina successiva",
        "go to next page",
    }
)
_NEXT_ARROWS = frozenset({"›", "»", "→", ">", "⟩", "❯"})
_ARROWS = "›»→>⟩❯<«‹←⟨❮|·•…"
_DISABLED = frozenset({"disabled", "is-disabled", "inactive"})
_CURRENT_CLASSES = frozenset({"current", "active", "is-current", "is-active", "selected"})
_NUMBER = re.compile(r"^\d{1,5}$")


def _classes(element: Element | None) -> set[str]:
    if element is None or not isinstance(element.tag, str):
        return set()
    return set(class_tokens(element))


def _text(element: Element) -> str:
    """All the text inside `element`, on one line."""
    return " ".join("".join(element.itertext()).split())


def _words(link: Element) -> str:
    text = _text(link).casefold()
    return text or " ".join((link.get("aria-label") or link.get("title") or "").split()).casefold()


def _is_next_text(text: str) -> bool:
    if text in _NEXT_ARROWS:
        return True
    stripped = text.strip(_ARROWS + " ")
    return stripped in _NEXT_WORDS


def _usable(link: Element) -> bool:
    href = (link.get("href") or "").strip()
    if not href or href.startswith("#") or href.lower().startswith(("javascript:", "mailto:")):
        return False
    if link.get("aria-disabled") == "true":
        return False
    return not (_classes(link) | _classes(link.getparent())) & _DISABLED


def _numbered_next(tree: Element) -> Iterator[Element]:
    """In a pager "1 2 [3] 4 5", the link to 4."""
    for current in tree.iter():
        if not isinstance(current.tag, str):
            continue
        if current.get("aria-current") != "page" and not _classes(current) & _CURRENT_CLASSES:
            continue
        number = _text(current)
        if not _NUMBER.match(number):
            continue
        wanted = str(int(number) + 1)
        container = current.getparent()
        for _ in range(3):  # the pager: <nav><ul><li><a>, at most three levels up
            if container is None:
                break
            for link in container.iter("a"):
                if _text(link) == wanted and _usable(link):
                    yield link
            container = container.getparent()


def _candidates(tree: Element) -> Iterator[str]:
    for link in tree.iter("link"):
        if "next" in (link.get("rel") or "").lower().split() and link.get("href"):
            yield link.get("href")
    links = [link for link in tree.iter("a") if _usable(link)]
    for link in links:
        if "next" in (link.get("rel") or "").lower().split():
            yield link.get("href")
    for link in links:
        if (_classes(link) | _classes(link.getparent())) & _NEXT_CLASSES:
            yield link.get("href")
    for link in links:
        if _is_next_text(_words(link)):
            yield link.get("href")
    for link in _numbered_next(tree):
        yield link.get("href")


def _same_page(a: str, b: str) -> bool:
    return urldefrag(a)[0].rstrip("/") == urldefrag(b)[0].rstrip("/")


def next_page_url(html: str, url: str, *, tree: Element | None = None) -> str | None:
    """The absolute URL of the page after this one, or `None` on the last page. `tree` is the
    page already parsed from `html` (and not changed since), when the caller has it."""
    if tree is None:
        tree = parse_html(html)
    if tree is None:
        return None
    base = url
    for element in tree.iter("base"):
        if element.get("href"):
            base = urljoin(url, element.get("href").strip())
            break
    for href in _candidates(tree):
        absolute = urldefrag(urljoin(base, href.strip()))[0]
        if urlsplit(absolute).scheme in ("http", "https") and not _same_page(absolute, url):
            return absolute
    return None
