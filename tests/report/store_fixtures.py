"""Stores filled the way a crawl and a scoring pass fill them, with hostile mentions among them.

Mentions go through the store's public writes (`upsert_mentions`, `set_status`); crawl runs
(whose times the Scrapy extension sets) and alerts (whose writer lives in crawler/alerts) are
inserted as rows, with the states those writers leave.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, select

from crawler.alerts.windows import Calendar
from crawler.config import Config, parse_config
from crawler.items import Mention
from crawler.store import (
    alerts,
    crawl_runs,
    deliveries,
    mention_id,
    mentions,
    open_engine,
    set_status,
    upsert_mentions,
)

ROSSI = "Panificio Rossi"
BIANCHI = "Forno Bianchi & Figli"

# (text, language, label, score): the kind of things people write about a bakery.
OPINIONS = [
    ("Il pane è sempre fresco e il personale gentilissimo, torneremo.", "it", "positive", 0.7),
    ("Cornetti ottimi, ma la fila al sabato mattina è infinita.", "it", "neutral", 0.0),
    ("Pessima esperienza: focaccia bruciata e nessuna scusa dal banco.", "it", "negative", -0.7),
    (
        "Torta di compleanno consegnata in ritardo e con la scritta sbagliata.",
        "it",
        "negative",
        -0.6,
    ),
    ("Prezzi onesti per la qualità, consiglio le michette.", "it", "positive", 0.5),
    ("Negozio pulito, orari comodi. Niente di speciale.", "it", "neutral", 0.05),
    ("Il pane di ieri venduto come fresco: deluso.", "it", "negative", -0.5),
    ("Servizio lento ma i dolci valgono l'attesa.", "it", "neutral", 0.1),
    ("Great sourdough and friendly staff, best bakery in the area.", "en", "positive", 0.8),
    ("The croissants were stale and the cashier was rude.", "en", "negative", -0.7),
    ("Decent coffee, average pastries, long waiting time.", "en", "neutral", 0.0),
    (
        "Ordered a cake online, it never arrived and nobody answers the phone.",
        "en",
        "negative",
        -0.8,
    ),
    ("Lovely focaccia, we stop here every Sunday.", "en", "positive", 0.6),
    ("Das Brot war gut, aber teuer.", "de", "unknown", None),
]
DOMAINS = [
    "recensioni.example.it",
    "blog.cucina.example.it",
    "forum.example.org",
    "news.example.com",
    "foodblog.example.net",
]


@dataclass(frozen=True)
class Hostile:
    marker: str  # a distinctive piece of the hostile text, to find it on the page as text
    text: str
    title: str | None = None
    author: str | None = None
    url_tail: str = ""
    source: str = "recensioni.example.it"


HOSTILE = [
    Hostile(
        "<script>window.__pwned='script'</script>",
        "Pane raffermo <script>window.__pwned='script'</script><script>alert('xss')</script>",
        title="<img src=x onerror=\"window.__pwned='img-title'\">",
        author="<b onmouseover=alert(1)>Mario</b>",
    ),
    Hostile(
        "[clicca qui](javascript:window.__pwned='md')",
        "Vergogna [clicca qui](javascript:window.__pwned='md') ![x](javascript:alert(2))",
        title="[titolo](javascript:alert(3))",
    ),
    Hostile(
        '<iframe src="https://evil.example/"></iframe>',
        '<div>\n<iframe src="https://evil.example/"></iframe>\n</div>\n\n'
        "<style>body{display:none}</style> servizio pessimo",
    ),
    Hostile(
        "{{ config.site_name }}",
        "Template? {{ config.site_name }} {% raw %}{{ 7*7 }}{% endraw %} mai più",
    ),
    Hostile("Pessim" + "o" * 20, "Pessim" + "o" * 3000 + " davvero, torta immangiabile."),
    Hostile(
        "الخدمة سيئة جدا", "الخدمة سيئة جدا. השירות היה גרוע מאוד. Pane cattivo.", author="محمد"
    ),
    Hostile("😡😡", "Servizio 😡😡 pessimo 👎🏽 e la famiglia 👨‍👩‍👧 è rimasta senza torta"),
    Hostile("controllo", "Testo\x00con\x1bcaratteri di controllo\x7f e pane duro"),
    Hostile("# Non un titolo", "# Non un titolo\n\n---\n\n* non una lista\n\n    codice? no"),
    Hostile(
        "link con virgolette",
        "link con virgolette nel URL, pane cattivo",
        url_tail="?a=\"><script>window.__pwned='attr'</script>",
    ),
    Hostile(
        "fonte ostile",
        "fonte ostile, servizio pessimo",
        source="<svg onload=\"window.__pwned='source'\">.example",
    ),
]


def project(
    folder: Path,
    *,
    language: str = "it",
    brands: tuple[str, ...] = (ROSSI, BIANCHI),
    title: str = "Reputazione — Panificio Rossi",
    storage: str = "sqlite:///report.db",
) -> Config:
    """A project folder with its passaparola.toml (and no mkdocs.yml: the packaged default)."""
    folder.mkdir(parents=True, exist_ok=True)
    brand_tables = "".join(f"\n[[brands]]\nname = {json.dumps(b)}\n" for b in brands)
    text = (
        f'[site]\ntitle = {json.dumps(title)}\nlanguage = "{language}"\n{brand_tables}\n'
        f"[storage]\nurl = {json.dumps(storage)}\n"
    )
    path = folder / "passaparola.toml"
    path.write_text(text, encoding="utf-8")
    return parse_config(text, path=path)


# Stars a review with that opinion gets (0-1: 1 of 5 stars is 0), varied by the mention number.
STARS_FOR = {"negative": (0.0, 0.25), "neutral": (0.5, 0.5), "positive": (0.75, 1.0)}


def _mention(brand: str, n: int, published: datetime, opinion: tuple, domain: str) -> Mention:
    text, lang, label, score = opinion
    review = "recensioni" in domain
    return Mention(
        brand=brand,
        kind="review" if "recensioni" in domain else "comment",
        url=f"https://{domain}/{'recensione' if 'recensioni' in domain else 'post'}/{n}#c{n}",
        text=f"{text} (#{n})",
        source=domain,
        source_url=f"https://{domain}/",
        title=f"Opinione {n} su {brand}" if n % 3 else None,
        author=f"Utente {n % 37}",
        published=published,
        lang=lang,
        score=score,
        rating=STARS_FOR[label][n % 2] if review and label in STARS_FOR else None,
        label=None if n % 11 == 0 and not review else label,  # some comments not scored yet
        analyzer="fixture",
    )


@dataclass
class FilledStore:
    config: Config
    engine: Engine
    now: datetime
    busy_month: tuple[int, int]  # a month holding more mentions than fit on one archive page
    refreshed: datetime | None  # when the latest crawl run that fetched anything finished


def fill(config: Config, *, seed: int = 4, busy: int = 450) -> FilledStore:
    """Realistic mentions over 14 months (one busy month), hostile ones, handling, alerts."""
    rnd = random.Random(seed)
    engine = open_engine(config.database_url)
    anchor = datetime.now(UTC).replace(microsecond=0)
    items = []
    n = 0
    for day in range(0, 420, 2):
        for _ in range(rnd.randint(0, 2)):
            n += 1
            published = anchor - timedelta(days=day, hours=rnd.randint(0, 23))
            items.append(
                _mention(
                    rnd.choice(config_brands(config)),
                    n,
                    published,
                    rnd.choice(OPINIONS),
                    rnd.choice(DOMAINS),
                )
            )
    busy_start = (anchor - timedelta(days=75)).replace(day=10, hour=12, minute=0, second=0)
    for i in range(busy):
        n += 1
        published = busy_start + timedelta(minutes=37 * i)
        items.append(
            _mention(
                config_brands(config)[0], n, published, rnd.choice(OPINIONS), rnd.choice(DOMAINS)
            )
        )
    for i, hostile in enumerate(HOSTILE):
        brand = config_brands(config)[i % len(config_brands(config))]
        items.append(
            Mention(
                brand=brand,
                kind="review",
                url=f"https://{DOMAINS[0]}/recensione/ostile-{i}{hostile.url_tail}",
                text=hostile.text,
                source=hostile.source,
                source_url=f"https://{DOMAINS[0]}/",
                title=hostile.title,
                author=hostile.author,
                published=anchor - timedelta(hours=2 + i),
                lang="it",
                score=-0.95,
                label="negative",
                analyzer="fixture",
            )
        )
    # A mention whose URL is not http(s): shown as text, never as a link.
    items.append(
        Mention(
            brand=config_brands(config)[0],
            kind="comment",
            url="javascript:window.__pwned='url'",
            text="commento senza link valido",
            source="forum.example.org",
            published=anchor - timedelta(days=3),
            label="negative",
            score=-0.4,
        )
    )
    # One with no publication date: it counts from when it was first seen.
    items.append(
        Mention(
            brand=config_brands(config)[0],
            kind="feed",
            url="https://news.example.com/senza-data",
            text="Articolo senza data",
            source="news.example.com",
            label="neutral",
            score=0.0,
        )
    )
    # A label with nothing behind it (no text score, no star rating): shown as not scored.
    items.append(
        Mention(
            brand=config_brands(config)[0],
            kind="comment",
            url="https://forum.example.org/post/senza-punteggio",
            text="Etichetta senza punteggio",
            source="forum.example.org",
            published=anchor - timedelta(days=1),
            label="neutral",
            score=None,
        )
    )
    # A review in a language no analyzer reads: its one star makes it negative all the same.
    items.append(
        Mention(
            brand=config_brands(config)[0],
            kind="review",
            url="https://recensioni.example.it/recensione/tedesca",
            text="Brot alt, Verkäuferin unfreundlich.",
            source=DOMAINS[0],
            published=anchor - timedelta(days=1, hours=2),
            lang="de",
            rating=0.0,
            label="negative",
            score=None,
            analyzer="none",
        )
    )
    upsert_mentions(engine, items)
    refreshed = anchor - timedelta(hours=5)
    _add_runs(engine, refreshed)

    negatives = _ids(engine, config_brands(config)[0], "negative")
    for ident in negatives[:3]:
        assert set_status(engine, ident, "handled", "risposto")
    assert set_status(engine, negatives[3], "ignored")
    _add_alerts(engine, config_brands(config)[0], negatives[:4] + negatives[-1:], anchor)
    return FilledStore(
        config,
        engine,
        datetime.now(UTC) + timedelta(minutes=1),
        (busy_start.year, busy_start.month),
        refreshed,
    )


def _add_runs(engine: Engine, refreshed: datetime) -> None:
    """A crawl that finished at `refreshed`, a later one that failed, one still running."""
    source = "https://recensioni.example.it/"
    rows = [
        {
            "source_url": source,
            "kind": "reviews",
            "started": refreshed - timedelta(minutes=20),
            "finished": refreshed,
            "pages": 12,
            "new": 600,
            "status": "finished",
        },
        {
            "source_url": source,
            "kind": "reviews",
            "started": refreshed + timedelta(hours=3),
            "finished": refreshed + timedelta(hours=3, minutes=1),
            "errors": 5,
            "status": "failed",
        },
        {
            "source_url": source,
            "kind": "reviews",
            "started": refreshed + timedelta(hours=4),
            "finished": None,
            "status": "running",
        },
    ]
    with engine.begin() as conn:
        for row in rows:
            conn.execute(crawl_runs.insert().values(**row))


def config_brands(config: Config) -> list[str]:
    return [brand.name for brand in config.brands]


def _ids(engine: Engine, brand: str, label: str) -> list[str]:
    with engine.connect() as conn:
        return [
            row.id
            for row in conn.execute(
                select(mentions.c.id)
                .where(
                    mentions.c.brand == brand,
                    mentions.c.label == label,
                    mentions.c.published.is_not(None),
                )
                .order_by(mentions.c.published, mentions.c.id)
            )
        ]


def _add_alerts(engine: Engine, brand: str, ids: list[str], now: datetime) -> None:
    """Alerts as `crawler.alerts` records them: windows are the team's days (Rome)."""
    days = Calendar.named("day", "Europe/Rome")
    yesterday, old = days.index(now) - 1, days.index(now) - 40
    rows = [
        {
            "key": f"spike:{brand}:open",
            "brand": brand,
            "kind": "spike",
            "episode": "open",
            "window_start": days.start(yesterday),
            "window_end": days.end(yesterday),
            "count": 6,
            "baseline": 1.2,
            "p_value": 0.0004,
            "mention_ids": json.dumps(ids),
            "created": now,
            "state": "sent",
            "sent_at": now,
            "closed": None,
        },
        {
            "key": f"spike:{brand}:old",
            "brand": brand,
            "kind": "spike",
            "episode": "old",
            "window_start": days.start(old),
            "window_end": days.end(old),
            "count": 4,
            "baseline": 0.8,
            "p_value": 0.0008,
            "mention_ids": json.dumps(ids[:2]),
            "created": now - timedelta(days=39),
            "state": "sent",
            "sent_at": now - timedelta(days=39),
            "closed": now - timedelta(days=30),
        },
        # The run stopped while the server was receiving it; it names a mention since deleted.
        {
            "key": f"instant/{brand}/{ids[-1]}/0",
            "brand": brand,
            "kind": "instant",
            "episode": ids[-1],
            "window_start": None,
            "window_end": None,
            "count": 1,
            "baseline": None,
            "p_value": None,
            "mention_ids": json.dumps([ids[-1], "0123456789abcdef"]),
            "created": now - timedelta(hours=1),
            "state": "unconfirmed",
            "sent_at": None,
            "closed": None,
        },
    ]
    with engine.begin() as conn:
        conn.execute(alerts.insert(), rows)
        spike = conn.execute(select(alerts.c.id).where(alerts.c.key == rows[0]["key"])).scalar()
        # Its chat copies: Slack took it, the team's webhook refused it and will be retried.
        conn.execute(
            deliveries.insert(),
            [
                {"alert_id": spike, "channel": "slack:5a1b2c3d4e5f6a7b", "created": now,
                 "state": "sent", "attempts": 1, "sent_at": now, "last_error": None,
                 "next_attempt": None},
                {"alert_id": spike, "channel": "json:0f1e2d3c4b5a6978", "created": now,
                 "state": "pending", "attempts": 1, "sent_at": None,
                 "last_error": "refused: HTTP 500", "next_attempt": now + timedelta(minutes=1)},
            ],
        )  # fmt: skip


def hostile_id(config: Config, index: int) -> str:
    hostile = HOSTILE[index]
    brand = config_brands(config)[index % len(config_brands(config))]
    return mention_id(f"https://{DOMAINS[0]}/recensione/ostile-{index}{hostile.url_tail}", brand)
