"""Time and peak memory of `passaparola report` for 1,000 / 10,000 / 100,000 mentions.

Each size gets a synthetic store (three brands, a few hundred source domains with a long tail,
two years of dates, Italian and English texts, some handled mentions and alerts); the report
(Markdown + the real in-process `mkdocs build`) then runs in a fresh subprocess, whose peak RSS
it reports itself (`getrusage(RUSAGE_SELF)`: RUSAGE_CHILDREN would count Chromium too).

Then, when Chromium is installed, the built site is opened from file:// in headless Chromium and
a word is typed into the search boxes: Material's (on the home page) and the archive's mention
search (when the site has one); then the archive's whole-archive filter is used alone (tone:
negative, no word), which reads every record file. The time from typing to the first result is
measured in the page (`performance.now()`), just after the page loaded, so it includes loading
the index; the bytes of search index the browser loaded for that query are summed from the files
it asked for.

    python bench/report.py                  # 1000 10000 100000
    python bench/report.py 1000 5000        # other sizes
    python bench/report.py --repeat 3       # median of 3 runs per size
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from crawler.store import (  # noqa: E402 (the repo root is put on the path first)
    alerts,
    crawl_runs,
    fingerprint,
    mention_id,
    mentions,
    open_engine,
)

NOW = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
BRANDS = ("Panificio Rossi", "Forno Bianchi", "Pasticceria Verdi")
IT_WORDS = [
    "pane", "buono", "servizio", "lento", "cortese", "prezzo", "caro", "ottimo", "pessimo",
    "cornetti", "freschi", "personale", "gentile", "attesa", "lunga", "consegna", "puntuale",
    "qualità", "eccellente", "deluso", "tornerò", "mai", "più", "consiglio", "negozio", "pulito",
    "focaccia", "croccante", "torta", "compleanno", "ordinata", "sbagliata", "rimborso"
]  # fmt: skip
EN_WORDS = [
    "bread", "good", "service", "slow", "friendly", "price", "expensive", "great", "awful", "fresh",
    "croissants", "staff", "kind", "long", "wait", "delivery", "on", "time", "quality", "excellent",
    "disappointed", "never", "again", "recommend", "clean", "shop", "focaccia", "crunchy",
    "birthday", "cake", "ordered", "wrong", "refund"
]  # fmt: skip

SEARCH_WORD = "focaccia"  # in both languages' word lists, so in many mentions
TIME_LIMIT = 60  # seconds, for 100,000 mentions on a 2-core machine (issue 4)
MEMORY_LIMIT = 1024  # MiB of peak RSS

CONFIG = """
[site]
title = "Reputazione — benchmark"
language = "it"
{brands}
[storage]
url = "sqlite:///bench.db"
"""


def synthetic_store(folder: Path, size: int, seed: int = 7) -> None:
    """A passaparola project in `folder` whose store holds `size` synthetic mentions."""
    rnd = random.Random(seed)
    brands = "".join(f'\n[[brands]]\nname = "{name}"\n' for name in BRANDS)
    (folder / "passaparola.toml").write_text(CONFIG.format(brands=brands), encoding="utf-8")
    engine = open_engine(f"sqlite:///{folder / 'bench.db'}")
    domains = [f"blog{n}.example.it" for n in range(300)] + [
        "recensioni.example.it",
        "reviews.example.com",
        "news.example.org",
    ]
    weights = [1 / (rank + 1) for rank in range(len(domains))]
    rows = []
    for n in range(size):
        brand = rnd.choice(BRANDS)
        source = rnd.choices(domains, weights)[0]
        lang = rnd.choice(("it", "it", "en"))
        words = IT_WORDS if lang == "it" else EN_WORDS
        text = " ".join(rnd.choices(words, k=rnd.randint(12, 90))).capitalize() + "."
        label = rnd.choices(("negative", "neutral", "positive", None), (3, 3, 5, 1))[0]
        score = {"negative": -0.6, "neutral": 0.0, "positive": 0.5, None: None}[label]
        published = NOW - timedelta(seconds=rnd.randint(0, 730 * 86400))
        first_seen = published + timedelta(hours=rnd.randint(1, 48))
        status = rnd.choices(("new", "handled", "ignored"), (8, 2, 1))[0]
        url = f"https://{source}/post/{n}#comment-{n}"
        kind = rnd.choice(("review", "comment", "post", "feed"))
        rows.append(
            {
                "id": mention_id(url, brand),
                "brand": brand,
                "source": source,
                "source_url": f"https://{source}/",
                "kind": kind,
                "url": url,
                "title": f"Post {n} su {brand}",
                "author": f"Utente {rnd.randint(1, 5000)}",
                "published": published,
                "first_seen": min(first_seen, NOW),
                "last_seen": NOW,
                "lang": lang,
                "rating": rnd.choice((0.0, 0.25, 0.5, 0.75, 1.0)) if kind == "review" else None,
                "score": score,
                "label": label,
                "analyzer": "bench",
                "status": status,
                "handled_at": first_seen + timedelta(hours=rnd.randint(1, 96))
                if status == "handled"
                else None,
                "text": text,
                "fingerprint": fingerprint(f"{n} {text}"),
                "page_url": url.split("#")[0],
                "page_sha256": "",
                "fetched_at": NOW,
            }
        )
    with engine.begin() as conn:
        for start in range(0, len(rows), 5000):
            conn.execute(mentions.insert(), rows[start : start + 5000])
        conn.execute(
            crawl_runs.insert(),
            [
                {
                    "source_url": "https://recensioni.example.it/",
                    "kind": "reviews",
                    "started": NOW - timedelta(minutes=30),
                    "finished": NOW - timedelta(minutes=5),
                    "status": "finished",
                }
            ],
        )
        conn.execute(
            alerts.insert(),
            [
                {
                    "key": f"spike:{BRANDS[i % 3]}:{i}",
                    "brand": BRANDS[i % 3],
                    "kind": "spike",
                    "episode": f"episode-{i}",
                    "window_start": NOW - timedelta(days=i + 1),
                    "window_end": NOW - timedelta(days=i),
                    "count": 5 + i,
                    "baseline": 1.5,
                    "mention_ids": json.dumps([r["id"] for r in rows[i : i + 5 + i]]),
                    "created": NOW - timedelta(days=i),
                    "state": "sent",
                    "closed": None if i < 3 else NOW - timedelta(days=i - 1),
                }
                for i in range(20)
            ],
        )
    engine.dispose()


def material_search(word: str) -> str:
    """Type `word` into Material's search box (as the browser tests do), time the first result."""
    from report.test_browser import SEARCH  # tests/report/test_browser.py

    return (
        "new Promise((resolve) => { const started = performance.now(); "
        + (SEARCH % json.dumps(word))
        + "; (function poll() { if (document.querySelector('.md-search-result__item')) "
        "resolve(performance.now() - started); else setTimeout(poll, 5); })(); })"
    )


MENTION_SEARCH = """new Promise((resolve) => {
  const started = performance.now();
  const input = document.querySelector('form.pp-mention-search input');
  input.value = %s;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  (function poll() {
    if (document.querySelector('.pp-search-result a')) resolve(performance.now() - started);
    else setTimeout(poll, 5);
  })();
})"""


ARCHIVE_FILTER = """new Promise((resolve) => {
  const started = performance.now();
  const select = document.querySelector('form.pp-mention-search select[name=label]');
  select.value = 'negative';
  select.dispatchEvent(new Event('change', {bubbles: true}));
  (function poll() {
    if (document.querySelector('.pp-search-result a')) resolve(performance.now() - started);
    else setTimeout(poll, 5);
  })();
})"""


def loaded_mib(tab) -> float:
    urls = tab.evaluate("window.ppMentionSearch.loaded")
    return sum(Path(url.removeprefix("file://")).stat().st_size for url in urls) / 2**20


def search_timings(site: Path, word: str) -> dict[str, float]:
    """Seconds to the first result and MiB loaded, for each search box the site has."""
    from report.chromium import Browser, find_chromium  # tests/report/chromium.py

    executable = find_chromium()
    if executable is None:
        return {}
    browser = Browser(executable, timeout=180)
    figures: dict[str, float] = {}
    try:
        tab = browser.open((site / "index.html").as_uri())
        figures["material_s"] = tab.evaluate(material_search(word)) / 1000
        if (site / "mention-search" / "index.js").is_file():
            tab = browser.open((site / "archive" / "index.html").as_uri())
            figures["mentions_s"] = tab.evaluate(MENTION_SEARCH % json.dumps(word)) / 1000
            figures["mentions_loaded_mib"] = loaded_mib(tab)
            # The whole-archive filter alone (no word): every record file is read.
            tab = browser.open((site / "archive" / "index.html").as_uri())
            figures["filter_s"] = tab.evaluate(ARCHIVE_FILTER) / 1000
            figures["filter_loaded_mib"] = loaded_mib(tab)
    finally:
        browser.close()
    return figures


def index_sizes(site: Path) -> str:
    material = site / "search" / "search_index.json"
    text = f"Material index {material.stat().st_size / 2**20:.1f} MiB" if material.is_file() else ""
    folder = site / "mention-search"
    if folder.is_dir():
        sizes = [path.stat().st_size for path in folder.iterdir()]
        text += (
            f", mention index {sum(sizes) / 2**20:.1f} MiB in {len(sizes)} files "
            f"(largest {max(sizes) / 2**20:.2f} MiB)"
        )
    return text


REPORT = """
import json, resource, sys, time
from datetime import datetime
from crawler.config import load_config
from crawler.store import open_engine
from crawler.report import build_report
config = load_config(sys.argv[1])
started = time.perf_counter()
now = datetime.fromisoformat(sys.argv[2])
result = build_report(config, open_engine(config.database_url), now=now)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": time.perf_counter() - started, "pages": result.pages, "peak": peak}))
"""


def run_report(folder: Path) -> tuple[float, int, float]:
    """Wall seconds, pages and peak RSS (MiB) of one report run in a fresh subprocess."""
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-c", REPORT, str(folder / "passaparola.toml"), NOW.isoformat()],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if completed.returncode != 0:
        raise SystemExit(f"report failed:\n{completed.stderr}")
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    return wall, figures["pages"], figures["peak"] / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000, 100000])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    print(f"load average {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    results = []
    for size in sorted(args.sizes):
        with tempfile.TemporaryDirectory(prefix=f"pp-bench-{size}-") as tmp:
            folder = Path(tmp)
            started = time.perf_counter()
            synthetic_store(folder, size)
            print(f"{size:>7} mentions: store filled in {time.perf_counter() - started:.1f} s")
            runs = [run_report(folder) for _ in range(args.repeat)]
            seconds = statistics.median(run[0] for run in runs)
            pages = runs[0][1]
            peak = max(run[2] for run in runs)
            size_mb = sum(p.stat().st_size for p in (folder / "site").rglob("*")) / 2**20
            print(
                f"{size:>7} mentions: report {seconds:6.1f} s (median of {len(runs)}), "
                f"{pages} pages, peak RSS {peak:6.0f} MiB, site {size_mb:.0f} MiB"
            )
            print(f"{size:>7} mentions: {index_sizes(folder / 'site')}")
            timings = search_timings(folder / "site", SEARCH_WORD)
            if not timings:
                print(f"{size:>7} mentions: no chromium, search not timed")
            else:
                shown = [f"Material {timings['material_s']:.2f} s"]
                if "mentions_s" in timings:
                    shown.append(
                        f"mention search {timings['mentions_s']:.2f} s "
                        f"({timings['mentions_loaded_mib']:.2f} MiB loaded)"
                    )
                print(f"{size:>7} mentions: first result for {SEARCH_WORD!r}: " + ", ".join(shown))
                if "filter_s" in timings:
                    print(
                        f"{size:>7} mentions: archive filter label=negative alone, first "
                        f"result {timings['filter_s']:.2f} s "
                        f"({timings['filter_loaded_mib']:.2f} MiB loaded)"
                    )
            results.append((size, seconds, peak))
    for (size_a, secs_a, mem_a), (size_b, secs_b, mem_b) in zip(results, results[1:], strict=False):
        factor = size_b / size_a
        print(
            f"{size_a} → {size_b} (×{factor:g}): time ×{secs_b / secs_a:.1f}, "
            f"peak memory ×{mem_b / mem_a:.1f}"
        )
    verdicts = [
        f"{size} mentions: {'OK' if secs < TIME_LIMIT else 'TOO SLOW'} (< {TIME_LIMIT} s), "
        f"{'OK' if peak < MEMORY_LIMIT else 'TOO BIG'} (< {MEMORY_LIMIT} MiB)"
        for size, secs, peak in results
        if size >= 100_000
    ]
    linear = all(
        b[1] / a[1] <= b[0] / a[0] and b[2] / a[2] <= b[0] / a[0]
        for a, b in zip(results, results[1:], strict=False)
    )
    verdicts.append(f"growth: {'no worse than linear' if linear else 'WORSE THAN LINEAR'}")
    print("targets: " + "; ".join(verdicts))


if __name__ == "__main__":
    main()
