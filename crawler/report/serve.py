"""`passaparola serve`: the report over HTTP, where every mention card can be handled.

The standard library's threading HTTP server, small on purpose. It serves the built `site/`
read-only, adds the handling forms to each card of the HTML pages it sends, and answers
`POST /mentions/<id>/status` (form fields `status`, `note`, `by`) and `POST
/mentions/<id>/label` (`label`, `by`: the team's correction of a wrong label): the change is
stored, the mention's cards are patched at once and the report is rebuilt in the background
(`live.py`).

Who may change what: on a loopback address, anyone on this machine, but only from pages this
server sent (`Origin`/`Sec-Fetch-Site` are checked, and the `Host` must be this server's, which
stops DNS rebinding). On any other address, `PASSAPAROLA_SERVE_TOKEN` is required: a browser
asks for it once and keeps a cookie derived from it. Every answer to a mistake is a short page
in the report's language with the right status code, never a traceback.
"""

from __future__ import annotations

import json
import mimetypes
import os
import shutil
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from typing import Any
from urllib.parse import unquote, urlsplit

from sqlalchemy import Engine

from crawler.config import Config
from crawler.corrections import LabelCorrection, correct_label
from crawler.report.escape import one_line
from crawler.report.handling import (
    COOKIE,
    FORM_MAX_BYTES,
    LOGIN_PATH,
    SCRIPT_PATH,
    FormError,
    access_cookie,
    add_controls,
    card_ids,
    cookie_grants,
    expected_hosts,
    is_loopback,
    label_form,
    local_path,
    login_page,
    mention_action,
    message_page,
    parse_form,
    same_origin,
    status_form,
    token_matches,
    valid_mention_id,
)
from crawler.report.labels import Words
from crawler.report.live import LiveSite
from crawler.report.periods import zone_named
from crawler.report.site import ReportError
from crawler.report.views import SHORT_ID
from crawler.store import StatusChange, change_status

TOKEN_ENV = "PASSAPAROLA_SERVE_TOKEN"
TOKEN_MIN_CHARS = 16
COOKIE_SECONDS = 180 * 86400
_SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),  # the buttons cannot be framed by another site (clickjacking)
    ("Content-Security-Policy", "frame-ancestors 'none'"),
    ("Referrer-Policy", "same-origin"),
)


class ServeError(ReportError):
    """The server cannot start as asked; one line for the terminal."""


@dataclass(frozen=True, slots=True)
class Access:
    host: str
    port: int
    token: str | None  # required from every browser when set


def access_for(host: str, port: int, environ: Mapping[str, str]) -> Access:
    """Where to listen and whether a token is asked for; refuses an open server without one."""
    token = environ.get(TOKEN_ENV) or None
    if not is_loopback(host) and token is None:
        raise ServeError(
            f"--host {host} can be reached from other machines: set {TOKEN_ENV} to a secret of "
            f"at least {TOKEN_MIN_CHARS} characters first (each browser asks for it once)"
        )
    if token is not None and len(token) < TOKEN_MIN_CHARS:
        raise ServeError(f"{TOKEN_ENV} is too short: use at least {TOKEN_MIN_CHARS} characters")
    return Access(host, port, token)


class HandlingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, access: Access, live: LiveSite, log: Callable[[str], None], family: int
    ) -> None:
        self.address_family = family
        self.access, self.live, self.words, self.log = access, live, live.words, log
        super().__init__((access.host, access.port), _Handler)
        self.port = self.server_address[1]
        # Behind a token any name may reach us; on loopback only our own names may.
        self.hosts = None if access.token else expected_hosts(access.host, self.port)

    @property
    def url(self) -> str:
        host = f"[{self.access.host}]" if ":" in self.access.host else self.access.host
        return f"http://{host}:{self.port}/"


def make_handling_server(
    config: Config, engine: Engine, access: Access, log: Callable[[str], None]
) -> HandlingServer:
    """A server for the project's built site, with handling; raises `ServeError`."""
    site = config.path("site")
    if not (site / "index.html").is_file():
        raise ServeError(f"{site}: no built site here; run `passaparola report` first")
    words = Words(config.site.language, zone_named(config.schedule.timezone))
    live = LiveSite(config, engine, words, log)
    family = socket.AF_INET6 if ":" in access.host else socket.AF_INET
    try:
        server = HandlingServer(access, live, log, family)
    except OSError as error:
        reason = error.strerror or str(error)
        raise ServeError(f"cannot serve on {access.host}:{access.port}: {reason}") from None
    live.start()
    return server


def site_path(url_path: str) -> str | None:
    """The site file a URL path names, relative to site/; None for anything outside it."""
    try:
        path = unquote(url_path, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\0" in path or "\\" in path:
        return None
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if any(part.startswith(".") for part in parts):  # `..`, and files no page links to
        return None
    return "/".join(parts)


class _Handler(BaseHTTPRequestHandler):
    server: HandlingServer

    def version_string(self) -> str:
        return "passaparola"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # a line per change and per rebuild is logged instead

    # --- methods ---
    def do_GET(self) -> None:
        self._dispatch(self._get)

    def do_HEAD(self) -> None:
        self._dispatch(self._get)

    def do_POST(self) -> None:
        self._dispatch(self._post)

    def _not_allowed(self) -> None:
        words = self.server.words
        self._page(405, words.not_allowed, words.not_allowed, (("Allow", "GET, HEAD, POST"),))

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed

    def _dispatch(self, action: Callable[[], None]) -> None:
        words = self.server.words
        try:
            hosts = self.server.hosts
            if hosts is not None and (self.headers.get("Host") or "").lower() not in hosts:
                self._page(403, words.refused, words.refused_host)
            elif self._signed_in() or self._signing_in():
                action()
            else:
                self._send(401, login_page(self._url_path(), words).encode(), "text/html")
        except FormError as error:
            self.close_connection = True
            self._page(error.status, words.bad_request, str(error))
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as error:  # a bug: say so in one line, keep serving
            self.server.log(
                f"error answering {self.command} {one_line(self.path)[:200]}: {error!r}"
            )
            self.close_connection = True
            self._page(500, words.bad_request, words.bad_request)

    def _url_path(self) -> str:
        return urlsplit(self.path).path or "/"

    def _signed_in(self) -> bool:
        token = self.server.access.token
        return token is None or cookie_grants(self.headers.get("Cookie"), token)

    def _signing_in(self) -> bool:
        return self.command == "POST" and self._url_path() == LOGIN_PATH

    # --- GET: the site, with the handling form on every card ---
    def _get(self) -> None:
        path = self._url_path()
        if path == SCRIPT_PATH:
            script = files("crawler.report").joinpath("assets/handle.js").read_bytes()
            self._send(200, script, "text/javascript", cache="no-cache")
            return
        relative = site_path(path)
        folder = bool(relative) and (self.server.live.root / str(relative)).is_dir()
        if folder and not path.endswith("/"):  # its pages' relative links need the slash
            self._redirect(path + "/")
            return
        opened = None if relative is None else self.server.live.open(relative)
        words = self.server.words
        if opened is None:
            self._page(404, words.page_not_found, words.page_not_found_text)
            return
        with opened:
            name = opened.name
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
            if kind != "text/html":
                self._send_file(opened, kind)
                return
            page = opened.read().decode("utf-8", errors="replace")
        live = self.server.live
        page = add_controls(page, path, live.current(card_ids(page)), words)
        self._send(200, page.encode("utf-8"), "text/html")

    # --- POST: a status change (or the token) ---
    def _post(self) -> None:
        words = self.server.words
        path = self._url_path()
        if not same_origin(self.headers):
            self._page(403, words.refused, words.refused_origin)
            return
        body = self._body()
        content_type = self.headers.get("Content-Type", "")
        if path == LOGIN_PATH and self.server.access.token:
            self._sign_in(parse_form(body, content_type, words))
            return
        action = mention_action(path)
        if action is None:
            self._page(404, words.page_not_found, words.page_not_found_text)
            return
        mention, what = action
        if not valid_mention_id(mention):
            self._mention_not_found(mention)
            return
        engine = self.server.live.engine
        change: StatusChange | LabelCorrection | None
        if what == "label":
            form: Any = label_form(body, content_type, words)
            change = correct_label(engine, mention, form.label, form.by)
        else:
            form = status_form(body, content_type, words)
            change = change_status(engine, mention, form.status, form.note, form.by)
        if change is None:
            self._mention_not_found(mention)
            return
        if change.changed:
            self.server.live.changed(change.id)
            self.server.log(describe_change(change))
        if "application/json" in self.headers.get("Accept", ""):
            self._send(200, json.dumps(change_record(change)).encode(), "application/json")
            return
        self._redirect(f"{local_path(form.back)}#m-{change.id[:SHORT_ID]}")

    def _body(self) -> bytes:
        words = self.server.words
        if self.headers.get("Transfer-Encoding"):
            raise FormError(411, words.form_size)
        length = self.headers.get("Content-Length")
        if length is None or not length.strip().isdigit():
            raise FormError(411, words.form_size)
        if int(length) > FORM_MAX_BYTES:
            raise FormError(413, words.form_size)
        return self.rfile.read(int(length))

    def _sign_in(self, fields: dict[str, str]) -> None:
        token = self.server.access.token or ""
        back = local_path(fields.get("back", "/"))
        if not token_matches(fields.get("token", ""), token):
            self._send(403, login_page(back, self.server.words, wrong=True).encode(), "text/html")
            return
        cookie = (
            f"{COOKIE}={access_cookie(token)}; Path=/; HttpOnly; SameSite=Strict; "
            f"Max-Age={COOKIE_SECONDS}"
        )
        self._redirect(back, (("Set-Cookie", cookie),))

    def _mention_not_found(self, mention: str) -> None:
        words = self.server.words
        text = words.mention_not_found_text.format(id=one_line(mention)[:40])
        self._page(404, words.mention_not_found, text)

    # --- answers ---
    def _page(
        self, status: int, title: str, text: str, headers: tuple[tuple[str, str], ...] = ()
    ) -> None:
        page = message_page(title, text, self.server.words)
        self._send(status, page.encode("utf-8"), "text/html", headers=headers)

    def _redirect(self, location: str, headers: tuple[tuple[str, str], ...] = ()) -> None:
        self._send(303, b"", "text/plain", headers=(("Location", location), *headers))

    def _headers(self, status: int, kind: str, length: int, cache: str, headers: Any) -> None:
        self.send_response(status)
        charset = "; charset=utf-8" if kind.startswith("text/") or kind.endswith("json") else ""
        self.send_header("Content-Type", kind + charset)
        self.send_header("Content-Length", str(length))
        self.send_header("Cache-Control", cache)
        for name, value in (*_SECURITY_HEADERS, *headers):
            self.send_header(name, value)
        self.end_headers()

    def _send(
        self,
        status: int,
        body: bytes,
        kind: str,
        *,
        cache: str = "no-store",
        headers: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self._headers(status, kind, len(body), cache, headers)
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_file(self, opened: Any, kind: str) -> None:
        self._headers(200, kind, os.fstat(opened.fileno()).st_size, "no-cache", ())
        if self.command != "HEAD":
            shutil.copyfileobj(opened, self.wfile, 1 << 16)


def describe_change(change: StatusChange | LabelCorrection) -> str:
    """One line for the server's log (and `passaparola handle`): which mention, what now."""
    what = one_line(change.title or change.url)[:80]
    who = f" by {one_line(change.by)}" if change.by else ""
    if isinstance(change, LabelCorrection):
        where = f"{one_line(change.brand)}: {what}"
        return (
            f"mention {change.id[:SHORT_ID]} ({where}) label {change.before} → {change.label}{who}"
        )
    where = f"{one_line(change.brand)}, {one_line(change.source)}: {what}"
    return f"mention {change.id[:SHORT_ID]} ({where}) {change.before} → {change.status}{who}"


def change_record(change: StatusChange | LabelCorrection) -> dict[str, Any]:
    """The JSON answer to a script that asked for one (`Accept: application/json`)."""
    if isinstance(change, LabelCorrection):
        return {
            "id": change.id,
            "label": change.label,
            "before": change.before,
            "by": change.by,
            "changed": change.changed,
        }
    return {
        "id": change.id,
        "status": change.status,
        "before": change.before,
        "note": change.note,
        "by": change.by,
        "at": change.at.isoformat() if change.at else None,
        "changed": change.changed,
    }
