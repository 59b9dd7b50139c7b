"""Crawl throughput: a full `passaparola crawl` against a bare Scrapy spider, on one local site.

    python bench/crawl.py [--pages 2000] [--runs 5]
    python bench/crawl.py --startup 7      # start-up: a two-page source, 7 interleaved rounds

A generated blog of `--pages` posts (each with five comments, half of them naming the brand, a
page of ~6 KB) is served on 127.0.0.1. Two crawls of it alternate, each in its own process:

- **passaparola**: `python -m crawler crawl`: extraction, brand matching, sentiment and the
  SQLite store all on;
- **bare Scrapy**: a spider that only follows same-site links, with the same Scrapy settings
  (politeness, concurrency, retries), no pipelines and no extraction.

Prints the settings each configuration crawls with, pages/s, mentions/s and CPU time per page
(user + system of the crawl process and its worker, from `getrusage(RUSAGE_CHILDREN)`)
per run, their medians, the ratio ours / bare, and the load average before and after: the
machine may be shared, and CPU time per page is the figure least disturbed by that.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from crawl_load import StaticPages  # noqa: E402

COMMENT_TEXTS = (
    "Il Panificio Rossi mi ha sbagliato il resto due volte, nessuno si è scusato.",
    "Pane buonissimo e personale gentile, torno sempre volentieri.",
    "Ho provato la focaccia: niente di speciale, ma il prezzo è onesto.",
    "Servizio lento stamattina, però il cornetto era ottimo.",
    "Non lo consiglio: pane raffermo e commessa scortese.",
)
FILLER = (
    "<p>Nel quartiere si parla molto di colazioni, di pane a lievitazione naturale e di come "
    "cambiano i negozi di una volta. Questo articolo racconta la mattina numero {n}.</p>"
) * 12


def page(number: int, total: int) -> bytes:
    """Post `number`: a WordPress-like page linking to the next five posts."""
    brand = number % 2 == 0
    title = f"Post {number}: " + ("il Panificio Rossi in via Saragozza" if brand else "il mercato")
    comments = "".join(
        f'<li class="comment" id="comment-{number}-{i}"><article class="comment-body">'
        f'<footer class="comment-meta"><b class="fn">Lettore {i}</b>'
        f'<time datetime="2026-0{1 + i}-1{i}T10:00:00+01:00">1{i} marzo</time></footer>'
        f'<div class="comment-content"><p>{COMMENT_TEXTS[(number + i) % 5]} ({number})</p>'
        f"</div>"
        f"</article></li>"
        for i in range(5)
    )
    links = "".join(
        f'<li><a href="/blog/post-{n}.html">Post {n}</a></li>'
        for n in range(number + 1, min(number + 6, total))
    )
    return (
        f'<!doctype html><html lang="it"><head><meta charset="utf-8"><title>{title}</title>'
        f'</head><body><article class="post"><h1 class="entry-title">{title}</h1>'
        f'<div class="entry-content">{FILLER.format(n=number)}</div></article>'
        f'<ol class="commentlist">{comments}</ol><nav><ul>{links}</ul></nav></body></html>'
    ).encode()


class Site(StaticPages):
    def __init__(self, pages: int) -> None:
        body = {f"/blog/post-{n}.html": page(n, pages) for n in range(pages)}
        index = "".join(f'<a href="/blog/post-{n}.html">{n}</a>' for n in range(0, pages, 5))
        body["/blog/"] = f"<html><body><h1>Blog</h1>{index}</body></html>".encode()
        super().__init__(body)
        self.posts = pages


# What the bare spider changes in crawler.settings: no passaparola pipelines or extensions, and
# what passaparola's [crawl] section below sets for its own crawl.
BARE_SETTINGS = {
    "ITEM_PIPELINES": {},
    "EXTENSIONS": {},
    "SPIDER_MODULES": [],  # its own spider only: not passaparola's, with their libraries
    "LOG_LEVEL": "WARNING",
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_START_DELAY": 0.1,
    "DEPTH_LIMIT": 0,
    "CLOSESPIDER_PAGECOUNT": 0,
    "USER_AGENT": "bench (+https://example.org/contact)",
}
OURS_SETTINGS = "its pipelines and extensions (sentiment, store, run recorder)"
OURS_CRAWL = "delay = 0, user_agent as above, max_pages past the site, depth 100 (posts: 3 away)"

BARE_SPIDER = textwrap.dedent(
    """
    import json
    import sys
    from scrapy import Spider
    from scrapy.crawler import CrawlerProcess
    from scrapy.linkextractors import LinkExtractor
    from scrapy.settings import Settings

    class Bare(Spider):
        name = "bare"
        links = LinkExtractor()

        async def start(self):
            yield self.make_request(sys.argv[1])

        def make_request(self, url):
            from scrapy import Request
            return Request(url, callback=self.parse)

        def parse(self, response):
            for link in self.links.extract_links(response):
                if link.url.startswith(sys.argv[1].rsplit("/blog/", 1)[0]):
                    yield self.make_request(link.url)

    settings = Settings()
    settings.setmodule("crawler.settings")
    settings.setdict(json.loads(sys.argv[2]))
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(Bare)
    process.crawl(crawler)
    process.start()
    print(crawler.stats.get_value("response_received_count"))
    """
)


def children_cpu() -> float:
    """CPU seconds (user + system) of every child process waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load_average() -> str:
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


# `python -m crawler`, saying at exit how much CPU the crawling process itself used (without its
# worker): Scrapy's reactor runs on one core, so that is what bounds pages/s.
OWN_CPU = """
import atexit, resource, runpy, sys
def own_cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    sys.stderr.write(f"\\nown-cpu {usage.ru_utime + usage.ru_stime}\\n")
atexit.register(own_cpu)
sys.argv = ["passaparola", *sys.argv[1:]]
runpy.run_module("crawler", run_name="__main__", alter_sys=True)
"""


def run_ours(
    site: Site, folder: Path, *, fresh_store: bool = True
) -> tuple[float, int, int, float]:
    database = folder / "passaparola.db"
    if fresh_store:
        database.unlink(missing_ok=True)
    (folder / "passaparola.toml").write_text(
        f"""
[[brands]]
name = "Panificio Rossi"

[[sources]]
kind = "blog"
url = "{site.url}/blog/"

[crawl]
user_agent = "bench (+https://example.org/contact)"
delay = 0
max_pages = {site.posts + 10}
depth = {min(site.posts, 100)}
""",
        encoding="utf-8",
    )
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", OWN_CPU, "crawl"],
        cwd=folder,
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    own_cpu = float(done.stderr.rsplit("own-cpu ", 1)[1].split()[0])
    with sqlite3.connect(database) as db:
        pages, mentions = db.execute(
            "SELECT pages, new FROM crawl_runs ORDER BY id DESC LIMIT 1"
        ).fetchone()
    return seconds, pages, mentions, own_cpu


def run_bare(site: Site, folder: Path) -> tuple[float, int, int, float]:
    script = folder / "bare.py"
    script.write_text(BARE_SPIDER, encoding="utf-8")
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(script), f"{site.url}/blog/", json.dumps(BARE_SETTINGS)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    seconds = time.perf_counter() - started
    return seconds, int(done.stdout.strip().splitlines()[-1]), 0, float("nan")


def startup(rounds: int) -> None:
    """Wall and CPU seconds of a crawl of a two-page source (the start page and one post):
    bare Scrapy, passaparola on a new store, passaparola on a store already at its schema.

    CPU is the crawl's processes together (passaparola's worker included) and, apart, the
    crawling process alone. One untimed run first fills the language model's cache, as any
    earlier crawl on the machine would have."""
    figures: dict[str, list[tuple[float, float, float]]] = {"bare": [], "fresh": [], "current": []}
    print(f"load average before: {load_average()}")
    with Site(1) as site, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        run_ours(site, folder)
        for _ in range(rounds):
            for name, run in (
                ("bare", lambda: run_bare(site, folder)),
                ("fresh", lambda: run_ours(site, folder)),
                ("current", lambda: run_ours(site, folder, fresh_store=False)),
            ):
                cpu = children_cpu()
                seconds, pages, _, own_cpu = run()
                # Scrapy's count has robots.txt too; the run's own, only the pages.
                assert pages == (3 if name == "bare" else 2), f"{name}: {pages} pages"
                total_cpu = children_cpu() - cpu
                figures[name].append((seconds, total_cpu, total_cpu if name == "bare" else own_cpu))
    print(f"load average after: {load_average()}")
    wall, cpu, own = (
        {name: statistics.median(run[column] for run in runs) for name, runs in figures.items()}
        for column in range(3)
    )
    for name, label in (
        ("bare", "bare Scrapy"),
        ("fresh", "passaparola, new store"),
        ("current", "passaparola, store at head"),
    ):
        print(
            f"start-up (median of {rounds}): {label:27s} {wall[name]:5.2f} s wall, "
            f"{cpu[name]:5.2f} s CPU, ×{wall[name] / wall['bare']:.2f} bare "
            f"(CPU ×{cpu[name] / cpu['bare']:.2f}; crawling process {own[name]:.2f} s CPU)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--startup", type=int, metavar="ROUNDS", help="measure start-up instead")
    args = parser.parse_args()
    if args.startup:
        startup(args.startup)
        return
    with Site(args.pages) as site:
        ours: list[float] = []
        bare: list[float] = []
        ours_mentions: list[float] = []
        ours_cpu: list[float] = []
        ours_own_cpu: list[float] = []
        bare_cpu: list[float] = []
        print(f"site: {args.pages} posts of ~{len(site.pages['/blog/post-0.html']) // 1024} KB")
        print(f"load average before: {load_average()}")
        print(f"bare Scrapy settings: crawler.settings + {BARE_SETTINGS}")
        print(f"passaparola settings: crawler.settings + {OURS_SETTINGS} + [crawl] {OURS_CRAWL}")
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            for run in range(1, args.runs + 1):
                cpu = children_cpu()
                seconds, pages, _, _ = run_bare(site, folder)
                bare_cpu.append((children_cpu() - cpu) / pages * 1000)
                bare.append(pages / seconds)
                print(
                    f"run {run}  bare Scrapy   {pages:5d} pages in {seconds:6.1f} s  "
                    f"{pages / seconds:6.1f} pages/s  CPU {bare_cpu[-1]:.2f} ms/page"
                )
                cpu = children_cpu()
                seconds, pages, mentions, own_cpu = run_ours(site, folder)
                ours_cpu.append((children_cpu() - cpu) / pages * 1000)
                ours_own_cpu.append(own_cpu / pages * 1000)
                ours.append(pages / seconds)
                ours_mentions.append(mentions / seconds)
                print(
                    f"run {run}  passaparola   {pages:5d} pages in {seconds:6.1f} s  "
                    f"{pages / seconds:6.1f} pages/s  {mentions} mentions "
                    f"({mentions / seconds:.1f}/s)  CPU {ours_cpu[-1]:.2f} ms/page "
                    f"(crawling process {ours_own_cpu[-1]:.2f})"
                )
    print(f"load average after: {load_average()}")
    ratio = statistics.median(ours) / statistics.median(bare)
    print(
        f"CPU per page (median): passaparola {statistics.median(ours_cpu):.2f} ms "
        f"(crawling process {statistics.median(ours_own_cpu):.2f} ms), "
        f"bare Scrapy {statistics.median(bare_cpu):.2f} ms; "
        f"ratio {statistics.median(bare_cpu) / statistics.median(ours_cpu):.2f}"
    )
    print(
        f"median: passaparola {statistics.median(ours):.1f} pages/s, "
        f"{statistics.median(ours_mentions):.1f} mentions/s; bare Scrapy "
        f"{statistics.median(bare):.1f} pages/s; ratio {ratio:.2f} (target >= 0.7)"
    )


if __name__ == "__main__":
    main()
