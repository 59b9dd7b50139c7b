"""`passaparola schedule`: cycles on a cron expression, unattended, stopped cleanly by SIGTERM."""

from __future__ import annotations

import json
import re
import signal
import sqlite3
from datetime import UTC, datetime
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


def news_stored_then_nothing_new(folder: Path) -> bool:
    later = crawl_lines(folder)[1:]
    return bool(later) and sum(new for new, _ in later) == 1 and later[-1] == (0, 0)


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
        wait_until(
            lambda: news_stored_then_nothing_new(tmp_path),
            timeout=240,
            what="a cycle storing the news, then one finding nothing new",
        )
    finally:
        scheduler.send_signal(signal.SIGTERM)
        out, err = scheduler.communicate(timeout=30)

    assert scheduler.returncode == 0, out + err
    log = log_text(tmp_path)
    assert "scheduler started: cron '*/2 * * * * *' in Europe/Rome; next cycle at" in log
    assert re.search(r"next cycle at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", log)
    assert "SIGTERM: stopping after the running stage" in err
    assert re.search(r"scheduler stopped after \d+ cycles", err)
    assert "FAILED" not in log
    # Never two cycles at once: each starts after the previous one finished; the run times
    # that passed meanwhile collapse into one cycle that runs late.
    events = re.findall(r"cycle (\d+) (started|finished)", log)
    alternating = [
        (str(n), step) for n in range(1, len(events)) for step in ("started", "finished")
    ]
    assert events == alternating[: len(events)]
    assert "while this one ran: it runs now (missed run times are collapsed into one cycle)" in log

    # The first cycle stored everything; later ones added only the news item published since.
    # (The feed's other entries count as updated once: the page they come from changed.)
    crawls = crawl_lines(tmp_path)
    assert crawls[0] == (first, 0)
    assert sum(new for new, _ in crawls[1:]) == 1
    assert crawls[-1] == (0, 0)
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


def store_with_a_crawl(config_path: Path, started: datetime) -> None:
    from crawler.config import load_config
    from crawler.store import crawl_runs, open_engine

    engine = open_engine(load_config(config_path).database_url)
    with engine.begin() as conn:
        conn.execute(crawl_runs.insert().values(source_url="", kind="feed", started=started))
    engine.dispose()


def test_on_restart_a_cycle_missed_while_stopped_runs_at_once(tmp_path: Path) -> None:
    config = quiet_project(tmp_path)
    with config.open("a", encoding="utf-8") as toml:
        toml.write('\n[schedule]\ncron = "@yearly"\n')
    store_with_a_crawl(config, datetime(2000, 6, 1, tzinfo=UTC))
    scheduler = passaparola("schedule", cwd=tmp_path)
    try:
        wait_until(lambda: finished_cycles(tmp_path) >= 1, timeout=120, what="the missed cycle")
    finally:
        scheduler.send_signal(signal.SIGTERM)
        out, err = scheduler.communicate(timeout=30)
    assert scheduler.returncode == 0, err
    assert re.search(
        r"a cycle was due at \d{4}-01-01T00:00:00\+01:00 \(the last crawl at 2000-", err
    )
    assert "cycle 1 finished" in err


def test_after_a_recent_cycle_it_waits_and_sigterm_stops_it_while_idle(tmp_path: Path) -> None:
    config = quiet_project(tmp_path)
    with config.open("a", encoding="utf-8") as toml:
        toml.write('\n[schedule]\ncron = "@yearly"\n')
    store_with_a_crawl(config, datetime.now(UTC))
    scheduler = passaparola("schedule", cwd=tmp_path)
    try:
        wait_until(lambda: "scheduler started" in log_text(tmp_path), timeout=60, what="start")
    finally:
        scheduler.send_signal(signal.SIGTERM)
        out, err = scheduler.communicate(timeout=30)
    assert scheduler.returncode == 0, err
    assert re.search(r"next cycle at \d{4}-01-01T00:00:00\+01:00", err)
    assert "cycle 1" not in err
    assert "scheduler stopped after 0 cycles" in err
