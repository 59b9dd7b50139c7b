"""A mention in one line of a chat message or digest: where, who, what they wrote."""

from __future__ import annotations

from crawler.alerts.short import mention_link


def test_a_review_titled_with_its_authors_name_names_the_author_once() -> None:
    link = mention_link(
        {
            "source": "127.0.0.1",
            "author": "Davide Russo",
            "title": "davide russo",
            "text": "Attesa lunghissima il sabato.",
            "url": "http://127.0.0.1:8123/recensioni/#r-1",
        }
    )
    assert link.label == "127.0.0.1 · Davide Russo: “Attesa lunghissima il sabato.”"


def test_a_comment_keeps_the_title_of_the_post_it_answers() -> None:
    link = mention_link(
        {
            "source": "127.0.0.1",
            "author": "Roberta M.",
            "title": "Che succede al forno sotto casa?",
            "text": "Anche a me!",
            "url": "http://127.0.0.1:8123/blog/forno.html#comment-201",
        }
    )
    assert link.label == "127.0.0.1 · Roberta M.: Che succede al forno sotto casa? — “Anche a me!”"
    assert link.url == "http://127.0.0.1:8123/blog/forno.html#comment-201"
