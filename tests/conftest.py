"""Shared fixtures: the local test servers on loopback addresses, started once per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hard_site import HardSite


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
