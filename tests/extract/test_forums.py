"""Forum threads: one post per mention, with its author, date, own URL and only its own words."""

from __future__ import annotations

import forum_pages
import forum_pages_more
import pytest
from forum_pages import OPENING, SIGNATURE, THREAD, page
from forum_pages_more import ELSEWHERE, SHORT

from crawler.extract.forum_text import clean_post_text
from crawler.extract.forums import extract_forum_page

THREAD_URL = "https://forum.example.it/viewtopic.php?t=45"

# page builder, engine that reads it, the URL of its second post
ENGINES = [
    ("phpbb", "phpbb", f"{THREAD_URL}#p1002"),
    ("vbulletin4", "vbulletin", f"{THREAD_URL}#post_702"),
    ("discourse_crawler_view", "discourse", "https://forum.example.it/t/pane-rossi/123/2"),
    ("xenforo2", "xenforo", f"{THREAD_URL}#post-9002"),
    ("invision4", "invision", f"{THREAD_URL}#comment-502"),
    ("smf2", "smf", f"{THREAD_URL}#msg1002"),
    ("flarum", "flarum", "https://forum.example.it/d/45-pane-rossi/2"),
    ("nodebb", "nodebb", "https://forum.example.it/post/7001"),
    ("bbpress", "bbpress", f"{THREAD_URL}#post-45"),
    ("wpforo", "wpforo", f"{THREAD_URL}#post-62"),
    ("discuz", "discuz", f"{THREAD_URL}#pid402"),
    ("stack_exchange", "stackexchange", f"{THREAD_URL}#answer-2"),
    ("generic_forum", "generic", f"{THREAD_URL}#m2"),
]
# Thread URLs whose posts have paths of their own.
URLS = {
    "discourse_crawler_view": "https://forum.example.it/t/pane-rossi/123",
    "flarum": "https://forum.example.it/d/45-pane-rossi",
}


def read(builder: str):
    module = forum_pages if hasattr(forum_pages, builder) else forum_pages_more
    markup = getattr(module, builder)()
    return extract_forum_page(markup, URLS.get(builder, THREAD_URL), default_tz="Europe/Rome")


@pytest.mark.parametrize(("builder", "engine", "second_url"), ENGINES)
def test_every_post_is_read_with_its_author_date_and_own_words(builder, engine, second_url):
    thread = read(builder)
    assert thread.engine == engine
    assert [(post.author, post.published, post.text) for post in thread.posts] == THREAD
    assert thread.title and "Panificio Rossi" in thread.title


@pytest.mark.parametrize(("builder", "engine", "second_url"), ENGINES)
def test_each_post_has_the_url_the_forum_gives_it(builder, engine, second_url):
    urls = [post.url for post in read(builder).posts]
    assert urls[1] == second_url
    assert len(set(urls)) == 3


@pytest.mark.parametrize("builder", [name for name, _, _ in ENGINES])
def test_quotes_signatures_and_edit_notes_are_not_part_of_a_post(builder):
    texts = [post.text for post in read(builder).posts]
    assert sum(OPENING in text for text in texts) == 1  # quoted by Giulia, counted once
    assert not any(SIGNATURE in text for text in texts)
    assert not any("ha scritto" in text or "Ultima modifica" in text for text in texts)


STRUCTURAL = [
    "phpbb",
    "vbulletin4",
    "discourse_crawler_view",
    "xenforo2",
    "invision4",
    "smf2",
    "flarum",
    "nodebb",
    "bbpress",
    "wpforo",
    "generic_forum",
]


@pytest.mark.parametrize("builder", STRUCTURAL)
def test_the_structure_alone_reads_the_known_engines_too(builder, monkeypatch):
    """The fast paths off: what an unknown engine of the same shape would get."""
    monkeypatch.setattr("crawler.extract.forums.ENGINES", ())
    thread = read(builder)
    assert thread.engine == "generic"
    assert [(post.author, post.published, post.text) for post in thread.posts] == THREAD


@pytest.mark.parametrize("builder", ["profile_panes", "inline_headers"])
def test_unknown_engines_of_other_shapes_are_read_by_structure(builder):
    thread = read(builder)
    assert thread.engine == "generic"
    assert [(post.author, post.published, post.text) for post in thread.posts] == SHORT


def test_an_old_german_board_is_read_by_structure():
    thread = read("german_tables")
    assert [(post.author, post.published, post.text) for post in thread.posts] == ELSEWHERE


def test_a_profile_date_is_not_the_post_date(monkeypatch):
    # phpBB prints "Iscritto il: ven 3 mar 2017" beside every post, as many do.
    monkeypatch.setattr("crawler.extract.forums.ENGINES", ())
    assert all(post.published.year == 2024 for post in read("phpbb").posts)


def test_a_thread_page_after_the_first_does_not_hold_the_opening_post():
    first = extract_forum_page(forum_pages.phpbb(), THREAD_URL)
    later = extract_forum_page(
        forum_pages.phpbb().replace(
            "</head>", '<link rel="prev" href="./viewtopic.php?t=45&amp;start=0"></head>'
        ),
        THREAD_URL + "&start=15",
    )
    assert first.first_page and not later.first_page
    numbered = forum_pages.discourse_crawler_view().replace(
        '<span itemprop="position">1</span>', '<span itemprop="position">21</span>'
    )
    assert not extract_forum_page(numbered, URLS["discourse_crawler_view"]).first_page


def test_the_thread_pager_gives_the_next_page():
    markup = forum_pages.phpbb().replace(
        '<div class="pagination">',
        '<div class="pagination"><ul><li class="active"><span>1</span></li><li><a '
        'href="./viewtopic.php?t=45&amp;start=15" class="button">2</a></li><li class="arrow '
        'next"><a class="button button-icon-only" href="./viewtopic.php?t=45&amp;start=15" '
        'rel="next" role="button">Successiva</a></li></ul>',
    )
    thread = extract_forum_page(markup, THREAD_URL)
    assert thread.next_page == "https://forum.example.it/viewtopic.php?t=45&start=15"


BOARD = page(
    '<h2 class="forum-title">Negozi di Bologna</h2><ul class="topiclist topics">'
    '<li class="row bg1"><dl><dt><a href="./viewtopic.php?t=45" class="topictitle">Il pane del '
    'Panificio Rossi</a> da <a class="username" href="./memberlist.php?u=2">Mario</a> » '
    'mer 10 apr 2024, 16:01</dt><dd class="posts">3</dd></dl></li>'
    '<li class="row bg2"><dl><dt><a href="./viewtopic.php?t=46" class="topictitle">Mercato di '
    'mezzo</a></dt></dl></li></ul><a href="https://altro.example.com/viewtopic.php?t=1">altrove</a>',
    title="Negozi di Bologna",
    head='<meta name="generator" content="phpBB">',
)


def test_a_board_page_gives_its_threads_on_its_own_host():
    board = extract_forum_page(BOARD, "https://forum.example.it/viewforum.php?f=12")
    assert board.posts == []
    assert board.thread_links == [
        "https://forum.example.it/viewtopic.php?t=45",
        "https://forum.example.it/viewtopic.php?t=46",
    ]


def test_a_board_of_an_unknown_engine_gives_links_that_look_like_threads():
    board = page(
        '<table class="elenco"><tr><td><a href="/forum/topic/45-il-pane-del-panificio-rossi/">'
        'Il pane</a></td></tr><tr><td><a href="/forum/topic/46-mercato/">Mercato</a></td></tr>'
        '<tr><td><a href="/chi-siamo/">Chi siamo</a></td></tr></table>'
    )
    links = extract_forum_page(board, "https://forum.example.it/forum/negozi/").thread_links
    assert links == [
        "https://forum.example.it/forum/topic/45-il-pane-del-panificio-rossi/",
        "https://forum.example.it/forum/topic/46-mercato/",
    ]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Ottimo pane.\nInviato dal mio iPhone utilizzando Tapatalk", "Ottimo pane."),
        ("Ottimo pane.\nSent from my Pixel 7 using Tapatalk", "Ottimo pane."),
        ("Mario ha scritto:\nOttimo pane.", "Ottimo pane."),
        ("Citazione:\nOriginariamente inviato da Mario\nOttimo pane.", "Ottimo pane."),
        ("Ottimo pane.\nUltima modifica di Mario il 10/04/2024, 18:30", "Ottimo pane."),
        ("Ottimo pane.\n--\nMario, Bologna", "Ottimo pane."),
        ("Ottimo pane.\n_____________\nMario, Bologna", "Ottimo pane."),
        ("Come ha scritto Mario: il pane è ottimo.", "Come ha scritto Mario: il pane è ottimo."),
    ],
)
def test_what_markup_does_not_mark_is_known_by_its_words(text, kept):
    assert clean_post_text(text) == kept
