"""What a worker process does for a crawl: a fixed table of pure jobs, by name.

Each job takes plain values (a page's HTML, its URL, options) and returns plain picklable
values, so it can run in a worker (`crawler.workers`) or, with `[crawl] workers = 0`, right here:
`run_here` looks the job up in the same table. Jobs are imported on first use, so the crawling
process never imports the extraction code a worker runs for it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from crawler.sentiment.labels import Sentiment

if TYPE_CHECKING:
    from crawler.extract.blog import BlogPage
    from crawler.spiders.links import SiteLinks

# name -> "module:function"
JOBS: dict[str, str] = {
    "score_texts": "crawler.jobs:score_texts",
    "blog_page": "crawler.jobs:blog_page",
    "forum_page": "crawler.extract.forums:extract_forum_page",
    "review_page": "crawler.jobs:review_page",
    "read_page": "crawler.jobs:read_page",
}

_functions: dict[str, Callable[..., Any]] = {}


def job_function(name: str) -> Callable[..., Any]:
    """The function of job `name`, imported on first use."""
    function = _functions.get(name)
    if function is None:
        if name not in JOBS:
            raise KeyError(f"no job named {name!r}")
        module, attribute = JOBS[name].split(":")
        function = _functions[name] = getattr(importlib.import_module(module), attribute)
    return function


def run_here(name: str, *args: Any, **kwargs: Any) -> Any:
    """Job `name` done in this process, as a worker would do it."""
    return job_function(name)(*args, **kwargs)


def warm_up() -> None:
    """What a worker loads before its first job: the language model and the blog extraction
    (every source kind but reviews uses it), so the first page does not wait for imports."""
    from crawler.sentiment.scorer import Scorer

    Scorer().warm_up()
    for module in ("crawler.extract.blog", "crawler.spiders.links"):
        importlib.import_module(module)


def score_texts(
    texts: list[tuple[str, str | None, float | None]],
    negative_below: float,
    positive_above: float,
) -> list[Sentiment]:
    """Sentiment of each `(text, lang, rating)`: one job for the mentions of a page."""
    from crawler.sentiment.scorer import Scorer

    scorer = Scorer(negative_below, positive_above)
    return [scorer.score(text, lang=lang, rating=rating) for text, lang, rating in texts]


def blog_page(
    html: str,
    url: str,
    *,
    default_tz: str,
    fetched_at: datetime | None,
    links: SiteLinks | None = None,
    encoding: str = "utf-8",
) -> tuple[BlogPage, list[str]]:
    """A blog page's post and comments (`BlogPage`) and, given its blog's `links`, the links
    its spider follows (crawler/spiders/links.py): both in one job, so a page's links are found
    off the reactor's core too, in the same round trip, from the one tree the page is parsed
    into (unless the link finder's own parse could differ: `reads_as_parsed`)."""
    from crawler.extract.blog import extract_blog_page
    from crawler.extract.html_tree import parse_page
    from crawler.spiders.links import reads_as_parsed

    tree = parse_page(html)
    root = tree.root if tree is not None else None
    page = extract_blog_page(html, url, default_tz=default_tz, fetched_at=fetched_at, root=root)
    if links is None:
        return page, []
    shared = tree is not None and reads_as_parsed(html, tree.as_is)
    return page, links.of_page(html, url, encoding, root=root if shared else None)


@dataclass(frozen=True, slots=True)
class PageText:
    """What a page says of itself: its title, readable text and, if it gives one, its date."""

    title: str | None
    text: str
    published: datetime | None = None


def read_page(html: str, url: str, *, default_tz: str) -> PageText:
    """Title, readable text and date of a page a feed or sitemap links to: the article when
    one is found (its date from the page's metadata or what it shows), else the whole body with
    no date."""
    from crawler.extract.blog import extract_blog_page
    from crawler.extract.text import html_to_text

    page = extract_blog_page(html, url, default_tz=default_tz)
    if page.post and page.post.text:
        return PageText(page.post.title or page.title, page.post.text, page.post.published)
    return PageText(page.title, html_to_text(html))


def review_page(
    html: str, url: str, *, default_tz: str, fetched_at: datetime | None
) -> tuple[Any, str | None]:
    """The reviews of a page (`ReviewPage`) and the page after it, if it links one."""
    from crawler.extract.pagination import next_page_url
    from crawler.extract.reviews import extract_reviews

    page = extract_reviews(html, url, default_tz=default_tz, fetched_at=fetched_at)
    return page, next_page_url(html, url)
