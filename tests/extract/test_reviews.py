"""Reviews and aggregate ratings from the structured data real review pages publish."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from crawler.extract.reviews import extract_reviews

FIXTURES = Path(__file__).parent / "fixtures" / "reviews"
ROME = ZoneInfo("Europe/Rome")


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def page_with(*blocks: object, body: str = "") -> str:
    """A page carrying each block as its own JSON-LD script (strings are written verbatim).

    Slashes are escaped as PHP's `json_encode` does, so a `</script>` in a value stays inside."""
    scripts = "\n".join(
        '<script type="application/ld+json">'
        + (block if isinstance(block, str) else json.dumps(block).replace("/", "\\/"))
        + "</script>"
        for block in blocks
    )
    return f"<!DOCTYPE html><html><head><title>t</title>{scripts}</head><body>{body}</body></html>"


def review(**fields: object) -> dict:
    return {"@context": "https://schema.org", "@type": "Review", **fields}


URL = "https://reviews.example.org/company/panificio-rossi?page=2"


# --- whole pages in the shapes review sites use --------------------------------------------


def test_a_review_platform_graph_gives_every_review_with_its_business_and_language():
    page = extract_reviews(fixture("trustpilot_graph.html"), URL)

    assert [(r.author, r.rating, r.lang) for r in page.reviews] == [
        ("Giulia Bianchi", 1.0, "it"),
        ("Marco", 0.0, "it"),
        ("Anne Smith", 0.5, "en"),
    ]
    first = page.reviews[0]
    assert first.title == "Pane buonissimo"
    assert first.text == "Pane buonissimo e personale gentile. Torneremo!"
    assert first.published == datetime(2024, 3, 1, 9, 12, 44, tzinfo=UTC)
    assert {r.item_name for r in page.reviews} == {"Panificio Rossi"}
    assert page.aggregate is not None
    assert (page.aggregate.rating_value, page.aggregate.count) == (4.2, 1234)
    assert page.aggregate.item_name == "Panificio Rossi"


def test_a_malformed_json_ld_block_does_not_hide_the_good_ones():
    # The fixture's breadcrumb block has unescaped quotes; extruct alone would drop all JSON-LD.
    page = extract_reviews(fixture("trustpilot_graph.html"), URL)
    assert len(page.reviews) == 3

    broken = '{"@type": "Review", "reviewBody": "unterminated'
    good = review(reviewBody="Ottimo pane", author="Lia")
    assert [r.text for r in extract_reviews(page_with(broken, good, broken), URL).reviews] == [
        "Ottimo pane"
    ]


def test_microdata_reviews_with_visible_dates_and_links():
    url = "https://www.tripadvisor.example/Restaurant_Review-g187801-d1-Trattoria_da_Gino.html"
    page = extract_reviews(fixture("tripadvisor_microdata.html"), url)

    gino, joe = page.reviews
    assert gino.author == "lucia_bo"
    assert gino.title == "Tortellini come a casa"
    assert gino.text == "Tortellini in brodo perfetti,\nservizio veloce. Consigliato!"
    assert gino.published == datetime(2019, 4, 8, tzinfo=ROME)
    assert (gino.rating, gino.rating_value, gino.best_rating, gino.worst_rating) == (
        1.0,
        5.0,
        5.0,
        1.0,
    )
    assert gino.url == (
        "https://www.tripadvisor.example/"
        "ShowUserReviews-g187801-d1-r674512345-Trattoria_da_Gino-Bologna.html"
    )
    assert gino.item_name == "Trattoria da Gino"
    # "Recensito ieri" is not in the structured data and is never guessed into a date.
    assert joe.published is None
    assert joe.rating == 0.25
    assert page.aggregate is not None
    assert (page.aggregate.rating_value, page.aggregate.count) == (4.5, 1234)
    assert page.aggregate.rating == pytest.approx(0.875)


def test_the_same_reviews_in_json_ld_and_microdata_count_once_keeping_what_each_adds():
    url = "https://caffeaurora.it/recensioni/"
    page = extract_reviews(fixture("wordpress_site_reviews.html"), url)

    assert [r.author for r in page.reviews] == ["Francesca", "Luca, Sara", "Paolo"]
    francesca, couple, paolo = page.reviews
    # JSON-LD carries the time of day; the microdata copy only the day: one review.
    assert francesca.published == datetime(2023, 11, 5, 8, 31, tzinfo=ROME)
    assert francesca.text == "Il miglior cappuccino di Milano & dintorni.\nCornetti sempre caldi."
    assert couple.rating == pytest.approx(0.625)  # "3,5" of 5
    assert couple.published is None
    assert paolo.text == "Caffè bruciato, due volte su due."  # from `description`
    assert paolo.title == "Deludente"
    assert paolo.published == datetime(2024, 1, 12, tzinfo=ROME)  # "12/01/2024" is day-first
    assert paolo.rating == 0.25  # "2/5"
    assert page.aggregate is not None
    assert page.aggregate.rating_value == 4.2  # "4,2"
    assert page.aggregate.count == 3


def test_a_product_with_one_rating_only_review_and_an_aggregate():
    page = extract_reviews(fixture("google_product.html"), "https://shop.example.com/anvil")

    (only,) = page.reviews
    assert (only.text, only.author, only.rating, only.item_name) == (
        "",
        "Fred Benson",
        0.75,
        "Executive Anvil",
    )
    assert page.aggregate is not None
    assert page.aggregate.rating == pytest.approx(0.85)  # 4.4 of 5, worst 1
    assert page.aggregate.count == 89


def test_rdfa_reviews_nested_in_a_product():
    url = "https://shop.example.it/moka-aurora"
    page = extract_reviews(fixture("rdfa_product.html"), url)

    elena, roberto = page.reviews  # in document order, though rdflib forgets it
    assert elena.text == "Fa un caffè cremoso, manico robusto."
    assert elena.published == datetime(2022, 6, 14, tzinfo=ROME)
    assert elena.rating == 1.0
    assert elena.url == url + "#recensione-101"
    assert roberto.rating == 0.25
    assert {r.item_name for r in page.reviews} == {"Moka Aurora 3 tazze"}
    assert page.aggregate is not None
    assert (page.aggregate.rating_value, page.aggregate.count) == (3.8, 27)


def test_rdfa_dates_come_from_a_time_elements_datetime():
    markup = page_with(
        body='<div vocab="https://schema.org/" typeof="Review"><p property="reviewBody">Buono</p>'
        '<time property="datePublished" datetime="2023-01-02">2 gennaio</time></div>'
    )
    (found,) = extract_reviews(markup, URL).reviews
    assert found.published == datetime(2023, 1, 2, tzinfo=ROME)


def test_an_aggregate_only_page_has_no_reviews():
    page = extract_reviews(fixture("aggregate_only.html"), "https://hotel.example/bellavista")
    assert page.reviews == []
    assert page.aggregate is not None
    assert page.aggregate.rating_value == 8.6
    assert page.aggregate.best_rating == 10
    assert page.aggregate.count == 2048
    assert page.aggregate.rating == pytest.approx((8.6 - 1) / 9)


def test_a_page_without_structured_data_has_nothing():
    page = extract_reviews("<html><body><p>Ottimo pane, 5 stelle!</p></body></html>", URL)
    assert page.reviews == []
    assert page.aggregate is None
    assert extract_reviews("", URL).reviews == []


def test_extraction_never_touches_the_network(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("extraction tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    page = extract_reviews(fixture("rdfa_product.html"), "https://shop.example.it/moka-aurora")
    assert len(page.reviews) == 2


# --- the messy details, one per row --------------------------------------------------------


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ("Maria Rossi", "Maria Rossi"),
        ({"@type": "Person", "name": "Maria Rossi"}, "Maria Rossi"),
        ({"@type": "Organization", "name": "Pro Loco Bra"}, "Pro Loco Bra"),
        ([{"@type": "Person", "name": "Anna"}, "Bruno"], "Anna, Bruno"),
        ({"@type": "Person", "name": "  Gianni \n B. "}, "Gianni B."),
        ({"@type": "Person"}, None),
        (None, None),
    ],
)
def test_authors_as_strings_objects_or_lists(author, expected):
    page = extract_reviews(page_with(review(reviewBody="Buono.", author=author)), URL)
    assert page.reviews[0].author == expected


@pytest.mark.parametrize(
    ("rating", "expected"),
    [
        ({"ratingValue": 5}, (1.0, 5.0, 5.0, 1.0)),
        ({"ratingValue": "1"}, (0.0, 1.0, 5.0, 1.0)),
        ({"ratingValue": "3"}, (0.5, 3.0, 5.0, 1.0)),
        ({"ratingValue": "4,2", "bestRating": "5"}, (0.8, 4.2, 5.0, 1.0)),
        ({"ratingValue": "4/5"}, (0.75, 4.0, 5.0, 1.0)),
        ({"ratingValue": "8", "bestRating": "10", "worstRating": "0"}, (0.8, 8.0, 10.0, 0.0)),
        ({"ratingValue": 0.9, "bestRating": 1}, (0.9, 0.9, 1.0, 0.0)),
        ({"ratingValue": "7", "bestRating": "5"}, (1.0, 7.0, 5.0, 1.0)),
        ("4", (0.75, 4.0, 5.0, 1.0)),
        ({"ratingValue": "stelle"}, (None, None, None, None)),
    ],
)
def test_ratings_are_normalised_from_worst_to_best(rating, expected):
    body = review(reviewBody="Testo.", reviewRating=rating)
    found = extract_reviews(page_with(body), URL).reviews[0]
    rating_normalised, value, best, worst = expected
    if rating_normalised is None:
        assert found.rating is None
    else:
        assert found.rating == pytest.approx(rating_normalised)
    assert (found.rating_value, found.best_rating, found.worst_rating) == (value, best, worst)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"datePublished": "2024-05-02"}, datetime(2024, 5, 2, tzinfo=ROME)),
        ({"datePublished": "2024-05-02T10:30:00Z"}, datetime(2024, 5, 2, 10, 30, tzinfo=UTC)),
        ({"dateCreated": "08/04/2019"}, datetime(2019, 4, 8, tzinfo=ROME)),
        ({"datePublished": "lunedì 9 luglio 2007"}, datetime(2007, 7, 9, tzinfo=ROME)),
        ({"datePublished": "qualche tempo fa"}, None),
        ({}, None),
    ],
)
def test_dates_are_read_or_left_unknown(fields, expected):
    found = extract_reviews(page_with(review(reviewBody="Testo.", **fields)), URL).reviews[0]
    assert found.published == expected


def test_a_review_without_text_or_rating_is_skipped():
    page = extract_reviews(
        page_with(review(author="Nessuno", datePublished="2024-01-01"), review(reviewBody="Sì.")),
        URL,
    )
    assert [r.text for r in page.reviews] == ["Sì."]


def test_a_repeated_block_counts_once_but_different_reviews_with_equal_words_do_not():
    same = review(reviewBody="Ottimo!", author="Ugo", datePublished="2024-01-01")
    later = review(reviewBody="Ottimo!", author="Ugo", datePublished="2024-06-01")
    page = extract_reviews(page_with(same, same, later), URL)
    assert [r.published.month for r in page.reviews] == [1, 6]
    assert len({r.url for r in page.reviews}) == 2


def test_reviews_with_the_same_words_and_author_get_distinct_stable_addresses():
    def page() -> str:
        return page_with(
            review(reviewBody="Buono.", author="Ugo", reviewRating={"ratingValue": 4}),
            review(reviewBody="Buono.", author="Ugo", reviewRating={"ratingValue": 2}),
            review(reviewBody="Buono.", author="Ugo", reviewRating={"ratingValue": 4}),
        )

    first = [r.url for r in extract_reviews(page(), URL).reviews]
    assert len(first) == len(set(first)) == 2
    assert first == [r.url for r in extract_reviews(page(), URL).reviews]


def test_a_visible_teaser_of_a_review_counts_as_that_review():
    full = review(
        reviewBody="Siamo stati a cena sabato: antipasti ottimi, tortellini perfetti, dolce così.",
        author="Marta",
        datePublished="2024-04-02",
    )
    teaser = (
        '<div itemscope itemtype="https://schema.org/Review"><span itemprop="author">Marta</span>'
        '<p itemprop="reviewBody">Siamo stati a cena sabato: antipasti ottimi, tortellini…'
        ' <a href="#">Altro</a></p><meta itemprop="ratingValue" content="4"></div>'
    )
    short = review(reviewBody="Ottimo", author="Marta")
    longer = review(reviewBody="Ottimo servizio", author="Marta")
    page = extract_reviews(page_with(full, short, longer, body=teaser), URL)
    assert [r.text[:15] for r in page.reviews] == ["Siamo stati a c", "Ottimo", "Ottimo servizio"]
    assert page.reviews[0].text.endswith("dolce così.")  # the whole text, with the teaser's stars
    assert page.reviews[0].rating == 0.75


def test_untyped_reviews_in_a_product_review_array_still_count():
    product = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Panettone classico",
        "review": [
            {"reviewBody": "Morbido e profumato.", "author": "Ada"},
            {"reviewRating": {"ratingValue": "2"}, "author": "Ivo"},
        ],
    }
    page = extract_reviews(page_with(product), URL)
    assert [(r.author, r.item_name) for r in page.reviews] == [
        ("Ada", "Panettone classico"),
        ("Ivo", "Panettone classico"),
    ]


def test_in_language_may_be_a_code_or_a_language_node():
    plain = review(reviewBody="Good.", inLanguage="en")
    node = review(
        reviewBody="Buono.",
        inLanguage={"@type": "Language", "name": "Italian", "alternateName": "it"},
    )
    assert [r.lang for r in extract_reviews(page_with(plain, node), URL).reviews] == ["en", "it"]


def test_a_hostile_deeply_nested_block_is_cut_off_and_the_rest_still_read():
    deep = '{"@type": "Review", "reviewBody": "Profondo", "x": ' + "[" * 5000 + "]" * 5000 + "}"
    nested = review(reviewBody="Annidato")
    for _ in range(200):
        nested = {"@type": "Thing", "hasPart": nested}
    page = extract_reviews(page_with(deep, nested, review(reviewBody="Normale")), URL)
    assert [r.text for r in page.reviews] == ["Normale"]


# --- hostile text -------------------------------------------------------------------------


def test_markup_in_json_ld_review_text_becomes_plain_text():
    hostile = review(
        name="<b>Titolo</b>",
        reviewBody=(
            "Pessimo<script>alert(1)</script> servizio <img src=x onerror=alert(2)>"
            "&lt;i&gt;davvero&lt;/i&gt; [clicca](javascript:alert(3))"
        ),
        author={"@type": "Person", "name": "<a href='javascript:x'>Mallory</a>"},
    )
    found = extract_reviews(page_with(hostile), URL).reviews[0]
    assert found.title == "Titolo"
    assert found.author == "Mallory"
    assert "alert(1)" not in found.text and "<img" not in found.text
    assert found.text.startswith("Pessimo servizio")
    # What the reviewer typed stays text; making it harmless is the report's job (escaping).
    assert "<i>davvero</i>" in found.text
    assert "[clicca](javascript:alert(3))" in found.text


def test_escaped_markup_shown_in_microdata_stays_literal_text_and_scripts_are_dropped():
    url = "https://www.tripadvisor.example/Restaurant_Review-g187801-d1-Trattoria_da_Gino.html"
    joe = extract_reviews(fixture("tripadvisor_microdata.html"), url).reviews[1]
    assert joe.text == "Waited an hour. Pasta was <b>cold</b>."


# --- addresses ----------------------------------------------------------------------------


def test_a_review_keeps_its_own_address_on_the_same_site():
    own = review(reviewBody="A.", url="https://reviews.example.org/reviews/123")
    relative = review(reviewBody="B.", url="/reviews/124")
    anchored = review(reviewBody="C.", **{"@id": "#review-125"})
    page = extract_reviews(page_with(own, relative, anchored), URL)
    assert [r.url for r in page.reviews] == [
        "https://reviews.example.org/reviews/123",
        "https://reviews.example.org/reviews/124",
        URL + "#review-125",
    ]


@pytest.mark.parametrize(
    "fields",
    [
        {"url": "https://elsewhere.example.com/reviews/1"},  # another site
        {"url": "javascript:alert(1)"},
        {"url": URL},  # the page itself
        {"@id": "https://reviews.example.org/#/schema/Review/1"},  # an identifier, not a page
        {"@id": "_:b0"},
        {},
    ],
)
def test_otherwise_a_review_is_addressed_by_a_stable_fragment_of_the_page(fields):
    body = review(reviewBody="Pane ottimo.", author="Lia", **fields)
    first = extract_reviews(page_with(body), URL).reviews[0].url
    again = extract_reviews(page_with(body), URL + "#top").reviews[0].url
    assert first == again
    assert first.startswith(URL + "#review-")
    assert len(first) == len(URL) + len("#review-") + 12


def test_reviews_sharing_one_url_get_distinct_fragments():
    shared = "https://reviews.example.org/company/panificio-rossi"
    page = extract_reviews(
        page_with(
            review(reviewBody="Uno.", author="A", url=shared),
            review(reviewBody="Due.", author="B", url=shared),
            review(reviewBody="Uno.", author="C", url=shared),
        ),
        URL,
    )
    urls = [r.url for r in page.reviews]
    assert len(set(urls)) == 3
    assert all("#review-" in u for u in urls)
