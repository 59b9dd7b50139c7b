"""What the terminal shows after a crawl: every source named in full, whatever its width."""

from __future__ import annotations

import io

from rich.console import Console

from crawler.console import print_crawl_summary
from crawler.crawl import SourceResult

SOURCES = [
    "http://127.0.0.1:8123/feeds/notizie.rss.xml",
    "http://127.0.0.1:8123/recensioni/panificio-rossi.html",
    "http://127.0.0.1:8123/blog/2026/11/il-forno-sotto-casa-con-un-titolo-lungo.html",
]


def summary_at(width: int) -> str:
    screen = io.StringIO()
    console = Console(file=screen, width=width, color_system=None, legacy_windows=False)
    results = [SourceResult(url, "blog", pages=3, new=2, status="finished") for url in SOURCES]
    print_crawl_summary(console, results)
    return screen.getvalue()


def source_cells(table: str) -> list[str]:
    """The source column, each wrapped cell joined again (a continuation has no kind)."""
    cells: list[str] = []
    for line in table.splitlines():
        columns = [part.strip() for part in line.split("│")]
        if len(columns) < 4 or columns[1] in ("source", "total"):
            continue
        if columns[2]:
            cells.append(columns[1])
        elif cells:
            cells[-1] += columns[1]
    return cells


def test_a_narrow_terminal_folds_source_urls_instead_of_cutting_them() -> None:
    table = summary_at(80)
    assert "…" not in table
    assert source_cells(table) == SOURCES


def test_a_wide_terminal_shows_each_source_on_one_line() -> None:
    table = summary_at(200)
    assert all(any(url in line for line in table.splitlines()) for url in SOURCES)
