"""A rebuild never leaves a half-written site: the new one is swapped in only when complete."""

from __future__ import annotations

import pytest

from crawler.report import ReportError, build_report
from crawler.report.site import PACKAGED_MKDOCS_YML

from .store_fixtures import fill, project


def test_a_rebuild_that_fails_half_way_leaves_the_previous_site_whole(tmp_path):
    config = project(tmp_path)
    store = fill(config, busy=20)
    build_report(config, store.engine, now=store.now)
    site = config.path("site")
    before = {p.relative_to(site): p.stat().st_size for p in site.rglob("*") if p.is_file()}
    # A project mkdocs.yml whose hook fails once every page has been written: the point
    # where a build that wrote into site/ directly would leave it half replaced.
    (tmp_path / "failing_hook.py").write_text(
        "from mkdocs.exceptions import PluginError\n\n"
        "def on_post_build(config):\n    raise PluginError('disk full')\n",
        encoding="utf-8",
    )
    (tmp_path / "mkdocs.yml").write_text(
        PACKAGED_MKDOCS_YML.read_text(encoding="utf-8") + "\nhooks:\n  - failing_hook.py\n",
        encoding="utf-8",
    )

    with pytest.raises(ReportError, match="disk full"):
        build_report(config, store.engine, now=store.now)

    after = {p.relative_to(site): p.stat().st_size for p in site.rglob("*") if p.is_file()}
    assert after == before


def test_a_rebuild_replaces_the_site_and_leaves_no_scaffolding(tmp_path):
    config = project(tmp_path)
    store = fill(config, busy=20)
    build_report(config, store.engine, now=store.now)
    (config.path("site") / "stale.html").write_text("old", encoding="utf-8")
    build_report(config, store.engine, now=store.now)
    assert not (config.path("site") / "stale.html").exists()
    assert (config.path("site") / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("site")) == ["site"]
