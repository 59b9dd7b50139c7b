"""Handling a mention: who, when and a note are kept; a repeat changes nothing and says so."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime

import pytest
from cli_runner import run_cli
from sqlalchemy import select

from crawler.items import Mention
from crawler.store import change_status, mentions, open_engine, upsert_mentions

TOML = """\
[[brands]]
name = "Panificio Rossi"

[storage]
url = "sqlite:///handle.db"
"""


def stored(engine, mention):
    with engine.connect() as conn:
        return conn.execute(select(mentions).where(mentions.c.id == mention)).one()


@pytest.fixture
def project(tmp_path):
    (tmp_path / "passaparola.toml").write_text(TOML, encoding="utf-8")
    engine = open_engine(f"sqlite:///{tmp_path / 'handle.db'}")
    upsert_mentions(
        engine,
        [
            Mention(
                brand="Panificio Rossi",
                kind="review",
                url="https://recensioni.example.it/r/1",
                text="Pane raffermo e nessuna scusa.",
                title="Deluso",
                source="recensioni.example.it",
                published=datetime(2026, 11, 30, 9, 0, tzinfo=UTC),
                label="negative",
                score=-0.6,
            )
        ],
    )
    (mention,) = [row.id for row in engine.connect().execute(select(mentions.c.id))]
    return tmp_path, engine, mention


def test_a_change_records_who_when_and_the_note(project):
    _, engine, mention = project
    change = change_status(engine, mention, "handled", "richiamato", "Anna")
    assert change.changed and (change.before, change.status) == ("new", "handled")
    row = stored(engine, mention)
    assert (row.status, row.note, row.handled_by) == ("handled", "richiamato", "Anna")
    assert row.handled_at == change.at and row.handled_at.tzinfo is not None


def test_the_same_status_again_changes_nothing_not_even_who_or_when(project):
    _, engine, mention = project
    first = change_status(engine, mention, "handled", "richiamato", "Anna")
    again = change_status(engine, mention, "handled", None, "Marco")
    assert not again.changed
    row = stored(engine, mention)
    assert (row.handled_by, row.handled_at, row.note) == ("Anna", first.at, "richiamato")


def test_a_new_note_alone_keeps_who_set_the_status_and_when(project):
    _, engine, mention = project
    first = change_status(engine, mention, "ignored", None, "Anna")
    edited = change_status(engine, mention, "ignored", "è spam", "Marco")
    assert edited.changed
    row = stored(engine, mention)
    assert (row.note, row.handled_by, row.handled_at) == ("è spam", "Anna", first.at)
    cleared = change_status(engine, mention, "ignored", "", "Marco")
    assert cleared.changed and stored(engine, mention).note is None


def test_reopened_it_has_no_handler_and_no_handling_time_but_keeps_its_note(project):
    _, engine, mention = project
    change_status(engine, mention, "handled", "richiamato", "Anna")
    change_status(engine, mention, "new")
    row = stored(engine, mention)
    assert (row.status, row.handled_by, row.handled_at, row.note) == (
        "new",
        None,
        None,
        "richiamato",
    )


def test_an_id_prefix_with_sql_wildcards_matches_nothing(project):
    _, engine, mention = project
    assert change_status(engine, "%", "handled") is None
    assert change_status(engine, "_" * 5, "handled") is None
    assert stored(engine, mention).status == "new"


def test_handle_echoes_the_mention_it_changed_and_says_when_nothing_changed(project):
    folder, engine, mention = project
    first = run_cli("handle", mention[:8], "--note", "richiamato", "--by", "Anna", cwd=folder)
    assert mention[:10] in first.stdout
    assert "Panificio Rossi" in first.stdout and "Deluso" in first.stdout
    assert "new → handled by Anna" in first.stdout

    again = run_cli("handle", mention[:8], cwd=folder)
    assert "nothing changed, it was already handled" in again.stdout
    assert stored(engine, mention).handled_by == "Anna"


def test_handle_records_the_login_name_by_default(project):
    folder, engine, mention = project
    run_cli("handle", mention, "--ignore", cwd=folder)
    assert stored(engine, mention).handled_by == getpass.getuser()


def test_an_unknown_id_is_one_line_and_exit_status_2(project):
    folder, _, _ = project
    result = run_cli("handle", "ffff", cwd=folder, check=False)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "ffff" in result.stderr
