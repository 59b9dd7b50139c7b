"""The one parser every extractor uses: any markup becomes a tree, nothing of the page is lost."""

from __future__ import annotations

import html5lib
import lxml.html
import pytest
from lxml import etree

from crawler.extract import html_tree
from crawler.extract.html_tree import (
    PageTooComplex,
    _parse_without_depth_limit,
    parse_html,
    visible_text,
)


@pytest.mark.parametrize("markup", ["", "   \n  "])
def test_an_empty_page_has_no_tree(markup):
    assert parse_html(markup) is None


def test_an_xhtml_page_with_an_encoding_declaration_parses():
    markup = '<?xml version="1.0" encoding="iso-8859-1"?><html><body><p>Caffè</p></body></html>'
    assert visible_text(parse_html(markup)) == "Caffè"


def test_comments_and_processing_instructions_are_left_out():
    root = parse_html(
        "<html><body><p>Pane<!-- nascosto --> buono<?php echo 1; ?></p></body></html>"
    )
    assert not [node for node in root.iter() if not isinstance(node.tag, str)]
    assert visible_text(root) == "Pane buono"


def test_plain_elements_by_default_lxml_html_elements_on_request():
    markup = "<html><body><p>Pane</p></body></html>"
    assert not isinstance(parse_html(markup), lxml.html.HtmlElement)
    assert isinstance(parse_html(markup), etree._Element)
    assert isinstance(parse_html(markup, html_elements=True), lxml.html.HtmlElement)


@pytest.mark.parametrize("html_elements", [False, True])
def test_nesting_deeper_than_libxml2_allows_keeps_the_end_of_the_page(html_elements):
    markup = "<html><body>" + "<div>" * 3000 + "<p>fine della pagina</p></body></html>"
    root = parse_html(markup, html_elements=html_elements)
    assert "fine della pagina" in visible_text(root)


def test_html5lib_fallback_with_the_bounded_stack_builds_the_tree_html5lib_builds():
    # Markup that exercises html5lib's scope checks, adoption agency and implied end tags.
    markups = [
        "<p><b><i>x</p>y</b>z",
        "<table><tr><td><p>a<table><td>b</table></table>",
        "<a><p><a>x</a></p></a>",
        "<b>1<p>2</b>3</p>",
        "<select><option>a<option>b</select><p>q",
        "<div><li>1<li>2<dd>3<dt>4</div>",
        "<form><form><p>x</form>",
        "<button><p>a</button>b",
        "<ul><li><p>uno<li><p>due</ul>" + "<div><span>x" * 50,
    ]
    for markup in markups:
        expected = html5lib.parse(markup, treebuilder="lxml", namespaceHTMLElements=False)
        assert etree.tostring(_parse_without_depth_limit(markup)) == etree.tostring(
            expected.getroot()
        ), markup


def test_a_page_nested_past_the_nesting_budget_is_refused():
    markup = "<html><body>" + "<div>" * 100_000 + "<p>in fondo</p></body></html>"  # 600 KB
    with pytest.raises(PageTooComplex, match="nested more than"):
        parse_html(markup)


def test_a_large_page_too_deep_for_libxml2_is_refused_without_the_slow_fallback():
    markup = "<html><body>" + "<div>" * 200_000 + "<p>" + "x" * 2_000_000 + "</p></body></html>"
    with pytest.raises(PageTooComplex, match="larger than"):
        parse_html(markup)


def test_a_page_that_needs_the_fallback_and_outlasts_its_time_budget_is_refused(monkeypatch):
    monkeypatch.setattr(html_tree, "PARSE_SECONDS", 0.0)
    markup = "<html><body>" + "<div>" * 3000 + "<p>fine della pagina</p></body></html>"
    with pytest.raises(PageTooComplex, match="not parsed within"):
        parse_html(markup)
