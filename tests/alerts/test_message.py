"""The alert e-mail as the team receives it: sent through a real SMTP server, parsed back."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path

from crawler.alerts import run_alerts
from crawler.alerts.message import http_url, safe_text

from .conftest import ROME, Server, Store, make_config

NOW = dt.datetime(2025, 3, 12, 18, 0, tzinfo=ROME)
TODAY = NOW.date()
QUIET_MONTH = [0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]

HOSTILE_TEXT = (
    "<script>alert('x')</script> Pane crudo! <img src=x onerror=alert(2)> "
    "[clicca qui per il rimborso](javascript:alert(3)) \u202eemorp"
)


class Markup(HTMLParser):
    """Every tag and attribute of the HTML part, to check nothing scraped became markup."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += attrs
        self.links += [value or "" for name, value in attrs if tag == "a" and name == "href"]


def spike_with_hostile_review(store: Store) -> None:
    store.history("Panificio Rossi", TODAY, [*QUIET_MONTH, 5])
    store.add(
        "Panificio Rossi",
        dt.datetime(2025, 3, 12, 12, 30, tzinfo=ROME),
        text=HOSTILE_TEXT,
        author="<b onmouseover=alert(4)>Mario</b>",
        title="Mai più\r\nBcc: everyone@example.org",
        url="javascript:alert(5)",
        source="evil.example.net",
        score=-0.95,
    )


def send_one(tmp_path: Path, store: Store, server: Server, **config) -> tuple:
    config = make_config(tmp_path, port=server.port, **config)
    run = run_alerts(config, store.engine, now=NOW, env={})
    assert [a.brand for a in run.sent] == ["Panificio Rossi"]
    server.inbox.wait_for(1)
    (message,) = server.inbox.messages
    return message, server.inbox.received[0]


def test_the_email_says_brand_and_size_and_lists_the_mentions(
    tmp_path: Path, store: Store, plain_server: Server, inboxes: None
) -> None:
    spike_with_hostile_review(store)
    message, envelope = send_one(tmp_path, store, plain_server)

    assert message["Subject"] == (
        "[passaparola] Panificio Rossi: 6 negative mentions today (usually 0.1)"
    )
    assert message["From"] == "passaparola <alerts@example.org>"
    assert envelope.mail_from == "alerts@example.org"
    assert sorted(envelope.rcpt_tos) == ["marketing@example.org", "owner@example.org"]
    assert message["Message-ID"].startswith("<") and message["Message-ID"].endswith(">")
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    body = message.get_body(("html",)).get_content()

    assert "Panificio Rossi got 6 negative mentions today; the usual level is 0.1 a day." in text
    assert "Report: https://reports.example.org/rossi/alerts.html" in text
    assert text.count("https://recensioni.example.it/panificio/") == 5
    assert "2025-03-12 12:30 · evil.example.net" in text  # worst first: score -0.95
    # Scores in words: a bare "-0.95" means nothing to the reader.
    assert "very negative tone" in text and "score -0" not in text

    markup = Markup()
    markup.feed(body)
    assert set(markup.tags) <= {
        "html",
        "head",
        "meta",
        "title",
        "body",
        "p",
        "a",
        "h3",
        "ol",
        "li",
        "div",
        "strong",
        "blockquote",
    }
    assert markup.tags.count("li") == 6
    assert markup.links[0] == "https://reports.example.org/rossi/alerts.html"
    assert len(markup.links) == 6  # the report and five reviews; not javascript:alert(5)
    assert all(link.startswith("https://") for link in markup.links)
    assert not [name for name, _ in markup.attributes if name.startswith("on")]


def test_a_hostile_review_stays_text(
    tmp_path: Path, store: Store, plain_server: Server, inboxes: None
) -> None:
    spike_with_hostile_review(store)
    message, _ = send_one(tmp_path, store, plain_server)
    text = message.get_body(("plain",)).get_content()
    body = message.get_body(("html",)).get_content()

    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body
    assert "&lt;img src=x onerror=alert(2)&gt;" in body
    assert "[clicca qui per il rimborso](javascript:alert(3))" in body  # inert text
    assert 'href="javascript' not in body.lower()
    assert "&lt;b onmouseover=alert(4)&gt;Mario&lt;/b&gt;" in body
    assert "\u202e" not in body and "\u202e" not in text
    # The title's line break cannot smuggle a header: it is one line of text.
    assert message["Bcc"] is None
    assert "Mai più Bcc: everyone@example.org" in text
    assert "javascript:alert(5)" not in text and "javascript:alert(5)" not in body


def test_italian_email_for_an_italian_site(
    tmp_path: Path, store: Store, plain_server: Server, inboxes: None
) -> None:
    store.history("Panificio Rossi", TODAY, [*QUIET_MONTH, 7])
    message, _ = send_one(tmp_path, store, plain_server, language="it", site_url=None)
    assert message["Subject"] == (
        "[passaparola] Panificio Rossi: 7 menzioni negative oggi (di solito 0,1)"
    )
    text = message.get_body(("plain",)).get_content()
    assert "Panificio Rossi ha ricevuto 7 menzioni negative oggi" in text
    assert "12/03/2025 09:00" in text and "tono molto negativo" in text
    assert "punteggio" not in text and "[alerts]" not in text  # no bare score, no config syntax
    assert "perché questo indirizzo riceve gli allarmi del progetto" in text
    assert "Report:" not in text  # no [site] url, no link
    assert 'lang="it"' in message.get_body(("html",)).get_content()


def test_safe_text_and_links() -> None:
    assert safe_text("a\r\nb\u202ec\x00d\t e") == "a bcd e"
    assert http_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for hostile in (
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,x",
        "mailto:a@b",
        "//example.org/x",
        " javascript:alert(1)",
        None,
    ):
        assert http_url(hostile) is None
