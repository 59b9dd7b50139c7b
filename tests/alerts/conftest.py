"""Real SMTP servers (aiosmtpd on 127.0.0.1) and stores filled like a crawl would fill them."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy import update

from crawler.config import Config, parse_config
from crawler.items import Mention
from crawler.store import crawl_runs, mention_id, mentions, open_engine, upsert_mentions

from .webhooks import Hooks, serve

ROME = ZoneInfo("Europe/Rome")
REPO = Path(__file__).resolve().parents[2]


def pytest_configure(config: pytest.Config) -> None:
    # The auth test server offers AUTH without TLS on purpose (it is on 127.0.0.1).
    config.addinivalue_line(
        "filterwarnings", "ignore:Requiring AUTH while not requiring TLS:UserWarning"
    )


SMTP_USER = "alerts@example.org"
SMTP_PASSWORD = "correct horse battery staple"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts.

    `on_data` runs after the message has been received and kept but before the server answers
    "250", like a crash of the sender at the worst moment; `on_rcpt` runs at RCPT time.
    """

    def __init__(self) -> None:
        self.received: list[Any] = []
        self.tls: list[bool] = []  # per message: did it arrive over TLS
        self.data_reply = "250 Message accepted for delivery"
        self.on_data: Callable[[], None] | None = None
        self.on_rcpt: Callable[[], None] | None = None
        self.changed = threading.Condition()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.on_rcpt is not None:
            self.on_rcpt()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if not self.data_reply.startswith("250"):
            return self.data_reply
        with self.changed:
            self.received.append(envelope)
            implicit = server.transport.get_extra_info("ssl_object") is not None
            self.tls.append(session.ssl is not None or implicit)
            self.changed.notify_all()
        if self.on_data is not None:
            self.on_data()
        return self.data_reply

    @property
    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(e.content, policy=policy.default) for e in self.received]

    def wait_for(self, count: int, timeout: float = 30) -> None:
        with self.changed:
            if not self.changed.wait_for(lambda: len(self.received) >= count, timeout):
                raise AssertionError(f"expected {count} messages, got {len(self.received)}")


@dataclass
class Server:
    port: int
    inbox: Inbox
    controller: Controller | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def start(self, **kwargs: Any) -> Server:
        self.controller = Controller(
            self.inbox, hostname="127.0.0.1", port=self.port, **{**self.extra, **kwargs}
        )
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@dataclass(frozen=True)
class TlsFiles:
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    """A self-signed certificate for 127.0.0.1, trusted by the client via SSL_CERT_FILE."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "passaparola test SMTP")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return TlsFiles(cert_path, key_path)


def _serve(**kwargs: Any) -> Iterator[Server]:
    server = Server(free_port(), Inbox(), extra=kwargs).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def plain_server() -> Iterator[Server]:
    yield from _serve()


@pytest.fixture(scope="session")
def auth_server() -> Iterator[Server]:
    def authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and (
            auth_data.login.decode() == SMTP_USER and auth_data.password.decode() == SMTP_PASSWORD
        )
        return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535

    yield from _serve(auth_required=True, auth_require_tls=False, authenticator=authenticator)


@pytest.fixture(scope="session")
def starttls_server(tls_files: TlsFiles) -> Iterator[Server]:
    yield from _serve(tls_context=tls_files.server_context(), require_starttls=True)


@pytest.fixture(scope="session")
def ssl_server(tls_files: TlsFiles) -> Iterator[Server]:
    yield from _serve(ssl_context=tls_files.server_context())


@pytest.fixture()
def inboxes(plain_server, auth_server, starttls_server, ssl_server) -> Iterator[None]:
    """Empty the shared servers' inboxes and hooks after a test."""
    yield
    for server in (plain_server, auth_server, starttls_server, ssl_server):
        server.inbox.received.clear()
        server.inbox.tls.clear()
        server.inbox.on_data = server.inbox.on_rcpt = None
        server.inbox.data_reply = "250 Message accepted for delivery"


def make_config(
    tmp_path: Path,
    *,
    port: int,
    security: str = "none",
    language: str = "en",
    site_url: str | None = "https://reports.example.org/rossi/",
    to: str = '["marketing@example.org", "Owner <owner@example.org>"]',
    extra: str = "",
    storage: str = "sqlite:///store.db",
    timeout: float = 10,
    tail: str = "",
) -> Config:
    site = f'url = "{site_url}"' if site_url else ""
    text = f"""
[site]
title = "Reputazione"
language = "{language}"
{site}

[[brands]]
name = "Panificio Rossi"

[[brands]]
name = "Caffè Bianchi"

[storage]
url = "{storage}"

[alerts]
to = {to}
from = "passaparola <alerts@example.org>"
smtp_host = "127.0.0.1"
smtp_port = {port}
security = "{security}"
timeout = {timeout}
{extra}

[schedule]
timezone = "Europe/Rome"
{tail}
"""
    path = tmp_path / "passaparola.toml"
    path.write_text(text, encoding="utf-8")
    return parse_config(text, path=path)


class Store:
    """A store filled the way crawl + score fill it: upserts, then labels set by SQL."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = open_engine(url)
        self.serial = 0

    def add(
        self,
        brand: str,
        when: dt.datetime | None,
        *,
        label: str = "negative",
        first_seen: dt.datetime | None = None,
        text: str | None = None,
        author: str = "Giulia",
        source: str = "recensioni.example.it",
        url: str | None = None,
        rating: float | None = None,
        score: float | None = -0.6,
        title: str | None = None,
    ) -> str:
        self.serial += 1
        url = url or f"https://{source}/panificio/{self.serial}"
        item = Mention(
            brand=brand,
            kind="review",
            url=url,
            text=text or f"Recensione numero {self.serial}: pane raffermo, personale sgarbato.",
            source=source,
            source_url=f"https://{source}/",
            title=title,
            author=author,
            published=when,
            rating=rating,
            lang="it",
        )
        upsert_mentions(self.engine, [item])
        ident = mention_id(url, brand)
        seen = first_seen or (when + dt.timedelta(hours=1) if when else None)
        values: dict[str, Any] = {"label": label, "score": score}
        if seen is not None:
            values.update(first_seen=seen, last_seen=seen)
        with self.engine.begin() as conn:
            conn.execute(update(mentions).where(mentions.c.id == ident).values(**values))
        return ident

    def crawl_run(
        self,
        source: str,
        started: dt.datetime,
        finished: dt.datetime | None,
        *,
        status: str = "finished",
        pages: int = 3,
    ) -> None:
        """A run of the crawl of `source` as the crawl records it (`finished` None: killed)."""
        with self.engine.begin() as conn:
            conn.execute(
                crawl_runs.insert().values(
                    source_url=f"https://{source}/",
                    kind="blog",
                    started=started,
                    finished=finished,
                    pages=pages,
                    status=status if finished else "running",
                )
            )

    def daily(self, brand: str, day: dt.date, count: int, *, hour: int = 9, **kwargs: Any) -> None:
        """`count` mentions published on a local day, spread over the day from `hour`."""
        for n in range(count):
            moment = dt.datetime.combine(day, dt.time(hour), tzinfo=ROME)
            self.add(brand, moment + dt.timedelta(minutes=7 * n), **kwargs)

    def history(self, brand: str, today: dt.date, counts: list[int], **kwargs: Any) -> None:
        """Daily negative counts ending today: counts[-1] is today's."""
        for back, count in enumerate(reversed(counts)):
            self.daily(brand, today - dt.timedelta(days=back), count, **kwargs)


@pytest.fixture()
def store(database_url: str) -> Iterator[Store]:
    """A store on each supported database; configs of its tests pass `storage=store.url`."""
    store = Store(database_url)
    yield store
    store.engine.dispose()


@pytest.fixture(scope="session")
def hook_server() -> Iterator[tuple[Hooks, int]]:
    """The chat-channel endpoint (json:// and form:// post to it), for the whole session."""
    hooks = Hooks()
    server = serve(hooks)
    yield hooks, server.server_address[1]
    hooks.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture()
def hooks(hook_server: tuple[Hooks, int]) -> Iterator[Hooks]:
    """The endpoint, emptied after the test (a hanging request is let go)."""
    yield hook_server[0]
    hook_server[0].reset()


@pytest.fixture()
def hook_port(hook_server: tuple[Hooks, int]) -> int:
    return hook_server[1]


@pytest.fixture()
def unused_port() -> int:
    """A port on 127.0.0.1 where nothing listens."""
    return free_port()
