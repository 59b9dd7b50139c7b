"""The answer key in `crawler.demo.expected` agrees with itself and with the site's pages.

Spider tests trust these figures, so they are checked here against the served pages with
plain, independent parsing (lxml, json, feedparser), never with the extractors under test.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from datetime import timedelta
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import feedparser
import lxml.html
import pytest
from demo_http import NOW, fetch

from crawler.demo import expected
from crawler.demo.expected import AURORA, ROSSI, published
from crawler.demo.placeholders import FORMATS
from crawler.demo.server import DemoSite

_TERMS = {
    ROSSI: ("panificio rossi", "forno rossi"),
    AURORA: ("caffe aurora", "aurora caffe", "aurora coffee"),
}


def brands_named(text: str) -> set[str]:
    """A deliberately simple matcher: accent- and case-free whole phrases, minus the rider."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    folded = re.sub(r"\s+", " ", folded).replace("valentino rossi", " ")
    return {
        brand
        for brand, terms in _TERMS.items()
        if any(re.search(rf"\b{term}\b", folded) for term in terms)
    }


def html(site: DemoSite, path: str) -> lxml.html.HtmlElement:
    page = fetch(site, path)
    assert page.status == 200, path
    return lxml.html.document_fromstring(page.body)


def visible_text(element: lxml.html.HtmlElement) -> str:
    for hidden in element.xpath(".//script|.//style"):
        hidden.drop_tree()
    return element.text_content()


def test_the_totals_are_the_sum_of_the_detailed_lists() -> None:
    assert expected.mention_counts() == expected.MENTIONS
    assert expected.TOTAL_MENTIONS == 53
    assert sum(n for (brand, _), n in expected.MENTIONS.items() if brand == ROSSI) == 34


# --- the blog -----------------------------------------------------------------------------

_STYLE_COMMENTS = {
    "wordpress": "//li[contains(concat(' ', @class, ' '), ' comment ')]",
    "blogger": "//dl[@id='comments-block']/dt[contains(@class, 'comment-author')]",
    "typepad": "//div[@class='comments-content']/div[@class='comment']",
}


@pytest.mark.parametrize("thread", expected.THREADS, ids=lambda t: t.path)
def test_each_thread_has_the_comments_the_key_lists(site: DemoSite, thread) -> None:
    tree = html(site, thread.path)
    text = visible_text(tree)
    assert brands_named(text) == ({thread.brand} if thread.brand else set())
    if thread.style == "typepad-block":
        signatures = re.findall(r"Inviato da: (.+?) @ (\d\d\.\d\d\.\d\d \d\d:\d\d)", text)
        assert signatures == [
            (c.author, FORMATS["dotted"](published(c.when, NOW))) for c in thread.comments
        ]
        return
    elements = tree.xpath(_STYLE_COMMENTS[thread.style])
    assert len(elements) == len(thread.comments)
    date_format = {"wordpress": "iso", "blogger": "it_time", "typepad": "dotted"}[thread.style]
    for element, comment in zip(elements, thread.comments, strict=True):
        assert element.get("id") == comment.fragment
        if thread.style == "blogger":
            # The author sits in the <dt>, the date in the <dd> after the body.
            assert element.text_content().split() == [*comment.author.split(), "ha", "detto..."]
            footer = element.getnext().getnext()
            assert footer.text_content().strip() == FORMATS["it_time"](published(comment.when, NOW))
            continue
        assert comment.author in element.text_content()
        rendered = FORMATS[date_format](published(comment.when, NOW))
        assert rendered in lxml.html.tostring(element, encoding="unicode")


def test_pingbacks_are_not_in_the_key(site: DemoSite) -> None:
    tree = html(site, "/blog/il-pane-della-domenica.html")
    (pingback,) = tree.xpath("//li[contains(@class, 'pingback')]")
    assert pingback.get("id") == "comment-105"
    assert "comment-105" not in {c.fragment for t in expected.THREADS for c in t.comments}


def test_the_blog_links_only_within_the_blog_apart_from_the_private_and_external_ones(
    site: DemoSite,
) -> None:
    pages = [expected.BLOG_INDEX, *(thread.path for thread in expected.THREADS)]
    allowed = set(pages) | set(expected.NEVER_FETCH)
    external = {f"{site.external_url}{path}" for path in expected.EXTERNAL_LINKS}
    seen_external = set()
    for path in pages:
        for href in html(site, path).xpath("//a/@href"):
            url = urljoin(f"{site.url}{path}", href)
            if url.startswith(site.external_url):
                seen_external.add(url)
                continue
            parts = urlsplit(url)
            assert parts.netloc == urlsplit(site.url).netloc, url
            assert parts.path in allowed, f"{path} links to {url}"
    assert seen_external == external
    index_links = set(html(site, expected.BLOG_INDEX).xpath("//a/@href"))
    assert {thread.path for thread in expected.THREADS} | set(expected.NEVER_FETCH) <= index_links


def test_the_blog_index_names_no_brand(site: DemoSite) -> None:
    assert brands_named(visible_text(html(site, expected.BLOG_INDEX))) == set()


# --- reviews ------------------------------------------------------------------------------


def _json_ld(tree: lxml.html.HtmlElement) -> tuple[list[dict], int]:
    reviews, malformed = [], 0
    for block in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(block)
        except ValueError:
            malformed += 1
            continue
        reviews += data.get("review", []) + [
            node for node in data.get("@graph", []) if node.get("@type") == "Review"
        ]
    return reviews, malformed


def _microdata(tree: lxml.html.HtmlElement) -> list[dict]:
    found = []
    for node in tree.xpath("//*[@itemtype='https://schema.org/Review']"):

        def prop(name: str, node=node) -> str | None:
            hits = node.xpath(f".//*[@itemprop='{name}']")
            if not hits:
                return None
            hit = hits[0]
            value = hit.get("content") or hit.get("datetime") or hit.text_content()
            return value.strip()

        author = node.xpath(".//*[@itemprop='author']")[0]
        name = author.xpath(".//*[@itemprop='name']")
        found.append(
            {
                "author": (name[0] if name else author).text_content().strip(),
                "stars": (float(prop("ratingValue")), float(prop("bestRating"))),
                "date": prop("datePublished"),
                "text": prop("reviewBody"),
            }
        )
    return found


def _number(value: float | int | str) -> float:
    return float(str(value).replace(",", "."))


@pytest.mark.parametrize("page", expected.REVIEW_PAGES)
def test_each_review_page_carries_the_reviews_the_key_lists(site: DemoSite, page: str) -> None:
    tree = html(site, page)
    json_reviews, malformed = _json_ld(tree)
    micro = _microdata(tree)
    key = [review for review in expected.REVIEWS if review.page == page]
    assert malformed == (1 if page.endswith("pagina-3.html") else 0)
    in_json = [r for r in key if r.syntax in ("json-ld", "both")]
    in_micro = [r for r in key if r.syntax in ("microdata", "both")]
    by_author = {}
    for review in json_reviews:
        author = review["author"]
        name = author if isinstance(author, str) else author["name"]
        rating = review["reviewRating"]
        when = review.get("datePublished")
        by_author[name] = ((_number(rating["ratingValue"]), _number(rating["bestRating"])), when)
    assert sorted(by_author) == sorted(r.author for r in in_json)
    assert sorted(m["author"] for m in micro) == sorted(r.author for r in in_micro)
    for review in in_json:
        stars, when = by_author[review.author]
        assert stars == (review.value, review.best)
        if review.when is None:
            assert when is None
        elif review.when.endswith("@00:00"):
            assert when == FORMATS["day"](published(review.when, NOW))
        else:
            assert when == FORMATS["iso"](published(review.when, NOW))
    for found in micro:
        (review,) = [r for r in in_micro if r.author == found["author"]]
        assert found["stars"] == (review.value, review.best)
        assert found["date"] == FORMATS["day"](published(review.when, NOW))


def test_reviews_in_both_syntaxes_have_the_same_text_in_both(site: DemoSite) -> None:
    tree = html(site, expected.REVIEW_PAGES[2])
    json_text = {
        (r["author"] if isinstance(r["author"], str) else r["author"]["name"]): r["reviewBody"]
        for r in _json_ld(tree)[0]
    }
    for found in _microdata(tree):
        assert found["text"] == json_text[found["author"]]


def test_the_hostile_review_is_text_in_the_json_ld(site: DemoSite) -> None:
    page = fetch(site, expected.REVIEW_PAGES[0]).text
    assert "<script>alert" not in page  # escaped in the JSON, so no live script on the page
    reviews, _ = _json_ld(html(site, expected.REVIEW_PAGES[0]))
    bodies = {
        r["author"]["name"]: r["reviewBody"] for r in reviews if isinstance(r["author"], dict)
    }
    assert bodies["anon"] == expected.HOSTILE_REVIEW_BODY
    assert all(piece in bodies["anon"] for piece in expected.HOSTILE_FRAGMENTS)


def test_the_hostile_comment_is_text_in_the_html(site: DemoSite) -> None:
    path, fragment = expected.HOSTILE_COMMENT.split("#")
    page = fetch(site, path).text
    assert "<script>alert" not in page and "<img src=x" not in page
    (comment,) = html(site, path).xpath(f"//li[@id='{fragment}']//div[@class='comment-content']")
    text = comment.text_content()
    assert all(piece in text for piece in expected.HOSTILE_FRAGMENTS)


def test_ratings_normalise_with_schema_org_default_worst_of_one() -> None:
    ratings = {review.author: review.rating for review in expected.REVIEWS}
    assert ratings["Giulia Ferri"] == 0.0
    assert ratings["Paolo Conti"] == pytest.approx(0.875)
    assert ratings["Sarah Klein"] == pytest.approx(7 / 9)
    assert ratings["Francesca Lodi"] == 1.0


def test_review_pages_link_to_the_next_one(site: DemoSite) -> None:
    pages = expected.REVIEW_PAGES
    for current, following in zip(pages, pages[1:], strict=False):
        tree = html(site, current)
        assert tree.xpath("//link[@rel='next']/@href") == [following]
        assert tree.xpath("//a[@rel='next']/text()") == ["Successiva »"]
    assert html(site, pages[-1]).xpath("//link[@rel='next']") == []


# --- feeds --------------------------------------------------------------------------------


@pytest.mark.parametrize("feed", [expected.RSS, expected.ATOM])
def test_each_feed_has_the_entries_the_key_lists(site: DemoSite, feed: str) -> None:
    parsed = feedparser.parse(fetch(site, feed).body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    key = [entry for entry in expected.FEED_ENTRIES if entry.feed == feed]
    assert [e.link for e in parsed.entries] == [
        f"{site.url}/notizie/?id={entry.article}" for entry in key
    ]
    for entry, found in zip(key, parsed.entries, strict=True):
        text = lxml.html.fromstring(f"<div>{found.title} {found.summary}</div>").text_content()
        assert brands_named(text) == ({entry.brand} if entry.brand else set()), entry.article
        stamp = found.get("published_parsed") or found.updated_parsed
        utc = published(entry.when, NOW).utctimetuple()
        assert stamp[:6] == utc[:6], entry.article


def test_every_feed_link_lands_on_an_article_of_the_news_page(site: DemoSite) -> None:
    ids = set(html(site, "/notizie/").xpath("//article/@id"))
    assert {entry.article for entry in expected.FEED_ENTRIES} == ids


# --- sitemaps, robots.txt -----------------------------------------------------------------


def test_the_sitemaps_list_the_key_pages_and_the_forbidden_one(site: DemoSite) -> None:
    index = fetch(site, expected.SITEMAP).text
    assert re.findall(r"<loc>(.*?)</loc>", index) == [f"{site.url}{p}" for p in expected.SITEMAPS]
    listed = []
    for path in expected.SITEMAPS:
        body = fetch(site, path).body
        xml = gzip.decompress(body) if path.endswith(".gz") else body
        listed += re.findall(r"<loc>(.*?)</loc>", xml.decode("utf-8"))
    assert sorted(listed) == sorted(
        f"{site.url}{p}" for p in (*expected.SITEMAP_PAGES, *expected.NEVER_FETCH)
    )


@pytest.mark.parametrize("path", expected.SITEMAP_PAGES)
def test_each_sitemap_page_names_the_brands_the_key_says(site: DemoSite, path: str) -> None:
    assert brands_named(visible_text(html(site, path))) == set(expected.SITEMAP_PAGES[path])


def test_the_pages_never_to_fetch_are_disallowed_yet_name_a_brand(site: DemoSite) -> None:
    robots = RobotFileParser()
    robots.parse(fetch(site, "/robots.txt").text.splitlines())
    for path in expected.NEVER_FETCH:
        assert not robots.can_fetch("passaparola-demo", f"{site.url}{path}")
        assert brands_named(visible_text(html(site, path))) == {ROSSI}
    for pages in expected.PAGES_BY_SOURCE.values():
        for path in pages:
            assert robots.can_fetch("passaparola-demo", f"{site.url}{path}"), path
            assert fetch(site, path).status == 200, path


def test_the_windows_1252_page_is_in_the_key(site: DemoSite) -> None:
    page = fetch(site, expected.WINDOWS_1252_PAGE)
    assert page.content_type.endswith("charset=windows-1252")
    assert expected.SITEMAP_PAGES[expected.WINDOWS_1252_PAGE] == (ROSSI,)


# --- the burst ----------------------------------------------------------------------------


def test_the_complaints_about_rossi_all_fall_in_the_last_two_days() -> None:
    ages = [NOW - published(when, NOW) for _, _, when in expected.RECENT_COMPLAINTS]
    assert len(ages) == 9
    assert all(timedelta(0) < age <= timedelta(hours=48) for age in ages)
    assert sum(age <= timedelta(hours=24) for age in ages) == 6


def test_nothing_on_the_site_is_dated_in_the_future() -> None:
    whens = [t.when for t in expected.THREADS]
    whens += [c.when for t in expected.THREADS for c in t.comments]
    whens += [r.when for r in expected.REVIEWS if r.when]
    whens += [e.when for e in expected.FEED_ENTRIES]
    # Any time of day: the clock times on the site are at least a day old.
    for hour in range(24):
        now = NOW.replace(hour=hour)
        assert all(published(when, now) < now for when in whens)
    assert max(NOW - published(w, NOW) for w in whens) < timedelta(weeks=9)
