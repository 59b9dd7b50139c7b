"""`passaparola crawl`: every source runs, a failing one is counted, the summary says which."""

from __future__ import annotations

import socket

import pytest
from cli_runner import run_cli, write_config
from sqlalchemy import select

from crawler.demo import expected
from crawler.store import crawl_runs, iter_mentions, open_engine


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def reviews_source(site) -> str:
    return f'[[sources]]\nkind = "reviews"\nurl = "{site.url}/recensioni/panificio-rossi/"\n'


@pytest.fixture(scope="module")
def crawl_with_a_dead_source(demo_site, tmp_path_factory):
    folder = tmp_path_factory.mktemp("dead-source")
    dead = f"http://127.0.0.1:{closed_port()}/feed.xml"
    write_config(
        folder,
        f'[[sources]]\nkind = "feed"\nurl = "{dead}"\n\n{reviews_source(demo_site)}',
        crawl="retries = 1\ntimeout = 5\n",
    )
    result = run_cli("crawl", cwd=folder, check=False)
    engine = open_engine(f"sqlite:///{folder / 'passaparola.db'}")
    with engine.connect() as conn:
        runs = {row.source_url: row for row in conn.execute(select(crawl_runs))}
    return result, runs, list(iter_mentions(engine)), dead, demo_site


def test_a_dead_source_does_not_stop_the_others(crawl_with_a_dead_source):
    _, _, mentions, _, _ = crawl_with_a_dead_source
    reviews = [m for m in mentions if m["kind"] == "review"]
    assert len(reviews) == expected.MENTIONS[(expected.ROSSI, "review")]


def test_a_dead_source_is_recorded_as_failed_with_its_errors(crawl_with_a_dead_source):
    _, runs, _, dead, site = crawl_with_a_dead_source
    assert runs[dead].status == "failed" and runs[dead].errors >= 1 and runs[dead].pages == 0
    good = runs[f"{site.url}/recensioni/panificio-rossi/"]
    assert good.status == "finished" and good.errors == 0 and good.pages == 3


def test_the_summary_shows_the_failure_and_the_exit_status_reports_it(crawl_with_a_dead_source):
    result, _, _, dead, _ = crawl_with_a_dead_source
    assert result.returncode == 1
    row = next(line for line in result.stdout.splitlines() if dead in line)
    assert "failed" in row
    assert "Traceback" not in result.stderr


def test_a_second_crawl_adds_nothing_and_updates_nothing(demo_site, tmp_path):
    write_config(tmp_path, reviews_source(demo_site))
    run_cli("crawl", cwd=tmp_path)
    run_cli("crawl", cwd=tmp_path)
    engine = open_engine(f"sqlite:///{tmp_path / 'passaparola.db'}")
    with engine.connect() as conn:
        first, second = conn.execute(select(crawl_runs).order_by(crawl_runs.c.id)).all()
    assert first.new == 15 and (second.new, second.updated) == (0, 0)
    assert len(list(iter_mentions(engine))) == 15
