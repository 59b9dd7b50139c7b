"""The other pages of a comment thread, as WordPress, Blogger, LiveJournal and hand-made
themes link them, and the post they belong to."""

from __future__ import annotations

import pytest

from crawler.extract.comment_pages import comment_page_links, is_comment_page, thread_url
from crawler.extract.html_tree import parse_html

POST = "https://blog.example.it/2024/03/forno/"


@pytest.mark.parametrize(
    ("links", "expected"),
    [
        (
            '<div class="nav-links"><a class="prev page-numbers" href="comment-page-1/">1</a>'
            '<span class="current">2</span><a href="comment-page-3/">3</a></div>',
            [POST + "comment-page-1/", POST + "comment-page-3/"],
        ),
        ('<a href="?cpage=2#comments">2</a>', [POST + "?cpage=2"]),
        (
            '<a href="/2024/03/forno.html?commentPage=2">2</a>',
            ["https://blog.example.it/2024/03/forno.html?commentPage=2"],
        ),
        (
            '<a href="/128386917.html?page=2#comments">2</a>',
            ["https://blog.example.it/128386917.html?page=2"],
        ),
        ('<p><a href="/vecchi">« Commenti precedenti</a></p>', ["https://blog.example.it/vecchi"]),
        ('<p><a href="/older">Older Comments</a></p>', ["https://blog.example.it/older"]),
        (
            '<nav class="comments-pagination"><a href="/p/2">Pagina 2</a></nav>',
            ["https://blog.example.it/p/2"],
        ),
    ],
)
def test_comment_pages_are_found_as_themes_link_them(links, expected):
    html = f"<html><body><ol class='comment-list'><li>Ciao</li></ol>{links}</body></html>"
    assert comment_page_links(parse_html(html), POST) == expected


@pytest.mark.parametrize(
    "links",
    [
        '<a href="?replytocom=12#respond">Rispondi</a>',
        '<a href="/128386917.html?mode=reply">Reply</a>',
        '<a href="/2024/03/altro-post/">Post successivo</a>',
        '<a href="/page/2/">Articoli precedenti</a>',
        '<a href="https://altro.example.org/comment-page-2/">2</a>',
        '<a href="#comment-3">3 marzo</a>',
    ],
)
def test_other_links_are_not_comment_pages(links):
    html = f"<html><body><ol class='comment-list'><li>Ciao</li></ol>{links}</body></html>"
    assert comment_page_links(parse_html(html), POST) == []


@pytest.mark.parametrize(
    ("url", "thread", "later_page"),
    [
        (POST + "comment-page-2/", POST, True),
        (POST + "comment-page-2/#comments", POST, True),
        ("https://blog.example.it/?p=12&cpage=3", "https://blog.example.it/?p=12", True),
        (POST, POST, False),
        (POST + "#comments", POST, False),
    ],
)
def test_a_comment_page_belongs_to_its_post(url, thread, later_page):
    assert thread_url(url) == thread
    assert is_comment_page(url) is later_page
