"""How fast `passaparola serve` shows a handling click: the answer (stored and patched) and the
background rebuild, for synthetic stores of 1,000 and 10,000 mentions.

Each size gets the synthetic store of bench/report.py; `passaparola serve` runs as a real
subprocess on a free loopback port; the bench marks open mentions handled, one at a time, and
times the POST until its answer (the page is then already patched) and until the server logs the
rebuild that follows it.

    python bench/serve.py                  # 1000 10000
    python bench/serve.py 1000 --clicks 5
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from report.serving import start_serve  # noqa: E402 (the test helpers are put on the path first)

_spec = importlib.util.spec_from_file_location("bench_report", ROOT / "bench" / "report.py")
bench_report = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_report)

CARD = re.compile(r'data-id="([0-9a-f]{32})" data-status="new"')


def measure(size: int, clicks: int) -> tuple[float, float, float]:
    """Seconds to start (build included), median seconds to the answer and to the rebuild."""
    with tempfile.TemporaryDirectory(prefix="pp-bench-serve-") as folder:
        bench_report.synthetic_store(Path(folder), size)
        started = time.perf_counter()
        served = start_serve(Path(folder) / "passaparola.toml")
        startup = time.perf_counter() - started
        try:
            answers, rebuilds = [], []
            for _ in range(clicks):
                home = served.request("GET", "/").body
                mention = CARD.search(home)[1]
                began = time.perf_counter()
                reply = served.post_status(mention, {"status": "handled", "by": "bench"})
                answers.append(time.perf_counter() - began)
                if reply.status != 303:
                    raise SystemExit(f"the server answered {reply.status}: {reply.body[:200]}")
                served.wait_for_line("rebuilt the site", timeout=600)
                rebuilds.append(time.perf_counter() - began)
        finally:
            served.stop()
    return startup, statistics.median(answers), statistics.median(rebuilds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--clicks", type=int, default=3)
    args = parser.parse_args()
    print(f"{'mentions':>9} {'start s':>8} {'answer ms':>10} {'rebuilt s':>10}")
    for size in args.sizes:
        startup, answer, rebuilt = measure(size, args.clicks)
        print(f"{size:>9,} {startup:>8.1f} {answer * 1000:>10.0f} {rebuilt:>10.1f}")


if __name__ == "__main__":
    main()
