"""A report site built once per session from a realistic store, and a headless Chromium."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from stores import DATABASES, new_store_url

from crawler.report import ReportResult, build_report
from crawler.report.serve import Access, make_handling_server

from .chromium import Browser, find_chromium
from .store_fixtures import FilledStore, fill, project

REPO = Path(__file__).resolve().parents[2]


@dataclass
class BuiltSite:
    store: FilledStore
    result: ReportResult

    @property
    def site(self) -> Path:
        return self.store.config.path("site")

    @property
    def reports(self) -> Path:
        return self.store.config.path("reports")


@pytest.fixture(scope="session", params=DATABASES)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The Italian two-brand site, built with the real `mkdocs build --strict`, from a store on
    each supported database."""
    folder = tmp_path_factory.mktemp("report-it")
    config = project(folder, storage=new_store_url(request, request.param, folder))
    store = fill(config)
    result = build_report(config, store.engine, now=store.now, strict=True)
    return BuiltSite(store, result)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = find_chromium()
    if executable is None:
        if os.environ.get("PASSAPAROLA_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is required (PASSAPAROLA_REQUIRE_BROWSER=1) but not installed")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    chromium = Browser(executable)
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture(scope="module")
def served(built: BuiltSite) -> Iterator[str]:
    """The built site over HTTP from `passaparola serve`'s server, on a free loopback port."""
    access = Access("127.0.0.1", 0, None)
    server = make_handling_server(built.store.config, built.store.engine, access, print)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
