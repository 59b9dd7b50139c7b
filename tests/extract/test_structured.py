"""JSON-LD blocks as sites really write them, each read on its own and repaired where cheap."""

from __future__ import annotations

import pytest

from crawler.extract.html_tree import parse_html
from crawler.extract.structured import local_name, parse_jsonld, structured_nodes

GOOD = {"@type": "Review", "reviewBody": "Buono"}


@pytest.mark.parametrize(
    "block",
    [
        '{"@type": "Review", "reviewBody": "Buono"}',
        '  <!-- {"@type": "Review", "reviewBody": "Buono"} -->  ',
        '//<![CDATA[\n{"@type": "Review", "reviewBody": "Buono"}\n//]]>',
        '/* <![CDATA[ */\n{"@type": "Review", "reviewBody": "Buono"}\n/* ]]> */',
        '{"@type": "Review", "reviewBody": "Buono",}',
        '{\n  // plugin v2.1\n  "@type": "Review",\n  "reviewBody": "Buono"\n}',
        '{"@type": "Review", "reviewBody": "Buono"};',
        "{&quot;@type&quot;: &quot;Review&quot;, &quot;reviewBody&quot;: &quot;Buono&quot;}",
    ],
    ids=[
        "plain",
        "html-comment",
        "cdata",
        "wp-cdata",
        "trailing-comma",
        "js-comment",
        "semicolon",
        "entity-escaped",
    ],
)
def test_common_wrappers_and_slips_are_tolerated(block):
    assert parse_jsonld(block) == [GOOD]


def test_strings_keep_commas_slashes_and_raw_newlines():
    block = '{"reviewBody": "Ottimo, davvero // niente da dire,\n}", "url": "https://x.it/a"}'
    assert parse_jsonld(block) == [
        {"reviewBody": "Ottimo, davvero // niente da dire,\n}", "url": "https://x.it/a"}
    ]


def test_repairs_leave_strings_alone():
    block = '{"a": "x \\" // not a comment, /* nor this */",}'
    assert parse_jsonld(block) == [{"a": 'x " // not a comment, /* nor this */'}]


def test_prefixed_keys_inside_a_graph_are_reduced_too():
    markup = (
        '<html><head><script type="application/ld+json">{"@context": {"schema": '
        '"http://schema.org/"}, "@graph": [{"@type": "schema:Review", "schema:reviewBody": "Sì"}]}'
        "</script></head></html>"
    )
    (top,) = structured_nodes(
        markup, parse_html(markup, html_elements=True), "https://example.org/"
    )
    assert top["@graph"] == [{"@type": ["Review"], "reviewBody": "Sì"}]


def test_values_written_one_after_another_are_all_read():
    assert parse_jsonld('{"a": 1}\n{"b": 2}') == [{"a": 1}, {"b": 2}]
    assert parse_jsonld('[{"a": 1}, {"b": 2}]') == [[{"a": 1}, {"b": 2}]]


@pytest.mark.parametrize("block", ["", "   ", '{"@type": "Review", "reviewBody": "Bu', "undefined"])
def test_hopeless_blocks_give_nothing(block):
    assert parse_jsonld(block) == []


def test_a_good_value_before_a_broken_one_is_kept():
    assert parse_jsonld('{"a": 1}\n{"b": ') == [{"a": 1}]


@pytest.mark.parametrize(
    ("iri", "name"),
    [
        ("Review", "Review"),
        ("schema:Review", "Review"),
        ("http://schema.org/Review", "Review"),
        ("https://schema.org/Review", "Review"),
        ("http://www.schema.org/reviewBody", "reviewBody"),
        ("http://data-vocabulary.org/Review", "Review"),
    ],
)
def test_schema_names_reduce_to_local_names(iri, name):
    assert local_name(iri) == name


def test_all_syntaxes_come_out_as_one_shape():
    markup = """<html><head>
    <script type="application/ld+json">{"@context": "http://schema.org",
      "@type": "schema:Review", "schema:reviewBody": "Uno"}</script>
    <script type=" Application/LD+JSON ">{"@type": ["Review"], "reviewBody": "Due"}</script>
    <script type="text/javascript">{"@type": "Review", "reviewBody": "no"}</script>
    </head><body>
    <div itemscope itemtype="https://schema.org/Review"><p itemprop="reviewBody">Tre</p></div>
    <div vocab="http://schema.org/" typeof="Review"><p property="reviewBody">Quattro</p></div>
    </body></html>"""
    nodes = structured_nodes(markup, parse_html(markup, html_elements=True), "https://example.org/")
    reviews = [n for n in nodes if isinstance(n, dict) and n.get("@type") == ["Review"]]
    assert [n["reviewBody"] for n in reviews] == ["Uno", "Due", "Tre", "Quattro"]
    assert [n.get("@syntax") for n in reviews] == [None, None, "microdata", "rdfa"]
