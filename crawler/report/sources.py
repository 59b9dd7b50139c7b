"""The source pages: domains ranked by negative mentions, each with its trend."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo

from sqlalchemy import Engine

from crawler.report import charts, queries
from crawler.report.dashboard import label_names, label_names_one
from crawler.report.health import SourceHealth
from crawler.report.labels import Words
from crawler.report.pages import PageWriter, as_markup
from crawler.report.periods import Window, week_edges
from crawler.report.views import cards, share, slug
from crawler.store import mentions

RANKED = 300  # rows of the ranking table
PAGES = 100  # sources with a page of their own
WEEKS = 26
SPARK_WEEKS = 12
LATEST = 30


def write_sources(
    engine: Engine,
    writer: PageWriter,
    words: Words,
    zone: tzinfo,
    now: datetime,
    recent: Window,
    health: Sequence[SourceHealth] = (),
    lasted: Callable[[SourceHealth], str] = lambda _line: "",
) -> dict[str, str]:
    """Write sources/index.md (the configured sources' `health`, then the sites ranked) and a
    page for each of the top sites; return their paths."""
    ranked, total_sources = queries.ranked_sources(engine, recent, RANKED)
    edges = week_edges(now, WEEKS, zone)
    names = [rank.source for rank in ranked]
    series = (
        queries.trend(engine, edges, mentions.c.source, where=mentions.c.source.in_(names))
        if names
        else {}
    )
    empty = [Counter() for _ in range(len(edges) - 1)]
    taken = {"index"}
    pages = {r.source: f"sources/{slug(r.source, taken, 'source')}.md" for r in ranked[:PAGES]}
    ticks = [words.short_date(edge) for edge in edges[:-1]]
    rows = []
    for rank in ranked:
        buckets = series.get(rank.source, empty)
        title = f"{words.trend} — {rank.source}"
        row = {
            "source": rank.source,
            "page": pages.get(rank.source),
            "total": rank.total,
            "negative": rank.negative,
            "recent": rank.recent,
            "recent_negative": rank.recent_negative,
            "share": share(rank.recent_negative, rank.recent),
            "spark": as_markup(charts.sparkline(buckets[-SPARK_WEEKS:], title=title)),
        }
        rows.append(row)
        if rank.source in pages:
            row_page = dict(row)
            chart_title = f"{words.trend_weekly} — {rank.source}"
            shown, shown_ticks = charts.from_first_data(buckets, ticks)
            row_page["chart"] = as_markup(
                charts.stacked_bars(
                    shown,
                    shown_ticks,
                    label_names(words),
                    title=chart_title,
                    names_one=label_names_one(words),
                )
            )
            latest = queries.latest(engine, mentions.c.source == rank.source, LATEST)
            row_page["latest"] = cards(latest)
            writer.write(pages[rank.source], "source.md.j2", s=row_page)
    writer.write(
        "sources/index.md",
        "sources.md.j2",
        health=health,
        lasted=lasted,
        sources=rows,
        total_sources=total_sources,
        weeks=SPARK_WEEKS,
    )
    return pages
