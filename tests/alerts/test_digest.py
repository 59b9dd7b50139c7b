"""The digest: a known week in the store → one e-mail (real aiosmtpd) and one chat message that
name the right counts and mentions, once per period, finished after a crash."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, update

from crawler.digest import run_digest
from crawler.store import deliveries, digests, mentions

from .conftest import REPO, ROME, Server, Store, make_config
from .webhooks import Hooks

NOW = dt.datetime(2025, 3, 17, 8, 30, tzinfo=ROME)  # a Monday, just after the digest's time
DIGEST = """
[[sources]]
kind = "reviews"
url = "https://recensioni.example.it/"
brand = "Panificio Rossi"

[digest]
cron = "0 8 * * 1"
period = "week"
{extra}
"""

pytestmark = pytest.mark.usefixtures("inboxes")


def config_for(tmp_path: Path, store: Store, server: Server, extra: str = "", **kwargs):
    return make_config(
        tmp_path,
        port=server.port,
        storage=store.url,
        tail=DIGEST.format(extra=extra),
        **kwargs,
    )


@pytest.fixture()
def week(store: Store) -> Store:
    """Panificio Rossi: 6 mentions this week (4 negative, 2 of them handled), 2 the week before."""
    day = dt.timedelta(days=1)
    start = dt.datetime(2025, 3, 10, 12, 0, tzinfo=ROME)
    store.add("Panificio Rossi", start - 3 * day, text="Pane bruciato e nessuna scusa.")
    store.add("Panificio Rossi", start - 2 * day, label="positive", score=0.6, rating=1.0)
    ids = [
        store.add("Panificio Rossi", start + n * day, text=f"Lamentela {n}: <b>pessimo</b>")
        for n in range(4)
    ]
    store.add("Panificio Rossi", start + 4 * day, label="positive", score=0.7, rating=0.75)
    store.add("Panificio Rossi", start + 5 * day, label="positive", score=0.5, rating=0.5)
    store.add("Caffè Bianchi", start + 1 * day, label="neutral", score=0.0)
    with store.engine.begin() as conn:
        for mention, hours in ((ids[0], 2), (ids[1], 4)):
            seen = start + ids.index(mention) * day + dt.timedelta(hours=1)
            conn.execute(
                update(mentions)
                .where(mentions.c.id == mention)
                .values(status="handled", handled_at=seen + dt.timedelta(hours=hours))
            )
    store.crawl_run(
        "recensioni.example.it",
        start + 6 * day,
        start + 6 * day + dt.timedelta(minutes=1),
        status="failed",
        pages=0,
    )
    return store


def test_a_known_week_becomes_one_email_naming_its_counts_and_mentions(
    tmp_path: Path, week: Store, plain_server: Server, hooks: Hooks, hook_port: int
) -> None:
    notify = f'notify = ["json://127.0.0.1:{hook_port}/hook/digest"]'
    config = config_for(tmp_path, week, plain_server, notify)
    run = run_digest(config, week.engine, now=NOW, env={})
    assert run.recorded and run.sent and not run.delivery_failed
    assert run.key == "week/2025-W12"
    (email,) = plain_server.inbox.messages
    assert email["Subject"] == "[passaparola] Weekly digest, 2025-03-10 – 2025-03-17"
    text = email.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "== Panificio Rossi ==" in text
    assert "6 mentions (+200% on the week before), 66.7% negative (was 50%)" in text
    assert "average rating 3.5/5 over 2 rated" in text
    assert "Still to handle: 3 negative mentions; the oldest:" in text
    oldest = text.index("Pane bruciato"), text.index("Lamentela 2"), text.index("Lamentela 3")
    assert list(oldest) == sorted(oldest)  # oldest first
    assert "Lamentela 0" not in text  # handled
    assert "Handled in the period: 2 (median time to handle 3 h); ignored: 0." in text
    assert "== Caffè Bianchi ==\n1 mention (none the week before), 0% negative (was —)" in text
    assert "Sources with problems:\n  - recensioni.example.it" in text
    assert "Report page: https://reports.example.org/rossi/brands/panificio-rossi.html" in text
    html = email.get_body(("html",)).get_content()
    assert "&lt;b&gt;pessimo&lt;/b&gt;" in html and "<b>pessimo</b>" not in html
    (posted,) = hooks.to("digest")
    assert posted.json["title"] == "Weekly digest, 2025-03-10 – 2025-03-17"
    assert posted.json["message"].startswith(
        "Panificio Rossi: 6 mentions (+200%), 66.7% negative, 3 to handle, no open alerts"
    )

    # The same period again: nothing is sent, and the run says so.
    again = run_digest(config, week.engine, now=NOW + dt.timedelta(hours=5), env={})
    assert not again.recorded and again.sent == [] and again.channels.sent == []
    assert "was recorded on 2025-03-17 07:30 UTC; nothing new to send" in again.summary()
    assert len(plain_server.inbox.received) == 1 and len(hooks.to("digest")) == 1

    # Next week's covers what happened since this one.
    later = run_digest(config, week.engine, now=NOW + dt.timedelta(days=7), env={})
    assert later.key == "week/2025-W13" and len(plain_server.inbox.received) == 2
    with week.engine.connect() as conn:
        spans = conn.execute(select(digests.c.period_start).order_by(digests.c.id)).scalars()
        assert list(spans)[1] == NOW


def test_italian_after_the_site_language(tmp_path: Path, week: Store, plain_server: Server) -> None:
    config = config_for(tmp_path, week, plain_server, language="it")
    run = run_digest(config, week.engine, now=NOW, dry_run=True, env={})
    assert run.message is not None and plain_server.inbox.received == []
    assert run.message.subject == "[passaparola] Riepilogo settimanale, 10/03/2025 – 17/03/2025"
    assert "6 menzioni (+200% rispetto alla settimana precedente), 66,7% negative (erano 50%)" in (
        run.message.text
    )
    assert "Gestite nel periodo: 2 (tempo mediano 3 h); ignorate: 0." in run.message.text
    # Words, not config syntax, and numbers that agree.
    assert "perché questo indirizzo riceve il riepilogo del progetto" in run.message.text
    assert "[digest]" not in run.message.text and "passaparola.toml" not in run.message.text
    assert (
        "6 menzioni (+200%), 66,7% negative, 3 da gestire, nessun allarme aperto"
        in (run.message.short.sentences[0])
    )
    with week.engine.connect() as conn:  # a dry run records nothing
        assert conn.execute(select(digests)).all() == []


CRASHING_DIGEST = """
import datetime as dt, sys
from crawler.config import load_config
from crawler.digest import run_digest
from crawler.store import open_engine
config = load_config(sys.argv[1])
run_digest(config, open_engine(config.database_url), now=dt.datetime.fromisoformat(sys.argv[2]),
           env={})
raise SystemExit("the run was meant to be killed before it finished")
"""


def killed_digest(tmp_path: Path, server: Server, hook: str) -> None:
    process: list[subprocess.Popen] = []
    setattr(server.inbox, f"on_{hook}", lambda: os.kill(process[0].pid, signal.SIGKILL))
    process.append(
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                CRASHING_DIGEST,
                str(tmp_path / "passaparola.toml"),
                NOW.isoformat(),
            ],
            cwd=REPO,
        )
    )
    assert process[0].wait(timeout=120) == -signal.SIGKILL
    setattr(server.inbox, f"on_{hook}", None)


def email_state(store: Store) -> tuple[str, int]:
    with store.engine.connect() as conn:
        row = conn.execute(select(deliveries).where(deliveries.c.channel == "email")).one()
    return row.state, row.attempts


def test_killed_between_recording_and_sending_it_is_sent_later_once(
    tmp_path: Path, week: Store, plain_server: Server
) -> None:
    config = config_for(tmp_path, week, plain_server)
    killed_digest(tmp_path, plain_server, "rcpt")
    assert plain_server.inbox.received == [] and email_state(week) == ("sending", 1)
    # Soon after, the claim may be a live run's: left alone.
    run_digest(config, week.engine, now=NOW + dt.timedelta(minutes=5), env={})
    assert plain_server.inbox.received == []
    run = run_digest(config, week.engine, now=NOW + dt.timedelta(minutes=20), env={})
    assert run.already is not None and len(run.sent) == 1
    run_digest(config, week.engine, now=NOW + dt.timedelta(hours=2), env={})
    assert len(plain_server.inbox.received) == 1 and email_state(week) == ("sent", 2)


def test_killed_while_the_server_receives_it_is_never_sent_twice(
    tmp_path: Path, week: Store, plain_server: Server
) -> None:
    config = config_for(tmp_path, week, plain_server)
    killed_digest(tmp_path, plain_server, "data")
    assert len(plain_server.inbox.received) == 1
    run = run_digest(config, week.engine, now=NOW + dt.timedelta(minutes=20), env={})
    assert run.delivery_failed and "may have been delivered" in run.summary()
    for hours in (1, 24):
        run_digest(config, week.engine, now=NOW + dt.timedelta(hours=hours), env={})
    assert len(plain_server.inbox.received) == 1 and email_state(week) == ("unconfirmed", 1)


def test_the_cycle_stage_sends_it_once_its_time_has_come(
    tmp_path: Path, week: Store, plain_server: Server
) -> None:
    from crawler.schedule import stages

    quiet = make_config(tmp_path, port=plain_server.port, storage=week.url)
    assert stages.digest(quiet, week.engine) == ("skipped", "no [digest] cron")

    config = config_for(tmp_path, week, plain_server)  # Mondays at 8: one has passed
    status, summary = stages.digest(config, week.engine)
    assert status == "ok" and summary.endswith("recorded, 1 e-mail(s) sent"), summary
    status, summary = stages.digest(config, week.engine)
    assert status == "skipped" and "nothing new to send this period" in summary
    assert len(plain_server.inbox.received) == 1


def passaparola(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crawler", *args, "-c", str(tmp_path / "passaparola.toml")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_digest_command_prints_sends_and_then_says_it_was_sent(
    tmp_path: Path, week: Store, plain_server: Server
) -> None:
    config_for(tmp_path, week, plain_server)
    dry = passaparola(tmp_path, "digest", "--dry-run", "--since", "2025-03-10")
    assert dry.returncode == 0, dry.stderr
    assert "Subject: [passaparola] Weekly digest, 2025-03-10 – " in dry.stdout
    assert "== Panificio Rossi ==" in dry.stdout and "chat message" in dry.stdout
    assert "was not sent or recorded" in dry.stdout and plain_server.inbox.received == []

    sent = passaparola(tmp_path, "digest")
    assert sent.returncode == 0, sent.stderr
    assert "recorded, 1 e-mail(s) sent" in sent.stdout
    again = passaparola(tmp_path, "digest")
    assert again.returncode == 0 and "nothing new to send this period" in again.stdout
    assert len(plain_server.inbox.received) == 1

    wrong = passaparola(tmp_path, "digest", "--since", "last monday")
    assert wrong.returncode == 2 and "is not a date" in wrong.stderr
