"""The pages that say how each brand is doing: home, brands, one page per brand, comparison."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from markupsafe import Markup
from sqlalchemy import Engine

from crawler.alerts.windows import Calendar
from crawler.report import charts, queries
from crawler.report.alert_cards import AlertCard, alert_card, all_ids
from crawler.report.glance import Glance, by_configured_source, glances
from crawler.report.health import SourceHealth, headline, since_words
from crawler.report.labels import LABEL_KEYS, Words
from crawler.report.pages import PageWriter, as_markup
from crawler.report.periods import Window, day_edges, last_days, week_edges
from crawler.report.views import (
    Figures,
    MentionCard,
    cards,
    figures,
    share,
    slug,
)
from crawler.store import mentions

HOME_WEEKS = 12
YEAR_WEEKS = 52
DAYS = 30
HOME_TO_HANDLE = 5
PAGE_TO_HANDLE = 20
LATEST = 30
BRAND_SOURCES = 15
COMPARISON_DAYS = (7, 30, 90)
HOME_ALERTS = 50
ALERTS_PAGE = 1000


@dataclass
class SourceLine:
    source: str
    page: str | None
    total: int
    negative: int
    recent: int
    recent_negative: int


@dataclass
class BrandView:
    name: str
    slug: str
    total: int
    f7: Figures
    f7prev: Figures
    f30: Figures
    f30prev: Figures
    open_negatives: int
    median_seconds: float | None
    handled: int
    any_scored: bool
    weekly_chart: Markup
    to_handle: list[MentionCard]
    glance: Glance


def windows_for(now: datetime) -> dict[str, Window]:
    named: dict[str, Window] = {}
    for days in sorted({7, 30, *COMPARISON_DAYS}):
        named[str(days)], named[f"{days}prev"] = last_days(now, days)
    return named


def brand_names(configured: list[str], counts: dict[str, Any]) -> list[str]:
    """Configured brands in config order, then any other brand the store still holds."""
    return configured + sorted(name for name in counts if name not in configured)


def label_names(words: Words) -> dict[str, str]:
    return {label: words[f"{label}_plural"] for label in LABEL_KEYS}


def label_names_one(words: Words) -> dict[str, str]:
    """The labels' words for one mention ("1 neutra"), for a bar's tooltip."""
    return {label: words[f"{label}_one"] for label in LABEL_KEYS}


def _ticks(edges: list[datetime], words: Words) -> list[str]:
    return [words.short_date(edge) for edge in edges[:-1]]


class Dashboard:
    """Computes each brand's figures once and writes the pages that show them."""

    def __init__(
        self,
        engine: Engine,
        writer: PageWriter,
        words: Words,
        zone: tzinfo,
        now: datetime,
        configured: list[str],
        calendar: Calendar,
        sources: Sequence[Any] = (),
    ) -> None:
        """`sources`: the configured sources, whose mentions each brand page counts."""
        self.engine, self.writer, self.words, self.now = engine, writer, words, now
        self.calendar, self.sources = calendar, sources
        self.windows = windows_for(now)
        self.counts = queries.counts_by_brand(engine, self.windows)
        self.names = brand_names(configured, self.counts)
        self.medians = queries.median_handling_seconds(engine)
        self.week_edges = week_edges(now, YEAR_WEEKS, zone)
        self.day_edges = day_edges(now, DAYS, zone)
        self.weekly = queries.trend(engine, self.week_edges, mentions.c.brand)
        self.daily = queries.trend(engine, self.day_edges, mentions.c.brand)
        taken = {"index"}
        self.slugs = {name: slug(name, taken, "brand") for name in self.names}
        self.open_alerts = queries.alert_rows(engine, open_only=True, limit=HOME_ALERTS)
        self.alerts = queries.alert_rows(engine, open_only=False, limit=ALERTS_PAGE)
        self.alert_total = queries.alert_count(engine)
        self.glances = glances(engine, self.windows["30"], self.windows["30prev"])

    def alert_mentions(self) -> set[str]:
        """The ids of the mentions the shown alerts name (their tables link to them)."""
        return all_ids((*self.open_alerts, *self.alerts))

    def _alert_cards(self, rows: Sequence[Any], locations: Mapping[str, str]) -> list[AlertCard]:
        known = queries.mentions_by_ids(self.engine, all_ids(rows))
        return [
            alert_card(
                row,
                locations=locations,
                known=known,
                words=self.words,
                calendar=self.calendar,
                now=self.now,
            )
            for row in rows
        ]

    def _empty(self) -> queries.LabelCounts:
        return queries.LabelCounts()

    def _chart(self, name: str, series: dict, edges: list[datetime], title: str, last: int) -> str:
        buckets = series.get(name) or [Counter() for _ in range(len(edges) - 1)]
        shown, ticks = charts.from_first_data(buckets[-last:], _ticks(edges, self.words)[-last:])
        return charts.stacked_bars(
            shown,
            ticks,
            label_names(self.words),
            title=f"{title} — {name}",
            names_one=label_names_one(self.words),
        )

    def brand_view(self, name: str, to_handle: int) -> BrandView:
        counts = self.counts.get(name) or self._empty()
        windows = counts.windows
        median, handled = self.medians.get(name, (None, 0))
        words = self.words
        return BrandView(
            name=name,
            slug=self.slugs[name],
            total=sum(counts.total.values()),
            f7=figures(windows["7"]),
            f7prev=figures(windows["7prev"]),
            f30=figures(windows["30"]),
            f30prev=figures(windows["30prev"]),
            open_negatives=counts.open["negative"],
            median_seconds=median,
            handled=handled,
            any_scored=any(counts.total[label] for label in ("negative", "neutral", "positive"))
            or not counts.total,
            weekly_chart=as_markup(
                self._chart(name, self.weekly, self.week_edges, words.trend_weekly, HOME_WEEKS)
            ),
            to_handle=cards(queries.to_handle(self.engine, name, self.now, to_handle), 400),
            glance=self.glances.get(name) or Glance(),
        )

    def write_home(
        self,
        *,
        site_title: str,
        refreshed: datetime | None,
        total: int,
        locations: Mapping[str, str],
        health: Sequence[SourceHealth] = (),
    ) -> None:
        """`locations`: the archive page of each mention an alert names; `health`: the
        configured sources, of which those in trouble are named at the top."""
        self.writer.write(
            "index.md",
            "home.md.j2",
            problems=[line for line in health if line.problem],
            headline=headline(health, self.now, self.words),
            lasted=self.lasted,
            brands=[self.brand_view(name, HOME_TO_HANDLE) for name in self.names],
            open_alerts=self._alert_cards(self.open_alerts, locations),
            refreshed=refreshed,
            total=total,
            site_title=site_title,
        )

    def lasted(self, line: SourceHealth) -> str:
        """How long a source's problem has lasted, for the templates."""
        return since_words(line.since, self.now, self.words) if line.since else ""

    def write_brands(self, source_pages: dict[str, str]) -> None:
        views = []
        recent = self.windows["30"]
        for name in self.names:
            view = self.brand_view(name, PAGE_TO_HANDLE)
            views.append(view)
            ranked, _ = queries.ranked_sources(
                self.engine, recent, BRAND_SOURCES, where=mentions.c.brand == name
            )
            page = dict(vars(view))
            page["daily_chart"] = as_markup(
                self._chart(name, self.daily, self.day_edges, self.words.trend_daily, DAYS)
            )
            page["yearly_chart"] = as_markup(
                self._chart(name, self.weekly, self.week_edges, self.words.trend_weekly, 52)
            )
            page["sources"] = [
                SourceLine(
                    r.source,
                    source_pages.get(r.source),
                    r.total,
                    r.negative,
                    r.recent,
                    r.recent_negative,
                )
                for r in ranked
            ]
            page["by_source"] = by_configured_source(view.glance.sources, self.sources)
            page["latest"] = cards(queries.latest(self.engine, mentions.c.brand == name, LATEST))
            self.writer.write(f"brands/{view.slug}.md", "brand.md.j2", b=page)
        self.writer.write("brands/index.md", "brands.md.j2", brands=views)

    def write_comparison(self) -> bool:
        """The brands side by side; only when there are several."""
        if len(self.names) < 2:
            return False
        words = self.words
        periods = []
        for days in COMPARISON_DAYS:
            per_brand = {
                name: figures((self.counts.get(name) or self._empty()).windows[str(days)])
                for name in self.names
            }
            everyone = sum(f.mentions for f in per_brand.values())
            rows = [
                {
                    "name": name,
                    "slug": self.slugs[name],
                    "f": per_brand[name],
                    "voice": share(per_brand[name].mentions, everyone),
                }
                for name in self.names
            ]
            svgs = []
            if days == 30:
                svgs = [
                    charts.horizontal_bars(
                        [(r["name"], r["voice"], words.percent(r["voice"])) for r in rows],
                        title=f"{words.share_of_voice} — {words.last_days.format(n=days)}",
                    ),
                    charts.horizontal_bars(
                        [
                            (r["name"], r["f"].negative_share, words.percent(r["f"].negative_share))
                            for r in rows
                        ],
                        title=f"{words.negative_share} — {words.last_days.format(n=days)}",
                        colour=charts.COLOURS["negative"],
                    ),
                    charts.horizontal_bars(
                        [
                            (r["name"], r["f"].positive_share, words.percent(r["f"].positive_share))
                            for r in rows
                        ],
                        title=f"{words.positive_share} — {words.last_days.format(n=days)}",
                    ),
                ]
            periods.append({"days": days, "rows": rows, "charts": [as_markup(s) for s in svgs]})
        self.writer.write("comparison.md", "comparison.md.j2", periods=periods)
        return True

    def write_alerts(self, locations: Mapping[str, str]) -> int:
        cards = self._alert_cards(self.alerts, locations)
        self.writer.write(
            "alerts.md",
            "alerts.md.j2",
            opened=[card for card in cards if card.closed is None],
            closed=[card for card in cards if card.closed is not None],
            total=self.alert_total,
        )
        return self.alert_total
