"""The post itself: its body, title, author and date, whatever the layout calls its columns,
and never a sidebar, a teaser card, a category label or a reading time."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from crawler.extract.blog import extract_blog_page

ROME = ZoneInfo("Europe/Rome")
PAGE = "https://giornale.example.it/2024/03/forno.html"
TEXT = (
    "Il Panificio Rossi ha riaperto in via Saragozza dopo tre mesi di lavori. Il forno a legna "
    "è nuovo, la focaccia è quella di sempre e la fila, alle otto, arriva fino all'angolo. "
    "Abbiamo parlato con i titolari della nuova farina e dei prezzi, rimasti uguali."
)
ARTICLE = (
    "<article class='post'><h1 class='entry-title'>Riapre il Panificio Rossi</h1>"
    "<p class='byline'>di <a rel='author' href='/autori/giulia'>Giulia Bianchi</a> · "
    "<time class='entry-date published' datetime='2024-03-12T09:30:00+01:00'>12 marzo 2024"
    "</time></p><div class='entry-content'><p>{text}</p></div></article>"
)
SIDEBAR = (
    "<aside class='widget'><h3>Più letti</h3><p>La classifica delle pizzerie del quartiere, "
    "aggiornata ogni settimana dai lettori con i loro voti e le loro recensioni.</p></aside>"
)


def post_of(html: str):
    return extract_blog_page(html, PAGE).post


@pytest.mark.parametrize(
    "layout",
    [
        "<body class='content-sidebar single'>{article}{sidebar}</body>",
        "<body class='no-sidebars page-node'>{article}{sidebar}</body>",
        "<body><div class='panel-two-col-sidebar-right'>{article}</div>{sidebar}</body>",
        "<body><div id='sidebar'>{article}</div><div class='widget-area'>{sidebar}</div></body>",
        "<body><div class='widget-area'><div class='widget'>{article}</div>{sidebar}</div></body>",
    ],
    ids=["content-sidebar", "no-sidebars", "sidebar-in-a-longer-name", "sidebar-id", "widgets"],
)
def test_layout_classes_naming_sidebars_or_widgets_never_hide_the_post(layout):
    html = "<html lang='it'>" + layout.format(article=ARTICLE.format(text=TEXT), sidebar=SIDEBAR)
    post = post_of(html + "</html>")
    assert post is not None
    assert (post.title, post.author) == ("Riapre il Panificio Rossi", "Giulia Bianchi")
    assert post.published == datetime(2024, 3, 12, 9, 30, tzinfo=ROME)
    assert post.text == TEXT
    assert "classifica" not in post.text


def test_boxes_named_like_posts_in_a_column_give_way_to_the_article():
    boxes = "".join(
        f"<div class='box-text entry-content'><p>Box {n}: "
        + "notizie brevi dal quartiere. " * 9
        + "</p></div>"
        for n in range(3)
    )
    article = "<div class='article-body'><h2>Il forno</h2><p>" + TEXT * 4 + "</p></div>"
    post = post_of(f"<html><body><div class='colonna'>{boxes}</div>{article}</body></html>")
    assert post is not None and post.text.startswith("Il Panificio Rossi ha riaperto")


def test_a_teaser_card_named_like_an_article_is_not_the_post():
    teasers = "".join(
        f"<article class='has-image'><h3><a href='/{n}'>Altro articolo {n}</a></h3></article>"
        for n in range(3)
    )
    body = f"<div class='field-body'><p>{TEXT}</p><p>{TEXT}</p></div>"
    post = post_of(f"<html><body><div class='content'>{body}</div>{teasers}</body></html>")
    assert post is not None and post.text == f"{TEXT}\n\n{TEXT}"


def test_the_title_is_the_heading_the_page_declares_not_a_category_label():
    head = "<meta property='og:title' content='Riapre il Panificio Rossi | Il Giornale'>"
    article = (
        "<article><h2 class='kicker'>Cronaca</h2><h1>Riapre il Panificio Rossi</h1>"
        f"<div class='article-body'><p>{TEXT}</p></div></article>"
    )
    post = post_of(f"<html><head>{head}</head><body>{article}</body></html>")
    assert post.title == "Riapre il Panificio Rossi"


def test_without_a_matching_heading_the_declared_title_is_the_title():
    head = '<script type="application/ld+json">{"@type":"NewsArticle","headline":"Riapre il forno"}</script>'
    article = f"<article><h3>Cronaca</h3><div class='article-body'><p>{TEXT}</p></div></article>"
    post = post_of(f"<html><head>{head}</head><body>{article}</body></html>")
    assert post.title == "Riapre il forno"


def test_the_author_the_page_declares_when_no_byline_shows_one():
    head = (
        '<script type="application/ld+json">{"@type":"NewsArticle","author":{"@type":"Person",'
        '"name":"Marta Neri"},"datePublished":"2024-03-12T08:00:00Z"}</script>'
    )
    article = (
        f"<article><h1>Riapre il forno</h1><div class='article-body'><p>{TEXT}</p></div></article>"
    )
    post = post_of(f"<html><head>{head}</head><body>{article}</body></html>")
    assert (post.author, post.published) == ("Marta Neri", datetime(2024, 3, 12, 8, 0, tzinfo=UTC))


def test_the_publication_date_wins_over_the_last_update():
    article = (
        "<article class='post'><h1>Riapre il forno</h1><div class='entry-meta'>"
        "<time class='updated' datetime='2024-05-02T10:00:00+02:00'>2 maggio 2024</time> "
        "<time class='entry-date published' datetime='2024-03-12T09:30:00+01:00'>12 marzo</time>"
        f"</div><div class='entry-content'><p>{TEXT}</p></div></article>"
    )
    assert post_of(f"<html><body>{article}</body></html>").published == datetime(
        2024, 3, 12, 9, 30, tzinfo=ROME
    )
    declared = (
        "<html><head><meta property='article:published_time' content='2024-03-12T09:30:00+01:00'>"
        "</head><body><article><h1>Riapre il forno</h1><p class='byline'>di Giulia, aggiornato "
        "il <time datetime='2024-05-02T10:00:00+02:00'>2 maggio 2024</time></p>"
        f"<div class='article-body'><p>{TEXT}</p></div></article></body></html>"
    )
    assert post_of(declared).published == datetime(2024, 3, 12, 9, 30, tzinfo=ROME)


def test_a_byline_written_out_gives_author_and_date():
    article = (
        "<article><h1>Anticorrupción decidirá en Madrid</h1><p class='autor'>Patricio Candia | "
        f"Palma de Mallorca | 08/01/2014</p><p>{TEXT}</p><p>{TEXT}</p></article>"
    )
    post = post_of(f"<html lang='es'><body>{article}</body></html>")
    assert (post.author, post.published) == ("Patricio Candia", datetime(2014, 1, 8, tzinfo=ROME))


def test_a_reading_time_is_not_the_posts_date():
    article = (
        "<article class='post'><h1>Riapre il forno</h1><div class='post-meta'>"
        "<span class='date'>Tempo di lettura: 3 minuti</span></div>"
        f"<div class='entry-content'><p>{TEXT}</p></div></article>"
    )
    assert post_of(f"<html lang='it'><body>{article}</body></html>").published is None


def test_a_comment_thread_is_never_part_of_the_post():
    thread = (
        "<div id='comments' class='comments-area'><ol class='comment-list'><li class='comment'>"
        "<b class='fn'>Anna</b> <time datetime='2024-03-13T08:00:00+01:00'>13 marzo</time>"
        "<p>Buonissimo il pane, ma che fila alle otto del mattino, una cosa mai vista.</p>"
        "</li></ol></div>"
    )
    html = f"<html><body><div class='site-content'>{ARTICLE.format(text=TEXT)}{thread}</div></body></html>"
    page = extract_blog_page(html, PAGE)
    assert page.post.text == TEXT
    assert [c.author for c in page.comments] == ["Anna"]
