"""Delivery through real SMTP servers on 127.0.0.1: security modes, credentials, failures, crashes.

The guarantee under test: an alert is stored before it is sent, retried until the server takes
it, and never sent twice, even when the sender dies while the server is receiving it.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from crawler.alerts import AlertConfigError, open_alerts, run_alerts
from crawler.store import alerts

from .conftest import (
    REPO,
    ROME,
    SMTP_PASSWORD,
    SMTP_USER,
    Inbox,
    Server,
    Store,
    TlsFiles,
    free_port,
    make_config,
)

NOW = dt.datetime(2025, 3, 12, 18, 0, tzinfo=ROME)
QUIET_MONTH = [0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]
CREDENTIALS = {"PASSAPAROLA_SMTP_USER": SMTP_USER, "PASSAPAROLA_SMTP_PASSWORD": SMTP_PASSWORD}

pytestmark = pytest.mark.usefixtures("inboxes")


@pytest.fixture()
def spike(store: Store) -> Store:
    """Panificio Rossi: a quiet month, then six complaints today."""
    store.history("Panificio Rossi", NOW.date(), [*QUIET_MONTH, 6])
    return store


def rows(store: Store) -> list:
    with store.engine.connect() as conn:
        return conn.execute(select(alerts).order_by(alerts.c.id)).all()


def test_starttls_is_the_default_and_verifies_the_certificate(
    tmp_path: Path,
    spike: Store,
    starttls_server: Server,
    tls_files: TlsFiles,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = make_config(tmp_path, port=starttls_server.port, security="starttls")
    # Not trusted yet: the self-signed certificate is refused, the alert waits.
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    run = run_alerts(config, spike.engine, now=NOW, env={})
    assert run.sent == [] and "certificate verify failed" in run.failed[0][1]
    assert starttls_server.inbox.received == []

    monkeypatch.setenv("SSL_CERT_FILE", str(tls_files.cert))
    run = run_alerts(config, spike.engine, now=NOW + dt.timedelta(minutes=2), env={})
    assert len(run.sent) == 1
    assert starttls_server.inbox.tls == [True]


def test_implicit_tls_with_security_ssl(
    tmp_path: Path,
    spike: Store,
    ssl_server: Server,
    tls_files: TlsFiles,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_files.cert))
    config = make_config(tmp_path, port=ssl_server.port, security="ssl")
    assert len(run_alerts(config, spike.engine, now=NOW, env={}).sent) == 1
    assert ssl_server.inbox.tls == [True]


def test_credentials_come_from_the_environment(
    tmp_path: Path, spike: Store, auth_server: Server
) -> None:
    config = make_config(tmp_path, port=auth_server.port)
    run = run_alerts(config, spike.engine, now=NOW, env=CREDENTIALS)
    assert len(run.sent) == 1 and len(auth_server.inbox.received) == 1


def test_wrong_credentials_name_the_variables_to_set(
    tmp_path: Path, spike: Store, auth_server: Server
) -> None:
    config = make_config(tmp_path, port=auth_server.port)
    wrong = {**CREDENTIALS, "PASSAPAROLA_SMTP_PASSWORD": "hunter2"}
    with pytest.raises(AlertConfigError) as raised:
        run_alerts(config, spike.engine, now=NOW, env=wrong)
    message = str(raised.value)
    assert message == (
        f"SMTP authentication failed for user '{SMTP_USER}' at 127.0.0.1:{auth_server.port}; "
        "set PASSAPAROLA_SMTP_USER and PASSAPAROLA_SMTP_PASSWORD"
    )
    assert "hunter2" not in message
    (row,) = rows(spike)
    assert row.state == "pending" and row.last_error == message and row.attempts == 1

    # Fixed in the environment: the next run sends it, without waiting for a backoff.
    run = run_alerts(config, spike.engine, now=NOW, env=CREDENTIALS)
    assert len(run.sent) == 1 and len(auth_server.inbox.received) == 1


def test_missing_credentials_for_a_server_that_wants_them(
    tmp_path: Path, spike: Store, auth_server: Server
) -> None:
    config = make_config(tmp_path, port=auth_server.port)
    with pytest.raises(
        AlertConfigError, match="requires authentication; set PASSAPAROLA_SMTP_USER"
    ):
        run_alerts(config, spike.engine, now=NOW, env={})
    with pytest.raises(AlertConfigError, match="PASSAPAROLA_SMTP_PASSWORD is not set"):
        run_alerts(config, spike.engine, now=NOW, env={"PASSAPAROLA_SMTP_USER": SMTP_USER})
    assert auth_server.inbox.received == []


def test_without_recipients_alerts_are_recorded_for_the_report_not_emailed(
    tmp_path: Path, spike: Store, plain_server: Server
) -> None:
    config = make_config(tmp_path, port=plain_server.port, to="[]")
    run = run_alerts(config, spike.engine, now=NOW, env={})
    assert [a.brand for a in run.raised] == ["Panificio Rossi"] and run.sent == []
    assert "none e-mailed ([alerts] to is empty)" in run.summary()
    (row,) = rows(spike)
    assert row.state == "unsent" and "[alerts] to was empty" in row.last_error
    assert [a.brand for a in open_alerts(spike.engine)] == ["Panificio Rossi"]

    # Adding recipients later does not e-mail yesterday's news; new alerts go out.
    addressed = make_config(tmp_path, port=plain_server.port)
    run_alerts(addressed, spike.engine, now=NOW + dt.timedelta(hours=1), env={})
    assert plain_server.inbox.received == [] and rows(spike)[0].state == "unsent"


def test_server_down_then_back_sends_exactly_once(tmp_path: Path, spike: Store) -> None:
    port = free_port()
    config = make_config(tmp_path, port=port)
    run = run_alerts(config, spike.engine, now=NOW, env={})
    assert [a.brand for a in run.raised] == ["Panificio Rossi"] and run.sent == []
    (row,) = rows(spike)
    assert row.state == "pending" and row.attempts == 1
    assert f"cannot reach SMTP server 127.0.0.1:{port}" in row.last_error
    assert row.next_attempt == NOW + dt.timedelta(minutes=1)

    # Too early for a retry: nothing is attempted.
    run = run_alerts(config, spike.engine, now=NOW + dt.timedelta(seconds=30), env={})
    assert run.failed == [] and rows(spike)[0].attempts == 1
    # Still down: the wait doubles.
    run_alerts(config, spike.engine, now=NOW + dt.timedelta(minutes=1), env={})
    assert rows(spike)[0].next_attempt == NOW + dt.timedelta(minutes=3)

    server = Server(port, Inbox()).start()
    try:
        for minutes in (3, 10, 60, 24 * 60):
            run_alerts(config, spike.engine, now=NOW + dt.timedelta(minutes=minutes), env={})
        assert len(server.inbox.received) == 1
    finally:
        server.stop()
    (row,) = rows(spike)
    assert row.state == "sent" and row.attempts == 3 and row.last_error is None
    assert row.sent_at == NOW + dt.timedelta(minutes=3)


def test_a_refused_message_is_retried_not_lost(
    tmp_path: Path, spike: Store, plain_server: Server
) -> None:
    config = make_config(tmp_path, port=plain_server.port)
    plain_server.inbox.data_reply = "451 4.3.0 Try again later"
    run = run_alerts(config, spike.engine, now=NOW, env={})
    assert run.failed[0][1].endswith("refused the message: 451 4.3.0 Try again later")
    assert rows(spike)[0].state == "pending"
    plain_server.inbox.data_reply = "250 OK"
    run = run_alerts(config, spike.engine, now=NOW + dt.timedelta(minutes=5), env={})
    assert len(run.sent) == 1 and len(plain_server.inbox.received) == 1


def test_two_brands_two_emails_one_connection(
    tmp_path: Path, spike: Store, plain_server: Server
) -> None:
    spike.history("Caffè Bianchi", NOW.date(), [*QUIET_MONTH, 4])
    config = make_config(tmp_path, port=plain_server.port)
    run = run_alerts(config, spike.engine, now=NOW, env={})
    assert sorted(a.brand for a in run.sent) == ["Caffè Bianchi", "Panificio Rossi"]
    subjects = sorted(m["Subject"] for m in plain_server.inbox.messages)
    assert subjects[0] == "[passaparola] Caffè Bianchi: 4 negative mentions today (usually 0.1)"


def test_dry_run_renders_without_sending_or_recording(
    tmp_path: Path, spike: Store, plain_server: Server
) -> None:
    config = make_config(tmp_path, port=plain_server.port, to="[]")
    run = run_alerts(config, spike.engine, now=NOW, dry_run=True, env={})
    assert run.dry_run and len(run.raised) == 1 and len(run.messages) == 1
    printed = str(run.messages[0])
    assert "Subject: [passaparola] Panificio Rossi: 6 negative mentions today" in printed
    assert "To: (no recipients: set [alerts] to)" in printed
    assert "nothing was sent or recorded" in run.summary()
    assert rows(spike) == [] and plain_server.inbox.received == []


CRASHING_RUN = """
import datetime as dt, sys
from crawler.alerts import run_alerts
from crawler.config import load_config
from crawler.store import open_engine
config = load_config(sys.argv[1])
run_alerts(config, open_engine(config.database_url), now=dt.datetime.fromisoformat(sys.argv[2]),
           env={})
raise SystemExit("the run was meant to be killed before it finished")
"""


def run_killed_by(tmp_path: Path, server: Server, hook: str, store: Store) -> None:
    """Run `passaparola alert` in a process the SMTP server kills at `hook` ("data"/"rcpt")."""
    make_config(tmp_path, port=server.port, storage=store.url)  # writes passaparola.toml
    process: list[subprocess.Popen] = []

    def kill() -> None:
        os.kill(process[0].pid, signal.SIGKILL)

    setattr(server.inbox, f"on_{hook}", kill)
    process.append(
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                CRASHING_RUN,
                str(tmp_path / "passaparola.toml"),
                NOW.isoformat(),
            ],
            cwd=REPO,
        )
    )
    assert process[0].wait(timeout=120) == -signal.SIGKILL
    setattr(server.inbox, f"on_{hook}", None)


def test_killed_while_the_server_receives_it_is_never_sent_twice(
    tmp_path: Path, spike: Store, plain_server: Server
) -> None:
    run_killed_by(tmp_path, plain_server, "data", spike)
    assert len(plain_server.inbox.received) == 1  # the server has it; the sender never knew
    (row,) = rows(spike)
    assert row.state == "sending" and row.handed_over is not None and row.sent_at is None

    config = make_config(tmp_path, port=plain_server.port)
    # Soon after, the claim may belong to a run still talking to the server: left alone.
    run = run_alerts(config, spike.engine, now=NOW + dt.timedelta(minutes=5), env={})
    assert run.sent == [] and rows(spike)[0].state == "sending"
    # Later the claim is stale: unconfirmed, reported with its Message-ID, not resent.
    run = run_alerts(config, spike.engine, now=NOW + dt.timedelta(minutes=20), env={})
    assert [a.state for a in run.unconfirmed] == ["unconfirmed"]
    assert row.message_id in run.summary()
    for hours in (1, 6, 24):
        run_alerts(config, spike.engine, now=NOW + dt.timedelta(hours=hours), env={})
    assert len(plain_server.inbox.received) == 1
    assert rows(spike)[0].state == "unconfirmed"
    assert plain_server.inbox.messages[0]["Message-ID"] == row.message_id


KILLED_AFTER_ACCEPT = """
import datetime as dt, os, signal, sys
import crawler.alerts.outbox as outbox
from crawler.alerts import run_alerts
from crawler.config import load_config
from crawler.store import open_engine

def die(*args, **kwargs):  # the server said 250; the process dies before recording "sent"
    os.kill(os.getpid(), signal.SIGKILL)

outbox.mark_sent = die
config = load_config(sys.argv[1])
run_alerts(config, open_engine(config.database_url), now=dt.datetime.fromisoformat(sys.argv[2]),
           env={})
"""


def test_killed_after_the_server_accepted_before_the_commit_is_never_sent_twice(
    tmp_path: Path, spike: Store, plain_server: Server
) -> None:
    config = make_config(tmp_path, port=plain_server.port, storage=spike.url)
    process = subprocess.run(
        [
            sys.executable,
            "-c",
            KILLED_AFTER_ACCEPT,
            str(tmp_path / "passaparola.toml"),
            NOW.isoformat(),
        ],
        cwd=REPO,
        timeout=120,
    )
    assert process.returncode == -signal.SIGKILL
    assert len(plain_server.inbox.received) == 1
    (row,) = rows(spike)
    assert (row.state, row.attempts, row.sent_at) == ("sending", 1, None)

    for later in (dt.timedelta(minutes=20), dt.timedelta(hours=2), dt.timedelta(days=1)):
        run = run_alerts(config, spike.engine, now=NOW + later, env={})
        assert run.sent == []
    assert len(plain_server.inbox.received) == 1
    (row,) = rows(spike)
    assert row.state == "unconfirmed" and "look for its Message-ID" in row.last_error
    assert plain_server.inbox.messages[0]["Message-ID"] == row.message_id


def test_killed_before_the_message_was_handed_over_is_sent_later(
    tmp_path: Path, spike: Store, plain_server: Server
) -> None:
    run_killed_by(tmp_path, plain_server, "rcpt", spike)
    assert plain_server.inbox.received == []
    assert rows(spike)[0].state == "sending" and rows(spike)[0].handed_over is None

    config = make_config(tmp_path, port=plain_server.port)
    run = run_alerts(config, spike.engine, now=NOW + dt.timedelta(minutes=20), env={})
    assert len(run.sent) == 1
    run_alerts(config, spike.engine, now=NOW + dt.timedelta(hours=1), env={})
    assert len(plain_server.inbox.received) == 1
    (row,) = rows(spike)
    assert row.state == "sent" and row.attempts == 2


def test_open_alerts_lists_what_the_report_shows(
    tmp_path: Path, spike: Store, plain_server: Server
) -> None:
    config = make_config(tmp_path, port=plain_server.port)
    run_alerts(config, spike.engine, now=NOW, env={})
    (alert,) = open_alerts(spike.engine)
    assert (alert.brand, alert.kind, alert.count, alert.state) == (
        "Panificio Rossi",
        "spike",
        6,
        "sent",
    )
    assert alert.window_start == dt.datetime(2025, 3, 12, tzinfo=ROME)
    assert alert.window_end == dt.datetime(2025, 3, 13, tzinfo=ROME)
    # The history starts with the first stored mention, 27 days before today.
    assert alert.baseline == pytest.approx(4 / 27) and alert.closed is None
