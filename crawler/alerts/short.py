"""The short form of a message, for chat channels: a title, a few sentences, links.

One `ShortMessage` is rendered as plain text, Markdown or HTML, whichever the channel takes
(Apprise's `notify_format`). Scraped text is escaped for each: Markdown's punctuation is
backslashed (a review cannot make a link or a heading), HTML is `html.escape`d, and only http(s)
URLs become links. Everything is passed through `safe_text` first (no control or bidi
characters), so a mention cannot fake a line either.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from crawler.alerts.message import (
    WORDS,
    explanation,
    headline,
    http_url,
    report_url,
    safe_text,
    worst_first,
)
from crawler.extract.text import excerpt

if TYPE_CHECKING:
    from crawler.alerts.outbox import AlertRecord
    from crawler.alerts.windows import Calendar
    from crawler.config import Config

FORMATS = ("text", "markdown", "html")
FIRST_MENTIONS = 3  # mentions a chat message lists; the report has the rest
ITEM_CHARS = 140
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~=])")


@dataclass(frozen=True, slots=True)
class Link:
    label: str
    url: str | None  # only http(s); None shows the label alone


@dataclass(frozen=True, slots=True)
class ShortMessage:
    """Plain pieces (no markup); `body` renders them for one format."""

    title: str
    sentences: list[str]
    items: list[Link] = field(default_factory=list)
    more: str = ""
    report: Link | None = None

    def body(self, fmt: str) -> str:
        if fmt == "markdown":
            return self._render(_markdown, lambda link: _markdown_link(link))
        if fmt == "html":
            return self._render(html.escape, _html_link)
        return self._render(lambda text: text, _text_link)

    def title_for(self, fmt: str) -> str:
        """The title escaped like the body: channels format it in the same markup."""
        if fmt == "markdown":
            return _markdown(self.title)
        return html.escape(self.title) if fmt == "html" else self.title

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "sentences": self.sentences,
            "items": [[item.label, item.url] for item in self.items],
            "more": self.more,
            "report": [self.report.label, self.report.url] if self.report else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ShortMessage:
        report = data.get("report")
        return cls(
            title=data["title"],
            sentences=list(data["sentences"]),
            items=[Link(label, url) for label, url in data.get("items", [])],
            more=data.get("more", ""),
            report=Link(*report) if report else None,
        )

    def _render(self, escape: Any, link: Any) -> str:
        lines = [escape(sentence) for sentence in self.sentences]
        if self.items:
            lines.append("")
            lines += [f"• {link(item)}" for item in self.items]
        if self.more:
            lines.append(escape(self.more))
        if self.report is not None:
            lines += ["", link(self.report)]
        return "\n".join(lines)


def _markdown(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _markdown_link(link: Link) -> str:
    if link.url is None:
        return _markdown(link.label)
    target = link.url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
    return f"[{_markdown(link.label)}]({target})"


def _html_link(link: Link) -> str:
    if link.url is None:
        return html.escape(link.label)
    return f'<a href="{html.escape(link.url)}">{html.escape(link.label)}</a>'


def _text_link(link: Link) -> str:
    return link.label if link.url is None else f"{link.label}: {link.url}"


def mention_link(mention: Mapping[str, Any], chars: int = ITEM_CHARS) -> Link:
    """A mention in one line: where, who, and the start of what they wrote."""
    source = safe_text(mention.get("source")) or "?"
    title = safe_text(mention.get("title"))
    said = excerpt(safe_text(mention.get("text")), chars)
    who = safe_text(mention.get("author"))
    if title.casefold() == who.casefold():
        title = ""  # a review's "title" is often its author's name: say it once
    label = f"{source}{' · ' + who if who else ''}: {title + ' — ' if title else ''}“{said}”"
    return Link(label, http_url(mention.get("url")))


def alert_short(
    alert: AlertRecord,
    mentions: Sequence[Mapping[str, Any]],
    config: Config,
    calendar: Calendar,
) -> ShortMessage:
    """An alert as a chat message: the e-mail's headline and sentences, its first mentions."""
    lang = config.site.language if config.site.language in WORDS else "en"
    w = WORDS[lang]
    first = mentions[0] if mentions else {}
    listed = worst_first(mentions)[:FIRST_MENTIONS]
    more = len(mentions) - len(listed)
    url = report_url(config)
    return ShortMessage(
        title=safe_text(headline(alert, mentions, calendar, lang)),
        sentences=explanation(alert, calendar, lang, source=first.get("source")),
        items=[mention_link(m) for m in listed],
        more=w["more"].format(n=more) if more > 0 else "",
        report=Link(w["report_html"], url) if url else None,
    )
