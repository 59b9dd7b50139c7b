"""Reader comments found by structure, whatever the theme calls them: each comment with its
author, its date and its text, the header ("Commento di", "Risposta di", "ha scritto:",
"Inviato da:", "says:") apart from the text. Italian shapes first, then the other languages,
then the traps that are not comments at all."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from crawler.extract.blog import extract_blog_page
from crawler.extract.html_tree import parse_html
from crawler.extract.page_dates import date_reading_for
from crawler.extract.threads import find_repeated_blocks

ROME = ZoneInfo("Europe/Rome")
PAGE = "https://blog.example.it/2024/03/forno.html"
FETCHED = datetime(2024, 3, 20, 12, 0, tzinfo=ROME)
POST = (
    "<article class='articolo'><h1>Il nuovo forno in piazza</h1>"
    "<p class='firma'>di Redazione, 10 marzo 2024</p>"
    "<div class='testo'><p>Sabato ha aperto il Panificio Rossi, con pane caldo fino a sera e "
    "una focaccia che in quartiere mancava da anni. Siamo andati a provarlo.</p></div></article>"
)


def page(comments: str, *, lang: str = "it", body_class: str = "", sidebar: str = "") -> str:
    return (
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>"
        f"<title>Il nuovo forno</title></head><body class='{body_class}'>"
        f"<div id='pagina'>{POST}<section id='discussione'>{comments}</section></div>"
        f"{sidebar}</body></html>"
    )


def rome(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=ROME)


def comments_of(html: str) -> list[tuple[str | None, datetime | None, str]]:
    found = extract_blog_page(html, PAGE, fetched_at=FETCHED).comments
    return [(c.author, c.published, c.text) for c in found]


ITALIAN = [
    (
        "commento-di-in-testa",
        page(
            "<div class='intervento'><p class='testata'>Commento di <a href='/utenti/mario'>"
            "Mario Rossi</a> — 12 marzo 2024 alle 10:15</p><p>Il pane è buonissimo, la "
            "focaccia un po' unta.</p><a class='rispondi' href='#r1'>Rispondi</a></div>"
            "<div class='intervento'><p class='testata'>Commento di <a href='/utenti/anna'>"
            "Anna</a> — 13 marzo 2024 alle 8:02</p><p>Fila lunghissima alle otto.</p>"
            "<a class='rispondi' href='#r2'>Rispondi</a></div>"
        ),
        [
            (
                "Mario Rossi",
                rome(2024, 3, 12, 10, 15),
                "Il pane è buonissimo, la focaccia un po' unta.",
            ),
            ("Anna", rome(2024, 3, 13, 8, 2), "Fila lunghissima alle otto."),
        ],
    ),
    (
        "risposta-di-annidata",
        page(
            "<div class='blocco'><div class='capo'>Commento di <b>Anna</b>, 3 marzo 2024</div>"
            "<div class='corpo'>Il servizio è lento ma gentile.</div>"
            "<div class='blocco'><div class='capo'>Risposta di <b>Luca</b>, 4 marzo 2024</div>"
            "<div class='corpo'>Confermo, ci vuole pazienza.</div></div></div>"
            "<div class='blocco'><div class='capo'>Commento di <b>Sara</b>, 5 marzo 2024</div>"
            "<div class='corpo'>Prezzi onesti.</div></div>"
        ),
        [
            ("Anna", rome(2024, 3, 3), "Il servizio è lento ma gentile."),
            ("Luca", rome(2024, 3, 4), "Confermo, ci vuole pazienza."),
            ("Sara", rome(2024, 3, 5), "Prezzi onesti."),
        ],
    ),
    (
        "ha-scritto",
        page(
            "<ul class='lista'><li><strong>Giulia</strong> ha scritto il 5 marzo 2024 alle "
            "18:20:<p>Cornetti spettacolari, torneremo.</p></li>"
            "<li><strong>Piero B.</strong> ha scritto il 6 marzo 2024 alle 7:45:"
            "<p>Chiuso il lunedì, attenzione.</p></li></ul>"
        ),
        [
            ("Giulia", rome(2024, 3, 5, 18, 20), "Cornetti spettacolari, torneremo."),
            ("Piero B.", rome(2024, 3, 6, 7, 45), "Chiuso il lunedì, attenzione."),
        ],
    ),
    (
        "inviato-da-in-testa",
        page(
            "<div class='msg'><div class='info'>Inviato da: <span>Paolo</span> il lunedì 4 "
            "marzo 2024 alle ore 15:48</div><div class='txt'>Ottimo il pane di segale.</div></div>"
            "<div class='msg'><div class='info'>Inviato da: <span>Franca</span> il martedì 5 "
            "marzo 2024 alle ore 9:10</div><div class='txt'>Io preferisco quello di prima.</div>"
            "</div>"
        ),
        [
            ("Paolo", rome(2024, 3, 4, 15, 48), "Ottimo il pane di segale."),
            ("Franca", rome(2024, 3, 5, 9, 10), "Io preferisco quello di prima."),
        ],
    ),
    (
        "giorni-e-mesi-italiani",
        page(
            "<div class='c'><h4>Beppe</h4><span class='quando'>giovedì 1° febbraio 2024, 9:05"
            "</span><div class='parole'><p>Finalmente un forno vero.</p><p>Bravi!</p></div></div>"
            "<div class='c'><h4>Nadia</h4><span class='quando'>venerdì 2 febbraio 2024, 12:30"
            "</span><div class='parole'><p>Il sabato è impossibile.</p></div></div>"
        ),
        [
            ("Beppe", rome(2024, 2, 1, 9, 5), "Finalmente un forno vero.\n\nBravi!"),
            ("Nadia", rome(2024, 2, 2, 12, 30), "Il sabato è impossibile."),
        ],
    ),
    (
        "dt-dd-una-volta-sola",
        page(
            "<dl class='commenti'><dt>Mario ha scritto il 3 marzo 2024:</dt><dd>Pane ottimo."
            "</dd><dt>Lucia ha scritto il 4 marzo 2024:</dt><dd>Troppa fila.</dd>"
            "<dt>Gino ha scritto il 5 marzo 2024:</dt><dd>Ci torno domani.</dd></dl>"
        ),
        [
            ("Mario", rome(2024, 3, 3), "Pane ottimo."),
            ("Lucia", rome(2024, 3, 4), "Troppa fila."),
            ("Gino", rome(2024, 3, 5), "Ci torno domani."),
        ],
    ),
    (
        "data-relativa",
        page(
            "<div class='r'><a class='nome' href='/u/1'>Teo</a> <em>2 ore fa</em>"
            "<p>Appena uscito dal forno, buonissimo.</p></div>"
            "<div class='r'><a class='nome' href='/u/2'>Ada</a> <em>ieri alle 18:30</em>"
            "<p>Il pane integrale è finito presto.</p></div>"
        ),
        [
            ("Teo", rome(2024, 3, 20, 10, 0), "Appena uscito dal forno, buonissimo."),
            ("Ada", rome(2024, 3, 19, 18, 30), "Il pane integrale è finito presto."),
        ],
    ),
]

OTHER_LANGUAGES = [
    (
        "en-says",
        page(
            "<div class='note'><span class='who'>Jane</span> says: <time datetime="
            "'2024-03-12T10:15:00Z'>March 12, 2024 at 10:15 am</time><div class='words'><p>Best "
            "sourdough in town.</p></div><a href='#reply'>Reply</a></div>"
            "<div class='note'><span class='who'>Tom</span> says: <time datetime="
            "'2024-03-13T08:00:00Z'>March 13, 2024 at 8:00 am</time><div class='words'><p>Too "
            "expensive for me.</p></div><a href='#reply'>Reply</a></div>",
            lang="en-GB",
        ),
        [
            (
                "Jane",
                datetime(2024, 3, 12, 10, 15, tzinfo=ZoneInfo("UTC")),
                "Best sourdough in town.",
            ),
            ("Tom", datetime(2024, 3, 13, 8, 0, tzinfo=ZoneInfo("UTC")), "Too expensive for me."),
        ],
    ),
    (
        "en-us-month-first",
        page(
            "<div class='post-reply'><div class='reply-details'>Reply 1 - Posted by: <a "
            "href='/members/1'>PChris</a> 7/2/2015 4:47:57 AM (No. 17)</div><div "
            "class='reply-text'>Great bread.</div><div class='like'><a>Like this comment</a>"
            "</div></div><div class='post-reply'><div class='reply-details'>Reply 2 - Posted "
            "by: <a href='/members/2'>Rand</a> 7/3/2015 4:50:13 AM (No. 18)</div><div "
            "class='reply-text'>Agreed.</div><div class='like'><a>Like this comment</a></div>"
            "</div>",
            lang="en-US",
        ),
        [
            ("PChris", rome(2015, 7, 2, 4, 47, 57), "Great bread."),
            ("Rand", rome(2015, 7, 3, 4, 50, 13), "Agreed."),
        ],
    ),
    (
        "fr-soumis-par",
        page(
            "<div class='item'><div class='infos'><div class='titre'>Bof</div><div class='auteur'>"
            "Soumis par <span class='nom'>monslateamoi</span>, le lundi 29 octobre 2012 à 15h46"
            "</div></div><div class='contenu'><p>Tant que le pain est bon.</p></div></div>"
            "<div class='item'><div class='infos'><div class='titre'>Oui</div><div class='auteur'>"
            "Soumis par <span class='nom'>Roger</span>, le lundi 29 octobre 2012 à 16h01</div>"
            "</div><div class='contenu'><p>La boulangerie est excellente.</p></div></div>",
            lang="fr-FR",
        ),
        [
            ("monslateamoi", rome(2012, 10, 29, 15, 46), "Tant que le pain est bon."),
            ("Roger", rome(2012, 10, 29, 16, 1), "La boulangerie est excellente."),
        ],
    ),
    (
        "de-antwort-von",
        page(
            "<div class='k'><p class='kopf'>Antwort von <b>Hans</b> am 3. März 2021 um 10:15</p>"
            "<p>Sehr gutes Brot.</p></div><div class='k'><p class='kopf'>Antwort von <b>Eva</b>"
            " am 4. März 2021 um 11:00</p><p>Zu teuer.</p></div>",
            lang="de-DE",
        ),
        [
            ("Hans", rome(2021, 3, 3, 10, 15), "Sehr gutes Brot."),
            ("Eva", rome(2021, 3, 4, 11, 0), "Zu teuer."),
        ],
    ),
    (
        "es-escrito-por",
        page(
            "<div class='sf'><p class='info'><span class='autor'>Alcalino</span><br><span>28 de "
            "agosto de 2018 a las 19:38</span></p><div class='texto'><p>Buen pan.</p></div>"
            "</div><div class='sf'><p class='info'><span class='autor'>Casper</span><br><span>"
            "29 de agosto de 2018 a las 9:00</span></p><div class='texto'><p>Caro.</p></div></div>",
            lang="es",
        ),
        [
            ("Alcalino", rome(2018, 8, 28, 19, 38), "Buen pan."),
            ("Casper", rome(2018, 8, 29, 9, 0), "Caro."),
        ],
    ),
    (
        "pt-disse",
        page(
            "<li class='c'><cite>Karol</cite> disse: <abbr title='terça-feira, agosto 28, 2018, "
            "7:38 pm'>1 ano atrás</abbr><p>Qual o nome da loja?</p></li>"
            "<li class='c'><cite>Lilian</cite> disse: <abbr title='domingo, setembro 9, 2018, "
            "11:34 pm'>1 ano atrás</abbr><p>Acredito que seja a Lakeshore.</p></li>",
            lang="pt-BR",
        ),
        [
            ("Karol", rome(2018, 8, 28, 19, 38), "Qual o nome da loja?"),
            ("Lilian", rome(2018, 9, 9, 23, 34), "Acredito que seja a Lakeshore."),
        ],
    ),
]


@pytest.mark.parametrize(
    ("html", "expected"),
    [case[1:] for case in ITALIAN + OTHER_LANGUAGES],
    ids=[case[0] for case in ITALIAN + OTHER_LANGUAGES],
)
def test_each_comment_has_its_author_date_and_text_apart(html, expected):
    assert comments_of(html) == expected


def test_nested_replies_are_comments_of_their_own_and_appear_once():
    html = ITALIAN[1][1]
    texts = [text for _, _, text in comments_of(html)]
    assert texts.count("Confermo, ci vuole pazienza.") == 1
    assert all("Confermo" not in text for text in texts if text != "Confermo, ci vuole pazienza.")


@pytest.mark.parametrize(
    "body_class", ["content-sidebar", "no-sidebars page-node", "two-col-sidebar-right"]
)
def test_layout_classes_naming_a_sidebar_hide_nothing(body_class):
    assert (
        len(
            comments_of(
                page(
                    ITALIAN[0][1].split("<section id='discussione'>")[1].split("</section>")[0],
                    body_class=body_class,
                )
            )
        )
        == 2
    )


def test_a_sidebar_wrapper_holding_the_page_hides_nothing():
    inner = ITALIAN[0][1].split("<body class=''>")[1].split("</body>")[0]
    html = (
        f"<html lang='it'><body><div id='sidebar' class='widget-area'>{inner}</div></body></html>"
    )
    assert [author for author, _, _ in comments_of(html)] == ["Mario Rossi", "Anna"]


COMMENT_PAIR = ITALIAN[0][1].split("<section id='discussione'>")[1].split("</section>")[0]

TRAPS = [
    (
        "pingback-e-trackback",
        "<ol class='commenti'><li class='pingback'><p>Pingback: <a href='https://altro.it/p'>"
        "Un altro blog</a> 12 marzo 2024</p></li><li class='x'><p class='testa'>Pingback von "
        "<a href='https://blog.de/x'>Brot-Blog</a> am 13. März 2024</p><p>[…] Das Brot ist "
        "gut […]</p></li><li class='x'><p class='testa'><a href='https://terzo.it/'>Terzo</a> "
        "14 marzo 2024</p><p><a href='https://terzo.it/post'>https://terzo.it/post</a></p></li>"
        "<li class='x'><p class='testa'>Trackback: <a href='https://q.it'>Quarto</a> 15 marzo "
        "2024</p><p>Anche noi ne abbiamo parlato.</p></li></ol>",
    ),
    (
        "widget-commenti-recenti",
        "<p>Nessun commento.</p>",
    ),
    (
        "articoli-correlati-con-firma",
        "<div class='correlati'><div class='scheda'><h3><a href='/2024/02/pizza.html'>La pizza "
        "di piazza Dante</a></h3><span class='autore'>di Redazione</span> <span>12 febbraio 2024"
        "</span><p>Abbiamo provato la nuova pizzeria.</p></div><div class='scheda'><h3><a "
        "href='/2024/01/gelato.html'>Il gelato d'inverno</a></h3><span class='autore'>di Marta"
        "</span> <span>20 gennaio 2024</span><p>Anche a gennaio c'è la fila.</p></div></div>",
    ),
    (
        "scheletro-in-script",
        "<script type='text/x-handlebars-template'><div class='commento' id='comment-{{id}}'>"
        "<b class='fn'>{{author}}</b><time datetime='comment_date'>3 marzo 2024</time><p>"
        "{{text}}</p></div><div class='commento'><b>{{a}}</b> 4 marzo 2024<p>{{t}}</p></div>"
        "</script><h3>0 commenti</h3>",
    ),
    (
        "solo-modulo",
        "<div id='comments'><h3>Lascia un commento</h3><p>12 commenti</p><form id='commentform' "
        "class='comment-form'><p>Devi essere connesso per inviare un commento.</p><textarea "
        "name='comment'></textarea><input type='submit' value='Invia'></form></div>",
    ),
]


@pytest.mark.parametrize(("name", "comments"), TRAPS, ids=[t[0] for t in TRAPS])
def test_traps_give_no_comments(name, comments):
    sidebar = (
        "<aside class='widget widget_recent_comments'><h3>Commenti recenti</h3><ul>"
        "<li class='recentcomments'><span>Anna</span> su <a href='/p1'>Il pane</a> 12 marzo 2024"
        "</li><li class='recentcomments'><span>Beppe</span> su <a href='/p2'>La pizza</a> 13 "
        "marzo 2024</li></ul></aside>"
    )
    found = comments_of(page(comments, sidebar=sidebar))
    assert [text for _, _, text in found if "Anche noi" not in text] == []


def test_a_homepage_of_post_previews_gives_no_comments():
    teaser = (
        "<div class='td-module'><h3 class='entry-title'><a href='/{n}.html'>Notizia numero {n}"
        " dal quartiere</a></h3><span class='td-post-author-name'><a href='/a/fabio'>Fabio "
        "Marcomin</a> - </span><span class='td-post-date'>29/06/2022</span><div class='excerpt'>"
        "Un riassunto della notizia {n} con qualche parola in più.</div></div>"
    )
    html = (
        "<html lang='it'><body>" + "".join(teaser.format(n=n) for n in range(12)) + "</body></html>"
    )
    assert comments_of(html) == []


def test_disqus_and_livefyre_markup_saved_in_the_page():
    disqus = (
        "<div id='disqus_thread'><ul id='dsq-comments'><li class='comment' id='dsq-comment-1'>"
        "<div class='dsq-comment-header'><cite><span class='dsq-commenter-name'>Lia</span></cite>"
        "</div><div class='dsq-comment-body'><div class='dsq-comment-message'><p>Pane top.</p>"
        "</div></div></li><li class='comment' id='dsq-comment-2'><div class='dsq-comment-header'>"
        "<cite><span class='dsq-commenter-name'>Ugo</span></cite></div><div "
        "class='dsq-comment-body'><div class='dsq-comment-message'><p>Caro.</p></div></div></li>"
        "</ul></div>"
    )
    livefyre = (
        "<div class='fyre-comment-stream'><article class='fyre-comment-article'><header "
        "class='fyre-comment-head'><a class='fyre-comment-username'>helen</a></header><section "
        "class='fyre-comment-body'><div class='fyre-comment'><p>Nice post.</p></div></section>"
        "</article><article class='fyre-comment-article'><header class='fyre-comment-head'><a "
        "class='fyre-comment-username'>HiddnApp</a></header><section class='fyre-comment-body'>"
        "<div class='fyre-comment'><p>We agree.</p></div></section></article></div>"
    )
    assert [(a, t) for a, _, t in comments_of(page(disqus))] == [
        ("Lia", "Pane top."),
        ("Ugo", "Caro."),
    ]
    assert [(a, t) for a, _, t in comments_of(page(livefyre, lang="en"))] == [
        ("helen", "Nice post."),
        ("HiddnApp", "We agree."),
    ]


def test_repeated_blocks_are_found_for_any_caller():
    """The public structural detection: forum posts and comments alike."""
    post = (
        "<div class='p'><div class='h'><a href='/u/{n}'>utente{n}</a> <span>{n} marzo 2024 "
        "10:0{n}</span></div><div class='b'>Messaggio {n}</div></div>"
    )
    html = "<html><body><div class='thread'>" + "".join(post.format(n=n) for n in range(1, 5))
    html += "</div></body></html>"
    root = parse_html(html)
    (run,) = find_repeated_blocks(root, date_reading_for(root))
    assert [block.date.published for block in run] == [rome(2024, 3, n, 10, n) for n in range(1, 5)]
    assert [block.element.get("class") for block in run] == ["p"] * 4


def test_an_undated_dt_dd_thread_named_like_comments_counts_each_comment_once():
    thread = (
        "<dl class='comments'><dt class='comment-author' id='c1'>Mario</dt><dd "
        "class='comment-body'>Pane ottimo, tornerò presto.</dd><dt class='comment-author' "
        "id='c2'>Lucia</dt><dd class='comment-body'>Troppa fila il sabato mattina.</dd></dl>"
    )
    found = extract_blog_page(page(thread), PAGE).comments
    assert [(c.author, c.text, c.url) for c in found] == [
        ("Mario", "Pane ottimo, tornerò presto.", PAGE + "#c1"),
        ("Lucia", "Troppa fila il sabato mattina.", PAGE + "#c2"),
    ]
