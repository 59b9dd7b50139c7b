"""`passaparola serve`: handle mentions from the browser, safely, with the site kept current.

The server runs as a real subprocess on a free loopback port; requests are made with the
standard library, as a browser's form would make them (or as an attacker's page would).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import lxml.html
import pytest
from cli_runner import run_cli

from .serving import Served, page_cards, serve_while_testing, start_serve, stored_row
from .store_fixtures import FilledStore, fill, project

ROSSI = "Panificio Rossi"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> FilledStore:
    return fill(project(tmp_path_factory.mktemp("serve")), busy=20)


@pytest.fixture(scope="module")
def served(store: FilledStore) -> Iterator[Served]:
    yield from serve_while_testing(store)


row, cards = stored_row, page_cards


def open_negative_metric(html: str, brand: str) -> int:
    tree = lxml.html.fromstring(html)
    (summary,) = [e for e in tree.find_class("pp-brand-summary") if e.get("data-brand") == brand]
    (cell,) = summary.xpath('.//*[@data-metric="open_negatives"]')
    return int(cell.get("data-value"))


def open_on_home(store: FilledStore, served: Served) -> list[str]:
    """The mentions the served home page lists that are still open in the store."""
    listed = cards(served.request("GET", "/").body)
    return [mention for mention in listed if row(store, mention).status == "new"]


# --- the pages ---


def test_every_card_of_a_served_page_has_the_handling_form(served):
    home = served.request("GET", "/")
    assert home.status == 200 and home.headers["content-type"].startswith("text/html")
    listed = cards(home.body)
    assert listed
    for mention, card in listed.items():
        (form,) = card.xpath('.//form[@class="pp-handle"]')
        assert form.get("method") == "post"
        assert form.get("action") == f"/mentions/{mention}/status"
        names = {field.get("name") for field in form.xpath(".//input | .//button")}
        assert names == {"back", "note", "by", "status"}
        # Buttons for the statuses it does not have: an open mention can be handled or ignored.
        assert [b.get("value") for b in form.xpath(".//button")] == ["handled", "ignored"]
    assert '<script src="/_passaparola/handle.js"></script>' in home.body
    script = served.request("GET", "/_passaparola/handle.js")
    assert script.status == 200 and "localStorage" in script.body


def test_the_published_site_has_no_form_and_no_script(store, served):
    built = (store.config.path("site") / "index.html").read_text(encoding="utf-8")
    assert 'class="pp-handle"' not in built and "handle.js" not in built


# --- a change, end to end ---


def test_marking_handled_is_stored_shown_at_once_and_the_pages_rebuilt(store, served):
    home = served.request("GET", "/")
    before = open_negative_metric(home.body, ROSSI)
    mention = next(m for m in cards(home.body) if row(store, m).brand == ROSSI)

    answer = served.post_status(
        mention, {"status": "handled", "note": "richiamato il cliente", "by": "Anna", "back": "/"}
    )

    assert answer.status == 303
    assert answer.headers["location"] == f"/#m-{mention[:10]}"
    stored = row(store, mention)
    assert (stored.status, stored.note, stored.handled_by) == (
        "handled",
        "richiamato il cliente",
        "Anna",
    )
    assert stored.handled_at is not None
    # The page the browser goes back to shows the new state straight away (patched)...
    card = cards(served.request("GET", "/").body)[mention]
    assert card.get("data-status") == "handled"
    (state,) = card.find_class("pp-state")
    assert "Gestita da" in state.text_content() and "Anna" in state.text_content()
    assert "richiamato il cliente" in state.text_content()
    assert [b.get("value") for b in card.xpath('.//form[@class="pp-handle"]//button')] == [
        "ignored",
        "new",
    ]
    # ...and the rebuild takes it off the to-handle list and out of the open count.
    served.wait_for_line("rebuilt the site")
    home = served.request("GET", "/").body
    assert mention not in cards(home)
    assert open_negative_metric(home, ROSSI) == before - 1
    # The published pages say it too, read-only.
    archive = [
        p for p in store.config.path("site").rglob("archive/*.html") if mention in p.read_text()
    ]
    assert archive
    (card,) = [c for m, c in cards(archive[0].read_text()).items() if m == mention]
    assert "Anna" in card.find_class("pp-state")[0].text_content()


def test_reopening_puts_it_back_and_forgets_who_handled_it(store, served):
    mention = open_on_home(store, served)[-1]
    assert served.post_status(mention, {"status": "ignored", "by": "Luca"}).status == 303
    assert row(store, mention).status == "ignored"

    answer = served.post_status(mention, {"status": "new", "note": "", "by": "Luca"})

    assert answer.status == 303
    stored = row(store, mention)
    assert (stored.status, stored.handled_by, stored.handled_at) == ("new", None, None)
    card = cards(served.request("GET", "/").body).get(mention)
    assert card is not None and card.get("data-status") == "new"
    assert not card.find_class("pp-state")


def test_a_script_gets_json_and_a_repeat_says_nothing_changed(store, served):
    mention = open_on_home(store, served)[0]
    fields = {"status": "ignored", "note": "spam", "by": "Sara"}
    first = served.post_status(mention, fields, Accept="application/json")
    assert first.status == 200
    record = json.loads(first.body)
    assert (record["id"], record["status"], record["before"], record["changed"]) == (
        mention,
        "ignored",
        "new",
        True,
    )
    when = row(store, mention).handled_at

    repeat = json.loads(served.post_status(mention, fields, Accept="application/json").body)

    assert repeat["changed"] is False and repeat["by"] == "Sara"
    assert row(store, mention).handled_at == when


def test_a_short_unique_prefix_of_the_id_is_enough(store, served):
    mention = open_on_home(store, served)[0]
    answer = served.post_status(mention[:12], {"status": "handled", "by": "Anna", "back": "/"})
    assert answer.status == 303 and row(store, mention).status == "handled"


# --- what is refused ---


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://127.0.0.1:1"},  # another port is another origin
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {},  # neither header: not from a page of this server
    ],
    ids=["other-site", "null", "other-port", "cross-site", "same-site", "no-origin"],
)
def test_requests_from_another_origin_are_refused_and_change_nothing(store, served, headers):
    mention = open_on_home(store, served)[0]
    answer = served.request(
        "POST", f"/mentions/{mention}/status", {"status": "handled", "by": "x"}, headers
    )
    assert answer.status == 403
    assert "Richiesta rifiutata" in answer.body
    assert row(store, mention).status == "new"


def test_a_page_on_another_host_name_is_refused_dns_rebinding(served):
    answer = served.request("GET", "/", headers={"Host": f"evil.example:{served.port}"})
    assert answer.status == 403 and "mention" not in answer.body.lower()


@pytest.mark.parametrize(
    ("fields", "content_type", "status", "says"),
    [
        (
            {"status": "done", "by": "x"},
            None,
            400,
            "scegli uno stato: gestita, ignorata o da gestire",
        ),
        ({"status": "handled"}, None, 400, "scrivi il tuo nome"),
        ({"status": "handled", "by": "   "}, None, 400, "scrivi il tuo nome"),
        ({"status": "handled", "by": "x" * 81}, None, 400, "troppo lungo"),
        ({"status": "handled", "by": "x", "note": "n" * 2001}, None, 400, "troppo lungo"),
        ({"status": "handled", "by": "x", "admin": "1"}, None, 400, "campo sconosciuto"),
        ("status=handled&status=new&by=x", None, 400, "ripetuto"),
        (b"status=handled&by=\xff\xfe", None, 400, "UTF-8"),
        ('{"status": "handled", "by": "x"}', "application/json", 415, "urlencoded"),
        ("status=handled&by=x", "multipart/form-data; boundary=x", 415, "urlencoded"),
        ("status=handled&by=x", "application/x-www-form-urlencoded; charset=latin-1", 415, ""),
        ("a=" + "x" * 20000, None, 413, "troppo grande"),
    ],
    ids=[
        "unknown-status",
        "no-name",
        "blank-name",
        "long-name",
        "long-note",
        "unknown-field",
        "repeated-field",
        "not-utf8",
        "json",
        "multipart",
        "latin-1",
        "too-big",
    ],
)
def test_malformed_forms_are_refused_with_a_page_saying_why(
    store, served, fields, content_type, status, says
):
    mention = open_on_home(store, served)[0]
    headers = {"Origin": served.origin}
    headers["Content-Type"] = content_type or "application/x-www-form-urlencoded"
    answer = served.request("POST", f"/mentions/{mention}/status", fields, headers)
    assert answer.status == status
    assert answer.headers["content-type"].startswith("text/html")
    assert says in answer.body
    assert "Traceback" not in answer.body
    assert row(store, mention).status == "new"


@pytest.mark.parametrize(
    "mention", ["0123456789abcdef0123456789abcdef", "ffffff", "zz-not-an-id", "%3Cscript%3E"]
)
def test_an_unknown_mention_is_a_404_page(served, mention):
    answer = served.post_status(mention, {"status": "handled", "by": "x"})
    assert answer.status == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert "Menzione non trovata" in answer.body and "<script>" not in answer.body


@pytest.mark.parametrize(
    "path",
    [
        "/nope.html",
        "/../passaparola.toml",
        "/%2e%2e/passaparola.toml",
        "/..%2Freport.db",
        "/mentions/abc/other",
        "/%00",
    ],
)
def test_nothing_outside_the_site_is_served(served, path):
    answer = served.request("GET", path)
    assert answer.status == 404
    assert "Pagina non trovata" in answer.body
    assert "[storage]" not in answer.body


def test_other_methods_are_not_allowed(served):
    answer = served.request("DELETE", "/mentions/abcdef/status")
    assert answer.status == 405 and answer.headers["allow"] == "GET, HEAD, POST"


def test_a_redirect_never_leaves_the_server(store, served):
    mention = open_on_home(store, served)[0]
    for back in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"):
        answer = served.post_status(mention, {"status": "ignored", "by": "x", "back": back})
        assert answer.headers["location"].startswith("/#m-"), back
        served.post_status(mention, {"status": "new"})


def test_hostile_notes_and_names_stay_text(store, served):
    mention = open_on_home(store, served)[0]
    note = "<script>window.__pwned='note'</script>"
    by = '<img src=x onerror="window.__pwned=1">'
    assert served.post_status(mention, {"status": "handled", "note": note, "by": by}).status == 303
    page = served.request("GET", "/").body
    assert note not in page and by not in page
    card = cards(page)[mention]
    assert note in card.find_class("pp-state")[0].text_content()
    assert not card.xpath(".//script | .//img")


# --- access ---


@pytest.mark.parametrize(
    ("args", "token", "says"),
    [
        (("--host", "0.0.0.0"), "", "PASSAPAROLA_SERVE_TOKEN"),
        (("--host", "192.0.2.1"), "", "PASSAPAROLA_SERVE_TOKEN"),
        (("--host", "0.0.0.0"), "short", "too short"),
    ],
)
def test_a_server_reachable_from_other_machines_needs_a_long_token(store, args, token, says):
    """Refused before anything is built or bound (nothing listens on another interface)."""
    config = store.config.root / "passaparola.toml"
    result = run_cli(
        "serve",
        "--port",
        "0",
        "-c",
        str(config),
        *args,
        cwd=config.parent,
        check=False,
        env={"PASSAPAROLA_SERVE_TOKEN": token},
    )
    assert result.returncode == 2
    assert says in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_with_a_token_the_browser_asks_for_it_once_and_keeps_a_cookie(store):
    token = "correct horse battery staple"
    server = start_serve(
        store.config.root / "passaparola.toml", env={"PASSAPAROLA_SERVE_TOKEN": token}
    )
    try:
        asked = server.request("GET", "/")
        assert asked.status == 401 and 'name="token"' in asked.body
        mention = next(
            m
            for m in cards((store.config.path("site") / "index.html").read_text())
            if row(store, m).status == "new"
        )
        refused = server.post_status(mention, {"status": "handled", "by": "x"})
        assert refused.status == 401 and row(store, mention).status == "new"

        origin = {"Origin": server.origin}
        wrong = server.request(
            "POST", "/_passaparola/login", {"token": "guess", "back": "/"}, origin
        )
        assert wrong.status == 403 and "Codice non valido" in wrong.body
        right = server.request("POST", "/_passaparola/login", {"token": token, "back": "/"}, origin)
        assert right.status == 303 and right.headers["location"] == "/"
        cookie = right.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and token not in cookie

        jar = {"Cookie": cookie.split(";", 1)[0]}
        assert server.request("GET", "/", headers=jar).status == 200
        assert server.post_status(mention, {"status": "handled", "by": "x"}, **jar).status == 303
        assert row(store, mention).status == "handled"
    finally:
        assert server.stop() == 0


# --- in a real browser ---


def test_one_click_in_chromium_handles_a_mention_and_remembers_the_name(store, served, browser):
    tab = browser.open(served.url)
    tab.wait_for(
        lambda: tab.evaluate("document.documentElement.classList.contains('js')"),
        "Material's script to start",
    )
    mention = open_on_home(store, served)[0]
    card = f"document.querySelector('article[data-id=\"{mention}\"]')"
    tab.evaluate(f"{card}.querySelector('input[name=by]').value = 'Giulia'")
    tab.evaluate(f"{card}.querySelector('input[name=note]').value = 'risposto su Google'")

    tab.loaded = False
    tab.evaluate(f"{card}.querySelector('button[value=handled]').click()")
    tab.wait_for(lambda: tab.loaded, "the page after the click")

    assert tab.evaluate("location.pathname + location.hash") == f"/#m-{mention[:10]}"
    assert tab.evaluate(f"{card}.dataset.status") == "handled"
    assert "Giulia" in tab.evaluate(f"{card}.querySelector('.pp-state').innerText")
    stored = row(store, mention)
    assert (stored.status, stored.handled_by, stored.note) == (
        "handled",
        "Giulia",
        "risposto su Google",
    )
    # The name is remembered in this browser and filled into every other card's form.
    assert tab.evaluate("localStorage.getItem('passaparola.by')") == "Giulia"
    names = tab.evaluate(
        "Array.from(document.querySelectorAll('form.pp-handle input[name=by]')).map(i => i.value)"
    )
    assert names and set(names) == {"Giulia"}
    assert tab.problems() == []
