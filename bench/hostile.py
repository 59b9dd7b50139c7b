"""Peak memory and time of `passaparola crawl` against each hostile case of tests/hostile_server.py.

    python bench/hostile.py [--limit-mb 4096] [--timeout 180] [--case NAME ...]

Each case is one source crawled by a fresh `python -m crawler crawl` process. The process runs
under an address-space limit (`--limit-mb`) and a timeout, so a case that would eat the machine
or never end is stopped and reported as such. Prints, per case: the exit status (or how it was
stopped), seconds, the process's peak RSS, and what it stored and refused.

To measure another checkout, put it first on the path: `PYTHONPATH=/path/to/checkout python
bench/hostile.py` (the crawl processes inherit the environment).
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hostile_server import HostileSite  # noqa: E402

# name: (kind, path on the hostile site, extra source keys)
CASES = {
    "file:///dev/zero in a sitemap": ("sitemap", "/dev-zero.xml", ""),
    "endless body (chunked)": ("blog", "/zero", ""),
    "gzip bomb (1 GB inflated)": ("blog", "/gzip-bomb", ""),
    "sitemap bomb (5,000 x 50,000 URLs)": ("sitemap", "/bomb/index.xml", ""),
    "200,000 nested divs": ("blog", "/deep", ""),
    "redirect loop": ("reviews", "/loop/a", 'brand = "Panificio Rossi"\n'),
    "depth = 0, 300 links": ("blog", "/many/", "depth = 0\n"),
    "file:, data:, ftp:, internal links": ("blog", "/blog/", "depth = 1\n"),
}


def config(site: HostileSite, kind: str, path: str, extra: str) -> str:
    return (
        '[[brands]]\nname = "Panificio Rossi"\n\n'
        f'[[sources]]\nkind = "{kind}"\nurl = "{site.url}{path}"\n{extra}\n'
        '[crawl]\nuser_agent = "passaparola-bench (+https://example.org/contact)"\n'
        "delay = 0\ntimeout = 20\nretries = 0\n"
    )


def run_case(site: HostileSite, case: str, limit_mb: int, timeout: float) -> dict[str, object]:
    kind, path, extra = CASES[case]
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "passaparola.toml").write_text(config(site, kind, path, extra))
        limit = limit_mb * 1024 * 1024

        def limit_memory() -> None:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "crawler", "crawl"],
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            preexec_fn=limit_memory,
            env={**os.environ, "COLUMNS": "200"},
        )
        stdout: list[bytes] = []
        stderr: list[bytes] = []
        readers = [
            threading.Thread(target=lambda: stdout.append(process.stdout.read())),
            threading.Thread(target=lambda: stderr.append(process.stderr.read())),
        ]
        for reader in readers:
            reader.start()
        timer = threading.Timer(timeout, lambda: process.send_signal(signal.SIGKILL))
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        timer.cancel()
        for reader in readers:
            reader.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        said = b"".join(stderr).decode("utf-8", "replace")
        if process.returncode == -signal.SIGKILL and seconds >= timeout:
            outcome = f"killed after {timeout:g} s"
        elif "MemoryError" in said:
            outcome = f"MemoryError at the {limit_mb} MB limit"
        elif process.returncode < 0:
            outcome = f"killed by signal {-process.returncode}"
        else:
            outcome = f"exit {process.returncode}"
        stored, run = 0, None
        database = Path(folder) / "passaparola.db"
        if database.exists():
            with sqlite3.connect(database) as db:
                stored = db.execute("select count(*) from mentions").fetchone()[0]
                run = db.execute("select pages, errors, status from crawl_runs").fetchone()
    return {
        "case": case,
        "outcome": outcome,
        "seconds": seconds,
        "peak_mb": usage.ru_maxrss / 1024,
        "stored": stored,
        "run": run,
        "refused": refused(b"".join(stdout).decode("utf-8", "replace")),
    }


def refused(summary: str) -> str:
    """The `refused` cell of the crawl summary's one source row ("-" when it has none)."""
    header = next((line for line in summary.splitlines() if "refused" in line), None)
    row = next((line for line in summary.splitlines() if "http://" in line), None)
    if header is None or row is None:
        return "-"
    names = [cell.strip() for cell in header.strip("┃ ").split("┃")]
    cells = [cell.strip() for cell in row.strip("│ ").split("│")]
    return cells[names.index("refused")] if len(cells) == len(names) else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit-mb", type=int, default=4096)
    parser.add_argument("--timeout", type=float, default=180.0)
    parser.add_argument("--case", action="append", choices=sorted(CASES), help="only these")
    args = parser.parse_args()
    with HostileSite(gzip_bomb_mb=1024) as site:
        _ = site.gzip_bomb, site.deep  # built before the clocks start
        print(f"{'case':38} {'outcome':34} {'s':>6} {'peak RSS':>9} {'stored':>6}  run, refused")
        for case in args.case or CASES:
            row = run_case(site, case, args.limit_mb, args.timeout)
            pages, errors, status = row["run"] or ("-", "-", "no run recorded")
            print(
                f"{case:38} {row['outcome']:34} {row['seconds']:6.1f} "
                f"{row['peak_mb']:6.0f} MB {row['stored']:6}  "
                f"pages {pages}, errors {errors}, {status}, refused {row['refused']}",
                flush=True,
            )
        print(f"internal service hits: {sum(site.internal.hits.values())}")


if __name__ == "__main__":
    main()
