"""Blog pages to a post and its reader comments: WordPress, Blogger, TypePad-style signatures
and hand-made markup, in Italian and English, as their platforms actually render them."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from blog_pages import unclosed_comment_divs, wordpress_thread

from crawler.extract.blog import BlogPage, extract_blog_page
from crawler.extract.signatures import read_date, split_signed

FIXTURES = Path(__file__).parent / "fixtures" / "blog"
ROME = ZoneInfo("Europe/Rome")
UTC = ZoneInfo("UTC")
PAGE = "https://blog.example.org/2023/10/post.html"


def extract(name: str, url: str = PAGE, **options) -> BlogPage:
    return extract_blog_page((FIXTURES / name).read_text(encoding="utf-8"), url, **options)


def at(*parts: int, tz: ZoneInfo = ROME) -> datetime:
    return datetime(*parts, tzinfo=tz)


# (fixture, platform, [(fragment, author, published, text)]) — every comment, in page order.
THREADS = [
    (
        "wordpress_html5_it.html",
        "wordpress",
        [
            (
                "comment-201",
                "Marco",
                at(2023, 10, 2, 12, 40, 11),
                "Ci sono stato ieri: pane ottimo, ma la fila era lunghissima e il personale "
                "un po’ scortese.\n\nTornerò comunque.",
            ),
            (
                "comment-202",
                "Giulia Bianchi",
                at(2023, 10, 2, 13, 5),
                "Grazie Marco, giro la segnalazione al forno!",
            ),
            ("comment-205", "Marco", at(2023, 10, 3, 8, 0), "Oggi molto meglio, complimenti."),
            (
                "comment-204",
                "Anna",
                at(2023, 10, 2, 18, 22),
                "La focaccia del Panificio Rossi resta la migliore della zona.",
            ),
        ],
    ),
    (
        "wordpress_classic_it.html",
        "wordpress",
        [
            (
                "comment-31",
                "Luisa",
                at(2011, 3, 12, 18, 5),
                "Confermo: cannoli spettacolari, cassiera sgarbata.",
            ),
            ("comment-32", "Paola", at(2011, 3, 13, 9, 40), "Proprio così, peccato!"),
            (
                "comment-33",
                "Gianni",
                at(2011, 3, 14, 21, 17),
                "Io invece mi sono trovato benissimo.",
            ),
        ],
    ),
    (
        "wordpress_kubrick_en.html",
        "wordpress",
        [
            (
                "comment-17",
                "Joe",
                at(2007, 7, 9, 15, 48),
                "Went there too. Great bread, terrible queue.\n\nWill go back on a weekday.",
            ),
            (
                "comment-19",
                "Mary Ann",
                None,
                'Loved the focaccia. <script>alert("not markup")</script>',
            ),
        ],
    ),
    (
        "wordpress_twentytwelve_en.html",
        "wordpress",
        [
            (
                "comment-51",
                "Priya",
                at(2015, 5, 16, 14, 2, 37, tz=UTC),
                "Queued for forty minutes. The cornetti were worth it.",
            ),
            ("comment-52", "Sam", at(2015, 5, 16, 15, 10, tz=UTC), "Agreed — go before nine."),
        ],
    ),
    (
        "blogger_classic_it.html",
        "blogger",
        [
            (
                "c4101",
                "Davide T.",
                at(2010, 8, 14, 16, 55),
                "Confermo, anche il cioccolato non è più quello di una volta.",
            ),
            (
                "c4102",
                None,
                at(2010, 8, 14, 21, 0),
                "Secondo me esagerate, io ci vado ogni settimana!\nIl fiordilatte è ottimo.",
            ),
            ("c4104", "Enrico", at(2010, 8, 16, 10, 5), "Ci sono stato ieri, servizio lentissimo."),
            ("c4105", "Sara", None, "Chissà quando riaprono."),
        ],
    ),
    (
        "blogger_threaded_en.html",
        "blogger",
        [
            (
                "c900001",
                "Laura",
                at(2017, 3, 14, 17, 0, tz=UTC),
                "Supermarket bread is basically sponge. No contest.",
            ),
            (
                "c900002",
                "Tom Baker",
                at(2017, 3, 14, 18, 0, tz=UTC),
                "Ha, a sponge that lasts three weeks.",
            ),
            ("c900003", None, at(2017, 3, 15, 7, 45), "Tried it today. The rye is even better."),
        ],
    ),
    (
        "typepad_en.html",
        "typepad",
        [
            (
                "comment-6a00d8341c4f1a53ef00d8345a2f1d69e2",
                "Anna K.",
                at(2005, 3, 3, 10, 12),
                "Same experience here: they even called me back.",
            ),
            (
                "comment-6a00d8341c4f1a53ef00d8345a2f2e69e2",
                "Bob",
                at(2005, 3, 4, 18, 45),
                "Lucky you. My complaint has been ignored for a month.\n\nStill waiting.",
            ),
        ],
    ),
    (
        "movabletype_it.html",
        "typepad",
        [
            (None, "Sergio", at(2004, 2, 10, 12, 2), "Capitato anche a me la settimana scorsa."),
            (
                None,
                "Francesca",
                at(2004, 2, 11, 9, 30),
                "Io ho cambiato banca per questo motivo.\nNessun rimpianto.",
            ),
            (
                None,
                "Dario",
                at(2004, 2, 12, 18, 45),
                "Forse il problema è il software, non le persone.",
            ),
        ],
    ),
    (
        "generic_microdata_en.html",
        "generic",
        [
            (
                "response-88",
                "Oliver",
                at(2021, 6, 1, 8, 12, tz=UTC),
                "Finally! The old shop was impossible on Saturdays.",
            ),
            (
                "response-89",
                "Grace",
                at(2021, 6, 2, 17, 40, tz=UTC),
                "Hope they keep the sourdough price the same.",
            ),
        ],
    ),
    (
        "generic_section_it.html",
        "generic",
        [
            (
                "msg-1",
                "Beppe",
                at(2022, 11, 4, 20, 15),
                "Ci vado da vent'anni, i tortellini sono sempre quelli.",
            ),
            (
                "msg-2",
                "Francesca R.",
                at(2022, 11, 5, 9, 30),
                "Tagliatelle scotte anche per noi. Peccato.",
            ),
            (
                "msg-3",
                "Redazione",
                at(2022, 11, 5, 11, 2),
                "Grazie Francesca, lo segnaliamo al locale.",
            ),
            ("msg-4", "Nadia", None, "Servizio lento confermato."),
        ],
    ),
    (
        "generic_divs_it.html",
        "generic",
        [
            (
                "comment_5501",
                "Rocco",
                at(2020, 9, 7, 19, 40),
                "Pizza buona, impasto leggero. clicca qui",
            ),
            ("comment_5502", "Elena", None, "Troppo cara per quello che offre."),
            (None, None, None, "Io non ci torno: 50 minuti di attesa."),
            (None, None, None, "Io non ci torno: 50 minuti di attesa."),
        ],
    ),
]


@pytest.mark.parametrize(("fixture", "platform", "expected"), THREADS, ids=[t[0] for t in THREADS])
def test_every_comment_is_found_with_author_date_text_and_own_fragment(fixture, platform, expected):
    page = extract(fixture)
    assert page.platform == platform
    found = [(c.url.removeprefix(PAGE + "#"), c.author, c.published, c.text) for c in page.comments]
    assert len(found) == len(expected)
    for (fragment, author, published, text), want in zip(found, expected, strict=True):
        want_fragment, want_author, want_published, want_text = want
        if want_fragment is not None:
            assert fragment == want_fragment
        assert (author, published, text) == (want_author, want_published, want_text)
        assert published is None or published.tzinfo is not None
    assert {c.platform for c in page.comments} == {platform}


@pytest.mark.parametrize("fixture", [t[0] for t in THREADS])
def test_fragments_are_unique_and_the_same_on_every_crawl(fixture):
    first = extract(fixture, url=PAGE + "#respond")
    again = extract(fixture, url=PAGE)
    urls = [c.url for c in first.comments]
    assert len(set(urls)) == len(urls)
    assert all(url.startswith(PAGE + "#") and url.count("#") == 1 for url in urls)
    assert urls == [c.url for c in again.comments]


def test_generated_fragments_survive_a_new_comment_above_them():
    """Signed comments carry no id: their fragment comes from author and date, not position."""
    thread = (
        "Primo commento. Inviato da: Anna @ 12.02.04 15:19 "
        "Secondo commento. Inviato da: Bruno @ 12.02.04 16:00"
    )
    newer = "Un commento più recente. Inviato da: Carla @ 13.02.04 09:00 " + thread

    def urls(block: str) -> dict[str | None, str]:
        html = f"<html><body><div class='comments-content'><p>{block}</p></div></body></html>"
        return {c.author: c.url for c in extract_blog_page(html, PAGE).comments}

    before, after = urls(thread), urls(newer)
    assert set(after) == {"Anna", "Bruno", "Carla"}
    assert after["Anna"] == before["Anna"] and after["Bruno"] == before["Bruno"]


@pytest.mark.parametrize(
    ("fixture", "left_out"),
    [
        ("wordpress_html5_it.html", ("comment-203", "comment-206")),
        ("wordpress_classic_it.html", ()),
        ("wordpress_kubrick_en.html", ("comment-18",)),
    ],
)
def test_pingbacks_and_trackbacks_are_not_comments(fixture, left_out):
    page = extract(fixture)
    for comment in page.comments:
        assert not comment.text.lower().startswith(("pingback", "trackback", "[…]"))
        assert not comment.url.endswith(left_out or ("#none",))


def test_nested_replies_are_comments_of_their_own_and_appear_once():
    page = extract("wordpress_html5_it.html")
    by_fragment = {c.url.rsplit("#", 1)[1]: c for c in page.comments}
    assert list(by_fragment) == ["comment-201", "comment-202", "comment-205", "comment-204"]
    assert "Grazie Marco" not in by_fragment["comment-201"].text
    assert "complimenti" not in by_fragment["comment-202"].text
    every_text = "\n".join(c.text for c in page.comments)
    assert every_text.count("Oggi molto meglio") == 1


def test_reply_links_and_author_chrome_are_not_comment_text():
    for fixture in (
        "wordpress_html5_it.html",
        "wordpress_classic_it.html",
        "wordpress_twentytwelve_en.html",
        "blogger_threaded_en.html",
    ):
        for comment in extract(fixture).comments:
            for chrome in (
                "Rispondi",
                "Reply",
                "dice:",
                "says:",
                "Modifica",
                "Delete",
                "in attesa di moderazione",
                "↓",
            ):
                assert chrome not in comment.text, (fixture, comment.text)


def test_blogger_deleted_comments_and_the_post_a_comment_link_are_left_out():
    page = extract("blogger_classic_it.html")
    assert all("eliminato" not in c.text for c in page.comments)
    assert all(not c.url.endswith("#c4103") for c in page.comments)
    assert all("Posta un commento" not in c.text for c in page.comments)


def test_blogger_show_comment_timestamp_is_the_exact_instant():
    """`?showComment=1281797700000` is milliseconds since the epoch, whatever the text says."""
    first = extract("blogger_classic_it.html").comments[0]
    assert first.published == datetime(2010, 8, 14, 14, 55, tzinfo=UTC)


def test_unreadable_dates_are_none_not_guessed():
    dates = {
        fixture: {c.author: c.published for c in extract(fixture).comments}
        for fixture in (
            "wordpress_kubrick_en.html",
            "blogger_classic_it.html",
            "generic_divs_it.html",
        )
    }
    assert dates["wordpress_kubrick_en.html"]["Mary Ann"] is None  # "the day after the opening"
    assert dates["blogger_classic_it.html"]["Sara"] is None  # "un giorno di questi"
    assert dates["generic_divs_it.html"]["Elena"] is None  # "il giorno della merla"


def test_relative_dates_are_read_only_against_the_fetch_time():
    fetched = datetime(2022, 11, 10, 12, 0, tzinfo=ROME)
    unanchored = extract("generic_section_it.html").comments[-1]
    anchored = extract("generic_section_it.html", fetched_at=fetched).comments[-1]
    assert unanchored.author == anchored.author == "Nadia"
    assert unanchored.published is None  # "2 giorni fa" means nothing once stored
    assert anchored.published.date() == (fetched - timedelta(days=2)).date()


def test_dates_without_a_zone_take_the_default_timezone():
    page = extract("blogger_threaded_en.html", default_tz="America/Los_Angeles")
    anonymous = page.comments[-1]
    assert anonymous.published == datetime(
        2017, 3, 15, 7, 45, tzinfo=ZoneInfo("America/Los_Angeles")
    )
    assert page.comments[0].published == datetime(2017, 3, 14, 17, 0, tzinfo=UTC)


POSTS = [
    (
        "wordpress_html5_it.html",
        "Il nuovo forno del Panificio Rossi",
        "Giulia Bianchi",
        at(2023, 10, 2, 11, 15),
        "Sabato ha aperto",
        "Prezzi nella media.",
    ),
    (
        "wordpress_classic_it.html",
        "Recensione: Pasticceria Bianchi",
        "Paola",
        at(2011, 3, 12),
        "La Pasticceria Bianchi",
        "lascia a desiderare.",
    ),
    (
        "wordpress_kubrick_en.html",
        "Rossi Bakery opens in Brooklyn",
        None,
        at(2007, 7, 9, 9, 12),
        "Rossi Bakery finally opened",
        "the coffee, less so.",
    ),
    (
        "wordpress_twentytwelve_en.html",
        "Is Rossi Bakery worth the hype?",
        "Sam",
        at(2015, 5, 16, 10, 30, tz=UTC),
        "Short answer",
        "if you go early.",
    ),
    (
        "blogger_classic_it.html",
        "Gelateria Verdi, che delusione",
        "Chiara",
        at(2010, 8, 14, 16, 20),
        "Sono tornata alla Gelateria Verdi",
        "era la mia preferita.",
    ),
    (
        "blogger_threaded_en.html",
        "Rossi Bakery vs the supermarket loaf",
        "Tom Baker",
        at(2017, 3, 14, 15, 30, tz=UTC),
        "We bought a loaf",
        "Rossi won, by a mile.",
    ),
    (
        "typepad_en.html",
        "Rossi Bakery answers every email",
        "Luca Ferri",
        at(2005, 3, 2, 9, 12),
        "I wrote to Rossi Bakery",
        "when someone cares.",
    ),
    (
        "movabletype_it.html",
        "Il call center della Banca Esempio",
        "Redazione",
        at(2004, 2, 10),
        "Quaranta minuti di attesa",
        "risponde al telefono.",
    ),
    (
        "generic_microdata_en.html",
        "Rossi Bakery opens a second shop",
        "Helen Park",
        at(2021, 6, 1, 6, 0, tz=UTC),
        "The family bakery",
        "made the move inevitable.",
    ),
    (
        "generic_section_it.html",
        "Trattoria Da Mimmo: la nostra prova",
        "Redazione",
        at(2022, 11, 3),
        "Tortellini in brodo",
        "con vino della casa.",
    ),
    (
        "generic_divs_it.html",
        "Nuova pizzeria in piazza",
        None,
        None,
        "Da lunedì c'è una pizzeria",
        "Qualcuno l'ha già provata?",
    ),
    (
        "form_only_en.html",
        "Why we switched flour suppliers",
        None,
        at(2022, 2, 10),
        "After twenty years",
        "noticed before we did.",
    ),
]


@pytest.mark.parametrize(
    ("fixture", "title", "author", "published", "starts", "ends"), POSTS, ids=[p[0] for p in POSTS]
)
def test_the_post_is_its_body_alone(fixture, title, author, published, starts, ends):
    page = extract(fixture)
    post = page.post
    assert (post.title, post.author, post.published) == (title, author, published)
    assert post.text.startswith(starts)
    assert post.text.endswith(ends)
    assert title not in post.text
    for comment in page.comments:
        assert comment.text not in post.text


def test_page_title_is_the_documents_title():
    assert extract("typepad_en.html").title == "Service Matters: Rossi Bakery answers every email"


@pytest.mark.parametrize("fixture", ["form_only_en.html"])
def test_a_comment_form_alone_yields_no_comments(fixture):
    page = extract(fixture)
    assert page.comments == []
    assert page.post is not None


def test_sidebars_share_buttons_and_recent_comment_widgets_are_not_comments():
    texts = [c.text for c in extract("generic_section_it.html").comments]
    assert not any("Facebook" in text or "su Trattoria" in text for text in texts)
    wordpress = [c.text for c in extract("wordpress_html5_it.html").comments]
    assert not any(text.startswith("Anna su") for text in wordpress)


def test_scripts_are_dropped_and_markup_in_text_stays_text():
    html = """<html><body><ol class="comment-list">
      <li id="comment-1" class="comment"><article class="comment-body">
        <div class="comment-author"><b class="fn">&lt;img src=x onerror=alert(1)&gt;</b></div>
        <div class="comment-content"><p>Buono<script>steal()</script><style>p{}</style>
        &lt;b&gt;grassetto&lt;/b&gt; <a href="javascript:alert(1)">link</a>
        <iframe src="https://evil.example/"></iframe><noscript>niente</noscript></p></div>
      </article></li></ol></body></html>"""
    (comment,) = extract_blog_page(html, PAGE).comments
    assert comment.text == "Buono <b>grassetto</b> link"
    assert comment.author == "<img src=x onerror=alert(1)>"


def test_broken_markup_with_unclosed_tags_still_yields_every_comment():
    html = """<html><body><div class="entry-content"><p>Post senza chiusure
      <ol class="commentlist">
      <li class="comment" id="comment-1"><cite class="fn">Uno</cite> dice:
        <div class="comment-meta"><a href="#comment-1">3 marzo 2020 alle 10:00</a>
        <p>Primo testo <b>grassetto mai chiuso
      <li class="comment" id="comment-2"><cite class="fn">Due</cite>
        <div class="comment-meta"><a href="#comment-2">4 marzo 2020 alle 11:30</a>
        <p>Secondo testo
      </ol"""
    page = extract_blog_page(html, PAGE)
    assert [(c.author, c.published) for c in page.comments] == [
        ("Uno", at(2020, 3, 3, 10, 0)),
        ("Due", at(2020, 3, 4, 11, 30)),
    ]
    assert page.comments[0].text == "Primo testo grassetto mai chiuso"
    assert page.comments[1].text == "Secondo testo"


def test_markup_nested_deeper_than_libxml2_allows_loses_nothing():
    """A theme that never closes `div.comment` nests 2,100 levels deep, past
    libxml2's limit (2,048 even with huge_tree): every comment is kept."""
    page = extract_blog_page(unclosed_comment_divs(2100), PAGE)
    assert len(page.comments) == 2100
    last = page.comments[-1]
    assert (last.author, last.text) == ("Utente 2099", "Testo del commento 2099.")
    assert last.published == at(2019, 3, 1 + 2099 % 28)
    assert last.url == PAGE + "#comment-2099"
    assert page.comments[0].text == "Testo del commento 0."


def test_a_huge_thread_is_read_whole():
    html = wordpress_thread(4000)
    assert len(html) > 2_000_000
    page = extract_blog_page(html, PAGE)
    assert len(page.comments) == 4800
    assert len({c.url for c in page.comments}) == 4800
    assert page.comments[1].author == "Autore 0"  # the reply, right after its parent
    assert all(c.published is not None for c in page.comments)


def test_a_page_with_several_full_posts_is_an_index_not_a_post():
    article = (
        "<article class='post'><h2 class='entry-title'>Titolo {n}</h2>"
        "<div class='entry-content'><p>" + "Testo lungo del post numero {n}. " * 12 + "</p></div>"
        "</article>"
    )
    html = "<html><body>" + "".join(article.format(n=n) for n in range(3)) + "</body></html>"
    page = extract_blog_page(html, PAGE)
    assert page.post is None
    assert page.comments == []


@pytest.mark.parametrize("html", ["", "   \n ", "<html></html>", "\x00\x00", "<<<>>>"])
def test_empty_or_meaningless_pages_yield_nothing(html):
    page = extract_blog_page(html, PAGE)
    assert page.post is None
    assert page.comments == []
    assert page.platform == "none"


@pytest.mark.parametrize(
    ("head", "platform"),
    [
        ('<meta name="generator" content="WordPress 6.4.2">', "wordpress"),
        ('<link rel="stylesheet" href="/wp-content/themes/x/style.css">', "wordpress"),
        ("<meta content='blogger' name='generator'/>", "blogger"),
        ('<meta name="generator" content="http://www.typepad.com/">', "typepad"),
        ('<meta name="generator" content="Movable Type 3.2">', "typepad"),
        ("", "generic"),
    ],
)
def test_platform_is_told_by_generator_or_asset_paths(head, platform):
    html = (
        f"<html><head>{head}</head><body><article><h1>Titolo</h1>"
        "<p>Un testo abbastanza lungo per essere un post vero e proprio, con qualche frase in "
        "più perché nessuno scrive post di una riga sola.</p></article></body></html>"
    )
    assert extract_blog_page(html, PAGE).platform == platform


@pytest.mark.parametrize(
    ("signed", "author", "published"),
    [
        ("Inviato da: M. Bancora @ 16.02.04 20:35", "M. Bancora", at(2004, 2, 16, 20, 35)),
        ("Posted by: Jane Doe | March 3, 2005 at 10:12 AM", "Jane Doe", at(2005, 3, 3, 10, 12)),
        ("Posted by: Jean-Luc | 3 marzo 2005 alle 22:05", "Jean-Luc", at(2005, 3, 3, 22, 5)),
        ("Scritto da Mario Rossi il 12/02/2004 alle 15:48", "Mario Rossi", at(2004, 2, 12, 15, 48)),
        (
            "Commento di weblog dello shopping, 12.02.2004 09:05",
            "weblog dello shopping",
            at(2004, 2, 12, 9, 5),
        ),
        ("Inviato da: Anonimo @ lunedì 9 luglio 2007 alle ore 15:48", None, at(2007, 7, 9, 15, 48)),
    ],
)
def test_signature_styles(signed, author, published):
    (comment,) = split_signed(f"Il testo del commento. {signed}")
    assert comment.text == "Il testo del commento."
    assert comment.author == author
    assert read_date(comment.date_text) == published


def test_run_together_signed_comments_are_split_at_each_signature():
    block = (
        "Comments (2)\nPrimo. Inviato da: Matteo.Balzani @ 13.02.04 09:18Secondo, "
        "attaccato alla firma. Inviato da: weblog dello shopping @ 12.02.04 16:32 |"
    )
    comments = split_signed(block)
    assert [(c.text, c.author, c.date_text) for c in comments] == [
        ("Primo.", "Matteo.Balzani", "13.02.04 09:18"),
        ("Secondo, attaccato alla firma.", "weblog dello shopping", "12.02.04 16:32"),
    ]


def test_a_signature_with_no_text_before_it_is_no_comment():
    assert split_signed("Posted by: Bob | March 03, 2005 at 10:12 AM") == []


def test_the_posts_own_signed_byline_is_neither_a_comment_nor_part_of_the_first():
    html = """<html><body><div class="entry">
    <h3 class="entry-header">Il caffè del lunedì</h3>
    <div class="entry-content"><div class="entry-body"><p>Il lunedì comincia al bar.</p></div></div>
    <p class="entry-footer"><span class="post-footers">Pubblicato da Enrica il 4 marzo 2024
    alle 07:30</span> | <a href="/p.html">Permalink</a> | <a href="#comments">Commenti (2)</a></p>
    </div>
    <div class="comments" id="comments"><h3>Commenti</h3>
    <p>Le foto sono belle! Inviato da: Bea.Marchi @ 08.03.24 18:20Anche per me. Inviato da:
    Sara @ 04.03.24 08:10</p></div></body></html>"""
    page = extract_blog_page(html, PAGE)
    assert [(c.text, c.author, c.published) for c in page.comments] == [
        ("Le foto sono belle!", "Bea.Marchi", at(2024, 3, 8, 18, 20)),
        ("Anche per me.", "Sara", at(2024, 3, 4, 8, 10)),
    ]
    assert page.post is not None and page.post.author == "Enrica"
