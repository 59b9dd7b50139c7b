"""What a correct crawl of the demo site finds: the answer key the spiders' tests check against.

Every figure here is written by hand from the site's files (see README.md beside this file), not
computed by the code under test. Times are WHEN expressions of `crawler.demo.placeholders`
(`-3h`, `-45d@10:12`); `published(when, now)` turns one into the datetime a spider should store,
given the `now` the `DemoSite` was started with. A date the page gives as a day only is written
with `@00:00`: midnight in Rome is what it parses to.

The sources of the demo config are disjoint: no page is a mention for two sources, so the counts
per (brand, kind) do not depend on the order the sources are crawled in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crawler.demo.placeholders import moment

ROSSI = "Panificio Rossi"
AURORA = "Caffè Aurora"
BRANDS = (ROSSI, AURORA)

# Mentions stored by `passaparola crawl` with `demo_config(site.url)`, per (brand, kind).
MENTIONS: dict[tuple[str, str], int] = {
    (ROSSI, "feed"): 3,
    (ROSSI, "review"): 15,
    (ROSSI, "post"): 3,
    (ROSSI, "comment"): 11,
    (ROSSI, "page"): 2,
    (AURORA, "feed"): 5,
    (AURORA, "review"): 0,
    (AURORA, "post"): 3,
    (AURORA, "comment"): 9,
    (AURORA, "page"): 2,
}
TOTAL_MENTIONS = sum(MENTIONS.values())  # 53

# URL paths a polite crawler never requests: robots.txt disallows /privato/, yet the blog's
# footer links to this page and the shops' sitemap lists it.
NEVER_FETCH = ("/privato/bozza-comunicato.html",)
# Links to another host name (`DemoSite.external_url`, i.e. localhost instead of 127.0.0.1):
# off-site for every spider. They point back at the demo server, so a crawler that wrongly
# follows them still sends nothing off this machine, and the hit shows up in `DemoSite.hits`.
EXTERNAL_LINKS = ("/blog/le-panetterie-di-bologna/", "/motomondiale/tavullia-festa.html")


def published(when: str, now: datetime) -> datetime:
    """The aware datetime a WHEN expression stands for on a site served at `now`."""
    return moment(when, now)


@dataclass(frozen=True, slots=True)
class Comment:
    author: str
    when: str
    fragment: str | None  # the id the page gives the comment, if any


@dataclass(frozen=True, slots=True)
class Thread:
    """A blog post and its reader comments, in page order; `brand` None: not a mention."""

    path: str
    style: str  # wordpress, blogger, typepad, typepad-block
    lang: str
    brand: str | None
    author: str
    when: str
    comments: tuple[Comment, ...]


BLOG_INDEX = "/blog/"  # names no brand: it is a list of titles, not a mention
THREADS: tuple[Thread, ...] = (
    Thread(
        "/blog/il-pane-della-domenica.html",
        "wordpress",
        "it",
        ROSSI,
        "Luca",
        "-45d@08:40",
        (
            Comment("Anna", "-45d@10:12", "comment-101"),
            Comment("Luca", "-45d@11:30", "comment-102"),  # a reply, nested in ol.children
            Comment("Gianni", "-44d@19:05", "comment-103"),
            Comment("tester<b>", "-40d@09:00", "comment-104"),  # hostile text, as text
            # comment-105 is a pingback: not a comment
        ),
    ),
    Thread(
        "/blog/che-succede-al-forno-sotto-casa.html",
        "wordpress",
        "it",
        ROSSI,
        "Enrica",
        "-40h",
        (
            Comment("Roberta M.", "-30h", "comment-201"),
            Comment("Franco", "-20h", "comment-202"),
            Comment("Silvia", "-9h", "comment-203"),
            Comment("Dario P.", "-5h", "comment-204"),
        ),
    ),
    Thread(
        "/blog/a-morning-in-via-saragozza.html",
        "wordpress",
        "en",
        AURORA,
        "Teo",
        "-25d@08:15",
        (
            Comment("Emily", "-25d@12:40", "comment-301"),
            Comment("Marco", "-24d@07:55", "comment-302"),
        ),
    ),
    Thread(
        "/blog/colazione-in-centro.html",
        "blogger",
        "it",
        AURORA,
        "Enrica",
        "-30d@07:50",
        (
            Comment("Paola", "-30d@09:14", "c4001"),
            Comment("Anonimo", "-29d@21:03", "c4002"),
            Comment("Stefano B.", "-27d@08:20", "c4003"),
        ),
    ),
    Thread(
        "/blog/valentino-a-tavullia.html",
        "blogger",
        "it",
        None,
        "Teo",
        "-16d@18:30",
        (
            Comment("Mirco", "-16d@20:11", "c5001"),
            Comment("Anonimo", "-15d@09:40", "c5002"),
        ),
    ),
    Thread(
        "/blog/trent-anni-di-pane.html",
        "typepad",
        "it",
        ROSSI,
        "Luca",
        "-20d@16:00",
        (
            Comment("M. Bianchi", "-20d@17:31", "comment-6a00d8341c9f01"),
            Comment("Lorenzo", "-19d@08:02", "comment-6a00d8341c9f02"),
            Comment("Carla T.", "-17d@13:45", "comment-6a00d8341c9f03"),
        ),
    ),
    Thread(
        "/blog/il-caffe-del-lunedi.html",
        "typepad-block",
        "it",
        AURORA,
        "Enrica",
        "-10d@07:30",
        (  # newest first, all in one <p>, each text glued to the previous signature
            Comment("Bea.Marchi", "-6d@18:20", None),
            Comment("caffeinomane", "-8d@10:05", None),
            Comment("G. Pellegrini", "-9d@15:47", None),
            Comment("Sara", "-10d@08:10", None),
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class Review:
    """A review of Panificio Rossi as its page gives it; `when` None: no date given."""

    page: str
    author: str
    value: float
    best: float
    when: str | None
    syntax: str  # json-ld, microdata, or both (the same review twice: counts once)
    lang: str

    @property
    def rating(self) -> float:
        """Normalised as crawler.extract.ratings does: (value − worst) / (best − worst), where
        worst is schema.org's default 1 (no review on the site gives worstRating)."""
        return (self.value - 1) / (self.best - 1)


REVIEW_PAGES = (
    "/recensioni/panificio-rossi/",
    "/recensioni/panificio-rossi/pagina-2.html",
    "/recensioni/panificio-rossi/pagina-3.html",
)
_P1, _P2, _P3 = REVIEW_PAGES
REVIEWS: tuple[Review, ...] = (
    Review(_P1, "Giulia Ferri", 1, 5, "-3h", "json-ld", "it"),
    Review(_P1, "Marco B.", 1, 5, "-6h", "json-ld", "it"),  # author a string; rating "1"
    Review(_P1, "Lucia Neri", 2, 5, "-26h", "json-ld", "it"),
    Review(_P1, "Paolo Conti", 4.5, 5, "-13d@00:00", "json-ld", "it"),  # rating "4,5"
    Review(_P1, "Tom Walker", 5, 5, None, "json-ld", "en"),  # no datePublished
    Review(_P1, "anon", 3, 5, "-14d@00:00", "json-ld", "it"),  # hostile text
    Review(_P2, "Chiara Galli", 5, 5, "-12d@00:00", "microdata", "it"),
    Review(_P2, "Yasmin Haddad", 5, 5, "-8d@00:00", "microdata", "it"),  # emoji + Arabic word
    Review(_P2, "Davide Russo", 2, 5, "-33d@00:00", "microdata", "it"),
    Review(_P2, "Sarah Klein", 8, 10, "-41d@00:00", "microdata", "en"),  # 8 out of 10
    Review(_P2, "Elena Fabbri", 4, 5, "-50d@00:00", "microdata", "it"),
    Review(_P3, "Andrea Villa", 4, 5, "-18d@00:00", "json-ld", "it"),  # lost if JSON-LD is dropped
    Review(_P3, "Sig.ra Pina", 3, 5, "-22d@00:00", "both", "it"),  # author a string
    Review(_P3, "James O'Brien", 4, 5, "-47d@00:00", "both", "en"),
    Review(_P3, "Francesca Lodi", 5, 5, "-55d@00:00", "both", "it"),
)
# Hostile text, written so that it is text: in review 6 ("anon", page 1) as a JSON-LD string
# with \u003c escapes, in blog comment 104 (il-pane-della-domenica) as HTML entities. The
# comment's stored text contains every fragment literally; an extractor that reads JSON-LD
# strings as HTML (crawler.extract.reviews does) keeps only the last two of the review's.
HOSTILE_FRAGMENTS = (
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "{{ config }}",
)
HOSTILE_REVIEW_BODY = (  # the JSON string's value
    "Test <script>alert('x')</script> <img src=x onerror=alert(1)> "
    "[click](javascript:alert(1)) {{ config }} — il pane comunque è buono."
)
HOSTILE_COMMENT = "/blog/il-pane-della-domenica.html#comment-104"


@dataclass(frozen=True, slots=True)
class FeedEntry:
    feed: str
    article: str  # the entry links to /notizie/?id=ARTICLE, a URL of its own
    brand: str | None
    when: str
    lang: str


RSS = "/feeds/notizie.rss.xml"
ATOM = "/feeds/avvisi.atom.xml"
FEED_ENTRIES: tuple[FeedEntry, ...] = (
    FeedEntry(RSS, "aurora-orari", AURORA, "-1d@07:30", "it"),
    FeedEntry(RSS, "degustazione", AURORA, "-5d@10:00", "it"),  # "CAFFE AURORA": case, accent
    FeedEntry(RSS, "rossini", None, "-8d@09:15", "it"),  # "Panificio Rossini": not a whole word
    FeedEntry(RSS, "tavullia", None, "-15d@20:00", "it"),  # Valentino Rossi: excluded
    FeedEntry(RSS, "mercato", None, "-20d@08:00", "it"),
    FeedEntry(RSS, "aurora-seconda-sede", AURORA, "-35d@11:20", "it"),
    FeedEntry(RSS, "rossi-sessanta", ROSSI, "-52d@09:00", "it"),
    FeedEntry(ATOM, "rossi-social", ROSSI, "-22h", "it"),  # name in <b> in escaped HTML
    FeedEntry(ATOM, "coffee-prices", None, "-3d@14:00", "en"),
    FeedEntry(ATOM, "aurora-best-cafes", AURORA, "-12d@16:45", "en"),  # alias Aurora Coffee
    FeedEntry(ATOM, "rossi-food-guide", ROSSI, "-28d@10:30", "en"),
    FeedEntry(ATOM, "aurora-maratona", AURORA, "-40d@09:00", "it"),  # alias Aurora Caffè
)

SITEMAP = "/sitemap.xml"
SITEMAPS = ("/sitemaps/pagine.xml", "/sitemaps/negozi.xml.gz")  # the second one is gzipped
# Every page the sitemaps list that a polite crawler fetches, with the brands it names.
SITEMAP_PAGES: dict[str, tuple[str, ...]] = {
    "/": (),
    "/guide/colazione-a-bologna.html": (AURORA, ROSSI),  # one page, two mentions
    "/guide/forno-a-legna.html": (ROSSI,),  # windows-1252, alias Forno Rossi
    "/negozi/caffe-aurora.html": (AURORA,),
    "/negozi/panificio-rossini.html": (),
}
WINDOWS_1252_PAGE = "/guide/forno-a-legna.html"

# Pages each source's crawl requests (robots.txt aside), for page-count and politeness tests.
PAGES_BY_SOURCE: dict[str, frozenset[str]] = {
    RSS: frozenset({RSS}),
    ATOM: frozenset({ATOM}),
    REVIEW_PAGES[0]: frozenset(REVIEW_PAGES),
    BLOG_INDEX: frozenset({BLOG_INDEX, *(thread.path for thread in THREADS)}),
    SITEMAP: frozenset({SITEMAP, *SITEMAPS, *SITEMAP_PAGES}),
}

# The negative burst the alerts stage must catch: complaints about Panificio Rossi in the last
# 48 hours (6 of them in the last 24), against a background of one or two complaints a month.
# Caffè Aurora has none. These are the site author's intent; the analyzers' labels may differ.
# Each is (kind, where, WHEN): `where` is a URL path (a comment's with its #id), or for a review
# its page and author.
RECENT_COMPLAINTS: tuple[tuple[str, str, str], ...] = (
    ("post", "/blog/che-succede-al-forno-sotto-casa.html", "-40h"),
    ("comment", "/blog/che-succede-al-forno-sotto-casa.html#comment-201", "-30h"),
    ("comment", "/blog/che-succede-al-forno-sotto-casa.html#comment-202", "-20h"),
    ("comment", "/blog/che-succede-al-forno-sotto-casa.html#comment-203", "-9h"),
    ("comment", "/blog/che-succede-al-forno-sotto-casa.html#comment-204", "-5h"),
    ("review", f"{_P1} Giulia Ferri", "-3h"),
    ("review", f"{_P1} Marco B.", "-6h"),
    ("review", f"{_P1} Lucia Neri", "-26h"),
    ("feed", "/notizie/?id=rossi-social", "-22h"),  # in the Atom feed
)


def mention_counts() -> dict[tuple[str, str], int]:
    """MENTIONS recounted from the detailed lists above (the tests check the two agree)."""
    counts = dict.fromkeys(MENTIONS, 0)
    for thread in THREADS:
        if thread.brand:
            counts[(thread.brand, "post")] += 1
            counts[(thread.brand, "comment")] += len(thread.comments)
    for _ in REVIEWS:
        counts[(ROSSI, "review")] += 1
    for entry in FEED_ENTRIES:
        if entry.brand:
            counts[(entry.brand, "feed")] += 1
    for brands in SITEMAP_PAGES.values():
        for brand in brands:
            counts[(brand, "page")] += 1
    return counts
