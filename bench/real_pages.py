"""Extraction on real pages: the development corpus crawled by the real spiders and store.

    python bench/real_pages.py [--json OUT] [--brand page|title] [--verbose]

Serves `../shared/corpus/pages` (real pages saved from public sites, see its README) on
127.0.0.1 and crawls every page through the real crawl stage (`crawler.crawl.run_crawl`: the
spiders, the sentiment and store pipelines, a temporary SQLite store), one source per page, the
kind that fits it: blog and news pages → `blog` (depth 0), forum threads → `forum`, review pages
→ `reviews`, traps → `blog`; pages whose key expects reviews and the traps are also crawled as a
`reviews` source, so false reviews on the traps show. It then reads the stored mentions back,
compares them with `answers.json` (`crawler.extract.answer_key` states the rules) and prints per
page and in total: comments and forum posts found against expected, found with the right author
and date, reviews found with the right author, date and rating, double counts and false
mentions on the traps.

**Brands.** What is measured is extraction, not brand matching: each source is its own brand
(`corpus-NN-kind`, named on the source as `brand`), with every word of its page's text as an
alias. A review source's reviews all count anyway; on blog and forum sources every comment and
post names the source's brand because its words are the page's words, so whatever the extractor
finds is stored whether or not the post or thread title was recognised. (One brand per source,
not per page: the store keeps one copy of a brand's same text by the same author, and a recipe
page's reviews repeat its comments word for word.) `--brand title` takes only
the words of the page's `<title>` instead: then comments count only when the post (or thread)
is found and names the brand, or the comment itself uses a title word, as on a real crawl.

Nothing leaves the machine: the crawl's HTTP proxy is this same server, which refuses every
request for another host (pages link to their original sites) and counts them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
from collections import defaultdict
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.config import Config  # noqa: E402
from crawler.crawl import SPIDERS, run_crawl  # noqa: E402
from crawler.extract.answer_key import (  # noqa: E402
    Found,
    PageScore,
    load_answers,
    score_page,
    totals,
)
from crawler.extract.brands import words  # noqa: E402
from crawler.extract.html_tree import parse_html  # noqa: E402
from crawler.store import iter_mentions, open_engine  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
TIMEZONE = "Europe/Rome"
# Responses per source: robots.txt, the page, one more (a pager's next page: a 404 here, since the
# corpus holds single pages). Keeps a crawl that follows links from wandering through 404s.
PAGES = 3
SOURCE_KIND = {
    "blog": "blog",
    "news": "blog",
    "forum": "forum" if "forum" in SPIDERS else "blog",
    "reviews": "reviews",
    "trap": "blog",
}


class CorpusHandler(SimpleHTTPRequestHandler):
    """The corpus pages; any request for another host (a proxied one) is refused and counted."""

    refused: list[str] = []

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _off_host(self) -> bool:
        if self.command == "CONNECT" or self.path.startswith(("http://", "https://")):
            self.refused.append(f"{self.command} {self.path}")
            self.send_error(403, "the corpus bench fetches nothing but the corpus")
            return True
        return False

    def list_directory(self, path: str) -> None:
        # No index page: it would link every corpus page from every other one.
        self.send_error(404, "no index")

    def do_CONNECT(self) -> None:
        self._off_host()

    def _not_in_corpus(self) -> bool:
        """A page's own link with a query ("?start=20", "?cpage=2") names a page the corpus
        does not hold; serving the saved page again would count its items twice."""
        if "?" in self.path:
            self.send_error(404, "not in the corpus")
            return True
        return False

    def do_GET(self) -> None:
        if not self._off_host() and not self._not_in_corpus():
            super().do_GET()

    def do_HEAD(self) -> None:
        if not self._off_host() and not self._not_in_corpus():
            super().do_HEAD()


def page_words(html: str, *, title_only: bool) -> list[str]:
    """The distinct words of a page's text (or of its `<title>`), as the brand matcher sees them."""
    root = parse_html(html)
    if root is None:
        return []
    seen: dict[str, None] = {}
    elements = root.iter("title") if title_only else root.iter()
    for element in elements:
        if not isinstance(element.tag, str) or element.tag in ("script", "style"):
            continue
        for text in (element.text, element.tail) if not title_only else (element.text,):
            for word in words(text or ""):
                seen.setdefault(word, None)
    return list(seen)


def build_config(answers: list[dict], base_url: str, store: Path, *, title_only: bool) -> Config:
    brands, sources = [], []
    for answer in answers:
        html = (CORPUS / "pages" / answer["file"]).read_text(encoding="utf-8", errors="replace")
        aliases = page_words(html, title_only=title_only)
        url = f"{base_url}/{answer['file']}"
        kinds = [SOURCE_KIND[answer["kind"]]]
        if kinds[0] != "reviews" and (answer["expected"]["reviews"] or answer["kind"] == "trap"):
            kinds.append("reviews")
        for kind in kinds:
            # A brand per source: the store merges one brand's same text by the same author
            # (a copy), and a recipe's reviews repeat its comments word for word.
            brand = f"corpus-{answer['file'][:2]}-{kind}"
            brands.append({"name": brand, "aliases": aliases if kind != "reviews" else []})
            sources.append(
                {"kind": kind, "url": url, "brand": brand, "depth": 0, "max_pages": PAGES}
            )
    return Config.model_validate(
        {
            "brands": brands,
            "sources": sources,
            "crawl": {"delay": 0, "retries": 0, "timeout": 60, "timezone": TIMEZONE},
            "storage": {"url": f"sqlite:///{store}"},
        }
    )


def crawl_corpus(
    answers: list[dict], *, title_only: bool, log_level: str = "ERROR"
) -> tuple[dict[str, list[Found]], list]:
    """Serve, crawl and read back: the found items per page file, and the refused requests."""
    handler = partial(CorpusHandler, directory=str(CORPUS / "pages"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    # Scrapy's proxy middleware reads these: every other host goes to the refusing server.
    os.environ.update(http_proxy=base_url, https_proxy=base_url, no_proxy="127.0.0.1,localhost")
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "corpus.db"
        config = build_config(answers, base_url, store, title_only=title_only)
        run_crawl(config, log_level=log_level)
        engine = open_engine(config.database_url)
        found: dict[str, list[Found]] = defaultdict(list)
        for row in iter_mentions(engine):
            if row["kind"] == "post":
                continue
            file = unquote(urlsplit(row["page_url"]).path.rsplit("/", 1)[-1])
            found[file].append(
                Found(row["kind"], row["text"], row["author"], row["published"], row["rating"])
            )
        engine.dispose()
    server.shutdown()
    return found, list(CorpusHandler.refused)


def _ratio(part: int, whole: int) -> str:
    return f"{part}/{whole}" + (f" {100 * part / whole:.0f}%" if whole else "")


def print_report(scores: list[PageScore], refused: list[str], *, verbose: bool) -> None:
    print(
        f"{'page':<44} {'found':>8} {'author+date':>12} {'reviews':>8} {'rev ok':>7}"
        f" {'double':>6} {'trap':>4}"
    )
    for page in scores:
        print(
            f"{page.file:<44} {page.found:>3}/{page.expected:<4} {page.right:>5}/{page.checked:<6}"
            f" {page.found_reviews:>3}/{page.expected_reviews:<4} "
            f"{page.right_reviews:>3}/{page.checked_reviews:<3} {page.doubles:>6}"
            f" {page.false_on_trap:>4}"
        )
        if verbose:
            for problem in page.problems:
                print(f"    {problem}")
    total = totals(scores)
    print()
    print(
        f"comments and forum posts found      {_ratio(total.found, total.expected)}"
        f"  (+{total.extra} beyond the expected count)"
    )
    print(
        f"  ... with right author and date    {_ratio(total.right, total.checked)}"
        "  (key items: first two and last of each page)"
    )
    print(f"forum pages: posts found            {_ratio(total.found_forum, total.expected_forum)}")
    print(f"  ... with right author and date    {_ratio(total.right_forum, total.checked_forum)}")
    print(
        f"reviews found                       {_ratio(total.found_reviews, total.expected_reviews)}"
    )
    print(
        f"  ... right author, date and rating {_ratio(total.right_reviews, total.checked_reviews)}"
    )
    print(f"double counts                       {total.doubles}")
    print(f"false mentions on trap pages        {total.false_on_traps}")
    print(f"requests for other hosts (refused)  {len(refused)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="also write the figures as JSON to this file")
    parser.add_argument(
        "--brand",
        choices=("page", "title"),
        default="page",
        help="brand aliases: every word of the page (default) or of its <title>",
    )
    parser.add_argument("--verbose", action="store_true", help="list each wrong key item")
    parser.add_argument("--only", nargs="*", default=[], help="page numbers to run (e.g. 16 17)")
    parser.add_argument("--log-level", default="ERROR", help="Scrapy's log level (INFO, DEBUG)")
    args = parser.parse_args()
    if not (CORPUS / "answers.json").is_file():
        print(f"no corpus at {CORPUS} (expected ../shared/corpus beside the repo)", file=sys.stderr)
        return 2
    answers = [
        answer
        for answer in load_answers(CORPUS)
        if not args.only or answer["file"][:2] in {n.zfill(2) for n in args.only}
    ]
    found, refused = crawl_corpus(
        answers, title_only=args.brand == "title", log_level=args.log_level
    )
    scores = [
        score_page(answer, found.get(answer["file"], []), local_tz=TIMEZONE) for answer in answers
    ]
    print_report(scores, refused, verbose=args.verbose)
    if args.json:
        payload = {
            "brand": args.brand,
            "totals": totals(scores).as_dict(),
            "pages": [{name: getattr(page, name) for name in page.__slots__} for page in scores],
            "refused": refused,
        }
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
