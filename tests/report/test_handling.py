"""The rules of the handling server, one by one: origins, forms, redirects, patched cards."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.report.handling import (
    FormError,
    add_controls,
    card_ids,
    expected_hosts,
    local_path,
    same_origin,
    status_form,
)
from crawler.report.labels import Words
from crawler.report.views import MentionCard, mention_html, patch_card

WORDS = Words("it", UTC)
FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize(
    ("headers", "allowed"),
    [
        ({"Host": "127.0.0.1:8000", "Origin": "http://127.0.0.1:8000"}, True),
        ({"Host": "127.0.0.1:8000", "Sec-Fetch-Site": "same-origin"}, True),
        (
            {
                "Host": "127.0.0.1:8000",
                "Origin": "http://127.0.0.1:8000",
                "Sec-Fetch-Site": "same-origin",
            },
            True,
        ),
        ({"Host": "report.example:443", "Origin": "https://report.example:443"}, True),
        ({"Host": "127.0.0.1:8000", "Origin": "http://localhost:8000"}, False),
        ({"Host": "127.0.0.1:8000", "Origin": "http://127.0.0.1:8000.evil.example"}, False),
        ({"Host": "127.0.0.1:8000", "Origin": "null"}, False),
        ({"Host": "127.0.0.1:8000", "Origin": "file://"}, False),
        (
            {
                "Host": "127.0.0.1:8000",
                "Origin": "http://127.0.0.1:8000",
                "Sec-Fetch-Site": "cross-site",
            },
            False,
        ),
        ({"Host": "127.0.0.1:8000", "Sec-Fetch-Site": "none"}, False),
        ({"Host": "127.0.0.1:8000"}, False),
        ({"Origin": "http://127.0.0.1:8000"}, False),
    ],
)
def test_only_pages_of_this_server_may_change_anything(headers, allowed):
    assert same_origin(headers) is allowed


def test_a_loopback_server_answers_only_to_its_own_names():
    hosts = expected_hosts("127.0.0.1", 8123)
    assert {"127.0.0.1:8123", "localhost:8123", "[::1]:8123"} <= hosts
    assert "evil.example:8123" not in hosts and "127.0.0.1:8124" not in hosts


@pytest.mark.parametrize(
    ("back", "path"),
    [
        ("/archive/2026-11.html", "/archive/2026-11.html"),
        ("/brands/panificio-rossi.html?x=1#m-1", "/brands/panificio-rossi.html"),
        ("", "/"),
        ("archive/x.html", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("/../../etc/passwd", "/"),
        ("/a\r\nSet-Cookie: x=1", "/"),
        ("/" + "a" * 600, "/"),
    ],
)
def test_the_way_back_is_a_path_on_this_server(back, path):
    assert local_path(back) == path


def test_a_valid_form_is_read_with_its_note_and_name():
    form = status_form(
        b"status=handled&note=Richiamato%2C+tutto+ok&by=Anna+Bianchi&back=%2F",
        FORM + "; charset=UTF-8",
        WORDS,
    )
    assert (form.status, form.note, form.by, form.back) == (
        "handled",
        "Richiamato, tutto ok",
        "Anna Bianchi",
        "/",
    )


def test_a_form_without_a_note_keeps_the_stored_one_and_reopening_needs_no_name():
    form = status_form(b"status=new", FORM, WORDS)
    assert (form.status, form.note, form.by) == ("new", None, "")


def test_control_characters_are_dropped_from_names_and_notes():
    form = status_form(b"status=ignored&by=An%00na%0A&note=ok%1b", FORM, WORDS)
    assert (form.by, form.note) == ("Anna", "ok")


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"status=handled&by=x", "text/plain", 415),
        (b"status=handled&by=x", "", 415),
        (b"status=handled&by=x&by=y", FORM, 400),
        (b"status=handled&by=x&note=a&back=%2F&extra=1", FORM, 400),
        (b"status=%ff&by=x", FORM, 400),
        (b"status=handled&&by=x", FORM, 400),
        (b"", FORM, 400),
    ],
)
def test_anything_else_is_refused_with_a_status_code(body, content_type, status):
    with pytest.raises(FormError) as refused:
        status_form(body, content_type, WORDS)
    assert refused.value.status == status


def card(**changes) -> MentionCard:
    values = {
        "id": "a" * 32,
        "short_id": "a" * 10,
        "brand": "Panificio Rossi",
        "source": "recensioni.example.it",
        "kind": "review",
        "label": "negative",
        "status": "new",
        "score": -0.6,
        "rating": 0.25,
        "when": datetime(2026, 11, 30, 9, 0, tzinfo=UTC),
        "dated": True,
        "title": "Deluso </article><script>x</script>",
        "author": "Mario",
        "text": 'Pane raffermo <p class="pp-state">falso</p>',
        "url": "https://recensioni.example.it/r/1",
        "url_text": "",
    }
    return MentionCard(**{**values, **changes})


def test_a_patched_card_shows_the_new_state_and_keeps_its_text():
    other = card(id="b" * 32, short_id="b" * 10)
    page = "<main>" + mention_html(card(), WORDS) + mention_html(other, WORDS) + "</main>"
    handled = card(
        status="handled",
        handled_by="Anna",
        note="richiamato <b>subito</b>",
        handled_at=datetime(2026, 12, 1, 10, 30, tzinfo=UTC),
    )

    patched = patch_card(page, handled, WORDS)

    assert patched.replace(mention_html(other, WORDS), "") == (
        "<main>" + mention_html(handled, WORDS) + "</main>"
    )
    assert "Gestita da" in patched and "richiamato &lt;b&gt;subito&lt;/b&gt;" in patched
    # And back: open again, the state line goes.
    assert patch_card(patched, card(), WORDS) == page


def test_the_form_goes_into_the_cards_the_store_knows_with_the_stored_note():
    page = "<body>" + mention_html(card(), WORDS) + mention_html(card(id="c" * 32), WORDS)
    page += "</body>"
    assert card_ids(page) == ["a" * 32, "c" * 32]

    served = add_controls(page, "/index.html", {"a" * 32: ("handled", 'già "fatto"')}, WORDS)

    assert served.count('<form class="pp-handle"') == 1
    assert 'action="/mentions/' + "a" * 32 + '/status"' in served
    assert 'value="già &quot;fatto&quot;"' in served
    assert 'name="back" value="/index.html"' in served
    assert served.endswith('<script src="/_passaparola/handle.js"></script></body>')
