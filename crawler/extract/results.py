"""What the extractors give: plain, picklable records of a page's post, comments, forum posts
and reviews, with nothing but the standard library behind them.

Workers extract pages and send these back to the crawling process (crawler/workers.py), which
unpickles them: defined here, they import no extraction code there (lxml walks, date grammars,
extruct and rdflib for reviews), which the crawling process never runs. The extractors' modules
export them under their old names too (`crawler.extract.blog.BlogPage`, …).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

__all__ = [
    "AggregateRating",
    "BlogPage",
    "Comment",
    "ForumPage",
    "ForumPost",
    "Post",
    "Review",
    "ReviewPage",
]


# --- blogs (crawler/extract/blog.py, comments.py) ----------------------------------------------
@dataclass(frozen=True, slots=True)
class Post:
    """The post itself: its body only, without comments, navigation, sidebars or forms."""

    title: str | None
    text: str
    author: str | None
    published: datetime | None


@dataclass(frozen=True, slots=True)
class BlogPage:
    """What a blog page says: its title, the post (if the page is one post) and its comments.

    `platform` is "wordpress", "blogger", "typepad", "generic" (a post or comments found in
    markup of no known platform) or "none" (nothing of a blog found). `comment_pages` are the
    thread's other comment pages this page links to (`/comment-page-2/`, "Commenti precedenti").
    """

    title: str | None
    post: Post | None
    comments: list[Comment] = field(default_factory=list)
    platform: str = "none"
    comment_pages: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Comment:
    """One reader comment: each is a mention of its own, with its own URL."""

    text: str
    author: str | None
    published: datetime | None
    url: str
    platform: str


# --- forums (crawler/extract/forums.py) --------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ForumPost:
    """One post of a thread: each is a mention of its own, with its own URL."""

    text: str
    author: str | None
    published: datetime | None
    url: str


@dataclass(frozen=True, slots=True)
class ForumPage:
    """A thread page's posts in page order, or a board page's thread links.

    `engine` is the engine that read the posts ("phpbb", …, "generic"), or "none". `first_page`
    says the page starts its thread, so its first post is the opening post. `next_page` is the
    thread's (or board's) next page.
    """

    title: str | None
    posts: list[ForumPost] = field(default_factory=list)
    engine: str = "none"
    first_page: bool = True
    next_page: str | None = None
    thread_links: list[str] = field(default_factory=list)


# --- reviews (crawler/extract/reviews.py, review_records.py) -----------------------------------
@dataclass(frozen=True, slots=True)
class Review:
    """One review. `rating` is 0–1; `rating_value`/`best_rating`/`worst_rating` are the page's
    own scale (defaults filled in). `url` is unique per review: its own link when the page gives
    one, else the page URL with a `#review-…` fragment stable across crawls."""

    text: str
    author: str | None
    published: datetime | None
    rating: float | None
    rating_value: float | None
    best_rating: float | None
    worst_rating: float | None
    title: str | None
    url: str
    item_name: str | None
    lang: str | None


@dataclass(frozen=True, slots=True)
class AggregateRating:
    rating: float
    rating_value: float
    best_rating: float
    count: int | None
    item_name: str | None


@dataclass(frozen=True, slots=True)
class ReviewPage:
    reviews: list[Review]
    aggregate: AggregateRating | None
