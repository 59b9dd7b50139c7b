"""The next page of a listing, as review sites, WordPress, Blogger and forums mark it."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.extract.pagination import next_page_url

REVIEWS = Path(__file__).parent / "fixtures" / "reviews"
URL = "https://www.example.it/recensioni/page/2/"


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head><title>t</title>{head}</head><body>{body}</body></html>"


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        pytest.param(
            page("", '<link rel="next" href="https://www.example.it/recensioni/page/3/">'),
            "https://www.example.it/recensioni/page/3/",
            id="link-rel-next",
        ),
        pytest.param(
            page('<a href="?page=3" rel="nofollow next">Altre</a>'),
            "https://www.example.it/recensioni/page/2/?page=3",
            id="a-rel-next-relative",
        ),
        pytest.param(
            page(
                '<nav class="navigation pagination"><div class="nav-links">'
                '<a class="prev page-numbers" href="/recensioni/">&laquo; Precedente</a>'
                '<a class="page-numbers" href="/recensioni/">1</a>'
                '<span aria-current="page" class="page-numbers current">2</span>'
                '<a class="page-numbers" href="/recensioni/page/3/">3</a>'
                '<a class="next page-numbers" href="/recensioni/page/3/">Successivo &raquo;</a>'
                "</div></nav>"
            ),
            "https://www.example.it/recensioni/page/3/",
            id="wordpress-paginate-links",
        ),
        pytest.param(
            page(
                '<div class="wp-pagenavi"><span class="current">2</span>'
                '<a class="page larger" href="/recensioni/page/3/">3</a>'
                '<a class="nextpostslink" rel="next" aria-label="Pagina successiva"'
                ' href="/recensioni/page/3/">»</a></div>'
            ),
            "https://www.example.it/recensioni/page/3/",
            id="wp-pagenavi",
        ),
        pytest.param(
            page(
                '<ul class="pagination"><li class="page-item"><a class="page-link" href="?p=1">'
                '&lsaquo;</a></li><li class="page-item pagination-next">'
                '<a class="page-link" href="?p=3">&rsaquo;</a></li></ul>'
            ),
            "https://www.example.it/recensioni/page/2/?p=3",
            id="bootstrap-parent-class",
        ),
        pytest.param(
            page(
                '<div class="blog-pager" id="blog-pager">'
                '<a class="blog-pager-newer-link" href="https://x.blogspot.com/">'
                "Post più recenti</a>"
                '<a class="blog-pager-older-link" id="Blog1_blog-pager-older-link" '
                'href="https://x.blogspot.com/search?updated-max=2019-04-08T10:00:00%2B02:00'
                '&amp;max-results=7">Post più vecchi</a></div>'
            ),
            "https://x.blogspot.com/search?updated-max=2019-04-08T10:00:00%2B02:00&max-results=7",
            id="blogger",
        ),
        pytest.param(
            page(
                '<div class="nav-previous"><a href="/recensioni/page/3/">'
                '<span class="meta-nav">&larr;</span> Older posts</a></div>'
                '<div class="nav-next"><a href="/recensioni/">Newer posts '
                '<span class="meta-nav">&rarr;</span></a></div>'
            ),
            "https://www.example.it/recensioni/page/3/",
            id="wordpress-older-posts",
        ),
        pytest.param(
            page('<a href="/recensioni/page/3/">Articoli meno recenti</a>'),
            "https://www.example.it/recensioni/page/3/",
            id="wordpress-italian",
        ),
        pytest.param(
            page('<p><a href="/forum/t/9?start=20">Avanti</a></p>'),
            "https://www.example.it/forum/t/9?start=20",
            id="avanti",
        ),
        pytest.param(
            page('<a href="/ultima">Ultima »</a> <a href="/p3">Pagina successiva</a>'),
            "https://www.example.it/p3",
            id="last-is-not-next",
        ),
        pytest.param(
            page('<a href="/p3"> Next&nbsp;› </a>'),
            "https://www.example.it/p3",
            id="next-with-arrow",
        ),
        pytest.param(
            page('<a href="/p3">›</a>'),
            "https://www.example.it/p3",
            id="lone-arrow",
        ),
        pytest.param(
            page(
                '<div class="pager"><a href="?p=1">1</a><strong class="active">2</strong>'
                '<a href="?p=3">3</a><a href="?p=4">4</a></div>'
            ),
            "https://www.example.it/recensioni/page/2/?p=3",
            id="numbered-pager",
        ),
        pytest.param(
            page(
                '<a class="next" href="p3.html">Dopo</a>', '<base href="https://cdn.example.it/a/">'
            ),
            "https://cdn.example.it/a/p3.html",
            id="base-href",
        ),
    ],
)
def test_next_page_is_found(markup, expected):
    assert next_page_url(markup, URL) == expected


@pytest.mark.parametrize(
    "markup",
    [
        pytest.param(page("<p>Nessuna paginazione</p>"), id="none"),
        pytest.param(page('<link rel="next" href="/recensioni/page/2/#top">'), id="same-page"),
        pytest.param(
            page('<a rel="next" href="https://www.example.it/recensioni/page/2">x</a>'),
            id="same-page-without-slash",
        ),
        pytest.param(page('<a class="next" href="#">Successiva</a>'), id="hash-only"),
        pytest.param(page('<a class="next" href="javascript:void(0)">Next</a>'), id="javascript"),
        pytest.param(page('<li class="next disabled"><a href="/p3">Next</a></li>'), id="disabled"),
        pytest.param(page('<a href="/p3" aria-disabled="true">Avanti</a>'), id="aria-disabled"),
        pytest.param(page('<span class="next">Successiva</span>'), id="no-link"),
        pytest.param(page('<a href="mailto:a@b.it">Next</a>'), id="mailto"),
        pytest.param(page('<a href="/p3">»»</a>'), id="double-arrow-is-last"),
        pytest.param("", id="empty"),
    ],
)
def test_no_next_page(markup):
    assert next_page_url(markup, URL) is None


def test_the_first_usable_signal_wins_over_weaker_ones():
    markup = page(
        '<a href="/by-text">Successiva</a><a class="next" href="/by-class">→</a>',
        '<link rel="next" href="/recensioni/page/2/">',  # the same page: skipped
    )
    assert next_page_url(markup, URL) == "https://www.example.it/by-class"


def test_review_site_fixtures():
    trustpilot = (REVIEWS / "trustpilot_graph.html").read_text(encoding="utf-8")
    assert next_page_url(trustpilot, "https://it.reviews.example/review/panificiorossi.it") == (
        "https://it.reviews.example/review/panificiorossi.it?page=2"
    )
    tripadvisor = (REVIEWS / "tripadvisor_microdata.html").read_text(encoding="utf-8")
    assert (
        next_page_url(
            tripadvisor, "https://www.tripadvisor.example/Restaurant_Review-g187801-d1-Gino.html"
        )
        == "https://www.tripadvisor.example/Restaurant_Review-g187801-d1-or10-Trattoria_da_Gino.html"
    )
    wordpress = (REVIEWS / "wordpress_site_reviews.html").read_text(encoding="utf-8")
    assert next_page_url(wordpress, "https://caffeaurora.it/recensioni/") == (
        "https://caffeaurora.it/recensioni/?reviews-page=2"
    )
