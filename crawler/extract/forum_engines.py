"""Forum engines as their markup shows them: where a post, its author, date and text are.

Each engine is known by a signature (its generator tag, the ids and classes its templates always
print) and read by a few XPath expressions relative to one post. These are fast paths: a page
of no known engine, or one whose engine reads nothing, is read by structure (`forums.py`).

The expressions name every place an engine's versions put a part (XenForo 1 and 2, vBulletin
3 to 5, Invision 3 and 4, SMF 2.0 and 2.1, Discourse's JavaScript and crawler views, Flarum's
application and no-script views); the first one that gives something wins.
"""

from __future__ import annotations

from crawler.extract.forum_shapes import Engine, Shape, c, generator

ENGINES: tuple[Engine, ...] = (
    Engine(
        "phpbb",
        f"{generator('phpbb')} | //div[{c('post')}][starts-with(@id, 'p')]//div[{c('postbody')}]",
        (
            Shape(
                post=f"//div[{c('post')}][starts-with(@id, 'p')][.//div[{c('postbody')}]]",
                author=(
                    f".//p[{c('author')}]//*[{c('username')} or {c('username-coloured')}]",
                    f".//dl[{c('postprofile')}]//*[{c('username')} or {c('username-coloured')}]",
                    f".//p[{c('author')}]//strong",
                ),
                date=(f".//p[{c('author')}]//time", f".//p[{c('author')}]"),
                body=(f".//div[{c('content')}]",),
                noise=(".//blockquote", f".//div[{c('signature')}]", f".//div[{c('notice')}]"),
            ),
        ),
        threads=f"//a[{c('topictitle')}]/@href",
    ),
    Engine(
        "vbulletin",
        f"{generator('vbulletin')} | //li[{c('b-post')}]"
        " | //div[starts-with(@id, 'post_message_')]",
        (
            # vBulletin 5
            Shape(
                post=f"//li[{c('b-post')}][@data-node-id]",
                author=(
                    f".//*[@itemprop = 'author']//div[{c('author')}]//a",
                    f".//div[{c('author')}]//a",
                    ".//*[@itemprop = 'author']//*[@itemprop = 'name']",
                ),
                date=(f".//div[{c('b-post__timestamp')}]//time", ".//time"),
                body=(f".//div[{c('js-post__content-text')}]", ".//*[@itemprop = 'text']"),
                noise=(f".//div[{c('bbcode_container')}]", f".//*[{c('post-signature')}]"),
                anchor=(f".//a[{c('anchor')}]/@id", "@data-node-id"),
            ),
            # vBulletin 4
            Shape(
                post=f"//li[{c('postcontainer')} or {c('postbit')} or {c('postbitlegacy')}]"
                "[starts-with(@id, 'post_')]",
                author=(f".//*[{c('username')}]", f".//*[{c('popupmenu')}]//strong"),
                date=(f".//span[{c('date')}]", f".//span[{c('postdate')}]"),
                body=(".//div[starts-with(@id, 'post_message_')]", f".//*[{c('postcontent')}]"),
                noise=(
                    f".//div[{c('bbcode_container')}]",
                    f".//*[{c('signature')} or {c('signaturecontainer')}]",
                    f".//*[{c('lastedited')}]",
                ),
            ),
            # vBulletin 3: a table per post
            Shape(
                post="//table[starts-with(@id, 'post')][.//div[starts-with(@id, 'post_message_')]]",
                author=(f".//*[{c('bigusername')}]", ".//div[starts-with(@id, 'postmenu_')]"),
                date=(f".//td[{c('thead')}]",),
                body=(".//div[starts-with(@id, 'post_message_')]",),
            ),
        ),
        threads=f"//a[starts-with(@id, 'thread_title_')]/@href | //a[{c('topic-title')}]/@href",
    ),
    Engine(
        "discourse",
        f"{generator('discourse')} | //div[{c('crawler-post')}]"
        " | //article[starts-with(@id, 'post_')][@data-post-id]",
        (
            Shape(
                post=f"//div[{c('crawler-post')}]"
                " | //article[starts-with(@id, 'post_')][@data-post-id]",
                author=(
                    ".//*[@itemprop = 'author']//*[@itemprop = 'name']",
                    f".//*[{c('creator')}]//a",
                    f".//div[{c('names')}]//*[{c('username')}]//a",
                    f".//div[{c('names')}]//a",
                ),
                date=(
                    ".//time[@itemprop = 'datePublished']",
                    f".//*[{c('post-time')}]",
                    f".//*[{c('relative-date')}]",
                    ".//meta[@itemprop = 'datePublished']/@content",
                ),
                body=(f".//div[{c('cooked')}]", ".//*[@itemprop = 'text']", f".//div[{c('post')}]"),
                number=(".//*[@itemprop = 'position']", "substring-after(@id, 'post_')"),
                anchor=("@id",),
                skip=f"self::*[{c('small-action')}] | .//*[{c('small-action')}]",
            ),
        ),
        threads=f"//a[{c('raw-topic-link')} or ({c('title')} and {c('raw-link')})]/@href",
        permalink=(r"^(/t/[^/]+/\d+)(?:/\d+)?/?$", "{path}/{n}"),
    ),
    Engine(
        "xenforo",
        f"{generator('xenforo')} | //article[{c('message--post')}]"
        f" | //li[{c('message')}][starts-with(@id, 'post-')]",
        (
            Shape(
                post=f"//article[{c('message--post')}]"
                f" | //li[{c('message')}][starts-with(@id, 'post-')]",
                author=(
                    "@data-author",
                    f".//h4[{c('message-name')}]//*[{c('username')}]",
                    f".//*[{c('username')}]",
                ),
                date=(
                    f".//*[{c('message-attribution-main')}]//time",
                    f".//*[{c('message-attribution')}]//time",
                    f".//*[{c('DateTime')}]",
                ),
                body=(
                    f".//div[{c('bbWrapper')}]",
                    f".//blockquote[{c('messageText')}]",
                    f".//*[{c('messageContent')}]",
                ),
                noise=(
                    f".//*[{c('message-signature')} or {c('signature')}]",
                    f".//*[{c('message-lastEdit')} or {c('editDate')}]",
                ),
                anchor=("@data-content", f".//*[{c('u-anchorTarget')}]/@id", "@id"),
            ),
        ),
        threads=f"//div[{c('structItem-title')}]//a[contains(@href, 'threads/')]/@href"
        f" | //a[{c('PreviewTooltip')}]/@href",
    ),
    Engine(
        "invision",
        f"//article[{c('ipsComment')}] | //div[{c('post_block')}][starts-with(@id, 'post_id_')]",
        (
            Shape(  # Invision Community 4
                post=f"//article[{c('ipsComment')}][starts-with(@id, 'elComment_')]",
                author=(
                    f".//aside//*[{c('cAuthorPane_author')}]//a",
                    f".//*[{c('cAuthorPane_author')}]",
                    ".//*[@itemprop = 'author']//*[@itemprop = 'name']",
                ),
                date=(f".//*[{c('ipsComment_meta')}]//time", ".//time"),
                body=(".//*[@data-role = 'commentContent']", f".//*[{c('cPost_contentWrap')}]"),
                noise=(
                    ".//*[@data-role = 'memberSignature']",
                    f".//*[{c('cSignature')} or {c('ipsComment_edited')}]",
                ),
                anchor=("preceding-sibling::a[1][starts-with(@id, 'comment-')]/@id", "@id"),
            ),
            Shape(  # Invision Power Board 3
                post=f"//div[{c('post_block')}][starts-with(@id, 'post_id_')]",
                author=(f".//*[{c('author')}]//*[@itemprop = 'name']", f".//*[{c('author')}]"),
                date=(f".//abbr[{c('published')}]", f".//*[{c('posted_info')}]"),
                body=(".//*[@itemprop = 'commentText']", f".//div[{c('post')}]"),
                noise=(f".//*[{c('signature')}]", f".//*[{c('edit')}]"),
            ),
        ),
        threads=f"//*[{c('ipsDataItem_title')}]//a[contains(@href, 'topic')]/@href"
        f" | //a[{c('topic_title')}]/@href",
    ),
    Engine(
        "smf",
        "//div[@id = 'forumposts'] | //script[contains(., 'smf_scripturl')]",
        (
            Shape(
                post=f"//div[@id = 'forumposts']//div[{c('post_wrapper')}]",
                author=(f".//div[{c('poster')}]//h4//a", f".//div[{c('poster')}]//h4"),
                date=(
                    f".//div[{c('keyinfo')}]//div[{c('smalltext')}]",
                    f".//div[{c('postinfo')}]//*[{c('smalltext')}]",
                    f".//div[{c('keyinfo')}]",
                ),
                body=(f".//div[{c('post')}]//div[{c('inner')}]", f".//div[{c('inner')}]"),
                noise=(f".//*[{c('signature')}]", f".//*[{c('modified')}]"),
                anchor=(
                    "ancestor-or-self::*[starts-with(@id, 'msg')][1]/@id",
                    f"ancestor::div[{c('windowbg')} or {c('windowbg2')}][1]"
                    "/preceding-sibling::a[1][starts-with(@id, 'msg')]/@id",
                    f".//div[{c('inner')}]/@id",
                ),
            ),
        ),
        threads="//span[starts-with(@id, 'msg_')]/a/@href"
        f" | //div[{c('message_index_title')}]//a/@href",
    ),
    Engine(
        "flarum",
        "//*[@id = 'flarum-loading'] | //*[@id = 'flarum-json-payload']"
        f" | //div[{c('PostStream-item')}] | //article[{c('CommentPost')}]",
        (
            Shape(
                post=f"//article[{c('CommentPost')}]",
                author=(
                    f".//*[{c('PostUser-name')}]//*[{c('username')}]",
                    f".//*[{c('PostUser-name')}]",
                ),
                date=(
                    f".//*[{c('PostMeta')}]//time",
                    ".//header//time",
                    "ancestor::*[@data-time][1]/@data-time",
                ),
                body=(f".//div[{c('Post-body')}]",),
                number=("ancestor::*[@data-number][1]/@data-number",),
                anchor=("ancestor::*[@data-id][1]/@data-id",),
            ),
            Shape(  # the no-script view: name and text only
                post=f"//div[@id = 'flarum-content']//div[{c('Post-body')}]/..",
                author=("./h3",),
                date=(),
                body=(f"./div[{c('Post-body')}]",),
                anchor=(),
            ),
        ),
        threads=f"//a[{c('DiscussionListItem-main')}]/@href"
        " | //div[@id = 'flarum-content']//li/a[contains(@href, '/d/')]/@href",
        permalink=(r"^(/d/[^/]+)(?:/\d+)?/?$", "{path}/{n}"),
    ),
    Engine(
        "nodebb",
        "//*[@component = 'post'][@data-pid] | //*[@component = 'topic']",
        (
            Shape(
                post="//*[@component = 'post'][@data-pid]",
                author=(
                    "@data-username",
                    ".//*[@itemprop = 'author']",
                    f".//*[{c('post-header')}]//strong//a",
                ),
                date=(
                    f".//*[{c('post-header')}]//*[{c('timeago')}]",
                    f".//*[@component = 'post/header']//*[{c('timeago')}]",
                    f".//*[{c('timeago')}]",
                    ".//meta[@itemprop = 'datePublished']/@content",
                ),
                body=(".//*[@component = 'post/content']",),
                noise=(".//*[@component = 'post/signature']", f".//*[{c('post-signature')}]"),
                anchor=(f".//a[{c('permalink')}]/@href", "@data-pid"),
            ),
        ),
        threads="//*[@component = 'category/topic']//a[@itemprop = 'url']/@href"
        "| //*[@component = 'category/topic']//*[@component = 'topic/header']//a/@href",
    ),
    Engine(
        "bbpress",
        f"//*[@id = 'bbpress-forums'] | //*[{c('bbp-reply-header')} or {c('bbp-topic-header')}]",
        (
            Shape(
                post=f"//div[{c('bbp-reply-header')} or {c('bbp-topic-header')}][@id]",
                author=(f".//*[{c('bbp-author-name')}]", f".//a[{c('bbp-author-link')}]"),
                date=(
                    f".//*[{c('bbp-reply-post-date')} or {c('bbp-topic-post-date')}]",
                    f".//*[{c('bbp-meta')}]",
                ),
                body=(f".//div[{c('bbp-reply-content')} or {c('bbp-topic-content')}]",),
                noise=(
                    f".//*[{c('bbp-reply-revision-log')} or {c('bbp-topic-revision-log')}]",
                    f".//*[{c('bbp-signature')}]",
                ),
                pair=True,
            ),
        ),
        threads=f"//a[{c('bbp-topic-permalink')}]/@href",
    ),
    Engine(
        "wpforo",
        f"//div[@id = 'wpforo'] | //div[{c('wpforo-post')}]",
        (
            Shape(
                post=f"//div[{c('wpforo-post')}]",
                author=(f".//div[{c('author-name')}]//a", f".//*[{c('author-name')}]"),
                date=(
                    f".//*[{c('wpf-post-date')}]",
                    f".//div[{c('cbleft')}]",
                    f".//div[{c('wpforo-post-content-bottom')}]",
                ),
                body=(f".//div[{c('wpforo-post-content')}]",),
                noise=(
                    f".//*[{c('wpforo-post-signature')}]",
                    f".//*[{c('wpf-post-button-actions')}]",
                ),
                anchor=("ancestor-or-self::*[starts-with(@id, 'post-')][1]/@id",),
            ),
        ),
        threads=f"//*[{c('wpforo-topic-title')} or {c('wpf-topic-title')}]//a/@href",
    ),
    Engine(
        "discuz",
        f"{generator('discuz')} | //div[@id = 'postlist']/div[starts-with(@id, 'post_')]",
        (
            Shape(
                post="//div[@id = 'postlist']/div[starts-with(@id, 'post_')]",
                author=(f".//div[{c('authi')}]/a[{c('xw1')}]", f".//div[{c('authi')}]//a"),
                date=(".//em[starts-with(@id, 'authorposton')]",),
                body=(f".//td[{c('t_f')}]",),
                noise=(
                    f".//*[{c('sign')} or {c('pstatus')} or {c('jammer')}]",
                    f".//*[{c('attach_nopermission')}]",
                ),
                anchor=(".//table[starts-with(@id, 'pid')]/@id", "@id"),
            ),
        ),
        threads=f"//a[{c('xst')}]/@href",
    ),
    Engine(
        "stackexchange",
        f"//div[@id = 'question'][{c('question')}] | //div[{c('question')}][@data-questionid]",
        (
            Shape(  # the question and its answers
                post=f"//div[{c('question')}][@id = 'question' or @data-questionid]"
                f" | //div[{c('answer')}][starts-with(@id, 'answer-')]",
                author=(
                    f".//div[{c('post-signature')}][{c('owner')}]//div[{c('user-details')}]"
                    "//*[@itemprop = 'name']",
                    f".//div[{c('post-signature')}][{c('owner')}]//div[{c('user-details')}]/a",
                    f".//div[{c('post-signature')}][last()]//div[{c('user-details')}]"
                    "//*[@itemprop = 'name']",
                    f".//div[{c('post-signature')}][last()]//div[{c('user-details')}]/a",
                    f".//div[{c('post-signature')}][last()]//div[{c('user-details')}]",
                ),
                date=(
                    f".//div[{c('post-signature')}][{c('owner')}]//*[{c('relativetime')}]",
                    f".//div[{c('post-signature')}][last()]//*[{c('relativetime')}]",
                    ".//time[@itemprop = 'dateCreated']",
                ),
                body=(f".//div[{c('js-post-body')}]", f".//div[{c('post-text')}]"),
            ),
            Shape(  # comments under a question or an answer
                post=f"//li[{c('comment')}][starts-with(@id, 'comment-')]",
                author=(f".//a[{c('comment-user')}]", f".//span[{c('comment-user')}]"),
                date=(f".//*[{c('comment-date')}]//*[@title]", f".//*[{c('comment-date')}]"),
                body=(f".//*[{c('comment-copy')}]",),
            ),
        ),
        threads=f"//a[{c('question-hyperlink')} or {c('s-link')}]"
        "[contains(@href, '/questions/')]/@href",
    ),
)
