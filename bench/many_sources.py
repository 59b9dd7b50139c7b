"""Many sources in one crawl: peak memory and process count of `passaparola crawl`.

    python bench/many_sources.py [--sources 20 50 200] [--posts 2] [--workers 1]
                                 [--concurrent 8] [--runs 1]

A local site of small blogs (tests/crawl_load.py) is served on 127.0.0.1; each blog is one
`blog` source. For each number of sources one `passaparola crawl` runs in its own process while
its whole process tree is sampled from /proc: the peak summed resident memory (VmRSS), the most
processes at once, and the wall time. Target: at 200 sources at most 1 GB and `workers` + 1
processes.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from crawl_load import ManyBlogs, run_sampled, write_project  # noqa: E402


def crawl_once(site: ManyBlogs, sources: int, args: argparse.Namespace) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        config = write_project(
            Path(folder),
            site.blog_urls()[:sources],
            crawl=f"concurrent_sources = {args.concurrent}\nworkers = {args.workers}\n",
        )
        started = time.perf_counter()
        status, output, sampler = run_sampled(
            [sys.executable, "-m", "crawler", "crawl", "--config", str(config)], cwd=ROOT
        )
        seconds = time.perf_counter() - started
        if status != 0:
            raise SystemExit(f"crawl of {sources} sources exited {status}:\n{output}")
        with sqlite3.connect(Path(folder) / "passaparola.db") as db:
            runs, mentions = db.execute("SELECT COUNT(*), SUM(new) FROM crawl_runs").fetchone()
    if runs != sources or mentions != sources * args.posts * 3:
        raise SystemExit(f"{sources} sources: {runs} runs and {mentions} mentions recorded")
    return {
        "rss_mib": sampler.max_rss / 2**20,
        "processes": sampler.max_processes,
        "seconds": seconds,
        "mentions": mentions,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, nargs="+", default=[20, 50, 200])
    parser.add_argument("--posts", type=int, default=2, help="posts per blog")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--concurrent", type=int, default=8, help="[crawl] concurrent_sources")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    with ManyBlogs(max(args.sources), posts=args.posts) as site:
        print(
            f"{'sources':>8} {'peak RSS MiB':>13} {'processes':>10} {'seconds':>8} "
            f"{'mentions/s':>11}"
        )
        for sources in args.sources:
            runs = [crawl_once(site, sources, args) for _ in range(args.runs)]
            rss = statistics.median(run["rss_mib"] for run in runs)
            processes = max(run["processes"] for run in runs)
            seconds = statistics.median(run["seconds"] for run in runs)
            rate = runs[0]["mentions"] / seconds
            print(f"{sources:>8} {rss:>13.0f} {processes:>10} {seconds:>8.1f} {rate:>11.0f}")
    print(
        f"(workers = {args.workers}, concurrent_sources = {args.concurrent}, "
        f"{args.posts} posts a blog; medians of {args.runs} run(s), processes the most seen)"
    )


if __name__ == "__main__":
    main()
