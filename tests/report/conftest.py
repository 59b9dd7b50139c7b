"""A report site built once per session from a realistic store, and a headless Chromium."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from stores import DATABASES, new_store_url

from crawler.report import ReportResult, build_report

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
