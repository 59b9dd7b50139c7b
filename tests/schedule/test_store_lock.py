"""On a PostgreSQL store one cycle runs at a time for every machine that shares it: the store's
advisory lock, besides each machine's own lock file. A real PostgreSQL server on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest
from postgres_server import drop_database, fresh_database
from sqlalchemy import create_engine, text

from crawler.demo.server import DemoSite
from crawler.schedule.store_lock import CYCLE_LOCK_KEY

from .conftest import passaparola, quiet_project, write_project


@pytest.fixture()
def store(postgres_server_url: str):
    url = fresh_database(postgres_server_url)
    yield url
    drop_database(postgres_server_url, url)


def on_store(path: Path, store: str) -> Path:
    """The project at `path`, its store moved to `store`."""
    config = path.read_text(encoding="utf-8")
    if "[storage]" in config:
        config = config.replace('url = "sqlite:///passaparola.db"', f'url = "{store}"')
    else:
        config += f'\n[storage]\nurl = "{store}"\n'
    path.write_text(config, encoding="utf-8")
    return path


def test_a_cycle_while_another_machine_runs_one_on_the_store_skips(
    tmp_path: Path, site: DemoSite, store: str
) -> None:
    other = create_engine(store)
    with other.connect() as machine_a:
        machine_a.execute(text("SET application_name = 'passaparola run on machine-a'"))
        assert machine_a.execute(text(f"SELECT pg_try_advisory_lock({CYCLE_LOCK_KEY})")).scalar()
        machine_a.commit()
        config = on_store(write_project(tmp_path / "machine-b", site.url), store)
        cycle = passaparola("run", cwd=config.parent)
        out, err = cycle.communicate(timeout=240)
        assert cycle.returncode == 75, out + err
        assert "another cycle (passaparola run on machine-a) holds the lock of the store" in err
        assert "not starting a second one" in err and "Traceback" not in err
        with create_engine(store).connect() as conn:
            crawled = conn.execute(text("SELECT COUNT(*) FROM crawl_runs")).scalar()
        assert crawled == 0 and not site.hits
    other.dispose()


def test_the_lock_is_released_when_the_cycle_ends(tmp_path: Path, store: str) -> None:
    config = on_store(quiet_project(tmp_path), store)
    for _ in range(2):
        cycle = passaparola("run", cwd=config.parent)
        out, err = cycle.communicate(timeout=240)
        assert cycle.returncode == 0, out + err
    with create_engine(store).connect() as conn:
        assert conn.execute(text(f"SELECT pg_try_advisory_lock({CYCLE_LOCK_KEY})")).scalar()


def test_a_store_server_that_does_not_answer_is_one_line(tmp_path: Path) -> None:
    from scrapyd_node import free_port

    url = f"postgresql+psycopg://passaparola@127.0.0.1:{free_port()}/passaparola"
    config = on_store(quiet_project(tmp_path), url)
    cycle = passaparola("run", cwd=config.parent)
    out, err = cycle.communicate(timeout=240)
    assert cycle.returncode == 2, out + err
    [line] = [line for line in err.splitlines() if "not run" in line]
    assert url.split("@")[1] in line  # names the server it could not reach
    assert "Traceback" not in err
