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
