"""How each configured source is doing: its last run, what went wrong, and since when.

A source that cannot be reached, or that is reached but yields nothing (a reviews page without
schema.org reviews, a blog whose comments are not recognised, an empty feed), is silent in every
chart: fewer mentions look like good news. So the report says it first, on the home page, and
the sources page lists every configured source with its last run in plain words.

`source_health` is pure: crawl runs and mention counts in, one `SourceHealth` per configured
source out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Engine, and_, func, select

from crawler.config import Config
from crawler.failures import run_note
from crawler.report.labels import Words
from crawler.report.periods import Window
from crawler.report.queries import count_if, happened, is_negative
from crawler.store import crawl_runs, mentions

PROBLEMS = ("failed", "empty")  # the states the home page warns about
INTERRUPTED_AFTER = timedelta(hours=6)  # a run "running" for longer was killed


@dataclass(frozen=True, slots=True)
class Run:
    started: datetime
    finished: datetime | None
    pages: int
    new: int
    updated: int
    errors: int
    status: str
    found: int | None
    last_error: str | None


@dataclass(frozen=True, slots=True)
class SourceHealth:
    url: str  # as configured
    shown: str  # host, port and path as configured, without the scheme
    kind: str
    brand: str | None  # the brand it is about, or None for every brand
    state: str  # ok, warning, failed, empty, never, running, interrupted
    note: str | None  # what went wrong, in plain words
    last: Run | None  # the last finished run
    since: datetime | None  # when the current failing (or empty) streak began
    mentions: int
    recent: int
    recent_negative: int

    @property
    def problem(self) -> bool:
        return self.state in PROBLEMS


def shown_url(url: str) -> str:
    """The configured URL as people recognise it: host, port and path (and query)."""
    parts = urlsplit(url)
    shown = parts.netloc + (parts.path or "/")
    return shown + (f"?{parts.query}" if parts.query else "")


def run_state(run: Run) -> str:
    if run.status == "failed" and run.pages == 0:
        return "failed"  # nothing could be fetched
    if run.status == "failed":
        return "warning"  # fetched, but some of what it found was not stored (see the note)
    if run.pages == 0 or run.found == 0:
        return "empty"
    return "warning" if run.errors else "ok"


def source_health(
    sources: Sequence[Any],
    brands: Sequence[str | None],
    runs: Mapping[str, Sequence[Run]],
    counts: Mapping[str, tuple[int, int, int]],
    now: datetime,
    lang: str,
) -> list[SourceHealth]:
    """One line per configured source (`sources[i]` is about `brands[i]`), in config order.

    `runs` maps a source URL to its runs, newest first; `counts` maps it to its mentions (all,
    in the last 30 days, negative in the last 30 days).
    """
    result = []
    for source, brand in zip(sources, brands, strict=True):
        history = list(runs.get(source.url, ()))
        finished = [run for run in history if run.finished is not None]
        last = finished[0] if finished else None
        state, note, since = "never", None, None
        if last is not None:
            state = run_state(last)
            note = run_note(
                source.kind,
                pages=last.pages,
                found=last.found,
                errors=last.errors,
                status=last.status,
                last_error=last.last_error,
                lang=lang,
            )
            if state in PROBLEMS:
                since = list(_while_state(finished, state))[-1].started
        running = history[0] if history and history[0].finished is None else None
        if running is not None and state not in PROBLEMS:
            state = "interrupted" if now - running.started > INTERRUPTED_AFTER else "running"
        total, recent, recent_negative = counts.get(source.url, (0, 0, 0))
        result.append(
            SourceHealth(
                url=source.url,
                shown=shown_url(source.url),
                kind=source.kind,
                brand=brand,
                state=state,
                note=note,
                last=last,
                since=since,
                mentions=total,
                recent=recent,
                recent_negative=recent_negative,
            )
        )
    return result


def _while_state(runs: Iterable[Run], state: str) -> Iterable[Run]:
    for run in runs:
        if run_state(run) != state:
            return
        yield run


def read_health(
    config: Config, engine: Engine, now: datetime, recent: Window, lang: str
) -> list[SourceHealth]:
    """The configured sources' health from the store (two queries)."""
    urls = [source.url for source in config.sources]
    if not urls:
        return []
    runs: dict[str, list[Run]] = defaultdict(list)
    query = (
        select(crawl_runs)
        .where(crawl_runs.c.source_url.in_(urls))
        .order_by(crawl_runs.c.source_url, crawl_runs.c.started.desc(), crawl_runs.c.id.desc())
    )
    inside = and_(happened >= recent.start, happened < recent.end)
    count_query = (
        select(
            mentions.c.source_url,
            func.count(),
            count_if(inside),
            count_if(and_(inside, is_negative)),
        )
        .where(mentions.c.source_url.in_(urls))
        .group_by(mentions.c.source_url)
    )
    with engine.connect() as conn:
        for row in conn.execute(query):
            runs[row.source_url].append(
                Run(
                    row.started,
                    row.finished,
                    row.pages,
                    row.new,
                    row.updated,
                    row.errors,
                    row.status,
                    row.found,
                    row.last_error,
                )
            )
        counts = {
            url: (total or 0, int(recent_count or 0), int(negative or 0))
            for url, total, recent_count, negative in conn.execute(count_query)
        }
    brands = [config.brand_for(source) for source in config.sources]
    return source_health(config.sources, brands, runs, counts, now, lang)


def since_words(since: datetime, now: datetime, words: Words) -> str:
    """How long a problem has lasted, in calendar days of the report's time zone."""
    days = (words.local(now).date() - words.local(since).date()).days
    if days <= 0:
        return words.since_today
    if days == 1:
        return words.since_yesterday
    return words.since_days.format(n=days)


def headline(health: Sequence[SourceHealth], now: datetime, words: Words) -> str:
    """The home page's warning: "2 fonti non raggiungibili da 3 giorni", and the empty ones."""
    parts = []
    for state in PROBLEMS:
        troubled = [h for h in health if h.state == state]
        if not troubled:
            continue
        key = f"health_{state}_{'one' if len(troubled) == 1 else 'many'}"
        part = words[key].format(n=len(troubled))
        lasted = {since_words(h.since, now, words) for h in troubled if h.since is not None}
        if state == "failed" and len(lasted) == 1:
            part += " " + lasted.pop()
        parts.append(part)
    return "; ".join(parts)
