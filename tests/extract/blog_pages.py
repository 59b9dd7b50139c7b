"""Blog pages for the extraction tests: the shared seed posts rendered back into the markup of
the platform each came from, and generated pages (huge threads, deep broken markup).

The seeds are text dumps of real Italian blog pages; these builders put each piece of text
where its platform puts it, changing no word of it, so the extractor meets the real text in
realistic markup.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def seed_text(number: int) -> str:
    """The seed dump whose file name starts with `number` (000–004)."""
    (path,) = SEEDS.glob(f"{number:03d}_*.txt")
    return path.read_text(encoding="utf-8")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


def _page(title: str | None, head: str, body: str) -> str:
    title_tag = f"<title>{escape(title)}</title>" if title else ""
    return (
        '<!DOCTYPE html>\n<html lang="it"><head><meta charset="utf-8">'
        f"{title_tag}{head}</head>\n<body>{body}</body></html>\n"
    )


# --- 000: TypePad-style, comments run together in one block and closed by signatures ---------


def typepad_seed_page(text: str) -> str:
    """The post in `.entry-body`, then the comments block exactly as the dump has it."""
    lines = [line for line in _lines(text) if line.strip("| ")]
    title, post_line, block = lines[0], lines[1], lines[2]
    assert post_line.endswith(" Commenti"), "seed 000 changed: post line no longer ends the post"
    post = post_line.removesuffix(" Commenti")
    body = f"""
<div id="container"><div id="banner"><h1 id="banner-header"><a href="/">Blog di marketing</a></h1>
<h2 id="banner-description">Appunti di marketing e comunicazione</h2></div>
<div id="pagebody"><div id="content"><div class="blog">
<div class="entry" id="entry-1234567">
<h3 class="entry-header">{escape(title)}</h3>
<div class="entry-content"><div class="entry-body"><p>{escape(post)}</p></div></div>
<p class="entry-footer"><a class="permalink" href="/blog/2004/02/permission.html">Permalink</a></p>
</div>
<div class="comments" id="comments"><h3 class="comments-header">Commenti</h3>
<div class="comments-content"><p>{escape(block)}</p></div></div>
<form method="post" action="/t/comments" id="comment-form">
<h3 class="comments-open-header">Scrivi un commento</h3>
<label for="comment-author">Nome:</label><input id="comment-author" name="author">
<label for="comment-text">Commento:</label><textarea id="comment-text" name="text"></textarea>
<input type="submit" name="post" value="Invia"></form>
</div></div>
<div id="sidebar"><h2>Archivi</h2><ul><li><a href="/2004/02/">febbraio 2004</a></li></ul></div>
</div></div>"""
    return _page(f"{title} - Blog di marketing", "", body)


# --- 001: Blogger classic template: date header, post body, dl#comments-block ------------------

# The dump kept the comment bodies but lost the lines between them (author, timestamp), so the
# boundaries are a reading of the text: "brava :-)"; the self-ironic two-liner ending in "...";
# "Bella riflessione"; the two-paragraph reflection. Four groups, as "4 commenti:" says.
SEED_001_COMMENT_GROUPS = ((0, 2), (2, 6), (6, 7), (7, 9))
SEED_001_COMMENT_IDS = tuple(f"c{5230974412690386100 + n}" for n in range(4))


def seed_001_comment_texts(text: str) -> list[str]:
    """The four comment texts of seed 001, lines joined as Blogger's `<br>` renders them."""
    lines = _blogger_sections(text)["comments"]
    return ["\n".join(lines[start:end]) for start, end in SEED_001_COMMENT_GROUPS]


def _blogger_sections(text: str) -> dict[str, list[str]]:
    lines = [line for line in _lines(text) if line]
    feeds = lines.index("Iscriviti a:")
    count = next(i for i, line in enumerate(lines) if re.fullmatch(r"\d+ commenti:", line))
    end = lines.index("Posta un commento")
    comments = lines[count + 1 : end]
    assert len(comments) == 9, "seed 001 changed: expected nine comment lines"
    return {
        "date": [lines[0]],
        "title": [lines[1]],
        "post": lines[2:feeds],
        "feeds": lines[feeds : feeds + 2],
        "count": [lines[count]],
        "comments": comments,
    }


def blogger_seed_page(text: str) -> str:
    """Blogger's classic layout; commenters unknown to the dump appear as Blogger's "Anonimo"."""
    parts = _blogger_sections(text)
    title = parts["title"][0]
    post = "".join(f"<p>{escape(line)}</p>" for line in parts["post"])
    comments = []
    for (start, end), comment_id in zip(SEED_001_COMMENT_GROUPS, SEED_001_COMMENT_IDS, strict=True):
        body = "<br />".join(escape(line) for line in parts["comments"][start:end])
        comments.append(
            f'<dt class="comment-author anon-comment-icon" id="{comment_id}">'
            f'<a name="{comment_id}"></a>Anonimo ha detto...</dt>'
            f'<dd class="comment-body" id="Blog1_cmt-{comment_id[1:]}"><p>{body}</p></dd>'
            '<dd class="comment-footer"></dd>'
        )
    body = f"""
<div id="outer-wrapper"><div id="header-wrapper"><div class="header section" id="header">
<h1 class="title"><a href="/">Customer care e dintorni</a></h1></div></div>
<div id="main-wrapper"><div class="main section" id="main"><div class="widget Blog" id="Blog1">
<div class="blog-posts hfeed">
<h2 class="date-header"><span>{escape(parts["date"][0])}</span></h2>
<div class="post-outer"><div class="post hentry">
<a name="4418305366447181237"></a>
<h3 class="post-title entry-title">{escape(title)}</h3>
<div class="post-header"><div class="post-header-line-1"></div></div>
<div class="post-body entry-content">{post}<div style="clear: both;"></div></div>
<div class="post-footer"><div class="post-footer-line post-footer-line-1">
<span class="post-comment-link"></span></div></div>
</div></div></div>
<div class="post-feeds"><div class="feed-links">{escape(parts["feeds"][0])}
<a class="feed-link" href="/feeds/4418305366447181237/comments/default" type="application/atom+xml">
{escape(parts["feeds"][1])}</a></div></div>
<div class="comments" id="comments"><a name="comments"></a><h4>{escape(parts["count"][0])}</h4>
<div id="Blog1_comments-block-wrapper"><dl class="avatar-comment-indent" id="comments-block">
{"".join(comments)}
</dl></div>
<p class="comment-footer"><a href="https://www.blogger.com/comment.g?blogID=1&amp;postID=2"
>Posta un commento</a></p></div>
</div></div></div>
<div id="sidebar-wrapper"><div class="sidebar section" id="sidebar">
<div class="widget BlogArchive" id="BlogArchive1"><h2>Archivio blog</h2>
<ul><li><a href="/2007/07/">luglio</a> (3)</li></ul></div></div></div>
</div>"""
    head = '<meta content="blogger" name="generator"/>'
    return _page(f"Customer care e dintorni: {title}", head, body)


# --- 002–004: article pages without comments -------------------------------------------------


def article_seed_page_002(text: str) -> str:
    """A magazine article: login box and share bar above, date and readers in the header,
    author box below."""
    lines = _lines(text)
    date_at = next(i for i, line in enumerate(lines) if re.match(r"\d{2}/\d{2}/\d{4}\b", line))
    title = next(line for line in reversed(lines[:date_at]) if line)
    above = [line for line in lines[: lines.index(title)] if line]
    date, readers = lines[date_at].split(" ", 1)
    reading_time = lines[date_at + 1]
    author_at = lines.index("Luca Oliverio")
    paragraphs = _paragraphs(lines[date_at + 2 : author_at])
    bio = [line for line in lines[author_at + 2 :] if line]
    login, share = above[:-1], above[-1]
    body = f"""
<header class="site-header"><div class="login-box"><form action="/login" method="post">
{"".join(f"<p>{escape(line)}</p>" for line in login)}
<input name="user"><input name="password" type="password"></form></div></header>
<div class="share-bar"><span class="share-count">{escape(share)}</span></div>
<main id="main"><article class="articolo">
<header><h1>{escape(title)}</h1>
<div class="meta"><span class="date">{escape(date)}</span>
<span class="views">{escape(readers)}</span> <span class="reading-time">{escape(reading_time)}</span>
</div></header>
<div class="testo">{"".join(paragraphs)}</div>
<footer class="author-box"><a class="author-link" href="/autori/luca-oliverio">Luca Oliverio</a>
<h4 class="author-name">Luca Oliverio</h4>
<div class="author-description">{"".join(f"<p>{escape(line)}</p>" for line in bio)}</div>
</footer></article></main>
<footer class="site-footer"><p>comunitazione.it</p></footer>"""
    return _page(title, "", body)


def _paragraphs(lines: list[str]) -> list[str]:
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line:
            paragraphs[-1].append(escape(line))
        elif paragraphs[-1]:
            paragraphs.append([])
    return [f"<p>{'<br>'.join(p)}</p>" for p in paragraphs if p]


def article_seed_page_003(text: str) -> str:
    """A WordPress post whose comments are closed; short unpunctuated lines are its headings."""
    blocks: list[str] = []
    items: list[str] = []
    for line in (line for line in _lines(text) if line):
        if line.startswith("- "):
            items.append(f"<li>{escape(line[2:])}</li>")
            continue
        if items:
            blocks.append(f"<ul>{''.join(items)}</ul>")
            items = []
        is_heading = len(line) < 80 and not line.endswith((".", "!", "?", ":"))
        blocks.append(f"<h2>{escape(line)}</h2>" if is_heading else f"<p>{escape(line)}</p>")
    if items:
        blocks.append(f"<ul>{''.join(items)}</ul>")
    body = f"""
<div id="page" class="site"><header id="masthead" class="site-header">
<p class="site-title"><a href="/">Blog di customer care</a></p>
<nav class="main-navigation"><ul><li><a href="/">Home</a></li><li><a href="/casi/">Casi</a></li>
</ul></nav></header>
<div id="content" class="site-content"><main id="main" class="site-main">
<article id="post-812" class="post-812 post type-post status-publish hentry">
<div class="entry-content">{"".join(blocks)}</div>
<footer class="entry-footer"><span class="cat-links">Customer care</span></footer>
</article>
<div id="comments" class="comments-area"><p class="no-comments">I commenti sono chiusi.</p></div>
</main>
<aside id="secondary" class="widget-area"><section id="recent-comments-2"
class="widget widget_recent_comments"><h2 class="widget-title">Commenti recenti</h2>
<ul id="recentcomments"><li class="recentcomments"><span class="comment-author-link">Mario</span>
su <a href="/2019/01/lego/#comment-33">Anche LEGO ci ha deliziato</a></li></ul></section>
</aside></div></div>"""
    head = (
        '<meta name="generator" content="WordPress 5.0.3">'
        '<link rel="stylesheet" href="/wp-content/themes/twentyseventeen/style.css">'
    )
    return _page(None, head, body)


def article_seed_page_004(text: str) -> str:
    """A WordPress post with no comments yet, only the "Leave A Comment" form."""
    lines = [line for line in _lines(text) if line]
    banner, site, tagline, title = lines[:4]
    form_at = lines.index("Leave A Comment")
    content: list[str] = []
    items: list[str] = []
    for line in lines[4:form_at]:
        numbered = re.match(r"\d+\.\s+(.*)", line)
        if numbered:
            items.append(f"<li>{escape(numbered.group(1))}</li>")
            continue
        if items:
            content.append(f"<ol>{''.join(items)}</ol>")
            items = []
        if line.startswith("http"):
            content.append(f'<p><a href="{escape(line)}">{escape(line)}</a></p>')
        else:
            content.append(f"<p>{escape(line)}</p>")
    notes, footer = lines[form_at + 1], lines[form_at + 2]
    body = f"""
<div class="banner-widget"><p>{escape(banner)}</p></div>
<header id="header"><h1 class="site-title">{escape(site)}</h1>
<p class="site-description">{escape(tagline)}</p></header>
<div id="main"><article id="post-1126" class="post-1126 post type-post hentry">
<h2 class="entry-title">{escape(title)}</h2>
<div class="entry-content">{"".join(content)}</div></article>
<div id="comments" class="comments-area">
<div id="respond" class="comment-respond">
<h3 id="reply-title" class="comment-reply-title">{escape(lines[form_at])}</h3>
<form action="/wp-comments-post.php" method="post" id="commentform" class="comment-form">
<p class="comment-notes"><span id="email-notes">{escape(notes)}</span></p>
<p class="comment-form-comment"><textarea id="comment" name="comment"></textarea></p>
<p class="comment-form-author"><label for="author">Name</label><input id="author" name="author"></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" value="Post Comment">
<input type="hidden" name="comment_post_ID" value="1126"></p></form></div></div></div>
<footer id="footer"><p>{escape(footer)}</p></footer>"""
    head = '<link rel="stylesheet" href="/blog/wp-content/themes/flat/style.css">'
    return _page(f"{title} | {site}", head, body)


# --- generated pages ---------------------------------------------------------------------------


def wordpress_thread(comments: int, replies_every: int = 5) -> str:
    """A WordPress post with `comments` top-level comments, every few with a nested reply."""
    parts = [
        '<html><head><meta name="generator" content="WordPress 6.4"></head><body>'
        '<article class="post"><h1 class="entry-title">Un post molto commentato</h1>'
        '<div class="entry-content"><p>Il panificio Rossi ha aperto un nuovo forno.</p></div>'
        '</article><ol class="comment-list">'
    ]
    number = 0
    for index in range(comments):
        number += 1
        parts.append(_wordpress_comment(number, f"Lettore {index}", close=False))
        if index % replies_every == 0:
            number += 1
            parts.append('<ol class="children">')
            parts.append(_wordpress_comment(number, f"Autore {index}", close=True))
            parts.append("</ol>")
        parts.append("</li>")
    parts.append("</ol></body></html>")
    return "".join(parts)


def _wordpress_comment(number: int, author: str, *, close: bool) -> str:
    minute = number % 60
    return (
        f'<li id="comment-{number}" class="comment even depth-1">'
        f'<article id="div-comment-{number}" class="comment-body"><footer class="comment-meta">'
        f'<div class="comment-author vcard"><b class="fn">{author}</b>'
        '<span class="says">dice:</span></div><div class="comment-metadata">'
        f'<a href="#comment-{number}"><time datetime="2024-03-01T10:{minute:02d}:00+01:00">'
        f"1 marzo 2024 alle 10:{minute:02d}</time></a></div></footer>"
        f'<div class="comment-content"><p>Commento numero {number}: il pane era ottimo, '
        "la crosta croccante e il servizio gentile.</p></div>"
        '<div class="reply"><a class="comment-reply-link" href="#">Rispondi</a></div>'
        "</article>" + ("</li>" if close else "")
    )


def unclosed_comment_divs(comments: int) -> str:
    """Hand-made comments whose theme never closes its `<div class="comment">`: each comment
    nests one level deeper than the last, past libxml2's depth limit."""
    items = "".join(
        f'<div class="comment" id="comment-{n}"><span class="author">Utente {n}</span>'
        f'<span class="date">{1 + n % 28:02d}/03/2019</span><p>Testo del commento {n}.</p>'
        for n in range(comments)
    )
    return (
        "<html><body><article><h1>Titolo</h1><div class='entry-content'><p>Il post.</p></div>"
        f"</article><div id='comments'>{items}</body></html>"
    )
