"""Several machines, one store: `passaparola run` crawls on two Scrapyd nodes into PostgreSQL,
then scores, alerts and reports once; a cycle started meanwhile on another machine skips.

Real Scrapyd nodes on 127.0.0.1 (the project deployed by `scrapyd-deploy`) and a real PostgreSQL
server (tests/postgres_server.py); skipped without them, unless CI requires them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from postgres_server import drop_database, fresh_database
from scrapyd_node import require_scrapyd
from sqlalchemy import create_engine, text

from crawler.demo import expected
from crawler.demo.config import demo_config
from crawler.demo.server import DemoSite

from .conftest import passaparola

require_scrapyd()

# The demo project's five sources, plus five blog posts on their own (depth 0): each of these is
# also reached by the blog source, so two jobs on two nodes store the same mentions at once.
POSTS = [thread.path for thread in expected.THREADS if thread.brand][:5]


@pytest.fixture()
def store(postgres_server_url: str):
    url = fresh_database(postgres_server_url)
    yield url
    drop_database(postgres_server_url, url)


def scaled_project(folder: Path, site: DemoSite, store: str, nodes: list, smtp_port: int) -> Path:
    text_ = demo_config(site.url, smtp_port=smtp_port)
    text_ = text_.replace('url = "sqlite:///passaparola.db"', f'url = "{store}"')
    scrapyd = ", ".join(f'"{node.url}"' for node in nodes)
    text_ = text_.replace("[crawl]\n", f"[crawl]\nscrapyd = [{scrapyd}]\n")
    text_ += "".join(
        f'\n[[sources]]\nkind = "blog"\nurl = "{site.url}{path}"\ndepth = 0\n' for path in POSTS
    )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "passaparola.toml"
    path.write_text(text_, encoding="utf-8")
    return path


def query(url: str, sql: str) -> list[tuple]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql))]
    finally:
        engine.dispose()


def test_a_cycle_on_two_nodes_stores_each_mention_once_and_alerts_and_reports_once(
    tmp_path: Path, site: DemoSite, inbox, scrapyd_nodes, store: str
) -> None:
    received, port = inbox
    scaled_project(tmp_path, site, store, scrapyd_nodes, port)

    cycle = passaparola("run", cwd=tmp_path)
    out, err = cycle.communicate(timeout=600)
    assert cycle.returncode == 0, out + err
    counts = dict(
        ((brand, kind), n)
        for brand, kind, n in query(
            store, "SELECT brand, kind, COUNT(*) FROM mentions GROUP BY brand, kind"
        )
    )
    assert counts == {key: n for key, n in expected.MENTIONS.items() if n}
    stored = sum(counts.values())
    runs = query(store, "SELECT crawl_id, status FROM crawl_runs")
    assert len(runs) == 10 and {status for _, status in runs} == {"finished"}
    [(crawl_id,)] = {(crawl_id,) for crawl_id, _ in runs}
    # The jobs went to both nodes, five each (both were idle).
    jobs = [
        [job for job in node.jobs()["finished"] if job["id"].startswith(crawl_id)]
        for node in scrapyd_nodes
    ]
    assert [len(mine) for mine in jobs] == [5, 5]
    spread = f"jobs per node: {scrapyd_nodes[0].url} 5, {scrapyd_nodes[1].url} 5"
    for line in (
        "crawl: 10 sources, ",
        spread,
        "alerts: 1 new alert(s), 1 sent",
        f"report: 13 pages from {stored} mentions",
    ):
        assert line in err, err
    assert err.rstrip().endswith("all stages ok")
    assert len(received.messages) == 1
    assert received.messages[0]["Subject"].startswith("[passaparola] Panificio Rossi")
    assert query(store, "SELECT COUNT(*) FROM alerts") == [(1,)]
    assert (tmp_path / "site" / "index.html").is_file()
