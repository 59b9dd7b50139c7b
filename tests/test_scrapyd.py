"""Crawl machines on Scrapyd: the project deploys from the repository, and a job reads the whole
project config (`PASSAPAROLA_CONFIG`) exactly as `passaparola crawl` does.

A real Scrapyd node on 127.0.0.1 and the real `scrapyd-deploy`; skipped when they are not
installed (`pip install scrapyd scrapyd-client`; CI installs them).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from scrapyd_node import ROOT, ScrapydNode, require_scrapyd
from sqlalchemy import select

from crawler.crawl import SPIDERS
from crawler.demo import expected
from crawler.store import crawl_runs, iter_mentions, open_engine

require_scrapyd()

USER_AGENT = "passaparola-scrapyd-test (+https://example.org/contact)"


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("scrapyd")
    with ScrapydNode(workdir / "node") as node:
        deployed = node.deploy(workdir)
        assert deployed.returncode == 0, deployed.stdout + deployed.stderr
        yield node


@pytest.fixture(scope="module")
def project(demo_site, tmp_path_factory):
    """A project whose every setting differs from the package defaults a bare job would use."""
    folder = tmp_path_factory.mktemp("scrapyd-project")
    config = folder / "passaparola.toml"
    config.write_text(
        f'[[brands]]\nname = "{expected.ROSSI}"\n\n[[brands]]\nname = "{expected.AURORA}"\n\n'
        f'[[sources]]\nkind = "reviews"\nurl = "{demo_site.url}/recensioni/panificio-rossi/"\n'
        f'brand = "{expected.ROSSI}"\n\n'
        f'[[sources]]\nkind = "blog"\nurl = "{demo_site.url}/blog/"\ndepth = 2\n\n'
        f'[crawl]\nuser_agent = "{USER_AGENT}"\ndelay = 0\ndepth = 0\n\n'
        '[storage]\nurl = "sqlite:///jobs.db"\n\n'
        # No text score is below -1 or above 1: every text-scored mention is neutral.
        "[sentiment]\nnegative_below = -1\npositive_above = 1\n",
        encoding="utf-8",
    )
    return config


def test_the_project_deploys_from_the_repository_with_its_spiders(node):
    spiders = node.get("listspiders.json", project="passaparola")
    assert sorted(spiders["spiders"]) == sorted(SPIDERS)  # one spider per source kind


def test_a_reviews_job_uses_the_configs_store_and_limits_and_follows_every_page(
    node, project, demo_site
):
    log = node.run_job(
        "reviews",
        url=f"{demo_site.url}/recensioni/panificio-rossi/",
        settings={"PASSAPAROLA_CONFIG": str(project)},
    )
    engine = open_engine(f"sqlite:///{project.parent / 'jobs.db'}")
    with engine.connect() as conn:
        (run,) = conn.execute(select(crawl_runs).where(crawl_runs.c.kind == "reviews")).all()
    reviews = [m for m in iter_mentions(engine) if m["kind"] == "review"]
    # [crawl] depth = 0 limits blogs only: pagination is followed to the last of the 3 pages.
    assert (run.pages, run.new, run.status) == (3, expected.MENTIONS[(expected.ROSSI, "review")],
                                                 "finished"), log  # fmt: skip
    assert len(reviews) == run.new and {m["brand"] for m in reviews} == {expected.ROSSI}
    assert any(hit.user_agent == USER_AGENT for hit in demo_site.hits)
    engine.dispose()


def test_a_blog_job_uses_its_sources_depth_and_the_configs_thresholds(node, project, demo_site):
    node.run_job(
        "blog", url=f"{demo_site.url}/blog/", settings={"PASSAPAROLA_CONFIG": str(project)}
    )
    engine = open_engine(f"sqlite:///{project.parent / 'jobs.db'}")
    blog = [m for m in iter_mentions(engine) if m["kind"] in ("post", "comment")]
    # The source's depth = 2 reaches the posts ([crawl] depth = 0 would stop at the index).
    assert {m["kind"] for m in blog} == {"post", "comment"}
    assert {m["label"] for m in blog} == {"neutral"}
    engine.dispose()


def test_a_job_without_a_config_fails_in_one_line(node, demo_site):
    log = node.run_job("blog", url=f"{demo_site.url}/blog/", settings={})
    assert log.count("passaparola.toml: no such file") == 1, log
    assert "Traceback" not in log


def test_scrapy_crawl_without_a_config_exits_non_zero_with_one_line(tmp_path, demo_site):
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "blog", "-a", f"url={demo_site.url}/blog/"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings", "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 2
    assert done.stderr.count("passaparola.toml: no such file") == 1, done.stderr
    assert "Traceback" not in done.stderr


def test_scrapy_crawl_reads_the_config_named_by_the_environment(tmp_path, project, demo_site):
    """`scrapy crawl` in any folder, with PASSAPAROLA_CONFIG in its environment (what a Scrapyd
    service started with it passes to every job)."""
    store = tmp_path / "elsewhere.db"
    config = tmp_path / "passaparola.toml"
    config.write_text(
        project.read_text(encoding="utf-8").replace("sqlite:///jobs.db", f"sqlite:///{store}"),
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "reviews", "-a",
         f"url={demo_site.url}/recensioni/panificio-rossi/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PASSAPAROLA_CONFIG": str(config)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    engine = open_engine(f"sqlite:///{store}")
    with engine.connect() as conn:
        (run,) = conn.execute(select(crawl_runs)).all()
    assert (run.pages, run.status) == (3, "finished")
    engine.dispose()
