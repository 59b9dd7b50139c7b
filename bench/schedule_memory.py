"""Memory of `passaparola schedule` over many cycles: it must not grow beyond noise.

Runs the real scheduler as a subprocess on the bundled demo site (every kind of source) with an
SMTP sink, with a cron expression firing every second, so cycles run back to back. Reads the
scheduler's resident memory (VmRSS, Linux /proc) after cycle 1 and after the last one, and in
between, and prints them with their ratio. The crawl runs in a child process per cycle, so what
is measured is what the scheduler keeps: scoring, alerts and the mkdocs build run in it.

    python bench/schedule_memory.py [--cycles 50]
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from crawler.demo.config import demo_config
from crawler.demo.mailbox import DemoMailbox
from crawler.demo.server import DemoSite


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def finished(log: Path) -> list[float]:
    """Durations of the cycles finished so far, from the log."""
    text = log.read_text(encoding="utf-8") if log.exists() else ""
    return [float(s) for s in re.findall(r"cycle \d+ finished in ([\d.]+) s", text)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=50)
    args = parser.parse_args()
    checkpoints = list(range(1, args.cycles + 1))
    with (
        tempfile.TemporaryDirectory() as folder,
        DemoSite() as site,
        DemoMailbox(Path(folder) / "mail") as mailbox,
    ):
        project = Path(folder)
        (project / "passaparola.toml").write_text(
            demo_config(site.url, smtp_port=mailbox.port) + '\n[schedule]\ncron = "* * * * * *"\n',
            encoding="utf-8",
        )
        log = project / "passaparola.log"
        scheduler = subprocess.Popen(
            [sys.executable, "-m", "crawler", "schedule"],
            cwd=project,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        rss: dict[int, float] = {}
        try:
            for cycle in checkpoints:
                while len(finished(log)) < cycle:
                    if scheduler.poll() is not None:
                        raise SystemExit(f"the scheduler exited with {scheduler.returncode}")
                    time.sleep(0.05)
                rss[cycle] = rss_mib(scheduler.pid)
                if cycle in (1, 2, 3, 5) or cycle % 10 == 0:
                    print(f"after cycle {cycle:3}: RSS {rss[cycle]:6.1f} MiB", flush=True)
        finally:
            scheduler.send_signal(signal.SIGTERM)
            scheduler.wait(timeout=60)
        durations = finished(log)
        failed = log.read_text(encoding="utf-8").count("FAILED")
    first, last = rss[checkpoints[0]], rss[checkpoints[-1]]
    later = [rss[cycle] for cycle in checkpoints[len(checkpoints) // 5 :]]
    print(
        f"RSS after 1 cycle {first:.1f} MiB, after {checkpoints[-1]} cycles {last:.1f} MiB, "
        f"ratio {last / first:.3f}; over the last 80 % of cycles "
        f"{min(later):.1f}-{max(later):.1f} MiB; "
        f"median cycle {statistics.median(durations):.1f} s; "
        f"failed stages: {failed}; e-mails sent: {len(mailbox.received)}; "
        f"{os.cpu_count()} CPUs"
    )


if __name__ == "__main__":
    main()
