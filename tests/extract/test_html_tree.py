"""The one parser every extractor uses: any markup becomes a tree, nothing of the page is lost."""

from __future__ import annotations

import lxml.html
import pytest
from lxml import etree

from crawler.extract.html_tree import parse_html, visible_text


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
