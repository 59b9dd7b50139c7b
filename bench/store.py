"""Store CPU per mention: `upsert_mentions` of a crawl's mentions, in the pipeline's batches.

    python bench/store.py [--runs 5] [--against OLD_TREE] [--mentions FILE] [--store DB]

The mentions are those of bench/crawl.py's site (2,000 posts, 7,000 mentions), crawled once by
this tree's `passaparola crawl` into a temporary store and read back (`--store DB` reads them
from another passaparola SQLite store instead; `--mentions FILE` keeps them in a JSON file and
reuses it next time). A post's and a comment's date is given in the site's own offset (+01:00),
as the spider reads it.

Each run is a new process on a new SQLite store, upserting batches of 100 mentions three times:
**new** (an empty store), **seen again** (the same mentions: a re-crawl), **edited** (every text
changed: all updates). It prints the CPU time (`time.process_time`) per mention of each pass,
and the median of `--runs`. With `--against OLD_TREE` (a checkout of another commit, e.g.
`git archive COMMIT | tar -x -C /tmp/old`) its runs alternate with this tree's, in the same
conditions, and the figures compare them; the stored rows of both are compared too (every
column and its SQLite type but the run's own times: first and last seen, whose form is
compared), and must be identical.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSES = ("new", "seen again", "edited")
FIELDS = [
    "brand",
    "kind",
    "url",
    "text",
    "source",
    "source_url",
    "title",
    "author",
    "published",
    "rating",
    "lang",
    "score",
    "label",
    "analyzer",
    "page_url",
    "page_sha256",
    "fetched_at",
]

# One run, in its own process with the tree under test first on the path: prints JSON.
RUN = r"""
import hashlib, json, sqlite3, sys, time
from datetime import datetime, timedelta, timezone
import crawler
from crawler.items import Mention
from crawler.store import open_engine, upsert_mentions

mentions_file, database = sys.argv[1], sys.argv[2]
PAGE_OFFSET = timezone(timedelta(hours=1))

def mentions(edit=""):
    batch = []
    for record in json.loads(open(mentions_file, encoding="utf-8").read()):
        for name in ("published", "fetched_at"):
            if record[name]:
                record[name] = datetime.fromisoformat(record[name])
        if record["published"]:
            record["published"] = record["published"].astimezone(PAGE_OFFSET)
        record["text"] += edit
        batch.append(Mention(**record))
    return batch

def stored_rows():
    # Every column as SQLite holds it (value and type); the run's own times by their form.
    db = sqlite3.connect(database)
    columns = [row[1] for row in db.execute("PRAGMA table_info(mentions)")]
    own = {"first_seen", "last_seen"}
    parts = [f"typeof({c}), length({c})" if c in own else f"{c}, typeof({c})" for c in columns]
    rows = db.execute(f"SELECT {', '.join(parts)} FROM mentions ORDER BY id").fetchall()
    db.close()
    return len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()

engine = open_engine(f"sqlite:///{database}")
figures = {"code": crawler.__file__}
for name, batch in (("new", mentions()), ("seen again", mentions()),
                    ("edited", mentions(" (modificato)"))):
    counts = [0, 0, 0]
    started = time.process_time()
    for start in range(0, len(batch), 100):
        result = upsert_mentions(engine, batch[start : start + 100])
        counts = [counts[0] + result.new, counts[1] + result.updated,
                  counts[2] + result.unchanged]
    cpu = time.process_time() - started
    figures[name] = {"us": cpu / len(batch) * 1e6, "counts": counts, "rows": stored_rows()}
print(json.dumps(figures))
"""


def load_average() -> str:
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


def read_mentions(database: Path) -> list[dict]:
    """A store's mentions as the pipeline hands them to the store (times in ISO form)."""
    with sqlite3.connect(database) as db:
        db.row_factory = sqlite3.Row
        rows = db.execute(f"SELECT {', '.join(FIELDS)} FROM mentions ORDER BY first_seen, id")
        records = [dict(row) for row in rows]
    for record in records:
        for name in ("published", "fetched_at"):
            if record[name]:
                record[name] = record[name].replace(" ", "T") + "+00:00"
    return records


def crawled_mentions(folder: Path) -> list[dict]:
    """The mentions of bench/crawl.py's site, crawled by this tree."""
    sys.path.insert(0, str(ROOT / "bench"))
    sys.path.insert(0, str(ROOT / "tests"))
    import crawl

    with crawl.Site(2000) as site:
        _, pages, stored, _ = crawl.run_ours(site, folder)
    print(f"crawled bench/crawl.py's site: {pages} pages, {stored} mentions")
    return read_mentions(folder / "passaparola.db")


def one_run(tree: Path, mentions: Path, folder: Path) -> dict:
    database = folder / "bench-store.db"
    for leftover in folder.glob("bench-store.db*"):
        leftover.unlink()
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(mentions), str(database)],
        check=True,
        capture_output=True,
        text=True,
        cwd=folder,  # not this tree's folder, which would come first on the path
        env={**os.environ, "PYTHONPATH": str(tree)},
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert Path(figures["code"]).is_relative_to(tree), f"ran {figures['code']}, not {tree}"
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", type=Path, help="another tree to compare with")
    parser.add_argument("--mentions", type=Path, help="JSON file of the mentions (kept)")
    parser.add_argument("--store", type=Path, help="take the mentions from this SQLite store")
    args = parser.parse_args()
    trees = {"this tree": ROOT}
    if args.against:
        trees["against"] = args.against.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        mentions = args.mentions or folder / "mentions.json"
        if not mentions.exists():
            records = read_mentions(args.store) if args.store else crawled_mentions(folder)
            mentions.write_text(json.dumps(records), encoding="utf-8")
        count = len(json.loads(mentions.read_text(encoding="utf-8")))
        print(f"{count} mentions, batches of 100; trees: {trees}")
        print(f"load average before: {load_average()}")
        runs: dict[str, list[dict]] = {name: [] for name in trees}
        for run in range(1, args.runs + 1):
            for name, tree in trees.items():
                figures = one_run(tree, mentions, folder)
                runs[name].append(figures)
                cpu = "  ".join(f"{p} {figures[p]['us']:6.1f}" for p in PASSES)
                print(f"run {run}  {name:9s}  CPU µs/mention: {cpu}")
        print(f"load average after: {load_average()}")
    medians = {
        name: {p: statistics.median(f[p]["us"] for f in figures) for p in PASSES}
        for name, figures in runs.items()
    }
    for name in trees:
        cpu = ", ".join(f"{p} {medians[name][p]:.1f}" for p in PASSES)
        counts = {p: runs[name][0][p]["counts"] for p in PASSES}
        print(f"median of {args.runs}: {name}: CPU µs/mention {cpu}")
        print(f"  new/updated/unchanged per pass: {counts}")
    if args.against:
        ratios = ", ".join(
            f"{p} ×{medians['against'][p] / medians['this tree'][p]:.2f}" for p in PASSES
        )
        print(f"this tree is faster than the other by: {ratios}")
        same = all(
            (a[p]["counts"], a[p]["rows"]) == (b[p]["counts"], b[p]["rows"])
            for a, b in zip(runs["this tree"], runs["against"], strict=True)
            for p in PASSES
        )
        rows = runs["this tree"][0]["edited"]["rows"][0]
        print(
            f"stored rows and counts after each pass: {'identical' if same else 'DIFFERENT'} "
            f"({rows} rows, every column and its type; first/last seen by form)"
        )


if __name__ == "__main__":
    main()
