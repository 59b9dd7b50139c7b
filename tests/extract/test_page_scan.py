"""One walk of a page answers what the blog extractor asks of the whole page: its platform, its
away regions (for the post and for the comments), its text for reading dates. The answers are
the page's own: a scan belongs to one tree, and pages read one after another in the same
process never see each other's answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.extract.blog import detect_platform, extract_blog_page
from crawler.extract.html_tree import parse_html
from crawler.extract.page_scan import PageScan
from crawler.extract.regions import away_nodes, away_regions, is_comment_region

FIXTURES = Path(__file__).parent / "fixtures" / "blog"
PAGE = "https://blog.example.org/2023/10/post.html"

WORDPRESS = (FIXTURES / "wordpress_html5_it.html").read_text(encoding="utf-8")
BLOGGER = (FIXTURES / "blogger_classic_it.html").read_text(encoding="utf-8")
SIDEBAR_PAGE = """<html lang="it"><head><title>Forno</title><style>p {}</style></head><body>
<article class="post"><h1 class="entry-title">Il nuovo forno</h1>
<div class="entry-content"><p>Il Panificio Rossi ha aperto in via Saragozza il 3/21/2024, con
pane a lievitazione naturale e focacce. La fila era lunga, ma il personale gentile.</p></div>
</article>
<aside class="sidebar"><h3>Articoli recenti</h3><ul><li><a href="/a">Altro</a></li></ul></aside>
<ol class="comment-list"><li class="comment" id="comment-1"><b class="fn">Anna</b>
<div class="comment-content"><p>Pane ottimo.</p></div></li></ol>
<form id="commentform"><textarea name="comment"></textarea></form>
</body></html>"""


def test_the_scan_finds_what_the_page_walking_functions_find() -> None:
    root = parse_html(SIDEBAR_PAGE)
    scan = PageScan(root)
    (article,) = root.iter("article")
    for keep in (None, article):
        for for_post in (False, True):
            assert scan.away.regions(keep, for_post=for_post) == away_regions(
                root, keep, for_post=for_post
            )
            assert scan.away.nodes(keep, for_post=for_post) == away_nodes(
                root, keep, for_post=for_post
            )
    assert [node.tag for node in scan.away.regions()] == ["aside", "form"]
    assert [node.tag for node in scan.away.regions(for_post=True)] == ["aside", "ol", "form"]
    assert scan.platform == "wordpress"
    assert "3/21/2024" in scan.text and "p {}" not in scan.text
    assert {node.tag for node in scan.unread} == {"head", "title", "style"}


def test_each_page_has_its_own_scan() -> None:
    wordpress, blogger = parse_html(WORDPRESS), parse_html(BLOGGER)
    first, second = PageScan(wordpress), PageScan(blogger)
    assert (first.platform, second.platform) == ("wordpress", "blogger")
    assert first.away.nodes() <= set(wordpress.iter())
    assert second.away.nodes() <= set(blogger.iter())
    assert detect_platform(wordpress) == "wordpress"
    assert detect_platform(blogger) == "blogger"


def test_pages_read_one_after_another_keep_their_own_answers() -> None:
    pages = [WORDPRESS, BLOGGER, SIDEBAR_PAGE]
    alone = [extract_blog_page(html, PAGE) for html in pages]
    in_turn = [extract_blog_page(html, PAGE) for html in [*pages, *pages]]
    assert in_turn == [*alone, *alone]
    assert [page.platform for page in alone] == ["wordpress", "blogger", "wordpress"]
    sidebar = alone[2]
    assert sidebar.post is not None and "Articoli recenti" not in sidebar.post.text
    assert [(comment.author, comment.text) for comment in sidebar.comments] == [
        ("Anna", "Pane ottimo.")
    ]


def test_a_class_name_is_split_as_the_platform_markers_always_split_it() -> None:
    # XPath's normalize-space separates names at ASCII spacing only; a no-break space is part
    # of the name, so "a\u00a0commentlist" names no WordPress comment list.
    tab = parse_html("<html><body><ol class='x\tcommentlist'><li>a</li></ol></body></html>")
    nbsp = parse_html("<html><body><ol class='x\u00a0commentlist'><li>a</li></ol></body></html>")
    assert PageScan(tab).platform == "wordpress"
    assert PageScan(nbsp).platform is None


@pytest.mark.parametrize(
    "ident", ["comments", "commenti-3", "kommentare", "blog_comentarios", "li-comment-12"]
)
def test_an_id_alone_makes_a_comment_region(ident: str) -> None:
    html = f"<html><body><aside class='sidebar'>x</aside><div id='{ident}'>y</div></body></html>"
    root = parse_html(html)
    (region,) = root.iter("div")
    assert is_comment_region(region)
    assert region in PageScan(root).away.regions(for_post=True)
    assert region not in PageScan(root).away.regions()


@pytest.mark.parametrize("ident", ["commentary", "uncommented", "recommend", "sidebar-main"])
def test_an_id_that_only_contains_comment_is_no_comment_region(ident: str) -> None:
    root = parse_html(f"<html><body><div id='{ident}'>y</div></body></html>")
    (region,) = root.iter("div")
    assert not is_comment_region(region)
    assert region not in PageScan(root).away.nodes(for_post=True)
