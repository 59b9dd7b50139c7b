"""A forum crawled for real: a phpBB board on 127.0.0.1, its threads, their pages.

The board lists three threads over two board pages. "Il pane del Panificio Rossi" names the
brand in its title and runs over two pages; "Mercato di mezzo" does not, but one reply praises
the bakery; "Consigli per la colazione" names no brand in its title but its
opening post does. The board also links a thread on another host, which is never fetched.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_runner import run_cli, write_config
from local_pages import serve_pages

from crawler.store import iter_mentions, open_engine

HTML = "text/html; charset=utf-8"


def post(number: int, author: str, when: str, text: str) -> str:
    return f"""
<div id="p{number}" class="post has-profile bg2"><div class="inner">
<dl class="postprofile"><dt><a href="./memberlist.php?u={number}" class="username">{author}</a>
</dt><dd class="profile-joined"><strong>Iscritto il:</strong> ven 3 mar 2017, 10:12</dd></dl>
<div class="postbody"><div id="post_content{number}">
<p class="author">da <strong><a href="./memberlist.php?u={number}" class="username">{author}</a>
</strong> &raquo; {when}</p><div class="content">{text}</div>
<div class="signature">Saluti da Bologna</div></div></div></div></div>"""


def thread(title: str, posts: str, *, previous: str = "", following: str = "") -> bytes:
    head = f'<link rel="prev" href="{previous}">' if previous else ""
    pager = f'<a href="{following}" rel="next">Successiva</a>' if following else ""
    return (
        f'<!DOCTYPE html><html lang="it"><head><meta charset="utf-8"><meta name="generator" '
        f'content="phpBB"><title>{title} - Forum di Bologna</title>{head}</head><body>'
        f'<h2 class="topic-title">{title}</h2><div class="pagination">{pager}</div>{posts}'
        "</body></html>"
    ).encode()


def board(links: str, *, following: str = "") -> bytes:
    pager = f'<a href="{following}" rel="next">Successiva</a>' if following else ""
    return (
        '<!DOCTYPE html><html lang="it"><head><meta charset="utf-8"><meta name="generator" '
        'content="phpBB"><title>Negozi di Bologna</title></head><body><ul class="topiclist">'
        f'{links}</ul><div class="pagination">{pager}</div></body></html>'
    ).encode()


def topic(href: str, title: str) -> str:
    return f'<li class="row"><a href="{href}" class="topictitle">{title}</a></li>'


@pytest.fixture(scope="module")
def forum(tmp_path_factory) -> Iterator[tuple[str, Path, dict]]:
    """The board crawled once; the stored mentions by URL (without the server's address)."""
    pages = {
        "/viewtopic.php?t=45": thread(
            "Il pane del Panificio Rossi",
            post(1, "Mario", "mer 10 apr 2024, 16:01", "Com'è il pane in via Saragozza?")
            + post(2, "Giulia", "mer 10 apr 2024, 18:22", "Buono, ma la fila è lunga."),
            following="./viewtopic.php?t=45&amp;start=2",
        ),
        "/viewtopic.php?t=45&start=2": thread(
            "Il pane del Panificio Rossi",
            post(3, "Luca", "gio 11 apr 2024, 09:05", "La focaccia era bruciata.")
            + post(4, "Anna", "gio 11 apr 2024, 12:40", "Io ci torno volentieri."),
            previous="./viewtopic.php?t=45",
        ),
        "/viewtopic.php?t=46": thread(
            "Mercato di mezzo",
            post(5, "Paolo", "ven 12 apr 2024, 08:00", "Dove si fa colazione vicino al mercato?")
            + post(6, "Sara", "ven 12 apr 2024, 08:30", "Al Panificio Rossi: brioche ottime.")
            + post(7, "Paolo", "ven 12 apr 2024, 09:00", "Grazie, provo domani."),
        ),
        # Linked from the board as localhost, another host name for this same server.
        "/viewtopic.php?t=99": thread(
            "Il Panificio Rossi altrove",
            post(10, "Ugo", "sab 13 apr 2024, 10:00", "Panificio Rossi, sede di Imola."),
        ),
        "/viewtopic.php?t=47": thread(
            "Consigli per la colazione",
            post(8, "Elena", "sab 13 apr 2024, 07:15", "Il Panificio Rossi apre alle sette?")
            + post(9, "Marco", "sab 13 apr 2024, 07:40", "Sì, anche la domenica."),
        ),
    }
    served = {path: (HTML, body) for path, body in pages.items()}
    with serve_pages(served) as base:
        port = base.rsplit(":", 1)[1]
        served["/viewforum.php?f=12"] = (
            HTML,
            board(
                topic("./viewtopic.php?t=45", "Il pane del Panificio Rossi")
                + topic("./viewtopic.php?t=46", "Mercato di mezzo")
                + topic(f"http://localhost:{port}/viewtopic.php?t=99", "Altrove"),
                following="./viewforum.php?f=12&amp;start=25",
            ),
        )
        served["/viewforum.php?f=12&start=25"] = (
            HTML,
            board(topic("./viewtopic.php?t=47", "Consigli per la colazione")),
        )
        folder = tmp_path_factory.mktemp("forum")
        write_config(folder, f'[[sources]]\nkind = "forum"\nurl = "{base}/viewforum.php?f=12"\n')
        run_cli("crawl", cwd=folder)
        engine = open_engine(f"sqlite:///{folder / 'passaparola.db'}")
        mentions = {row["url"].removeprefix(base): row for row in iter_mentions(engine)}
        engine.dispose()
        yield base, folder, mentions


def test_every_post_of_a_thread_about_the_brand_is_a_mention_on_all_its_pages(forum):
    _, _, mentions = forum
    about = {url: row["author"] for url, row in mentions.items() if "t=45" in url}
    assert about == {
        "/viewtopic.php?t=45#p1": "Mario",
        "/viewtopic.php?t=45#p2": "Giulia",
        "/viewtopic.php?t=45&start=2#p3": "Luca",
        "/viewtopic.php?t=45&start=2#p4": "Anna",
    }


def test_in_another_thread_only_the_post_naming_the_brand_counts(forum):
    _, _, mentions = forum
    assert [url for url in mentions if "t=46" in url] == ["/viewtopic.php?t=46#p6"]


def test_a_thread_whose_opening_post_names_the_brand_is_about_it(forum):
    _, _, mentions = forum
    assert sorted(url for url in mentions if "t=47" in url) == [
        "/viewtopic.php?t=47#p8",
        "/viewtopic.php?t=47#p9",
    ]


def test_posts_are_forum_mentions_with_their_dates_and_without_signatures(forum):
    _, _, mentions = forum
    luca = mentions["/viewtopic.php?t=45&start=2#p3"]
    assert luca["kind"] == "forum"
    assert luca["published"].isoformat() == "2024-04-11T07:05:00+00:00"  # 09:05 in Rome
    assert luca["text"] == "La focaccia era bruciata."
    assert luca["title"].startswith("Il pane del Panificio Rossi")


def test_a_thread_on_another_host_is_not_fetched(forum):
    _, _, mentions = forum
    assert not any("t=99" in url for url in mentions)
    assert len(mentions) == 7
