"""Handling mentions from the served report (pure): the form, its checks, the buttons on cards.

`passaparola serve` answers `POST /mentions/<id>/status` with the form fields `status`
(handled, ignored or new), `note` and `by`, and `POST /mentions/<id>/label` (a "wrong label"
correction) with `label` (negative, neutral or positive) and `by`. Everything here is a plain
function of the request's bytes and headers, so each rule (who may post, what a valid form is,
where to go back to) is tested on its own; `serve.py` is the thin HTTP shell around it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from crawler.corrections import CORRECTABLE_LABELS
from crawler.report.escape import html_text, one_line, plain
from crawler.report.labels import Words
from crawler.store import BY_MAX, NOTE_MAX, STATUSES

ACTION_PATH = re.compile(r"/mentions/([^/]+)/(status|label)")
MENTION_ID = re.compile(r"[0-9a-f]{6,32}")
FORM_TYPE = "application/x-www-form-urlencoded"
FORM_MAX_BYTES = 16 * 1024
FORM_FIELDS = ("status", "note", "by", "back")
LABEL_FIELDS = ("label", "by", "back")
LOGIN_FIELDS = ("token", "back")
BACK_MAX = 500
SCRIPT_PATH = "/_passaparola/handle.js"
LOGIN_PATH = "/_passaparola/login"
COOKIE = "passaparola_access"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


class FormError(Exception):
    """A request the server refuses; `status` is its HTTP status, the message is for people."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class StatusForm:
    status: str
    note: str | None  # None: not sent, the stored note stays; "" clears it
    by: str
    back: str  # the page the form was on, to go back to


@dataclass(frozen=True, slots=True)
class LabelForm:
    label: str
    by: str
    back: str


def parse_form(
    body: bytes, content_type: str, words: Words, allowed: tuple[str, ...] = LOGIN_FIELDS
) -> dict[str, str]:
    """The fields of a urlencoded UTF-8 form, each at most once and each one of `allowed`;
    refuses anything else."""
    media, _, parameters = content_type.partition(";")
    charset = re.search(r"charset\s*=\s*\"?([\w-]+)", parameters, re.I)
    if media.strip().lower() != FORM_TYPE or (charset and charset[1].lower() != "utf-8"):
        raise FormError(415, words.form_encoding)
    try:
        pairs = parse_qsl(
            body.decode("utf-8"),
            keep_blank_values=True,
            strict_parsing=bool(body),
            encoding="utf-8",
            errors="strict",
            max_num_fields=len(allowed),
        )
    except (UnicodeDecodeError, ValueError):
        raise FormError(400, words.form_encoding) from None
    fields: dict[str, str] = {}
    for name, value in pairs:
        if name in fields:
            raise FormError(400, words.form_field.format(field=one_line(name)[:40]))
        fields[name] = value
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise FormError(400, words.form_field.format(field=one_line(unknown[0])[:40]))
    return fields


def status_form(body: bytes, content_type: str, words: Words) -> StatusForm:
    """The validated handling form: a known status, bounded note and name, a name to act."""
    fields = parse_form(body, content_type, words, FORM_FIELDS)
    status = fields.get("status", "")
    if status not in STATUSES:
        raise FormError(400, words.form_status)
    note = plain(fields["note"]).strip() if "note" in fields else None
    by = one_line(fields.get("by", ""))
    for name, value, limit in (("note", note or "", NOTE_MAX), ("by", by, BY_MAX)):
        if len(value) > limit:
            raise FormError(400, words.form_too_long.format(field=name, n=limit))
    if status != "new" and not by:
        raise FormError(400, words.form_by)
    return StatusForm(status, note, by, fields.get("back", ""))


def label_form(body: bytes, content_type: str, words: Words) -> LabelForm:
    """The validated "wrong label" form: one of the three labels, and who corrects it."""
    fields = parse_form(body, content_type, words, LABEL_FIELDS)
    label = fields.get("label", "")
    if label not in CORRECTABLE_LABELS:
        raise FormError(400, words.form_label)
    by = _name(fields, words)
    if not by:
        raise FormError(400, words.form_label_by)
    return LabelForm(label, by, fields.get("back", ""))


def _name(fields: dict[str, str], words: Words) -> str:
    by = one_line(fields.get("by", ""))
    if len(by) > BY_MAX:
        raise FormError(400, words.form_too_long.format(field="by", n=BY_MAX))
    return by


def mention_action(path: str) -> tuple[str, str] | None:
    """The mention id and action (`status` or `label`) of a POST URL; None for any other."""
    match = ACTION_PATH.fullmatch(path)
    return (match[1], match[2]) if match else None


def valid_mention_id(candidate: str) -> bool:
    return MENTION_ID.fullmatch(candidate) is not None


def local_path(back: str) -> str:
    """A path on this server to send the browser back to; anything else becomes `/`.

    Only a plain absolute path: no scheme, no host, no `//` (another host to a browser), no
    backslash, no control character, nothing that climbs out with `..`.
    """
    if not back or len(back) > BACK_MAX or not back.startswith("/"):
        return "/"
    if back.startswith("//") or "\\" in back or any(ord(c) < 32 or ord(c) == 127 for c in back):
        return "/"
    parts = urlsplit(back)
    if parts.scheme or parts.netloc or ".." in parts.path.split("/"):
        return "/"
    return parts.path


def same_origin(headers: Mapping[str, str]) -> bool:
    """True when a state-changing request comes from a page this server served.

    Browsers say where a request comes from: `Sec-Fetch-Site` (anything but `same-origin` is
    refused) and `Origin`, which must be this server as the browser reached it (its `Host`).
    A request with neither is refused too: scripts set `Origin` themselves.
    """
    site = (headers.get("Sec-Fetch-Site") or "").strip().lower()
    if site and site != "same-origin":
        return False
    origin = headers.get("Origin")
    if origin is None:
        return site == "same-origin"
    host = (headers.get("Host") or "").strip().lower()
    parts = urlsplit(origin.strip())
    return parts.scheme in ("http", "https") and bool(host) and parts.netloc.lower() == host


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_HOSTS or host.startswith("127.")


def expected_hosts(host: str, port: int) -> frozenset[str]:
    """The `Host` values a loopback server answers to: a page on any other name is a DNS
    rebinding attack (a stranger's domain pointed at 127.0.0.1), refused."""
    names = {host, *LOOPBACK_HOSTS}
    return frozenset(f"[{n}]:{port}" if ":" in n else f"{n}:{port}" for n in names)


def access_cookie(token: str) -> str:
    """The cookie value that proves the token was given: derived from it, not the token."""
    return hmac.new(token.encode(), b"passaparola serve access", hashlib.sha256).hexdigest()


def cookie_grants(cookie_header: str | None, token: str) -> bool:
    expected = access_cookie(token)
    for part in (cookie_header or "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE and hmac.compare_digest(value.strip(), expected):
            return True
    return False


def token_matches(given: str, token: str) -> bool:
    return hmac.compare_digest(given.encode(), token.encode())


# --- the buttons on each card of a served page ---

_CARD = re.compile(
    r'(<article class="pp-mention[^"]*" id="m-[0-9a-f]+" data-id="([0-9a-f]+)"[^>]*>)'
    r"(.*?)(</article>)"
)


def card_ids(page: str) -> list[str]:
    return [match[2] for match in _CARD.finditer(page)]


def controls(
    mention: str, status: str, note: str, back: str, words: Words, label: str = "unknown"
) -> str:
    """The forms under a card: note, name, and a button for each status it does not have;
    then, folded, "wrong label?" with the labels it does not have."""
    buttons = "".join(
        f'<button type="submit" name="status" value="{choice}"'
        + (" formnovalidate" if choice == "new" else "")
        + f">{html_text(words[f'action_{choice}'])}</button>"
        for choice in STATUSES[1:] + STATUSES[:1]
        if choice != status
    )
    return (
        f'<form class="pp-handle" method="post" action="/mentions/{mention}/status">'
        f'<input type="hidden" name="back" value="{html_text(back)}">'
        f'<label>{html_text(words.note_label)} <input name="note" maxlength="{NOTE_MAX}" '
        f'value="{html_text(note)}"></label>'
        f'<label>{html_text(words.by_label)} <input name="by" maxlength="{BY_MAX}" '
        f'autocomplete="name" required></label>'
        f"{buttons}</form>" + relabel_control(mention, label, back, words)
    )


def relabel_control(mention: str, label: str, back: str, words: Words) -> str:
    """The "wrong label" control: the right label and who says so, folded under the card."""
    options = "".join(
        f'<option value="{choice}">{html_text(words[choice])}</option>'
        for choice in CORRECTABLE_LABELS
        if choice != label
    )
    return (
        f'<details class="pp-relabel"><summary>{html_text(words.wrong_label)}</summary>'
        f'<form class="pp-relabel-form" method="post" action="/mentions/{mention}/label">'
        f'<input type="hidden" name="back" value="{html_text(back)}">'
        f'<label>{html_text(words.right_label)} <select name="label">{options}</select></label>'
        f'<label>{html_text(words.by_label)} <input name="by" maxlength="{BY_MAX}" '
        f'autocomplete="name" required></label>'
        f'<button type="submit">{html_text(words.correct_label)}</button></form></details>'
    )


def add_controls(page: str, back: str, current: Mapping[str, tuple[str, ...]], words: Words) -> str:
    """The page with the handling forms in every card and the script that remembers the name.

    `current` maps each mention id to its stored (status, note[, label]), so the buttons match
    the store even on a page a rebuild has not reached yet; a card the store no longer has gets
    none.
    """

    def with_form(match: re.Match[str]) -> str:
        start, mention, body, end = match[1], match[2], match[3], match[4]
        if mention not in current:
            return match[0]
        status, note, *label = current[mention]
        return start + body + controls(mention, status, note, back, words, *label) + end

    page = _CARD.sub(with_form, page)
    script = f'<script src="{SCRIPT_PATH}"></script>'
    at = page.rfind("</body>")
    return page + script if at < 0 else page[:at] + script + page[at:]


def message_page(title: str, text: str, words: Words, *, form: str = "") -> str:
    """A small standalone page for refusals and errors, in the report's language."""
    return (
        f'<!DOCTYPE html><html lang="{words.language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html_text(title)}</title>"
        "<style>body{font-family:sans-serif;max-width:40em;margin:3em auto;padding:0 1em;"
        "line-height:1.5;color:#222}input,button{font:inherit;padding:.3em .5em}</style>"
        f"</head><body><h1>{html_text(title)}</h1><p>{html_text(text)}</p>{form}"
        f'<p><a href="/">{html_text(words.back_home)}</a></p></body></html>'
    )


def login_page(back: str, words: Words, *, wrong: bool = False) -> str:
    form = (
        (f'<p role="alert"><strong>{html_text(words.wrong_token)}</strong></p>' if wrong else "")
        + f'<form method="post" action="{LOGIN_PATH}">'
        f'<input type="hidden" name="back" value="{html_text(local_path(back))}">'
        f"<label>{html_text(words.token_label)} "
        '<input type="password" name="token" autocomplete="current-password" required '
        "autofocus></label> "
        f'<button type="submit">{html_text(words.login_button)}</button></form>'
    )
    return message_page(words.login_title, words.login_text, words, form=form)
