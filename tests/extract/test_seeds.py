"""The shared seed posts (real Italian blog pages), rendered back into their platforms' markup,
must yield their post and every comment with the right author and date.

Skipped only where `../shared/seeds` is absent (it is outside the repository).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from blog_pages import (
    SEED_001_COMMENT_IDS,
    SEEDS,
    article_seed_page_002,
    article_seed_page_003,
    article_seed_page_004,
    blogger_seed_page,
    seed_001_comment_texts,
    seed_text,
    typepad_seed_page,
)

from crawler.extract.blog import extract_blog_page

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not available")

ROME = ZoneInfo("Europe/Rome")
SEED_000_URL = "https://www.example.it/blog/2004/02/permission.html"


@pytest.fixture(scope="module")
def seed_000():
    return extract_blog_page(typepad_seed_page(seed_text(0)), SEED_000_URL)


@pytest.fixture(scope="module")
def seed_001():
    return extract_blog_page(
        blogger_seed_page(seed_text(1)),
        "https://customercare.blogspot.com/2007/07/il-customer-care.html",
    )


def test_seed_000_yields_the_six_signed_comments_newest_first(seed_000):
    expected = [
        ("M. Bancora", datetime(2004, 2, 16, 20, 35, tzinfo=ROME)),
        ("Matteo.Balzani", datetime(2004, 2, 13, 9, 18, tzinfo=ROME)),
        ("M. Bancora", datetime(2004, 2, 12, 17, 31, tzinfo=ROME)),
        ("weblog dello shopping", datetime(2004, 2, 12, 16, 32, tzinfo=ROME)),
        ("M. Bancora", datetime(2004, 2, 12, 15, 48, tzinfo=ROME)),
        ("weblog dello shopping", datetime(2004, 2, 12, 15, 19, tzinfo=ROME)),
    ]
    assert [(c.author, c.published) for c in seed_000.comments] == expected
    assert all(c.published.utcoffset() == timedelta(hours=1) for c in seed_000.comments)  # CET
    assert {c.platform for c in seed_000.comments} == {"typepad"}
    assert seed_000.platform == "typepad"


def test_seed_000_comment_text_is_exactly_what_precedes_each_signature(seed_000):
    texts = [c.text for c in seed_000.comments]
    assert texts[0].startswith("Sebastiano, come ti ho scritto :)")
    assert texts[0].endswith("non ti ha risposto la mia segretaria ;)")
    assert texts[1].startswith("Max, sono d'accordo")
    assert texts[3].startswith("interessante argomentazione Massimiliano.")
    assert texts[5].startswith("il customer care e' anche l'attenzione al cliente")
    assert texts[5].endswith("troppi se ne dimenticano di queste potenzialita'..")
    for text in texts:
        assert "Inviato da" not in text
        assert "Commenti" not in text.split("\n")[0]


def test_seed_000_comments_have_distinct_urls_stable_across_crawls(seed_000):
    urls = [c.url for c in seed_000.comments]
    assert len(set(urls)) == 6
    assert all(url.startswith(SEED_000_URL + "#comment-") for url in urls)
    again = extract_blog_page(typepad_seed_page(seed_text(0)), SEED_000_URL + "#commenti")
    assert [c.url for c in again.comments] == urls


def test_seed_000_post_is_the_entry_without_the_comments(seed_000):
    post = seed_000.post
    assert post.title == "È permission?"
    assert post.text.startswith("Stamattina mi sono iscritto")
    assert post.text.endswith("il cliente è una risorsa, non una rottura!")
    assert "Inviato da" not in post.text
    assert post.published is None  # the dump carries no date for the post: not guessed


def test_seed_001_post_date_comes_from_the_blogger_date_header(seed_001):
    post = seed_001.post
    assert seed_001.platform == "blogger"
    assert post.published.date() == date(2007, 7, 9)
    assert post.published.tzinfo is not None
    assert post.title == "Il Customer Care si può fare a ogni livello"
    assert post.text.startswith("Le piccole imprese che non fanno il customer care")
    assert post.text.endswith("potrebbe dare una bella lezione a molti manager di azienda.")
    assert "Iscriviti a" not in post.text
    assert "commenti" not in post.text


def test_seed_001_comments_appear_as_in_the_thread(seed_001):
    comments = seed_001.comments
    assert [c.text for c in comments] == seed_001_comment_texts(seed_text(1))
    assert [c.url.rsplit("#", 1)[1] for c in comments] == list(SEED_001_COMMENT_IDS)
    # Blogger's "Anonimo" is its placeholder for no name; the page shows no timestamps.
    assert all(c.author is None for c in comments)
    assert all(c.published is None for c in comments)
    assert all("Posta un commento" not in c.text for c in comments)


def test_seed_002_article_has_its_date_author_and_no_comments():
    page = extract_blog_page(
        article_seed_page_002(seed_text(2)), "https://www.example.it/cliente-al-centro/"
    )
    assert page.comments == []
    assert page.platform == "generic"
    post = page.post
    assert post.published.date() == date(2019, 4, 8)  # 08/04/2019 is day first
    assert post.author == "Luca Oliverio"
    assert post.title == "Il cliente al centro del processo. Solo a parole o anche nei fatti?"
    assert post.text.startswith("Quello nel quale agiamo è un mercato stravolto")
    assert post.text.endswith("la vita media del prodotto stesso si è accorciata.")
    for chrome in ("Accedi", "SHARES", "lettori", "founder e editor"):
        assert chrome not in post.text


def test_seed_003_wordpress_post_without_comments_ignores_the_recent_comments_widget():
    page = extract_blog_page(
        article_seed_page_003(seed_text(3)), "https://www.example.it/amazon-mail-di-scuse/"
    )
    assert page.comments == []
    assert page.platform == "wordpress"
    assert page.post.text.startswith("Quando si dice che le persone devono essere al centro")
    assert page.post.text.endswith("da apprezzare e – sopratutto – da emulare.")
    assert "Commenti recenti" not in page.post.text


def test_seed_004_comment_form_alone_is_no_comment():
    page = extract_blog_page(
        article_seed_page_004(seed_text(4)),
        "http://www.sphitalia.com/blog/e-commerce-quanto-conta-il-customer-service/",
    )
    assert page.comments == []
    assert page.platform == "wordpress"
    assert page.post.title == "E-commerce: quanto conta il customer service"
    assert page.post.text.startswith("Un piccolo suggerimento.")
    assert "Leave A Comment" not in page.post.text
    assert "No Banner" not in page.post.text
