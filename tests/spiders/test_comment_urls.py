"""A comment's mention URL is its thread's URL with the comment's own fragment, the fragment a
URL parser reads in the comment's link (crawler/spiders/blog.py reads it without parsing)."""

from __future__ import annotations

from urllib.parse import urldefrag

import pytest

from crawler.spiders.blog import _fragment


@pytest.mark.parametrize(
    "url",
    [
        "https://blog.example.org/2026/03/pane/#comment-12",
        "https://blog.example.org/2026/03/pane/",  # no fragment
        "https://blog.example.org/2026/03/pane/#",  # an empty one
        "https://blog.example.org/?p=3&cpage=2#comment-4#reply",  # a '#' in the fragment
        "https://blog.example.org/pane/#comment-\t12\n",  # tabs and line breaks a parser drops
        "https://blog.example.org/pane/#\r\ncomment-12",
        "https://blog.example.org/pane/#commento-è-12",
        "  https://blog.example.org/pane/#c12",
        "#comment-7",
    ],
)
def test_the_fragment_is_the_one_a_url_parser_reads(url):
    assert _fragment(url) == urldefrag(url)[1]
