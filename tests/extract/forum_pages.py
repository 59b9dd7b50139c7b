"""Forum thread pages as each engine prints them, written for the tests (Italian first).

Every thread has the same three posts: Mario opens it, Giulia replies quoting him, Luca replies
with a signature. The expected reading is in `THREAD`: quotes and signatures are not the posts'
text, the profile panes and buttons are not either.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

ROME = ZoneInfo("Europe/Rome")
OPENING = (
    "Qualcuno ha provato il pane del Panificio Rossi in via Saragozza? A me è sembrato ottimo."
)
REPLY = "Sì, ma la focaccia di sabato era bruciata e nessuno si è scusato."
THIRD = "Io ci vado da anni, il personale è gentile."
SIGNATURE = "Luca — Bologna, quartiere Santo Stefano"

THREAD = [
    ("Mario", datetime(2024, 4, 10, 16, 1, tzinfo=ROME), OPENING),
    ("Giulia", datetime(2024, 4, 10, 18, 22, tzinfo=ROME), REPLY),
    ("Luca", datetime(2024, 4, 11, 9, 5, tzinfo=ROME), THIRD),
]


def page(body: str, *, title: str = "Il pane del Panificio Rossi", head: str = "") -> str:
    return (
        '<!DOCTYPE html><html lang="it"><head><meta charset="utf-8">'
        f"<title>{title} - Forum di Bologna</title>{head}</head><body>{body}</body></html>"
    )


def phpbb() -> str:
    def post(number: int, author: str, iso: str, shown: str, content: str, extra: str = "") -> str:
        return f"""
<div id="p{number}" class="post has-profile bg{number % 2 + 1}"><div class="inner">
<dl class="postprofile" id="profile{number}"><dt class="has-profile-rank no-avatar">
<a href="./memberlist.php?mode=viewprofile&amp;u={number}" class="username">{author}</a></dt>
<dd class="profile-posts"><strong>Messaggi:</strong> <a href="./search.php">120</a></dd>
<dd class="profile-joined"><strong>Iscritto il:</strong> ven 3 mar 2017, 10:12</dd></dl>
<div class="postbody"><div id="post_content{number}">
<h3><a href="#p{number}">Re: Il pane del Panificio Rossi</a></h3>
<ul class="post-buttons"><li><a href="./posting.php?mode=quote&amp;p={number}"
title="Rispondi citando" class="button button-icon-only"><span>Cita</span></a></li></ul>
<p class="author"><a class="unread" href="./viewtopic.php?p={number}#p{number}"
title="Messaggio"><span class="sr-only">Messaggio</span></a><span class="responsive-hide">da
<strong><a href="./memberlist.php?u={number}" class="username">{author}</a></strong> &raquo;
</span><time datetime="{iso}">{shown}</time></p>
<div class="content">{content}</div>{extra}
</div></div></div></div>"""

    return page(
        '<div id="wrap"><h2 class="topic-title"><a href="./viewtopic.php?t=45">Il pane del '
        'Panificio Rossi</a></h2><div class="pagination">3 messaggi &bull; Pagina <strong>1'
        "</strong> di <strong>1</strong></div>"
        + post(1001, "Mario", "2024-04-10T14:01:00+00:00", "mer 10 apr 2024, 16:01", OPENING)
        + post(
            1002,
            "Giulia",
            "2024-04-10T16:22:00+00:00",
            "mer 10 apr 2024, 18:22",
            '<blockquote><div><cite>Mario ha scritto: <a href="./viewtopic.php?p=1001#p1001">↑'
            f"</a> mer 10 apr 2024, 16:01</cite>{OPENING}</div></blockquote>{REPLY}",
            '<div class="notice">Ultima modifica di Giulia il mer 10 apr 2024, 18:30, modificato'
            " 1 volta in totale.</div>",
        )
        + post(
            1003,
            "Luca",
            "2024-04-11T07:05:00+00:00",
            "gio 11 apr 2024, 09:05",
            THIRD,
            f'<div id="sig1003" class="signature">{SIGNATURE}</div>',
        )
        + "</div>",
        head='<meta name="generator" content="phpBB">',
    )


def vbulletin4() -> str:
    def post(number: int, author: str, shown: str, content: str, extra: str = "") -> str:
        return f"""
<li class="postbitlegacy postbitim postcontainer old" id="post_{number}">
<div class="posthead"><span class="postdate old"><span class="date">{shown}</span></span>
<span class="nodecontrols"><a name="post{number}" href="showthread.php?t=7&amp;p={number}#post{number}"
class="postcounter">#{number - 700}</a></span></div>
<div class="postdetails"><div class="userinfo"><div class="username_container">
<a class="username offline popupctrl" href="member.php?u=3"><strong>{author}</strong></a></div>
<span class="usertitle">Utente registrato</span><dl class="userinfo_extra">
<dt>Registrato dal</dt> <dd>Mar 2017</dd><dt>Messaggi</dt> <dd>1.204</dd></dl></div>
<div class="postbody"><div class="postrow"><div class="content">
<div id="post_message_{number}"><blockquote class="postcontent restore">{content}</blockquote>
</div></div>{extra}</div></div></div></li>"""

    quote = (
        '<div class="bbcode_container"><div class="bbcode_description">Citazione:</div>'
        '<div class="bbcode_quote"><div class="quote_container"><div class="bbcode_postedby">'
        "Originariamente inviato da <strong>Mario</strong></div>"
        f'<div class="message">{OPENING}</div></div></div></div>'
    )
    return page(
        '<ol id="posts" class="posts">'
        + post(701, "Mario", "10-04-2024, 16:01", OPENING)
        + post(702, "Giulia", "10-04-2024, 18:22", quote + REPLY)
        + post(
            703,
            "Luca",
            "11-04-2024, 09:05",
            THIRD,
            f'<div class="after_content"><blockquote class="signature restore">'
            f'<div class="signaturecontainer">{SIGNATURE}</div></blockquote></div>',
        )
        + "</ol>",
        head='<meta name="generator" content="vBulletin 4.2.5">',
    )


def discourse_crawler_view() -> str:
    """What Discourse serves to clients without JavaScript."""

    def post(number: int, author: str, iso: str, content: str) -> str:
        return f"""
<div id="post_{number}" itemprop="comment" itemscope
itemtype="http://schema.org/DiscussionForumPosting" class="topic-body crawler-post">
<div class="crawler-post-meta"><span class="creator" itemprop="author" itemscope
itemtype="http://schema.org/Person"><a itemprop="url" href="/u/{author.lower()}"><span
itemprop="name">{author}</span></a></span>
<span class="crawler-post-infos"><time itemprop="datePublished" datetime="{iso}"
class="post-time">Aprile 2024</time><span itemprop="position">{number}</span></span></div>
<div class="post" itemprop="text">{content}</div>
<div itemprop="interactionStatistic" itemscope><span class="post-likes">3 Mi piace</span></div>
</div>"""

    quote = (
        '<aside class="quote no-group" data-username="mario" data-post="1" data-topic="123">'
        '<div class="title"><img alt="" src="/a.png"> mario:</div>'
        f"<blockquote><p>{OPENING}</p></blockquote></aside>"
    )
    return page(
        '<div id="main-outlet" class="wrap"><h1><a href="/t/pane-rossi/123">Il pane del '
        "Panificio Rossi</a></h1>"
        + post(1, "Mario", "2024-04-10T14:01:00Z", f"<p>{OPENING}</p>")
        + post(2, "Giulia", "2024-04-10T16:22:00Z", f"{quote}<p>{REPLY}</p>")
        + post(3, "Luca", "2024-04-11T07:05:00Z", f"<p>{THIRD}</p>")
        + "</div>",
        head='<meta name="generator" content="Discourse 3.2.1 - https://github.com/discourse">',
    )


def xenforo2() -> str:
    def post(number: int, author: str, iso: str, content: str, extra: str = "") -> str:
        return f"""
<article class="message message--post js-post js-inlineModContainer" data-author="{author}"
data-content="post-{number}" id="js-post-{number}"><span class="u-anchorTarget"
id="post-{number}"></span><div class="message-inner"><div class="message-cell
message-cell--user"><section class="message-user"><div class="message-userDetails"><h4
class="message-name"><a href="/members/{author.lower()}.3/" class="username">{author}</a></h4>
<h5 class="userTitle message-userTitle">Utente attivo</h5></div><div
class="message-userExtras"><dl class="pairs pairs--justified"><dt>Iscritto</dt><dd>3 Mar
2017</dd></dl><dl class="pairs pairs--justified"><dt>Messaggi</dt><dd>1.204</dd></dl></div>
</section></div><div class="message-cell message-cell--main"><div class="message-main">
<header class="message-attribution message-attribution--split"><ul
class="message-attribution-main listInline"><li class="u-concealed"><a
href="/threads/pane.45/post-{number}"><time class="u-dt" datetime="{iso}"
data-time="1712757706">10 Apr 2024</time></a></li></ul></header><div
class="message-content js-messageContent"><div class="message-userContent lbContainer
js-lbContainer"><article class="message-body js-selectToQuote"><div
class="bbWrapper">{content}</div><div class="js-selectToQuoteEnd">&nbsp;</div></article>
</div>{extra}</div></div></div></div></article>"""

    quote = (
        '<blockquote class="bbCodeBlock bbCodeBlock--expandable bbCodeBlock--quote js-expandWatch">'
        '<div class="bbCodeBlock-title"><a href="/goto/post?id=9001" class="bbCodeBlock-sourceJump">'
        'Mario ha detto:</a></div><div class="bbCodeBlock-content"><div '
        f'class="bbCodeBlock-expandContent js-expandContent">{OPENING}</div><div '
        'class="bbCodeBlock-expandLink js-expandLink"><a role="button">Clicca per espandere...'
        "</a></div></div></blockquote>"
    )
    return page(
        '<div class="block-body js-replyNewMessageContainer">'
        + post(9001, "Mario", "2024-04-10T16:01:00+0200", OPENING)
        + post(9002, "Giulia", "2024-04-10T18:22:00+0200", quote + REPLY)
        + post(
            9003,
            "Luca",
            "2024-04-11T09:05:00+0200",
            THIRD,
            f'<aside class="message-signature"><div class="bbWrapper">{SIGNATURE}</div></aside>',
        )
        + "</div>",
        head='<meta name="generator" content="XenForo">',
    )


def invision4() -> str:
    def post(number: int, author: str, iso: str, content: str, extra: str = "") -> str:
        return f"""
<a id="comment-{number}"></a><article id="elComment_{number}" class="cPost ipsBox
ipsComment ipsComment_parent ipsClearfix ipsColumns"><div class="cAuthorPane_mobile
ipsResponsive_showPhone"><h3 class="ipsType_sectionHead cAuthorPane_author"><a
href="/profile/1-{author.lower()}/"><strong>{author}</strong></a></h3><a
href="/topic/45-pane/?do=findComment&amp;comment={number}">Inviato <time datetime="{iso}"
title="10/04/24 16:01">10 aprile</time></a></div><aside class="ipsComment_author cAuthorPane
ipsColumn ipsColumn_medium ipsResponsive_hidePhone"><h3 class="ipsType_sectionHead
cAuthorPane_author"><strong><a href="/profile/1-{author.lower()}/">{author}</a></strong></h3>
<ul class="cAuthorPane_info ipsList_reset"><li data-role="group">Membri</li><li
data-role="stats">1.204 messaggi</li></ul></aside><div class="ipsColumn ipsColumn_fluid"><div
id="comment-{number}_wrap" class="ipsComment_content ipsType_medium"><div
class="ipsComment_meta ipsType_light"><a href="/topic/45-pane/?do=findComment&amp;comment={number}"
class="ipsType_blendLinks">Inviato <time datetime="{iso}" title="10/04/24 16:01">10 aprile
</time></a></div><div class="cPost_contentWrap"><div data-role="commentContent"
class="ipsType_normal ipsType_richText ipsContained">{content}</div>{extra}</div></div></div>
</article>"""

    quote = (
        '<blockquote class="ipsQuote" data-ipsquote="" data-ipsquote-username="Mario">'
        '<div class="ipsQuote_citation">Il 10/4/2024 alle 16:01, Mario ha detto:</div>'
        f'<div class="ipsQuote_contents"><p>{OPENING}</p></div></blockquote>'
    )
    return page(
        '<div data-role="commentFeed">'
        + post(501, "Mario", "2024-04-10T14:01:00Z", f"<p>{OPENING}</p>")
        + post(502, "Giulia", "2024-04-10T16:22:00Z", f"{quote}<p>{REPLY}</p>")
        + post(
            503,
            "Luca",
            "2024-04-11T07:05:00Z",
            f"<p>{THIRD}</p>",
            f'<div data-role="memberSignature" class="ipsResponsive_showDesktop"><div '
            f'class="ipsType_richText">{SIGNATURE}</div></div>',
        )
        + "</div>"
    )


def smf2() -> str:
    def post(number: int, author: str, shown: str, content: str, extra: str = "") -> str:
        return f"""
<a id="msg{number}"></a><div class="windowbg"><span class="topslice"><span></span></span>
<div class="post_wrapper"><div class="poster"><h4><a href="index.php?action=profile;u=3"
title="Mostra il profilo di {author}">{author}</a></h4><ul class="reset smalltext"
id="msg_{number}_extra_info"><li class="membergroup">Utente</li><li class="postcount">Post:
1204</li></ul></div><div class="postarea"><div class="flow_hidden"><div class="keyinfo"><h5
id="subject_{number}"><a href="index.php?topic=45.msg{number}#msg{number}">Re: Il pane</a></h5>
<div class="smalltext">&#171; <strong>Risposta #1 il:</strong> {shown} &#187;</div></div></div>
<div class="post"><div class="inner" id="msg_{number}">{content}</div></div></div>
<div class="moderatorbar"><div class="smalltext modified" id="modified_{number}"></div>
{extra}</div></div><span class="botslice"><span></span></span></div>"""

    quote = (
        '<div class="quoteheader"><div class="topslice_quote"><a href="index.php?topic=45.'
        'msg1001#msg1001">Citazione da: Mario - 10 Aprile 2024, 16:01:00</a></div></div>'
        f'<blockquote class="bbc_standard_quote">{OPENING}<br></blockquote>'
        '<div class="quotefooter"><div class="botslice_quote"></div></div>'
    )
    return page(
        '<div id="forumposts"><form action="index.php?action=quickmod2;topic=45.0" method="post">'
        + post(1001, "Mario", "10 Aprile 2024, 16:01:00", OPENING)
        + post(1002, "Giulia", "10 Aprile 2024, 18:22:00", quote + REPLY)
        + post(
            1003,
            "Luca",
            "11 Aprile 2024, 09:05:00",
            THIRD,
            f'<div class="signature" id="msg_1003_signature">{SIGNATURE}</div>',
        )
        + "</form></div>",
        head="<script>var smf_scripturl = 'https://forum.example.it/index.php';</script>",
    )


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


def generic_forum() -> str:
    """A forum engine written for this test: no known class names."""

    def post(number: int, author: str, shown: str, content: str, extra: str = "") -> str:
        return f"""
<div class="intervento" id="m{number}"><table class="riga"><tr><td class="colonna-utente">
<a class="nome" href="/utenti/{author.lower()}">{author}</a><br><span class="grado">Assiduo</span>
<br><span class="dati">Iscritto: 12/01/2019</span><br><span class="dati">Messaggi: 340</span>
</td><td class="colonna-testo"><div class="testata">Inviato: {shown}</div><div
class="testo">{content}</div>{extra}</td></tr></table></div>"""

    quote = f'<div class="citato"><b>Mario ha scritto:</b><blockquote>{OPENING}</blockquote></div>'
    return page(
        '<div class="discussione"><h1>Il pane del Panificio Rossi</h1>'
        + post(1, "Mario", "10/04/2024 16:01", OPENING)
        + post(2, "Giulia", "10/04/2024 18:22", quote + REPLY)
        + post(
            3,
            "Luca",
            "11/04/2024 09:05",
            THIRD,
            f'<div class="firma">{SIGNATURE}</div>',
        )
        + '</div><div class="piede">Pagina 1 di 1</div>'
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
