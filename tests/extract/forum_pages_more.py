"""More forum pages for the tests: Flarum, NodeBB, bbPress, wpForo, Discuz!, Stack Exchange,
and engines nobody knows (short posts beside profile panes, one-line headers, an old German
board). The thread and its expected reading are those of `forum_pages`."""

from __future__ import annotations

from datetime import datetime

from forum_pages import OPENING, REPLY, ROME, SIGNATURE, THIRD, page


def flarum() -> str:
    def post(number: int, author: str, iso: str, content: str) -> str:
        return f"""
<div class="PostStream-item" data-index="{number - 1}" data-time="{iso}" data-number="{number}"
data-id="{2000 + number}" data-type="comment"><article class="CommentPost Post"><div><header
class="Post-header"><ul><li class="item-user"><div class="PostUser"><h3 class="PostUser-name"><a
href="/u/{author}"><span class="Avatar PostUser-avatar">{author[0]}</span><span
class="username">{author}</span></a></h3></div></li><li class="item-meta"><div class="Dropdown
PostMeta"><a class="Dropdown-toggle"><time datetime="{iso}" title="mercoledì 10 aprile 2024
16:01">11 giorni fa</time></a></div></li></ul></header><div class="Post-body">{content}</div>
<aside class="Post-actions"><ul><li class="item-reply"><button class="Button"><span
class="Button-label">Rispondi</span></button></li></ul></aside></div></article></div>"""

    quote = f'<blockquote><p><a href="/d/45-pane/1" class="PostMention">Mario</a> {OPENING}</p></blockquote>'
    return page(
        '<div id="flarum-loading" style="display: none">Caricamento…</div><div class="PostStream">'
        + post(1, "Mario", "2024-04-10T16:01:00+02:00", f"<p>{OPENING}</p>")
        + post(2, "Giulia", "2024-04-10T18:22:00+02:00", f"{quote}<p>{REPLY}</p>")
        + post(3, "Luca", "2024-04-11T09:05:00+02:00", f"<p>{THIRD}</p>")
        + "</div>"
    )


def nodebb() -> str:
    def post(index: int, author: str, iso: str, content: str, extra: str = "") -> str:
        return f"""
<li component="post" class="" data-index="{index}" data-pid="{7000 + index}" data-uid="3"
data-username="{author}" itemscope itemtype="http://schema.org/Comment"><a
component="post/anchor" data-index="{index}" id="{index}"></a><meta itemprop="datePublished"
content="{iso}"><div class="clearfix post-header"><small class="pull-left"><strong><a
href="/user/{author.lower()}" itemprop="author" data-username="{author}">{author}</a></strong>
<span><a class="permalink" href="/post/{7000 + index}"><span class="timeago"
title="{iso}">11 giorni fa</span></a></span></small></div><br><div class="content"
component="post/content" itemprop="text">{content}</div>{extra}<div class="clearfix
post-footer"><a component="post/reply" href="#">Rispondi</a> <a component="post/quote"
href="#">Cita</a></div></li>"""

    quote = f'<blockquote><p><a href="/uid/1">@Mario</a> ha scritto in <a href="/post/7000">Il pane</a>:</p><p>{OPENING}</p></blockquote>'
    return page(
        '<div component="topic" data-tid="45"><ul component="topic" class="posts">'
        + post(0, "Mario", "2024-04-10T14:01:00.000Z", f"<p>{OPENING}</p>")
        + post(1, "Giulia", "2024-04-10T16:22:00.000Z", f"{quote}<p>{REPLY}</p>")
        + post(
            2,
            "Luca",
            "2024-04-11T07:05:00.000Z",
            f"<p>{THIRD}</p>",
            f'<div component="post/signature" class="post-signature">{SIGNATURE}</div>',
        )
        + "</ul></div>"
    )


def bbpress() -> str:
    def post(number: int, author: str, shown: str, content: str) -> str:
        return f"""
<li><div id="post-{number}" class="bbp-reply-header"><div class="bbp-meta"><span
class="bbp-reply-post-date">{shown}</span><a href="https://forum.example.it/forums/topic/pane/#post-{number}"
class="bbp-reply-permalink">#{number}</a></div></div><div class="loop-item-0 user-id-3
bbp-parent-forum-12 bbp-parent-topic-44 type-reply"><div class="bbp-reply-author"><a
href="/forums/users/{author.lower()}/" title="Visualizza il profilo di {author}"
class="bbp-author-link"><span class="bbp-author-avatar"></span><span
class="bbp-author-name">{author}</span></a><div class="bbp-author-role">Partecipante</div>
</div><div class="bbp-reply-content">{content}</div></div></li>"""

    quote = f"<blockquote><p><strong>Mario ha scritto:</strong></p><p>{OPENING}</p></blockquote>"
    return page(
        '<div id="bbpress-forums"><ul id="topic-44-replies" class="forums bbp-replies"><li '
        'class="bbp-header"><div class="bbp-reply-author">Autore</div><div '
        'class="bbp-reply-content">Articoli</div></li><li class="bbp-body">'
        + post(44, "Mario", "10 Aprile 2024 alle 16:01", f"<p>{OPENING}</p>")
        + post(45, "Giulia", "10 Aprile 2024 alle 18:22", f"{quote}<p>{REPLY}</p>")
        + post(46, "Luca", "11 Aprile 2024 alle 09:05", f"<p>{THIRD}</p>")
        + '</li><li class="bbp-footer"><div class="bbp-reply-author">Autore</div>'
        '<div class="bbp-reply-content">Articoli</div></li></ul></div>'
    )


def wpforo() -> str:
    def post(number: int, author: str, shown: str, content: str, extra: str = "") -> str:
        return f"""
<div id="post-{number}" data-postid="{number}" class="post-wrap wpfn-1"><div class="wpforo-post
wpfcl-1"><div class="wpf-left"><div class="author-data"><div class="author-name"><a
href="/participant/{author.lower()}/" title="{author}">{author}</a></div><div
class="author-title"><span class="wpf-member-title">Membro</span></div></div></div><div
class="wpf-right"><div class="wpforo-post-content">{content}{extra}<div
class="wpf-post-button-actions"><span class="wpf-action">Citazione</span></div></div><div
class="wpforo-post-content-bottom"><div class="cbleft wpfcl-0"><span
class="wpf-post-starter">Pubblicato : {shown}</span></div></div></div></div></div>"""

    quote = (
        '<blockquote data-width="2000" data-userid="1" data-postid="61"><div '
        f'class="wpforo-post-quote-author"><strong>Mario ha scritto:</strong></div><p>{OPENING}'
        "</p></blockquote>"
    )
    return page(
        '<div id="wpforo"><div id="wpforo-wrap"><div class="wpforo-topic-head"><h1>Il pane del '
        "Panificio Rossi</h1></div>"
        + post(61, "Mario", "10/04/2024 4:01 pm", f"<p>{OPENING}</p>")
        + post(62, "Giulia", "10/04/2024 6:22 pm", f"{quote}<p>{REPLY}</p>")
        + post(
            63,
            "Luca",
            "11/04/2024 9:05 am",
            f"<p>{THIRD}</p>",
            f'<div class="wpforo-post-signature">{SIGNATURE}</div>',
        )
        + "</div></div>"
    )


def discuz() -> str:
    def post(number: int, author: str, shown: str, content: str, extra: str = "") -> str:
        return f"""
<div id="post_{number}"><table id="pid{number}" class="plhin" summary="pid{number}"><tr><td
class="pls" rowspan="2"><div class="pls favatar"><div class="pi"><div class="authi"><a
href="home.php?mod=space&amp;uid=3" class="xw1">{author}</a></div></div><div class="p_pop blk
bui"><strong><a href="home.php?mod=space&amp;uid=3">{author}</a></strong><em>Non in linea</em>
</div><dl class="pil cl"><dt>Punti</dt><dd>120</dd></dl></div></td><td class="plc"><div
class="pi"><strong><a href="forum.php?mod=redirect&amp;goto=findpost&amp;pid={number}"
id="postnum{number}">#{number - 400}</a></strong><div class="pti"><div class="authi"><em
id="authorposton{number}">Pubblicato il {shown}</em></div></div></div><div class="pct"><div
class="pcb"><div class="t_fsz"><table cellspacing="0" cellpadding="0"><tr><td class="t_f"
id="postmessage_{number}">{content}<font class="jammer">x7Qp</font></td></tr></table></div>
</div></div>{extra}</td></tr></table></div>"""

    quote = f'<div class="quote"><blockquote><font color="#999999">Mario ha scritto:</font><br>{OPENING}</blockquote></div>'
    return page(
        '<div id="postlist" class="pl bm">'
        + post(401, "Mario", "2024-4-10 16:01", OPENING)
        + post(402, "Giulia", "2024-4-10 18:22", quote + REPLY)
        + post(403, "Luca", "2024-4-11 09:05", THIRD, f'<div class="sign">{SIGNATURE}</div>')
        + "</div>",
        head='<meta name="generator" content="Discuz! X3.4">',
    )


def stack_exchange() -> str:
    """A question and an answer, each signed twice (the editor, then the author), and a
    comment under the answer."""

    def signatures(action: str, iso: str, author: str) -> str:
        return f"""
<div class="post-signature flex--item"><div class="user-info"><div class="user-action-time"><a
href="/posts/1/revisions" title="mostra tutte le modifiche">modificata</a> <span
class="relativetime" title="2024-04-12 08:00:00Z">12 apr 2024</span></div><div
class="user-details"><a href="/users/9/moderatore">Moderatore</a></div></div></div>
<div class="post-signature owner flex--item"><div class="user-info"><div
class="user-action-time">{action} <span title="{iso}" class="relativetime">10 apr 2024</span>
</div><div class="user-details" itemprop="author"><a href="/users/3/{author.lower()}">{author}</a>
<span class="d-none" itemprop="name">{author}</span></div></div></div>"""

    return page(
        '<div id="question-header"><h1>Il pane del Panificio Rossi</h1></div>'
        '<div class="question js-question" data-questionid="1" id="question"><div '
        f'class="postcell"><div class="s-prose js-post-body" itemprop="text"><p>{OPENING}</p>'
        "</div>" + signatures("chiesta", "2024-04-10 14:01:00Z", "Mario") + "</div></div>"
        '<div id="answers"><div id="answer-2" class="answer js-answer" data-answerid="2">'
        f'<div class="answercell"><div class="s-prose js-post-body" itemprop="text"><p>{REPLY}'
        "</p></div>" + signatures("risposta", "2024-04-10 16:22:00Z", "Giulia") + "</div>"
        '<div class="comments js-comments-container"><ul class="comments-list">'
        '<li id="comment-3" class="comment js-comment"><div class="comment-text"><div '
        f'class="comment-body"><span class="comment-copy">{THIRD}</span> – <a '
        'href="/users/4/luca" class="comment-user">Luca</a> <span class="comment-date"><a '
        'class="comment-link" href="#comment3_2"><span title="2024-04-11 07:05:00Z, Licenza: '
        'CC BY-SA 4.0" class="relativetime-clean">11 apr 2024</span></a></span></div></div>'
        "</li></ul></div></div></div>"
    )


SHORT = [
    (
        "Mario",
        datetime(2024, 4, 10, 16, 1, tzinfo=ROME),
        "Il Panificio Rossi apre anche a Pasquetta?",
    ),
    ("Giulia", datetime(2024, 4, 10, 18, 22, tzinfo=ROME), "Sì, fino alle 13."),
    ("Luca", datetime(2024, 4, 10, 19, 5, tzinfo=ROME), "Ok, grazie."),
]


def profile_panes() -> str:
    """Short posts beside a profile pane longer than they are (a hosted forum's template)."""
    rows = "".join(
        f"""<li class="post" id="e{n}"><table class="color"><tr><td class="left Sub"><div
class="nick"><a href="/?act=Profile&amp;MID={n}">{author}</a></div><div class="u_title">Member
</div><div class="u_posts">Group: Member<br>Posts: {12 * n}<br>Status: Offline</div></td><td
class="right Sub"><div class="title2 top"><span class="when">Posted on {when:%d/%m/%Y, %H:%M}
</span></div><div class="color"><table><tr><td class="Item"><div class="color">{text}</div>
</td></tr></table></div></td></tr></table></li>"""
        for n, (author, when, text) in enumerate(SHORT, start=1)
    )
    return page(f'<div id="forum"><h1>Pasquetta</h1><ol class="list">{rows}</ol></div>')


def inline_headers() -> str:
    """An English forum whose header is one line of words: "Posted by <b>Tom</b> on …"."""
    rows = "".join(
        f'<div class="msg"><div class="hdr">Posted by <b>{author}</b> on '
        f"{when:%d %B %Y %H:%M}</div><p>{text}</p></div>"
        for author, when, text in SHORT
    )
    return page(f'<div id="thread">{rows}</div>').replace('lang="it"', 'lang="en-GB"')


ELSEWHERE = [
    ("Hans", datetime(2024, 4, 10, 16, 1, tzinfo=ROME), "Kennt jemand die Bäckerei Rossi?"),
    ("Eva", datetime(2024, 4, 10, 18, 22, tzinfo=ROME), "Ja, sehr gutes Brot."),
    ("Uwe", datetime(2024, 4, 11, 9, 5, tzinfo=ROME), "Zu teuer."),
]


def german_tables() -> str:
    """An old German board: one table row per post, profile left, "Verfasst am" header, a quote
    in a table, the signature after a rule of underscores."""
    quote = (
        '<table class="quote"><tr><td><span class="genmed"><b>Hans hat folgendes geschrieben:'
        f'</b></span></td></tr><tr><td class="quote">{ELSEWHERE[0][2]}</td></tr></table>'
    )
    rows = "".join(
        f"""<tr><td class="row1" valign="top"><span class="name"><a name="{n}"></a><b>{author}
</b></span><br><span class="postdetails">Anmeldungsdatum: 12.01.2019<br>Beiträge: {n * 7}</span>
</td><td class="row1"><table><tr><td><span class="postdetails">Verfasst am: {when:%d.%m.%Y %H:%M}
&nbsp; Titel: Re: Bäckerei</span></td></tr><tr><td><span class="postbody">{quote if n == 2 else ""}
{text}</span><span class="postbody"><br>_________________<br>Gruß aus Bologna</span></td></tr>
</table></td></tr>"""
        for n, (author, when, text) in enumerate(ELSEWHERE, start=1)
    )
    return page(f'<table class="forumline">{rows}</table>').replace('lang="it"', 'lang="de"')
