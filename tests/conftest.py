"""Shared fixtures: the local test servers on loopback addresses, started once per session,
and a store on each supported database."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hard_site import HardSite
from postgres_server import PostgresServer, drop_database, server_binaries
from stores import DATABASES, new_store_url


@pytest.fixture(scope="session")
def hard_site() -> Iterator[HardSite]:
    with HardSite() as site:
        yield site


@pytest.fixture(scope="session")
def demo_site() -> Iterator[object]:
    from crawler.demo.server import DemoSite

    with DemoSite() as site:
        yield site


@pytest.fixture(scope="session")
def hostile_site() -> Iterator[object]:
    from hostile_server import HostileSite

    with HostileSite() as site:
        yield site


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A PostgreSQL server to create test databases on: `PASSAPAROLA_TEST_POSTGRES_URL` (CI
    starts one), else a throwaway one started here when the server binaries are installed."""
    given = os.environ.get("PASSAPAROLA_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    binaries = server_binaries()
    missing = "the PostgreSQL server (initdb, pg_ctl)" if binaries is None else None
    try:
        import psycopg  # noqa: F401
    except ImportError:
        missing = missing or "psycopg (pip install -e '.[test]')"
    if missing:
        if os.environ.get("PASSAPAROLA_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{missing} is required (PASSAPAROLA_REQUIRE_POSTGRES=1) but missing")
        pytest.skip(f"{missing} is not installed (apt-get install postgresql)")
    with PostgresServer(binaries) as server:
        yield server.url


@pytest.fixture(scope="session")
def scrapyd_nodes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[object]]:
    """Two Scrapyd nodes on 127.0.0.1 with the project deployed (the caller checks that Scrapyd
    is installed: `scrapyd_node.require_scrapyd()`)."""
    from scrapyd_node import deployed_node

    started = []
    try:
        for n in (1, 2):
            started.append(deployed_node(tmp_path_factory.mktemp(f"scrapyd{n}")))
        yield started
    finally:
        for node in started:
            node.__exit__()


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """The URL of a new, empty store: a SQLite file, then a PostgreSQL database."""
    url = new_store_url(request, request.param, tmp_path)
    yield url
    if request.param == "postgresql":
        drop_database(request.getfixturevalue("postgres_server_url"), url)
