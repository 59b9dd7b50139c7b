"""Reading a page's schema.org graph: which nodes are reviews and ratings, what each is about,
and plain values out of the many shapes a property can take (string, number, `{"@value"}`,
named node, reference by `@id`, list of any of these).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from crawler.extract.structured import MAX_DEPTH, Node, types_of
from crawler.extract.text import clean_text, html_to_text

REVIEW_TYPES = frozenset({"Review", "UserReview", "CriticReview", "EmployerReview"})
AGGREGATE_TYPES = frozenset({"AggregateRating", "EmployerAggregateRating"})
# What a page is about itself: its author and publisher are the site's, not customers.
PAGE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "ReviewNewsArticle",
        "OpinionNewsArticle",
        "AnalysisNewsArticle",
        "ReportageNewsArticle",
        "BlogPosting",
        "SocialMediaPosting",
        "LiveBlogPosting",
        "TechArticle",
        "Report",
        "ScholarlyArticle",
        "Blog",
        "WebPage",
        "ItemPage",
        "AboutPage",
        "WebSite",
        "Recipe",
        "HowTo",
    }
)
_PAGE_PEOPLE = ("author", "creator", "publisher", "sourceOrganization")
_REVIEW_KEYS = ("review", "reviews")
_REVIEW_FIELDS = ("reviewBody", "reviewRating", "description", "rating")
_WORDS = re.compile(r"\w+")


def first(value: Any) -> Any:
    if isinstance(value, list):
        return next((v for v in value if v not in (None, "", [], {})), None)
    return value


def string(value: Any) -> str | None:
    """A plain string from a string, number, `{"@value": …}` or named node."""
    value = first(value)
    if isinstance(value, dict):
        value = value.get("@value", value.get("name"))
        value = first(value)
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def plain(value: Any, *, visible: bool = False) -> str | None:
    """Plain text. JSON-LD strings may carry markup and entities, which are dropped; `visible`
    text (microdata, RDFa) is already what the page showed, and a literal `<b>` in it is text."""
    text = string(value)
    if text is None:
        return None
    if not visible and ("<" in text or "&" in text):
        return html_to_text(text) or None
    return clean_text(text) or None


def line(value: Any, *, visible: bool = False) -> str | None:
    """A name or title: plain text on one line."""
    text = plain(value, visible=visible)
    return " ".join(text.split()) if text else None


def language(value: Any) -> str | None:
    value = first(value)
    if isinstance(value, dict):
        return string(value.get("alternateName")) or string(value.get("name"))
    return string(value)


@lru_cache(maxsize=4096)
def words_key(text: str | None) -> str:
    """A text reduced to its lower-case words, to compare copies of one text (cached: the
    same texts are compared many times while copies of reviews are matched)."""
    return " ".join(_WORDS.findall((text or "").casefold()))


class SchemaGraph:
    """Every Review and AggregateRating node of a page, each with the item it is about.

    Nodes are walked once each; a review reached both on its own (a `@graph` entry) and from
    its product's `review` list keeps the product as its item. `reviews` and `aggregates` map
    node identity to `(node, item or None)`."""

    def __init__(self, nodes: list[Any]):
        self.index: dict[str, Node] = {}
        self._index(nodes)
        self.reviews: dict[int, tuple[Node, Node | None]] = {}
        self.aggregates: dict[int, tuple[Node, Node | None]] = {}
        self.pages: dict[int, Node] = {}  # articles, web pages, the site: what the page is
        self._expanded: set[int] = set()
        for node in nodes:
            self._walk(node, None, None)

    def _index(self, value: Any, depth: int = 0) -> None:
        if depth > MAX_DEPTH:
            return
        if isinstance(value, list):
            for item in value:
                self._index(item, depth + 1)
        elif isinstance(value, dict):
            identifier = value.get("@id")
            if isinstance(identifier, str) and len(value) > 1:
                self.index.setdefault(identifier, value)
            for item in value.values():
                if isinstance(item, dict | list):
                    self._index(item, depth + 1)

    def resolve(self, value: Any) -> Any:
        """A bare `{"@id": …}` reference replaced by the node it names, when the page has it."""
        if isinstance(value, dict) and set(value) <= {"@id", "@type"}:
            identifier = value.get("@id")
            return self.index.get(identifier, value) if isinstance(identifier, str) else value
        return value

    def _record(self, table: dict[int, tuple[Node, Node | None]], node: Node, item: Any) -> None:
        known = table.get(id(node))
        if known is None or (known[1] is None and item is not None):
            table[id(node)] = (node, item)

    def _walk(self, value: Any, parent: Node | None, key: str | None, depth: int = 0) -> None:
        if depth > MAX_DEPTH:
            return
        if isinstance(value, list):
            for item in value:
                self._walk(item, parent, key, depth + 1)
            return
        node = self.resolve(value)
        if not isinstance(node, dict):
            return
        types = set(types_of(node))
        untyped_review = (
            key in _REVIEW_KEYS and not types and any(f in node for f in _REVIEW_FIELDS)
        )
        if types & REVIEW_TYPES or untyped_review:
            self._record(self.reviews, node, parent if key in _REVIEW_KEYS else None)
        if types & PAGE_TYPES:
            self.pages[id(node)] = node
        if types & AGGREGATE_TYPES or (key == "aggregateRating" and not types):
            self._record(self.aggregates, node, parent if key == "aggregateRating" else None)
        if id(node) in self._expanded:
            return
        self._expanded.add(id(node))
        for child_key, child in node.items():
            if (child_key == "@graph" or child_key[:1] != "@") and isinstance(child, dict | list):
                self._walk(child, node, child_key, depth + 1)

    def name_list(self, value: Any) -> list[str]:
        """Authors as a string, a Person/Organization (or a reference to one), or a list."""
        values = value if isinstance(value, list) else [value]
        names = []
        for author in map(self.resolve, values):
            named = author.get("name") if isinstance(author, dict) else author
            names.extend(line(n) for n in (named if isinstance(named, list) else [named]))
        return list(dict.fromkeys(n for n in names if n))

    def names(self, value: Any) -> str | None:
        """The authors' names in one string ("Luca, Sara")."""
        return ", ".join(self.name_list(value)) or None

    def page_people(self) -> set[str]:
        """Who the page itself is by: authors and publishers of its articles, web page and
        site, as lower-case words. A review by one of them is the editor's, not a customer's."""
        return {
            words_key(name)
            for page in self.pages.values()
            for field in _PAGE_PEOPLE
            for name in self.name_list(page.get(field))
        } - {""}

    def item_name(self, node: Node, parent: Node | None) -> str | None:
        reviewed = self.resolve(first(node.get("itemReviewed", node.get("itemreviewed"))))
        if isinstance(reviewed, dict):
            return line(reviewed.get("name"))
        if isinstance(reviewed, str):
            return line(reviewed)
        return line(parent.get("name")) if parent else None
