"""Visible review cards: found by their repetition, merged with their schema.org copies, and
never invented from product tiles, teasers, editors' reviews or aggregate ratings."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from crawler.extract.reviews import extract_reviews

ROME = ZoneInfo("Europe/Rome")
URL = "https://www.example.it/prodotti/moka-aurora"


def page(body: str, *blocks: dict, lang: str = "it") -> str:
    scripts = "".join(
        f'<script type="application/ld+json">{json.dumps(block)}</script>' for block in blocks
    )
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>Moka Aurora'
        f"</title>{scripts}</head><body><h1>Moka Aurora 3 tazze</h1>{body}"
        '<nav class="pagination"><span>Pagina 1 di 5</span> <a href="?p=2">2</a></nav>'
        "</body></html>"
    )


def cards(template: str, rows: list[tuple[str, str, str, str]]) -> str:
    """A list of review cards, one per (author, date, stars, text), in one template."""
    items = "".join(
        template.format(n=n, author=author, date=date, stars=stars, text=text)
        for n, (author, date, stars, text) in enumerate(rows, start=1)
    )
    return f'<section id="recensioni"><h2>Recensioni dei clienti</h2>{items}</section>'


ROWS = [
    ("Maria Rossi", "12 marzo 2024", "★★★★☆", "Fa un caffè cremoso, il manico resta freddo."),
    ("Giuseppe", "3 febbraio 2024", "★★☆☆☆", "La guarnizione perde dopo un mese. Deluso."),
    ("Anna B.", "28 gennaio 2024", "★★★★★", "Perfetta per due tazze, la uso ogni mattina."),
]


# --- reviews without markup, in the shapes sites write them ----------------------------------


@pytest.mark.parametrize(
    ("template", "ratings", "first_day"),
    [
        pytest.param(
            '<div class="recensione"><p class="meta">Recensione di <b>{author}</b> · {date}</p>'
            '<span class="voto">{stars}</span><p>{text}</p></div>',
            [0.75, 0.25, 1.0],
            "2024-03-12",
            id="Recensione di, star glyphs",
        ),
        pytest.param(
            '<article class="review-item"><header><a href="/utenti/{n}">{author}</a>'
            '<time datetime="2024-03-{n:02d}">{date}</time></header>'
            '<div class="stars" title="{n},5 su 5"></div><div class="testo">{text}</div>'
            '<footer><a href="#">Utile</a> <a href="#">Segnala</a></footer></article>',
            [(n + 0.5 - 1) / 4 for n in (1, 2, 3)],
            "2024-03-01",  # the <time>'s datetime, not its text
            id="profile link, time element, '4,5 su 5' title",
        ),
        pytest.param(
            '<li class="opinione"><strong>{author}</strong> <span>{date}</span>'
            "<div>Voto: {n}/5</div><blockquote>{text}</blockquote></li>",
            [0.0, 0.25, 0.5],
            "2024-03-12",
            id="bold name, 'Voto: 4/5'",
        ),
        pytest.param(
            '<div class="rev"><div class="rev-head"><span class="user-name">{author}</span>'
            '<span class="rating"><i class="fa fa-star"></i><i class="fa fa-star"></i>'
            '<i class="fa fa-star"></i><i class="fa fa-star-o"></i><i class="fa fa-star-o"></i>'
            '</span></div><p class="rev-date">{date}</p><p>{text}</p></div>',
            [0.5, 0.5, 0.5],
            "2024-03-12",
            id="row of star icons",
        ),
    ],
)
def test_review_cards_without_markup_are_found_with_author_date_and_stars(
    template, ratings, first_day
):
    found = extract_reviews(page(cards(template, ROWS)), URL).reviews
    assert [(r.author, r.text) for r in found] == [(a, t) for a, _, _, t in ROWS]
    assert [r.rating for r in found] == pytest.approx(ratings)
    assert found[0].published.date().isoformat() == first_day
    assert all(r.published is not None for r in found)
    assert len({r.url for r in found}) == 3


def test_an_amazon_style_list_reads_the_body_not_the_badges():
    template = (
        '<div id="R{n}X" class="a-section review"><div class="a-profile">'
        '<span class="a-profile-name">{author}</span></div>'
        '<a title="{n},0 su 5 stelle"><i class="a-icon a-star-{n}"></i></a>'
        '<span class="review-title">Titolo {n}</span>'
        '<span class="review-date">Recensito in Italia il {date}</span>'
        '<div class="badges"><span>Acquisto verificato</span> | <span>Vine</span> '
        "<span>(</span><a>Cos'è?</a><span>)</span></div>"
        '<span class="review-text"><span>{text}</span>'
        '<a style="display: none">Leggi di più</a></span>'
        '<div><a href="#">Utile</a> | <a href="#">Segnala un abuso</a></div></div>'
    )
    found = extract_reviews(page(cards(template, ROWS)), URL).reviews
    first = found[0]
    assert (first.author, first.title, first.text) == ("Maria Rossi", "Titolo 1", ROWS[0][3])
    assert first.published == datetime(2024, 3, 12, tzinfo=ROME)
    assert first.rating == 0.0  # "1,0 su 5 stelle"
    assert first.url == URL + "#R1X"


def test_english_and_french_cards_read_their_own_dates():
    template = (
        '<div class="critic"><div class="author">{author}</div><div class="date">{date}</div>'
        '<div class="rating"><a title="{n}/5">score</a></div><p>{text}</p></div>'
    )
    rows = [
        ("Jane", "Aug 18, 2010", "", "A delight from start to finish, the best of the three."),
        ("Marc", "12 mars 2019", "", "Un peu long, mais la fin vaut le voyage, vraiment."),
    ]
    found = extract_reviews(page(cards(template, rows), lang="fr"), URL).reviews
    assert [r.published.date().isoformat() for r in found] == ["2010-08-18", "2019-03-12"]
    assert [r.rating for r in found] == [0.0, 0.25]


# --- schema.org and visible copies of one review ---------------------------------------------


def test_a_placeholder_microdata_description_gives_way_to_the_visible_text():
    template = (
        '<div class="review" itemprop="review" itemscope itemtype="https://schema.org/Review">'
        '<meta itemprop="description" content="comment">'
        '<span itemprop="author">{author}</span> <span class="data">{date}</span>'
        '<span class="voto">{stars}</span><p class="testo">{text}</p></div>'
    )
    found = extract_reviews(page(cards(template, ROWS)), URL).reviews
    assert [r.text for r in found] == [t for *_, t in ROWS]
    assert [r.published.day for r in found] == [12, 3, 28]  # the visible dates fill the gap


def test_empty_json_ld_text_takes_the_visible_card_and_its_fuller_name():
    reviews = [
        {
            "@type": "Review",
            "author": {"@type": "Person", "name": author.split()[0]},
            "datePublished": f"2024-0{4 - n}-0{n}",
            "reviewRating": {"@type": "Rating", "ratingValue": 6 - n, "bestRating": 5},
            "reviewBody": "",
        }
        for n, (author, *_) in enumerate(ROWS, start=1)
    ]
    product = {"@context": "https://schema.org", "@type": "Product", "name": "Moka"}
    template = (
        '<div class="recensione"><span class="rating-value">{n}</span>'
        "<h3><span>{author} <label>(acquistato il {date})</label></span></h3>"
        "<p>{text}</p></div>"
    )
    stars = [(a, d, str(6 - n), t) for n, (a, d, _, t) in enumerate(ROWS, start=1)]
    visible = cards(template.replace("{n}", "{stars}"), stars)
    found = extract_reviews(page(visible, {**product, "review": reviews}), URL).reviews
    assert [(r.author, r.text) for r in found] == [(a, t) for a, _, _, t in ROWS]
    # The JSON-LD date (of the review) wins over the visible one (of the purchase).
    assert [r.published.date().isoformat() for r in found] == [
        "2024-03-01",
        "2024-02-02",
        "2024-01-03",
    ]


def test_the_same_review_as_json_ld_and_as_a_visible_card_is_one_review():
    reviews = [
        {
            "@type": "Review",
            "author": author,
            "datePublished": "2024-03-12",
            "reviewRating": {"ratingValue": "4"},
            "reviewBody": text,
        }
        for author, _, _, text in ROWS
    ]
    template = (
        '<div class="recensione"><b>{author}</b> <span>{date}</span>'
        '<span class="voto">{stars}</span><p>{text}</p></div>'
    )
    rows = [(a, "12 marzo 2024", "★★★★☆", t) for a, _, _, t in ROWS]
    block = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Moka",
        "review": reviews,
    }
    found = extract_reviews(page(cards(template, rows), block), URL).reviews
    assert len(found) == 3
    assert {r.item_name for r in found} == {"Moka"}


def test_unmarked_cards_beside_a_marked_one_are_reviews_too():
    marked = (
        '<li class="review-container" itemscope itemtype="http://schema.org/Review">'
        '<div class="review-content" itemprop="reviewBody"><p>{text}</p></div>'
        '<div class="uploader"><a href="/users/{author}"><strong>by {author}</strong></a></div></li>'
    )
    plain = marked.replace(' itemscope itemtype="http://schema.org/Review"', "").replace(
        ' itemprop="reviewBody"', ""
    )
    rows = [("mario-b", "", "", "Concerto splendido, acustica perfetta anche in fondo alla sala.")]
    rows += [("fan-1", "", "", "Serata numero uno: luci, suoni e scaletta da ricordare.")]
    rows += [("lia", "", "", "Troppa coda all'ingresso, ma poi tre ore di musica senza pause.")]
    body = "<ul>" + marked.format(author=rows[0][0], text=rows[0][3])
    body += "".join(plain.format(author=a, text=t) for a, _, _, t in rows[1:]) + "</ul>"
    found = extract_reviews(page(body), URL).reviews
    assert [r.author for r in found] == ["mario-b", "fan-1", "lia"]


def test_carousel_clones_count_once_in_page_order():
    slide = (
        '<div class="slick-slide{clone}"><li class="avis" itemscope '
        'itemtype="http://schema.org/Review"><p class="avis__author" itemprop="author">Anonyme'
        '</p><p class="avis__date">{date}</p><p itemprop="reviewRating" itemscope '
        'itemtype="http://schema.org/Rating"><span itemprop="ratingValue">5</span>/5</p>'
        '<p itemprop="description">{text}</p></li></div>'
    )
    rows = [
        ("08/02/2018", "Parfait"),
        ("24/01/2018", "Housse facile à glisser"),
        ("05/10/2016", "Belle couleur"),
    ]
    track = slide.format(clone=" slick-cloned", date=rows[-1][0], text=rows[-1][1])
    track += "".join(slide.format(clone="", date=d, text=t) for d, t in rows)
    track += slide.format(clone=" slick-cloned", date=rows[0][0], text=rows[0][1])
    found = extract_reviews(page(f'<div class="slick-track">{track}</div>'), URL).reviews
    assert [r.text for r in found] == [t for _, t in rows]
    assert found[0].published == datetime(2018, 2, 8, tzinfo=ROME)


# --- traps: nothing is a customer review ------------------------------------------------------


def test_an_editors_review_is_not_a_customer_review():
    editor = {"@type": "Person", "name": "Devi Hardawar"}
    review = {
        "@context": "https://schema.org",
        "@type": "Review",
        "author": [editor],
        "itemReviewed": "Moka Aurora",
        "reviewRating": {"ratingValue": "87", "bestRating": "100", "worstRating": "0"},
        "reviewBody": "La moka più riuscita dell'anno, con qualche difetto.",
    }
    article = {"@context": "https://schema.org", "@type": "Article", "author": [editor]}
    assert extract_reviews(page("", review, article), URL).reviews == []
    by_site = {**review, "author": {"@type": "Organization", "name": "Caffè Magazine"}}
    site = {"@context": "https://schema.org", "@type": "WebSite", "publisher": by_site["author"]}
    assert extract_reviews(page("", by_site, site), URL).reviews == []
    news_review = {**review, "@type": ["NewsArticle", "Review"]}
    assert extract_reviews(page("", news_review), URL).reviews == []
    meta = page("", review).replace("<head>", '<head><meta name="author" content="Devi Hardawar">')
    assert extract_reviews(meta, URL).reviews == []
    # A customer's review on the same page still counts.
    customer = {**review, "author": "Lucia"}
    assert [r.author for r in extract_reviews(page("", customer, article), URL).reviews] == [
        "Lucia"
    ]


def test_an_aggregate_rating_with_a_star_widget_is_no_review():
    block = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Moka",
        "aggregateRating": {"@type": "AggregateRating", "ratingValue": "4,5", "reviewCount": 12},
    }
    body = '<div class="stars" title="4,5 su 5">★★★★½</div><p>12 recensioni</p>'
    result = extract_reviews(page(body, block), URL)
    assert result.reviews == []
    assert result.aggregate is not None and result.aggregate.rating_value == 4.5


def test_rated_product_tiles_and_dated_teasers_are_not_reviews():
    tiles = cards(
        '<div class="product-tile"><a href="/p/{n}">Moka {author}</a>'
        '<span class="stars" title="{n},5 su 5"></span><span class="price">€ 2{n},90</span>'
        "<p>{text}</p></div>",
        ROWS,
    )
    teasers = cards(
        '<article class="post"><h3><a href="/blog/{n}">{text}</a></h3>'
        '<span class="td-post-author-name">{author}</span> - <span class="date">{date}</span>'
        "<p>{text}</p></article>",
        ROWS,
    )
    assert extract_reviews(page(tiles + teasers), URL).reviews == []
