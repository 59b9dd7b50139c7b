"""The demo site served once for these tests, at a fixed moment so its dates are known."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from demo_http import NOW

from crawler.demo.server import DemoSite


@pytest.fixture(scope="session")
def site() -> Iterator[DemoSite]:
    with DemoSite(now=NOW) as served:
        yield served
