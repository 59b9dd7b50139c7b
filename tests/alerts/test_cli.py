"""`passaparola alert` as a user runs it: a real process, a filled store, aiosmtpd receiving."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from crawler.store import alerts

from .conftest import REPO, ROME, SMTP_PASSWORD, SMTP_USER, Server, Store, make_config

QUIET_MONTH = [0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]

pytestmark = pytest.mark.usefixtures("inboxes")


def passaparola(config: Path, *args: str, env: dict[str, str] | None = None):
    """Run `python -m crawler alert --config CONFIG ARGS` with only the given SMTP variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PASSAPAROLA_SMTP_")}
    return subprocess.run(
        [sys.executable, "-m", "crawler", "alert", "--config", str(config), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**clean, "COLUMNS": "200", **(env or {})},
    )


def burst_today(store: Store, brand: str = "Panificio Rossi", count: int = 6) -> None:
    """A quiet month, then `count` complaints published today before now (the real clock:
    the command runs detection at its own "now")."""
    now = dt.datetime.now(ROME)
    midnight = dt.datetime.combine(now.date(), dt.time(0), tzinfo=ROME)
    store.history(brand, now.date() - dt.timedelta(days=1), QUIET_MONTH)
    for n in range(count):
        published = midnight + (now - midnight) * (n + 1) / (count + 1)
        store.add(brand, published, first_seen=now - dt.timedelta(seconds=count - n))


def stored(store: Store) -> list:
    with store.engine.connect() as conn:
        return conn.execute(select(alerts).order_by(alerts.c.id)).all()


def test_dry_run_then_real_run_then_nothing_new(
    tmp_path: Path, store: Store, plain_server: Server
) -> None:
    make_config(tmp_path, port=plain_server.port, storage=store.url)
    config = tmp_path / "passaparola.toml"
    burst_today(store)

    dry = passaparola(config, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Subject: [passaparola] Panificio Rossi: 6 negative mentions" in dry.stdout
    assert "To: marketing@example.org, Owner <owner@example.org>" in dry.stdout
    assert "nothing was sent or recorded" in dry.stdout
    assert plain_server.inbox.received == [] and stored(store) == []

    sent = passaparola(config)
    assert sent.returncode == 0, sent.stderr
    assert "1 new alert(s), 1 sent" in sent.stdout
    plain_server.inbox.wait_for(1)
    (message,) = plain_server.inbox.messages
    assert message["Subject"].startswith("[passaparola] Panificio Rossi: 6 negative mentions")
    (row,) = stored(store)
    assert row.state == "sent" and message["Message-ID"] == row.message_id

    again = passaparola(config)
    assert again.returncode == 0, again.stderr
    assert "0 new alert(s), 0 sent" in again.stdout
    assert len(plain_server.inbox.received) == 1


def test_credentials_from_the_environment_and_a_clear_error_when_wrong(
    tmp_path: Path, store: Store, auth_server: Server
) -> None:
    make_config(tmp_path, port=auth_server.port, storage=store.url)
    config = tmp_path / "passaparola.toml"
    burst_today(store)

    wrong = passaparola(
        config,
        env={"PASSAPAROLA_SMTP_USER": SMTP_USER, "PASSAPAROLA_SMTP_PASSWORD": "hunter2"},
    )
    assert wrong.returncode == 2 and wrong.stdout == ""
    error = " ".join(wrong.stderr.split())
    assert error.startswith("error: SMTP authentication failed for user")
    assert "set PASSAPAROLA_SMTP_USER and PASSAPAROLA_SMTP_PASSWORD" in error
    assert "hunter2" not in wrong.stderr and "Traceback" not in wrong.stderr
    assert [r.state for r in stored(store)] == ["pending"]

    right = passaparola(
        config,
        env={"PASSAPAROLA_SMTP_USER": SMTP_USER, "PASSAPAROLA_SMTP_PASSWORD": SMTP_PASSWORD},
    )
    assert right.returncode == 0, right.stderr
    assert "0 new alert(s), 1 sent" in right.stdout
    # security = "none" with a login: said on stderr, in one line, without the password.
    [warning] = right.stderr.strip().splitlines()
    assert warning.startswith('warning: alerts.security is "none"') and "unencrypted" in warning
    assert SMTP_PASSWORD not in right.stderr
    assert len(auth_server.inbox.received) == 1 and stored(store)[0].state == "sent"


def test_backtest_lists_what_the_rules_would_have_raised(tmp_path: Path, store: Store) -> None:
    make_config(tmp_path, port=1, storage=store.url)
    start = dt.date(2025, 1, 1)
    series = [0, 1, 0, 0] * 15
    series[30] = 7  # 31 January
    series[50] = 6  # 20 February
    for offset, count in enumerate(series):
        store.daily("Panificio Rossi", start + dt.timedelta(days=offset), count)

    result = passaparola(tmp_path / "passaparola.toml", "--backtest", "--since", "2025-01-20")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if "Panificio Rossi" in line]
    assert len(lines) == 2
    assert "2025-01-31" in lines[0] and " 7 " in lines[0] and "in the window" in lines[0]
    assert "2025-02-20" in lines[1] and " 6 " in lines[1]
    assert "2 alert(s), 2 spike episode(s)" in result.stdout
    assert stored(store) == []


def test_a_failed_delivery_is_exit_status_1_and_retried_later(
    tmp_path: Path, store: Store, plain_server: Server
) -> None:
    make_config(tmp_path, port=plain_server.port, storage=store.url)
    config = tmp_path / "passaparola.toml"
    burst_today(store)
    plain_server.inbox.data_reply = "554 5.7.1 Message rejected as spam"

    refused = passaparola(config)
    assert refused.returncode == 1, refused.stderr
    assert "1 failed (will retry)" in refused.stdout and "rejected as spam" in refused.stdout
    assert "Traceback" not in refused.stderr and "warning" not in refused.stderr
    assert [row.state for row in stored(store)] == ["pending"]
