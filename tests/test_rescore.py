"""`passaparola score` and `rescore`: sentiment for stored mentions, without crawling again."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cli_runner import run_cli

from crawler.items import Mention
from crawler.rescore import rescore_mentions
from crawler.store import iter_mentions, open_engine, upsert_mentions

TEXTS = {
    "https://blog.example/a#c1": "Servizio pessimo, non comprerò mai più da loro.",
    "https://blog.example/a#c2": "Pane buonissimo e personale gentilissimo, lo consiglio!",
    "https://blog.example/a#c3": "Terrible service, the bread was stale and nobody apologised.",
    "https://blog.example/a#c4": "Il pane non è male, ma il resto era sbagliato.",
}


@pytest.fixture
def project(tmp_path):
    (tmp_path / "passaparola.toml").write_text(
        '[[brands]]\nname = "Panificio Rossi"\n', encoding="utf-8"
    )
    engine = open_engine(f"sqlite:///{tmp_path / 'passaparola.db'}")
    upsert_mentions(
        engine,
        [
            Mention(
                brand="Panificio Rossi",
                kind="comment",
                url=url,
                text=text,
                fetched_at=datetime(2026, 11, 1, tzinfo=UTC),
            )
            for url, text in TEXTS.items()
        ]
        + [
            Mention(
                brand="Panificio Rossi",
                kind="review",
                url="https://reviews.example/r1",
                text="Ottimo!",
                rating=0.0,
            )
        ],
    )
    return tmp_path, engine


def labels(engine) -> dict[str, str | None]:
    return {row["url"]: row["label"] for row in iter_mentions(engine)}


def test_score_fills_in_what_the_crawl_left_unscored(project):
    folder, engine = project
    assert set(labels(engine).values()) == {None}
    result = run_cli("score", cwd=folder)
    assert "scored 5 mentions" in result.stdout
    found = labels(engine)
    assert found["https://blog.example/a#c1"] == "negative"
    assert found["https://blog.example/a#c2"] == "positive"
    assert found["https://blog.example/a#c3"] == "negative"
    assert found["https://reviews.example/r1"] == "negative"  # one star, whatever the text says
    again = run_cli("score", cwd=folder)
    assert "scored 0 mentions" in again.stdout


def test_rescore_applies_new_thresholds_to_every_mention(project):
    folder, engine = project
    run_cli("score", cwd=folder)
    before = {row["url"]: row["score"] for row in iter_mentions(engine)}
    not_neutral = sum(label != "neutral" for url, label in labels(engine).items() if "#" in url)
    # Thresholds so wide that no text score is negative or positive any more.
    with (folder / "passaparola.toml").open("a", encoding="utf-8") as config:
        config.write("[sentiment]\nnegative_below = -1\npositive_above = 1\n")
    result = run_cli("rescore", cwd=folder)
    assert f"scored 5 mentions; {not_neutral} changed label" in result.stdout
    after = list(iter_mentions(engine))
    assert {row["url"]: row["score"] for row in after} == before  # same scores, new labels
    assert {row["label"] for row in after if row["kind"] == "comment"} == {"neutral"}
    assert labels(engine)["https://reviews.example/r1"] == "negative"


def test_rescoring_goes_in_batches_and_reports_progress(project, monkeypatch):
    _, engine = project
    monkeypatch.setattr("crawler.rescore.BATCH", 2)
    seen: list[tuple[int, int]] = []
    from crawler.config import SentimentConfig

    result = rescore_mentions(engine, SentimentConfig(), on_progress=lambda *p: seen.append(p))
    assert result.scored == 5
    assert seen == [(2, 5), (4, 5), (5, 5)]
