"""A cycle's summary counts the runs of its own crawl only, not a manual crawl's beside it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from cli_runner import write_config

from crawler.config import load_config
from crawler.demo.server import DemoSite
from crawler.store import open_engine

from .conftest import passaparola

# A manual `passaparola crawl` on the same host, recording its run while the cycle's crawl
# records its own: a trigger writes it at that very moment (process 1 is alive, so not stale).
MANUAL_CRAWL = """
CREATE TRIGGER manual_crawl AFTER INSERT ON crawl_runs
WHEN NEW.source_url != 'https://manual.example/'
BEGIN
  INSERT INTO crawl_runs (source_url, kind, started, pages, new, updated, errors, status, host, pid)
  VALUES ('https://manual.example/', 'blog', NEW.started, 99, 5, 0, 7, 'failed', NEW.host, 1);
END
"""


def test_a_cycle_counts_only_its_own_crawl(tmp_path: Path, site: DemoSite) -> None:
    source = f'[[sources]]\nkind = "reviews"\nurl = "{site.url}/recensioni/panificio-rossi/"\n'
    config = write_config(tmp_path, source)
    open_engine(load_config(config).database_url).dispose()
    with sqlite3.connect(tmp_path / "passaparola.db") as db:
        db.execute(MANUAL_CRAWL)

    cycle = passaparola("run", cwd=tmp_path)
    out, err = cycle.communicate(timeout=240)
    assert cycle.returncode == 0, out + err
    [crawl] = [line for line in err.splitlines() if " crawl: " in line]
    assert "1 sources, 3 pages" in crawl and "0 errors" in crawl, crawl
    assert "manual.example" not in err
    with sqlite3.connect(tmp_path / "passaparola.db") as db:
        runs = db.execute("SELECT source_url, status FROM crawl_runs ORDER BY id").fetchall()
    assert ("https://manual.example/", "failed") in runs and len(runs) == 2
