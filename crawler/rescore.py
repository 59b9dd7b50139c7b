"""Re-scoring stored mentions, after an analyzer or threshold change, without crawling again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, func, select, update

from crawler.config import SentimentConfig
from crawler.items import scoring_text
from crawler.sentiment import Scorer
from crawler.store import mentions

BATCH = 500


@dataclass(frozen=True)
class RescoreResult:
    scored: int
    relabelled: int


def rescore_mentions(
    engine: Engine,
    thresholds: SentimentConfig,
    *,
    only_missing: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> RescoreResult:
    """Score mentions in batches of `BATCH`, each batch one transaction (safe to interrupt).

    A label the team corrected (`label_correction`) is kept; its score is renewed."""
    scorer = Scorer(thresholds.negative_below, thresholds.positive_above)
    where = mentions.c.label.is_(None) if only_missing else mentions.c.id.is_not(None)
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(mentions).where(where)).scalar()
    scored = relabelled = 0
    last_id = ""
    while True:
        with engine.begin() as conn:
            rows = conn.execute(
                select(
                    mentions.c.id,
                    mentions.c.kind,
                    mentions.c.title,
                    mentions.c.text,
                    mentions.c.rating,
                    mentions.c.label,
                    mentions.c.label_correction,
                )
                .where(where, mentions.c.id > last_id)
                .order_by(mentions.c.id)
                .limit(BATCH)
            ).all()
            if not rows:
                break
            for row in rows:
                result = scorer.score(
                    scoring_text(row.kind, row.title, row.text), rating=row.rating
                )
                # The team's correction stays the label: a person read this mention.
                label = row.label_correction or result.label
                relabelled += label != row.label
                conn.execute(
                    update(mentions)
                    .where(mentions.c.id == row.id)
                    .values(
                        lang=result.lang,
                        score=result.score,
                        label=label,
                        analyzer=result.analyzer,
                    )
                )
            scored += len(rows)
            last_id = rows[-1].id
        if on_progress:
            on_progress(scored, total)
    return RescoreResult(scored=scored, relabelled=relabelled)
