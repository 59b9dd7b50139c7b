"""`passaparola run`: one whole cycle over the demo site, for cron and systemd timers."""

from __future__ import annotations

import signal
import sqlite3
from pathlib import Path

from crawler.demo.server import DemoSite

from .conftest import free_port, log_text, passaparola, wait_until, write_project


def mention_count(folder: Path) -> int:
    with sqlite3.connect(folder / "passaparola.db") as db:
        return db.execute("select count(*) from mentions").fetchone()[0]


def processes_mentioning(text: str) -> list[int]:
    """PIDs of live processes whose command line contains `text` (a crawl left behind?)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            state = (entry / "stat").read_text().split(") ", 1)[1][0]
        except OSError:
            continue
        if text in command and state != "Z":
            found.append(int(entry.name))
    return found


def test_a_cycle_crawls_scores_alerts_and_reports_then_the_next_adds_nothing_twice(
    tmp_path: Path, site: DemoSite, inbox
) -> None:
    received, port = inbox
    write_project(tmp_path, site.url, smtp_port=port)

    first = passaparola("run", cwd=tmp_path)
    out, err = first.communicate(timeout=240)
    assert first.returncode == 0, out + err
    stored = mention_count(tmp_path)
    assert stored > 40
    for line in (
        f"crawl: 5 sources, 21 pages, {stored} new, 0 updated, 0 errors",
        "score: ",
        "alerts: 1 new alert(s), 1 sent",
        f"report: 13 pages from {stored} mentions",  # the quality page is the 13th
        "cycle finished in",
    ):
        assert line in err, err
    assert err.rstrip().endswith("all stages ok")
    assert (tmp_path / "site" / "index.html").is_file()
    assert [m["Subject"] for m in received.messages][0].startswith("[passaparola] Panificio Rossi")

    again = passaparola("run", cwd=tmp_path)
    out, err = again.communicate(timeout=240)
    assert again.returncode == 0, out + err
    assert "crawl: 5 sources, 21 pages, 0 new, 0 updated, 0 errors" in err
    assert "alerts: 0 new alert(s), 0 sent" in err
    assert mention_count(tmp_path) == stored
    assert len(received.messages) == 1
    # Both cycles are in the log file next to the store, one line per stage.
    assert log_text(tmp_path).count("report: 13 pages") == 2


def test_a_failing_source_and_a_failing_mail_server_fail_the_cycle_but_not_the_report(
    tmp_path: Path, site: DemoSite
) -> None:
    dead = free_port()  # nothing listens there: the source and the SMTP server are unreachable
    config = write_project(tmp_path, site.url, smtp_port=dead)
    text = config.read_text(encoding="utf-8").replace(
        "max_pages = 100\n", "max_pages = 100\nretries = 0\n", 1
    )
    text += f'\n[[sources]]\nkind = "feed"\nurl = "http://127.0.0.1:{dead}/feed.xml"\n'
    config.write_text(text, encoding="utf-8")

    run = passaparola("run", cwd=tmp_path)
    out, err = run.communicate(timeout=240)

    assert run.returncode == 1, out + err
    assert "crawl: FAILED: 6 sources, 21 pages" in err
    assert f"feed http://127.0.0.1:{dead}/feed.xml: failed" in err
    assert "alerts: FAILED: 1 new alert(s), 0 sent, 1 failed (will retry)" in err
    assert "report: 13 pages" in err  # the other stages ran
    summary = err.strip().splitlines()[-1]
    assert "FAILED: crawl (" in summary and "; alerts (" in summary
    assert (tmp_path / "site" / "index.html").is_file()


def test_sigterm_during_the_crawl_ends_it_and_skips_the_rest(tmp_path: Path) -> None:
    with DemoSite() as slow_site:
        config = write_project(tmp_path, slow_site.url)
        text = config.read_text(encoding="utf-8").replace("delay = 0 ", "delay = 3 ", 1)
        config.write_text(text, encoding="utf-8")
        run = passaparola("run", cwd=tmp_path)
        wait_until(lambda: len(slow_site.hits) > 2, timeout=120, what="the crawl to start")
        run.send_signal(signal.SIGTERM)
        out, err = run.communicate(timeout=60)

    assert run.returncode == 128 + signal.SIGTERM, out + err
    assert "SIGTERM: stopping after the running stage" in err
    assert "crawl: STOPPED: 5 sources" in err
    assert "stopped on request after crawl" in err
    assert "report:" not in err
    assert not (tmp_path / "site").exists()
    assert not (tmp_path / "passaparola.db.lock").exists()
    assert processes_mentioning(str(tmp_path)) == []


def test_a_crawl_over_its_time_limit_is_stopped_and_the_cycle_goes_on(tmp_path: Path) -> None:
    with DemoSite() as slow_site:
        config = write_project(tmp_path, slow_site.url)
        # Long enough for a loaded machine to start the crawl and fetch a first page of every
        # source; the pages queued behind the one-minute delay are given up, not waited for.
        text = config.read_text(encoding="utf-8").replace("delay = 0 ", "delay = 60 ", 1)
        config.write_text(text + "\n[schedule]\ncrawl_timeout = 15\n", encoding="utf-8")
        run = passaparola("run", cwd=tmp_path)
        out, err = run.communicate(timeout=240)

    assert run.returncode == 1, out + err
    assert "crawl: FAILED: 5 sources" in err
    assert "stopped after the 15 s crawl_timeout" in err
    assert "report: " in err  # what the crawl stored before it was stopped is reported
    assert (tmp_path / "site" / "index.html").is_file()
    # It ended by itself (its summary is in the log, Scrapy's own words for whoever digs),
    # without being killed, and nothing it stored was left "running".
    assert "crawl output:" in log_text(tmp_path)
    assert "running" not in err
