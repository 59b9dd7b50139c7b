"""Spike detection on a synthetic year: recall, precision and delay of the alert rules.

50 brands, 365 days of negative mentions per brand (after 60 days of history, as a first
crawl's backfill gives): a usual level between 0.2 and 20 a day
(log-uniform), a weekly rhythm (+-20 %) and a slow drift over the year (+-30 %), Poisson noise.
Into each brand 3 spikes are injected at known days, 3x to 6x the usual level; half of them last
2-3 days, decaying. Each mention gets a time of day, and detection runs as scheduled four times a
day (06, 12, 18, 24 h) on the counts known so far, carrying its episode state like the outbox.

An alert is true when its window is a spike day; a spike is caught when an alert is raised for
its first day, on that day. Precision counts every alert raised (growth alerts too).

    python bench/alerts.py [--seeds N] [--probability P] [--min-count N] [--dispersion D]
                           [--store MENTIONS]
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawler.alerts.detect import Episode, Rules, advance, tail

BRANDS = 50
DAYS = 365
HISTORY = 60  # days of history before the measured year, as a first crawl backfills
SPIKES_PER_BRAND = 3
RUN_HOURS = (6, 12, 18, 24)


@dataclass
class Brand:
    level: float
    times: list[list[float]]  # per day, the hour of each negative mention
    spikes: dict[int, float]  # first day of each spike -> multiplier
    spike_days: set[int]


def _poisson(rng: random.Random, rate: float) -> int:
    if rate > 50:
        return max(0, round(rng.gauss(rate, math.sqrt(rate))))
    limit, k, product = math.exp(-rate), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def make_brand(rng: random.Random) -> Brand:
    level = math.exp(rng.uniform(math.log(0.2), math.log(20)))
    phase = rng.uniform(0, 2 * math.pi)
    starts: list[int] = []
    while len(starts) < SPIKES_PER_BRAND:
        day = rng.randrange(HISTORY, HISTORY + DAYS)
        if all(abs(day - other) > 30 for other in starts):
            starts.append(day)
    spikes = {day: rng.uniform(3, 6) for day in starts}
    extra: dict[int, float] = {}
    for day, multiplier in spikes.items():
        length = rng.choice((1, 1, 2, 3))
        for offset in range(length):
            extra[day + offset] = max(1.0, multiplier / (2**offset))
    times = []
    for day in range(HISTORY + DAYS):
        usual = level * (1 + 0.2 * math.sin(2 * math.pi * day / 7 + phase))
        usual *= 1 + 0.3 * math.sin(2 * math.pi * day / DAYS + phase)
        rate = usual * extra.get(day, 1.0)
        times.append(sorted(rng.uniform(0, 24) for _ in range(_poisson(rng, rate))))
    return Brand(level, times, spikes, {d for d in extra if d < HISTORY + DAYS})


@dataclass
class Alert:
    day: int  # window alerted
    raised_day: int
    hour: int
    stage: int


def detect(brand: Brand, rules: Rules) -> list[Alert]:
    counts = {day: len(brand.times[day]) for day in range(HISTORY)}
    episode: Episode | None = None
    alerts: list[Alert] = []
    for day in range(HISTORY, HISTORY + DAYS):
        for hour in RUN_HOURS:
            counts[day] = sum(1 for t in brand.times[day] if t < hour)
            step = advance(counts, 0, episode, day, rules)
            episode = step.episode
            alerts += [Alert(s.window, day, hour, s.stage) for s in step.spikes]
    return alerts


BANDS = ((0.0, 1.0), (1.0, 3.0), (3.0, 10.0), (10.0, math.inf))


def _band(level: float) -> tuple[float, float]:
    return next(band for band in BANDS if band[0] <= level < band[1])


def _band_label(band: tuple[float, float]) -> str:
    low, high = band
    return f"{low:g}-{high:g}/day" if high < math.inf else f">={low:g}/day"


def smallest_caught(level: float, rules: Rules, power: float = 0.9) -> float:
    """The spike multiplier caught with `power` at a full day, if the usual level is known."""
    need = rules.min_count
    while tail(need, max(level, rules.floor), rules.dispersion) >= rules.probability:
        need += 1
    multiplier = 1.0
    while tail(need, multiplier * level, 0.0) < power:
        multiplier += 0.1
    return multiplier


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=5, help="years simulated (50 brands each)")
    parser.add_argument("--probability", type=float, default=Rules().probability)
    parser.add_argument("--min-count", type=int, default=Rules().min_count)
    parser.add_argument("--dispersion", type=float, default=Rules().dispersion)
    parser.add_argument("--store", type=int, help="also time a run on a store of N mentions")
    args = parser.parse_args()
    rules = Rules(
        min_count=args.min_count, probability=args.probability, dispersion=args.dispersion
    )
    spikes = {band: 0 for band in BANDS}
    caught = {band: 0 for band in BANDS}
    true_alerts = {band: 0 for band in BANDS}
    false_alerts = {band: 0 for band in BANDS}
    same_day = 0
    hours: list[int] = []
    started = time.perf_counter()
    for seed in range(1, args.seeds + 1):
        rng = random.Random(seed)
        for brand in (make_brand(rng) for _ in range(BRANDS)):
            band = _band(brand.level)
            alerts = detect(brand, rules)
            for alert in alerts:
                if alert.day in brand.spike_days:
                    true_alerts[band] += 1
                else:
                    false_alerts[band] += 1
            for day in brand.spikes:
                spikes[band] += 1
                hits = [a for a in alerts if a.day == day and a.stage == 0]
                if hits:
                    caught[band] += 1
                    if hits[0].raised_day == day:
                        same_day += 1
                        hours.append(hits[0].hour)
    elapsed = time.perf_counter() - started
    runs = args.seeds * BRANDS * DAYS * len(RUN_HOURS)

    def ratio(a: int, b: int) -> str:
        return f"{a / b:.3f}" if b else "  -  "

    print(
        f"rules: min_count={rules.min_count} probability={rules.probability} "
        f"baseline_windows={rules.baseline_windows} dispersion={rules.dispersion}"
    )
    print(
        f"{args.seeds} x {BRANDS} brands x {DAYS} days, {len(RUN_HOURS)} runs a day; "
        f"{sum(spikes.values())} injected spikes, 3-6x the usual level"
    )
    print(
        f"{'usual level':<14}{'spikes':>7}{'recall':>8}{'alerts':>8}{'false':>7}{'precision':>11}"
    )
    for band in (*BANDS, None):
        pick = BANDS if band is None else (band,)
        n = sum(spikes[b] for b in pick)
        c = sum(caught[b] for b in pick)
        t = sum(true_alerts[b] for b in pick)
        f = sum(false_alerts[b] for b in pick)
        label = "all" if band is None else _band_label(band)
        print(f"{label:<14}{n:>7}{ratio(c, n):>8}{t + f:>8}{f:>7}{ratio(t, t + f):>11}")
    total_false = sum(false_alerts.values())
    brand_years = args.seeds * BRANDS * DAYS / 365
    print(
        f"false alarms: {total_false} in {args.seeds * BRANDS * DAYS:,} brand-days "
        f"(one per brand every {brand_years / max(total_false, 1):.1f} years)"
    )
    print(
        f"delay: {same_day} of {sum(caught.values())} caught spikes caught on the spike day; "
        f"median run {statistics.median(hours) if hours else '-'}:00 (runs at 6, 12, 18, 24)"
    )
    print("smallest spike caught 9 times in 10 (full day, daily window):")
    for level in (0.2, 0.5, 1, 2, 5, 10, 20):
        multiplier = smallest_caught(level, rules)
        print(
            f"  usual {level:>4g}/day: {multiplier:4.1f}x (about {multiplier * level:.0f} in a day)"
        )
    print(f"time: {elapsed * 1e6 / runs:.0f} us per brand per run")
    if args.store:
        store_timing(args.store)


def store_timing(mentions_count: int) -> None:
    """Time one dry run and one backtest on a SQLite store of `mentions_count` mentions."""
    import datetime as dt
    import tempfile

    from sqlalchemy import update

    from crawler.alerts import backtest, run_alerts
    from crawler.config import parse_config
    from crawler.items import Mention
    from crawler.store import mentions, open_engine, upsert_mentions

    rng = random.Random(7)
    brands = [f"Brand {n}" for n in range(20)]
    now = dt.datetime(2025, 6, 30, 18, tzinfo=dt.UTC)
    with tempfile.TemporaryDirectory() as folder:
        config = parse_config(
            "\n".join(f'[[brands]]\nname = "{b}"' for b in brands)
            + '\n[alerts]\nto = ["team@example.org"]\n',
            path=Path(folder) / "passaparola.toml",
        )
        engine = open_engine(f"sqlite:///{folder}/bench.db")
        items = []
        for n in range(mentions_count):
            published = now - dt.timedelta(days=rng.uniform(0, 365))
            items.append(
                Mention(
                    brand=rng.choice(brands),
                    kind="review",
                    url=f"https://reviews.example.org/r/{n}",
                    text=f"review {n} " + "pane " * rng.randrange(5, 40),
                    source=f"site{n % 7}.example.org",
                    published=published,
                    label="negative" if rng.random() < 0.2 else "positive",
                )
            )
        for start in range(0, len(items), 5000):
            upsert_mentions(engine, items[start : start + 5000])
        with engine.begin() as conn:
            conn.execute(update(mentions).values(first_seen=mentions.c.published))
        started = time.perf_counter()
        run = run_alerts(config, engine, now=now, dry_run=True)
        middle = time.perf_counter()
        found = backtest(config, engine)
        ended = time.perf_counter()
    print(
        f"store of {mentions_count:,} mentions, {len(brands)} brands: dry run "
        f"{(middle - started) * 1000:.0f} ms ({len(run.raised)} alerts), backtest of a year "
        f"{(ended - middle) * 1000:.0f} ms ({len(found)} alerts)"
    )


if __name__ == "__main__":
    main()
