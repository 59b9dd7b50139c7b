"""The monthly archive puts every mention on exactly one page, whatever the page size."""

from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from crawler.report.archive import pager_numbers, write_archive
from crawler.report.labels import Words
from crawler.report.pages import PageWriter
from crawler.report.queries import month_counts
from crawler.store import iter_mentions

ROME = ZoneInfo("Europe/Rome")
CARD = re.compile(r'<article class="pp-mention [^"]*" id="m-\w+" data-id="(\w+)"[^>]*>')


def archive_with_page_size(built, folder: Path, page_size: int, locate=()):
    writer = PageWriter(folder, {"w": Words("it", ROME)})
    archive = write_archive(
        built.store.engine,
        writer,
        Words("it", ROME),
        ROME,
        cutoff=None,
        locate=locate,
        page_size=page_size,
    )
    pages = {
        page: CARD.findall((folder / page).read_text(encoding="utf-8"))
        for month in archive.months
        for page in month.pages
    }
    return archive, pages


def page_sizes(built) -> list[int]:
    """Small pages, a page size equal to a month's count (no empty last page) and the default."""
    counts = month_counts(built.store.engine, ROME)
    return [1, 7, max(counts.values()), 200]


@pytest.mark.parametrize("which", range(4))
def test_every_mention_is_on_exactly_one_page_and_no_page_is_too_full(built, tmp_path, which):
    page_size = page_sizes(built)[which]
    archive, pages = archive_with_page_size(built, tmp_path, page_size)
    stored = {row["id"]: row for row in iter_mentions(built.store.engine)}
    listed = [ident for ids in pages.values() for ident in ids]
    assert sorted(listed) == sorted(stored), "each mention once, none missing, none extra"
    for page, ids in pages.items():
        assert 1 <= len(ids) <= page_size, page
        month = re.match(r"archive/(\d{4}-\d{2})", page).group(1)
        for ident in ids:  # on its own month's page, in the team's time zone
            row = stored[ident]
            when = (row["published"] or row["first_seen"]).astimezone(ROME)
            assert f"{when:%Y-%m}" == month
    for month in archive.months:
        assert len(month.pages) == -(-month.count // page_size)  # ceil: no empty last page
        assert sum(len(pages[p]) for p in month.pages) == month.count


def test_pages_run_from_newest_to_oldest(built, tmp_path):
    _, pages = archive_with_page_size(built, tmp_path, 50)
    stored = {row["id"]: row for row in iter_mentions(built.store.engine)}
    for ids in pages.values():
        times = [stored[i]["published"] or stored[i]["first_seen"] for i in ids]
        assert times == sorted(times, reverse=True)


def test_the_archive_says_where_the_mentions_asked_for_are(built, tmp_path):
    stored = [row["id"] for row in iter_mentions(built.store.engine)]
    wanted = {stored[0], stored[len(stored) // 2], stored[-1], "not-a-stored-id"}
    archive, pages = archive_with_page_size(built, tmp_path, 25, locate=wanted)
    assert set(archive.locations) == wanted - {"not-a-stored-id"}
    for ident, page in archive.locations.items():
        assert ident in pages[page]


def test_next_links_walk_each_month_page_by_page(built, tmp_path):
    archive, _ = archive_with_page_size(built, tmp_path, 7)
    busy = max(archive.months, key=lambda month: len(month.pages))
    assert len(busy.pages) > 20
    walked, page = [], busy.pages[0]
    while page:
        walked.append(page)
        markdown = (tmp_path / page).read_text(encoding="utf-8")
        pager = markdown.split('<nav class="pp-pager">', 1)[1].split("</nav>", 1)[0]
        assert pager.count("<a ") <= 9, "a bounded pager, not a link to every page"
        following = re.search(r'<a href="([^"]+)\.html" rel="next">', pager)
        page = f"archive/{following.group(1)}.md" if following else None
    assert walked == busy.pages


@pytest.mark.parametrize(
    ("number", "count", "shown"),
    [
        (1, 1, [1]),
        (1, 4, [1, 2, 3, 4]),
        (1, 30, [1, 2, 3, None, 30]),
        (15, 30, [1, None, 13, 14, 15, 16, 17, None, 30]),
        (30, 30, [1, None, 28, 29, 30]),
        (4, 30, [1, 2, 3, 4, 5, 6, None, 30]),
    ],
)
def test_the_pager_shows_first_last_and_neighbours(number, count, shown):
    assert pager_numbers(number, count) == shown
