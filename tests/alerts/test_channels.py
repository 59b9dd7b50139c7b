"""Alerts to chat channels through Apprise, posted to a real HTTP endpoint on 127.0.0.1.

The guarantee under test is the e-mail's, per channel: recorded before it is sent, retried when
the channel refuses, never sent twice when the channel may have it, and one channel's trouble
costs nothing to another channel or to the e-mail. Secrets in `${VARIABLE}`s are used and never
kept.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy import MetaData, select

from crawler.alerts import run_alerts
from crawler.console import print_alert_run
from crawler.store import alerts, deliveries

from .conftest import REPO, ROME, Server, Store, make_config
from .webhooks import Hooks

NOW = dt.datetime(2025, 3, 12, 18, 0, tzinfo=ROME)
QUIET_MONTH = [0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]
SECRET = "T0k3n-5ecr3t-aZ9"
ENV = {"HOOK_TOKEN": SECRET}

pytestmark = pytest.mark.usefixtures("inboxes")


@pytest.fixture()
def spike(store: Store) -> Store:
    """Panificio Rossi: a quiet month, then six complaints today."""
    store.history("Panificio Rossi", NOW.date(), [*QUIET_MONTH, 6])
    return store


def channel_config(tmp_path: Path, store: Store, smtp_port: int, urls: list[str], **kwargs):
    notify = ", ".join(f'"{url}"' for url in urls)
    return make_config(
        tmp_path, port=smtp_port, storage=store.url, extra=f"notify = [{notify}]", **kwargs
    )


def states(store: Store) -> list[tuple[str, str, int]]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(deliveries).order_by(deliveries.c.id)).all()
    return [(row.channel.split(":")[0], row.state, row.attempts) for row in rows]


def test_an_alert_goes_to_a_json_channel_in_its_short_form(
    tmp_path: Path, spike: Store, plain_server: Server, hooks: Hooks, hook_port: int
) -> None:
    config = channel_config(
        tmp_path, spike, plain_server.port, [f"json://127.0.0.1:{hook_port}/hook/team"]
    )
    run = run_alerts(config, spike.engine, now=NOW, env={})
    assert len(run.sent) == 1 and len(run.channels.sent) == 1 and not run.delivery_failed
    (request,) = hooks.to("team")
    posted = request.json
    assert posted["title"] == "Panificio Rossi: 6 negative mentions today (usually 0.1)"
    body = posted["message"]
    assert body.startswith(
        "Panificio Rossi got 6 negative mentions today; the usual level is 0.1 a day."
    )
    # The first three mentions, with links; the rest in the report.
    assert body.count("• recensioni.example.it · Giulia: “Recensione numero") == 3
    assert body.count("https://recensioni.example.it/panificio/") == 3
    assert "…and 3 more in the report." in body
    assert body.endswith("Open the report: https://reports.example.org/rossi/alerts.html")
    assert states(spike) == [("json", "sent", 1)]
    assert "1 chat message(s) sent" in run.summary()

    # Sent means sent: later runs post nothing more.
    run_alerts(config, spike.engine, now=NOW + dt.timedelta(hours=2), env={})
    assert len(hooks.to("team")) == 1


def test_a_form_channel_receives_the_same_message(
    tmp_path: Path, spike: Store, plain_server: Server, hooks: Hooks, hook_port: int
) -> None:
    config = channel_config(
        tmp_path, spike, plain_server.port, [f"form://127.0.0.1:{hook_port}/hook/forms"]
    )
    run_alerts(config, spike.engine, now=NOW, env={})
    (request,) = hooks.to("forms")
    assert request.content_type.startswith("application/x-www-form-urlencoded")
    assert request.form["title"].startswith("Panificio Rossi: 6 negative mentions today")
    assert "the usual level is 0.1 a day" in request.form["message"]


def test_a_refused_message_is_retried_after_the_backoff_and_sent_once(
    tmp_path: Path, spike: Store, plain_server: Server, hooks: Hooks, hook_port: int
) -> None:
    hooks.script("flaky", "500")
    config = channel_config(
        tmp_path, spike, plain_server.port, [f"json://127.0.0.1:{hook_port}/hook/flaky"]
    )
    run = run_alerts(config, spike.engine, now=NOW, env={})
    assert run.delivery_failed and len(run.sent) == 1  # the e-mail went regardless
    (_, name, error) = run.channels.failed[0]
    assert error == "[alerts] notify[0] (json) refused the message: HTTP 500"
    assert states(spike) == [("json", "pending", 1)]
    with spike.engine.connect() as conn:
        assert conn.execute(select(deliveries.c.next_attempt)).scalar() == NOW + dt.timedelta(
            minutes=1
        )
    # Too early: not tried again.
    run_alerts(config, spike.engine, now=NOW + dt.timedelta(seconds=30), env={})
    assert len(hooks.to("flaky")) == 1
    run = run_alerts(config, spike.engine, now=NOW + dt.timedelta(minutes=1), env={})
    assert len(run.channels.sent) == 1 and not run.delivery_failed
    run_alerts(config, spike.engine, now=NOW + dt.timedelta(hours=1), env={})
    assert len(hooks.to("flaky")) == 2 and states(spike) == [("json", "sent", 2)]


@pytest.mark.parametrize("behaviour", ["hang", "close"])
def test_a_channel_that_took_the_message_without_answering_is_never_sent_twice(
    tmp_path: Path,
    spike: Store,
    plain_server: Server,
    hooks: Hooks,
    hook_port: int,
    behaviour: str,
) -> None:
    hooks.script("mute", behaviour)
    config = channel_config(
        tmp_path,
        spike,
        plain_server.port,
        [f"json://127.0.0.1:{hook_port}/hook/mute"],
        timeout=1,
    )
    run = run_alerts(config, spike.engine, now=NOW, env={})
    (_, _, error) = run.channels.unconfirmed[0]
    why = "no answer within 1 s" if behaviour == "hang" else "the connection closed before"
    assert why in error and "not sent again" in error
    assert states(spike) == [("json", "unconfirmed", 1)]
    for hours in (1, 6, 24):
        run_alerts(config, spike.engine, now=NOW + dt.timedelta(hours=hours), env={})
    assert len(hooks.to("mute")) == 1 and states(spike) == [("json", "unconfirmed", 1)]


def test_one_dead_channel_blocks_neither_another_nor_the_email(
    tmp_path: Path,
    spike: Store,
    plain_server: Server,
    hooks: Hooks,
    hook_port: int,
    unused_port: int,
) -> None:
    spike.history("Caffè Bianchi", NOW.date(), [*QUIET_MONTH, 4])
    hooks.script("down", "500", "500", "500")
    urls = [
        f"json://127.0.0.1:{unused_port}/hook/nobody",  # nothing listens there
        f"json://127.0.0.1:{hook_port}/hook/down",
        f"json://127.0.0.1:{hook_port}/hook/up",
    ]
    config = channel_config(tmp_path, spike, plain_server.port, urls)
    run = run_alerts(config, spike.engine, now=NOW, env={})
    assert len(run.sent) == 2 and len(plain_server.inbox.received) == 2
    assert len(hooks.to("up")) == 2 and len(run.channels.sent) == 2
    failed = sorted(error for _, _, error in run.channels.failed)
    assert failed == [
        "[alerts] notify[0] (json): cannot connect to the service",
        "[alerts] notify[0] (json): cannot connect to the service",
        "[alerts] notify[1] (json) refused the message: HTTP 500",
        "[alerts] notify[1] (json) refused the message: HTTP 500",
    ]
    summary = run.summary()
    assert "  not sent: Caffè Bianchi: [alerts] notify[1] (json) refused" in summary
    assert sorted(s for _, s, _ in states(spike)) == ["pending"] * 4 + ["sent"] * 2


def test_a_secret_placeholder_is_used_and_never_kept_or_shown(
    tmp_path: Path,
    spike: Store,
    plain_server: Server,
    hooks: Hooks,
    hook_port: int,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    url = f"json://127.0.0.1:{hook_port}/hook/${{HOOK_TOKEN}}"
    hooks.script(SECRET, "500")
    config = channel_config(tmp_path, spike, plain_server.port, [url])
    run_alerts(config, spike.engine, now=NOW, env=ENV)
    refused = dump_store(spike)
    assert "[alerts] notify[0] (json) refused the message: HTTP 500" in refused
    run = run_alerts(config, spike.engine, now=NOW + dt.timedelta(minutes=5), env=ENV)
    assert [r.path for r in hooks.to(SECRET)] == [f"/hook/{SECRET}"] * 2  # resolved, used
    assert len(run.channels.sent) == 1

    from crawler.report import build_report

    build_report(config, spike.engine, now=NOW + dt.timedelta(minutes=6))
    # Apprise's own log names URLs: it does not propagate to passaparola's handlers (pytest
    # attaches to non-propagating loggers too, so its records are set aside here).
    assert logging.getLogger("apprise").propagate is False
    ours = [r.getMessage() for r in caplog.records if not r.name.startswith("apprise")]
    assert ours and not any(SECRET in line for line in ours)
    assert SECRET not in run.summary() + "".join(capfd.readouterr())
    assert SECRET not in refused and SECRET not in dump_store(spike)
    site = tmp_path / "site"
    texts = [p.read_bytes() for p in site.rglob("*") if p.is_file()]
    assert texts and not any(SECRET.encode() in text for text in texts)


def test_an_unset_variable_is_one_line_naming_it_and_stops_only_its_channel(
    tmp_path: Path, spike: Store, plain_server: Server, hooks: Hooks, hook_port: int
) -> None:
    urls = [
        f"json://127.0.0.1:{hook_port}/hook/${{HOOK_TOKEN}}",
        f"json://127.0.0.1:{hook_port}/hook/ok",
    ]
    config = channel_config(tmp_path, spike, plain_server.port, urls)
    run = run_alerts(config, spike.engine, now=NOW, env={})
    (_, _, error) = run.channels.failed[0]
    assert error == "[alerts] notify[0] (json): the environment variable HOOK_TOKEN is not set"
    assert len(hooks.to("ok")) == 1 and len(run.sent) == 1
    # Set, the next run sends it without waiting for a backoff.
    run = run_alerts(config, spike.engine, now=NOW, env=ENV)
    assert len(run.channels.sent) == 1 and len(hooks.to(SECRET)) == 1


def test_scraped_text_cannot_format_a_markdown_channel(
    tmp_path: Path, store: Store, plain_server: Server, hooks: Hooks, hook_port: int
) -> None:
    store.history("Panificio Rossi", NOW.date(), [*QUIET_MONTH, 0])
    for n in range(5):
        store.add(
            "Panificio Rossi",
            NOW - dt.timedelta(hours=n + 1),
            text=f"**Pessimo** [premi qui](javascript:alert({n})) # _davvero_ <b>",
            author="[admin](https://evil.example/)",
        )
    config = channel_config(
        tmp_path,
        store,
        plain_server.port,
        [f"json://127.0.0.1:{hook_port}/hook/md?format=markdown"],
    )
    run_alerts(config, store.engine, now=NOW, env={})
    (request,) = hooks.to("md")
    body = request.json["message"]
    assert r"\*\*Pessimo\*\* \[premi qui\]\(javascript:alert\(0\)\)" in body
    assert r"\[admin\]\(https://evil" in body and "<b>" not in body
    assert "(https://recensioni.example.it/panificio/" in body  # real links stay links
    assert body.endswith("[Open the report](https://reports.example.org/rossi/alerts.html)")


def test_apprise_connects_only_to_the_configured_loopback_endpoint(
    tmp_path: Path, spike: Store, plain_server: Server, hooks: Hooks, hook_port: int
) -> None:
    connected: list[object] = []

    def audit(event: str, args: tuple) -> None:
        if event == "socket.connect" and recording:
            connected.append(args[1])

    recording = True
    sys.addaudithook(audit)
    try:
        config = channel_config(
            tmp_path, spike, plain_server.port, [f"json://127.0.0.1:{hook_port}/hook/team"]
        )
        run_alerts(config, spike.engine, now=NOW, env={})
    finally:
        recording = False
    hosts = {address[:2] for address in connected if isinstance(address, tuple)}
    assert hosts == {("127.0.0.1", hook_port), ("127.0.0.1", plain_server.port)}

    from crawler.alerts.apprise_send import ChannelSender

    asset = ChannelSender(1, {}).asset
    assert list(asset.plugin_paths) == [] and asset.storage_mode.value == "memory"


def dump_store(store: Store) -> str:
    """Every row of every table, as text."""
    metadata = MetaData()
    metadata.reflect(store.engine)
    out = []
    with store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            out += [repr(tuple(row)) for row in conn.execute(select(table))]
    return "\n".join(out)


def test_an_alert_raised_without_channels_has_no_deliveries(
    tmp_path: Path, spike: Store, plain_server: Server
) -> None:
    config = make_config(tmp_path, port=plain_server.port, storage=spike.url)
    run_alerts(config, spike.engine, now=NOW, env={})
    with spike.engine.connect() as conn:
        assert conn.execute(select(alerts.c.state)).scalar() == "sent"
    assert states(spike) == []


def test_alert_test_sends_one_message_everywhere_and_says_which_worked(
    tmp_path: Path,
    store: Store,
    plain_server: Server,
    hooks: Hooks,
    hook_port: int,
    unused_port: int,
) -> None:
    hooks.script("refusing", "500")
    urls = [
        f"json://127.0.0.1:{hook_port}/hook/${{HOOK_TOKEN}}",
        f"form://127.0.0.1:{hook_port}/hook/refusing",
        f"json://127.0.0.1:{unused_port}/hook/nobody",
    ]
    channel_config(tmp_path, store, plain_server.port, urls)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "crawler",
            "alert",
            "--test",
            "-c",
            str(tmp_path / "passaparola.toml"),
        ],
        cwd=REPO,
        env={**os.environ, **ENV},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(
        "ok     e-mail to marketing@example.org, Owner <owner@example.org>: 250"
    )
    assert lines[1:] == [
        "ok     [alerts] notify[0] (json): accepted",
        "FAILED [alerts] notify[1] (form): refused the message: HTTP 500",
        "FAILED [alerts] notify[2] (json): cannot connect to the service",
    ]
    (posted,) = hooks.to(SECRET)
    assert posted.json["title"] == "passaparola: test message"
    assert "Alerts about Panificio Rossi, Caffè Bianchi will arrive here." in posted.json["message"]
    (email,) = plain_server.inbox.messages
    assert email["Subject"] == "[passaparola] test message"
    assert SECRET not in done.stdout + done.stderr
    with store.engine.connect() as conn:  # a test message is not an alert: nothing recorded
        assert conn.execute(select(alerts)).all() == []
        assert conn.execute(select(deliveries)).all() == []


def test_a_dry_run_posts_nothing_and_says_what_it_would_post(
    tmp_path: Path, spike: Store, plain_server: Server, hooks: Hooks, hook_port: int
) -> None:
    config = channel_config(
        tmp_path, spike, plain_server.port, [f"json://127.0.0.1:{hook_port}/hook/team"]
    )
    run = run_alerts(config, spike.engine, now=NOW, dry_run=True, env={})
    assert "1 e-mail(s) sent and 1 chat message(s) posted; nothing was sent" in run.summary()
    assert hooks.received == [] and states(spike) == []
    screen = io.StringIO()
    print_alert_run(Console(file=screen, width=100, color_system=None), run)
    shown = screen.getvalue()
    assert "would post to 1 chat channel(s)" in shown
    assert "Panificio Rossi" in shown.split("would post to")[1]  # the message itself, in text


def test_scraped_text_is_escaped_for_an_html_channel(
    tmp_path: Path, store: Store, plain_server: Server, hooks: Hooks, hook_port: int
) -> None:
    store.history("Panificio Rossi", NOW.date(), [*QUIET_MONTH, 0])
    for n in range(5):
        store.add(
            "Panificio Rossi",
            NOW - dt.timedelta(hours=n + 1),
            text=f'<script>alert({n})</script> <a href="https://evil.example/">vinci</a>',
            url=f"javascript:alert({n})" if n == 0 else None,
        )
    config = channel_config(
        tmp_path,
        store,
        plain_server.port,
        [f"json://127.0.0.1:{hook_port}/hook/html?format=html"],
    )
    run_alerts(config, store.engine, now=NOW, env={})
    (request,) = hooks.to("html")
    body = request.json["message"]
    assert "&lt;script&gt;alert(" in body and "<script>" not in body
    assert 'href="https://evil.example/"' not in body and "javascript:" not in body
    assert body.count('<a href="https://recensioni.example.it/panificio/') >= 2
    assert body.endswith(
        '<a href="https://reports.example.org/rossi/alerts.html">Open the report</a>'
    )


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("hooks.example.org/T0k3n", "notify[0] is not an Apprise URL; write it as scheme://…"),
        ("json://h/${HOOK-TOKEN}", "notify[0] (json://…) has a placeholder that is not ${NAME}"),
        ("json://h/${HOOK_TOKEN", "notify[0] (json://…) has an unclosed ${"),
    ],
)
def test_a_wrong_channel_url_is_refused_without_repeating_it(
    tmp_path: Path, url: str, said: str
) -> None:
    from crawler.config import ConfigError, parse_config

    text = f'[[brands]]\nname = "Rossi"\n[alerts]\nnotify = ["{url}"]\n'
    with pytest.raises(ConfigError) as raised:
        parse_config(text, path=tmp_path / "passaparola.toml")
    assert said in str(raised.value) and "T0k3n" not in str(raised.value)
    assert "HOOK" not in str(raised.value).replace(said, "")
