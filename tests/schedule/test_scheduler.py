"""`passaparola schedule`: cycles on a cron expression, unattended, stopped cleanly by SIGTERM."""

from __future__ import annotations

import json
import re
import signal
import sqlite3
from datetime import datetime
from pathlib import Path

from crawler.demo.server import DemoSite

from .conftest import (
    finished_cycles,
    log_text,
    passaparola,
    quiet_project,
    wait_until,
    write_project,
)

NEW_ITEM = """<item>
<title>Panificio Rossi apre il forno nuovo in via Zamboni</title>
<link>@@base@@/notizie/?id=forno-zamboni</link>
<guid isPermaLink="false">notizie-forno-zamboni</guid>
<description>Il Panificio Rossi inaugura un secondo forno: pane ottimo, profumo meraviglioso
e tanta gente contenta già dal primo giorno.</description>
</item>

""".encode()


def mention_count(folder: Path) -> int:
    with sqlite3.connect(folder / "passaparola.db") as db:
        return db.execute("select count(*) from mentions").fetchone()[0]


def crawl_lines(folder: Path) -> list[tuple[int, int]]:
    """(new, updated) of every cycle's crawl, in order."""
    found = re.findall(r"crawl: \d+ sources, \d+ pages, (\d+) new, (\d+) updated", log_text(folder))
    return [(int(new), int(updated)) for new, updated in found]


def publish_news(site: DemoSite) -> None:
    """A new entry in the demo's RSS feed, as a site publishes between two crawls."""
    name = "feeds/notizie.rss.xml"
    feed = site.files[name]
    assert b"<item>" in feed and b"@@base@@" in feed
    site.files[name] = feed.replace(b"<item>", NEW_ITEM + b"<item>", 1)


def test_cycles_run_on_the_schedule_until_sigterm(tmp_path: Path, site: DemoSite, inbox) -> None:
    received, port = inbox
    write_project(
        tmp_path,
        site.url,
        smtp_port=port,
        extra='[schedule]\ncron = "*/2 * * * * *"   # every two seconds: tests only\n',
    )
    scheduler = passaparola("schedule", cwd=tmp_path)
    try:
        wait_until(lambda: finished_cycles(tmp_path) >= 1, timeout=240, what="a first cycle")
        publish_news(site)
        first = mention_count(tmp_path)
        wait_until(lambda: finished_cycles(tmp_path) >= 3, timeout=240, what="two more cycles")
    finally:
        scheduler.send_signal(signal.SIGTERM)
        out, err = scheduler.communicate(timeout=60)

    assert scheduler.returncode == 0, out + err
    log = log_text(tmp_path)
    assert "scheduler started: cron '*/2 * * * * *' in Europe/Rome; next cycle at" in log
    assert re.search(r"next cycle at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", log)
    assert "SIGTERM: stopping after the running stage" in err
    assert re.search(r"scheduler stopped after \d+ cycles", err)
    assert "FAILED" not in log

    # The first cycle stored everything; later ones added only the news item published since.
    crawls = crawl_lines(tmp_path)
    assert crawls[0] == (first, 0)
    assert sum(new for new, _ in crawls[1:]) == 1
    assert all(updated == 0 for _, updated in crawls)
    assert mention_count(tmp_path) == first + 1

    # The report was rebuilt with it; a cycle cut short never leaves a half-written site.
    index = json.loads((tmp_path / "site" / "search" / "search_index.json").read_text())
    assert any("forno nuovo in via Zamboni" in doc.get("text", "") for doc in index["docs"])
    assert (tmp_path / "site" / "index.html").is_file()

    # The complaints in the demo data raised one alert, e-mailed once across all cycles.
    assert len(received.messages) == 1
    assert received.messages[0]["Subject"].startswith("[passaparola] Panificio Rossi")
    assert log.count("1 new alert(s), 1 sent") == 1
    assert not (tmp_path / "passaparola.db.lock").exists()


def test_next_prints_the_run_times_with_their_offset_and_exits(tmp_path: Path) -> None:
    config = quiet_project(tmp_path)
    with config.open("a", encoding="utf-8") as toml:
        toml.write('\n[schedule]\ncron = "0 9 * * 0"\ntimezone = "Europe/Rome"\n')
    run = passaparola("schedule", "--next", "10", cwd=tmp_path)
    out, err = run.communicate(timeout=60)
    assert run.returncode == 0, err
    times = [datetime.fromisoformat(line) for line in out.split()]
    assert len(times) == 10
    assert times == sorted(times)
    assert all(t.strftime("%a %H:%M") == "Sun 09:00" for t in times)
    assert {t.utcoffset().total_seconds() for t in times} <= {3600.0, 7200.0}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT09:00:00\+0[12]:00", line) for line in out.split())
    assert not (tmp_path / "passaparola.db").exists()  # nothing ran


def test_a_wrong_cron_expression_is_refused_before_anything_runs(tmp_path: Path) -> None:
    config = quiet_project(tmp_path)
    with config.open("a", encoding="utf-8") as toml:
        toml.write('\n[schedule]\ncron = "0 9 * * 1-8"\n')
    run = passaparola("schedule", cwd=tmp_path)
    out, err = run.communicate(timeout=60)
    assert run.returncode == 2
    assert "schedule.cron: day of week field '1-8': 8 is outside 0-7" in " ".join(err.split())
