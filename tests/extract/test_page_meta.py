"""What a page declares in its metas and JSON-LD, read from the elements its one walk kept
(crawler/extract/page_meta.py): the same values, in the same order, as the XPaths over the
whole tree that it replaces, on awkward markup and on the development corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.extract.html_tree import parse_html
from crawler.extract.page_dates import _DECLARED, _modified_texts, page_language
from crawler.extract.page_meta import PageDeclarations, declared_languages
from crawler.extract.page_scan import PageScan

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "pages"

ARTICLE = """<!DOCTYPE html>
<html lang="it-IT" xml:lang="it"><head><meta charset="utf-8">
<title>La focaccia di via Saragozza | Il blog del pane</title>
<meta HTTP-EQUIV="Content-Language" content="it">
<meta name="Language" content="italian">
<meta property="og:locale" content="it_IT">
<meta property="og:title" content="La focaccia di via Saragozza">
<meta name="twitter:title" value="La focaccia (twitter)" content="La focaccia">
<meta property="og:site_name" content="Il blog del pane">
<meta name="author" content="Anna Bianchi">
<meta property="article:published_time" content="2024-03-01T09:00:00+01:00">
<meta property="article:modified_time" content="2024-03-02T10:00:00+01:00">
<meta itemprop="dateModified" content="">
<meta name="DC.date.issued" value="2024-03-01">
<script type="application/ld+json">
{"@type": "BlogPosting", "headline": "La focaccia", "datePublished": "2024-03-01",
 "dateModified": "2024-03-03", "author": {"@type": "Person", "name": "Anna Bianchi"}}
</script>
<script type="application/ld+json"></script>
<script type="text/javascript">var x = "<meta name='author' content='no'>";</script>
</head><body>
<article><h1>La focaccia di via Saragozza</h1>
<div itemscope><meta itemprop="datePublished" content="2024-03-01"></div>
<p>Testo.</p></article>
<noscript><meta name="date" content="2024-01-01"></noscript>
<script type="application/ld+json">{"@type": "WebSite", "name": "Il blog del pane"}</script>
</body></html>
"""


def _both(markup: str) -> tuple[PageDeclarations, PageDeclarations]:
    root = parse_html(markup)
    assert root is not None
    return PageDeclarations(root, PageScan(root)), PageDeclarations(root)


def _assert_the_same(markup: str) -> None:
    root = parse_html(markup)
    assert root is not None
    scan = PageScan(root)
    scanned, searched = PageDeclarations(root, scan), PageDeclarations(root)
    for question in ("dates", "titles", "site_names", "authors", "json_ld"):
        assert getattr(scanned, question)() == getattr(searched, question)(), question
    assert declared_languages(root, scan.metas) == _DECLARED(root)
    assert _modified_texts(root, scan) == _modified_texts(root)
    assert page_language(root, scan.text, scan) == page_language(root, scan.text)


def test_what_an_article_declares_is_read_from_its_scan_as_the_xpaths_read_it() -> None:
    scanned, _ = _both(ARTICLE)
    assert scanned.titles() == [
        "La focaccia di via Saragozza",
        "La focaccia (twitter)",
        "La focaccia",
    ]
    assert scanned.site_names() == ["Il blog del pane"]
    assert scanned.authors() == ["Anna Bianchi"]
    assert scanned.dates() == [
        "2024-03-01T09:00:00+01:00",
        "2024-03-01",  # DC.date.issued's value
        "2024-03-01",  # the microdata meta in the body
        "2024-01-01",  # a meta inside <noscript> counts too
    ]
    assert len(scanned.json_ld()) == 2  # the empty block has no text
    _assert_the_same(ARTICLE)


@pytest.mark.parametrize(
    "markup",
    [
        ARTICLE,
        ARTICLE.replace('<html lang="it-IT" xml:lang="it">', "<html>"),
        ARTICLE.replace("<!DOCTYPE html>", '<?xml version="1.0" encoding="utf-8"?>'),
        "<p>Un frammento <meta name='author' content='Luca'> senza html</p>",
        "<html><body><p>Nessuna dichiarazione</p></body></html>",
        "<div>" * 3000 + "<meta property='og:title' content='Profondo'>",  # html5lib's tree
    ],
)
def test_awkward_pages_declare_the_same_either_way(markup: str) -> None:
    _assert_the_same(markup)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="no corpus in ../shared/corpus")
def test_real_pages_declare_the_same_either_way() -> None:
    pages = sorted(CORPUS.glob("*.html"))
    assert len(pages) == 40
    for path in pages:
        _assert_the_same(path.read_text(encoding="utf-8", errors="replace"))
