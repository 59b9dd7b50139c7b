"""Two crawls writing the same store at once: no error, every mention and every copy stored once.

Each writer is its own process with its own engine, as two `passaparola crawl` runs (on one
machine or two) are. They start together and write the same batches in the same order, so
every batch of one meets the same batch of the other: the same mention ids, and the same long
texts found on different pages (copies).
"""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from crawler.items import Mention
from crawler.store import iter_mentions, mentions, open_engine, upsert_mentions

BRANDS = ("Panificio Rossi", "Caffè Aurora")
ROUNDS, PER_ROUND = 30, 20


def batch(writer: str, round_: int) -> list[Mention]:
    """Per brand: mentions both writers find at the same URL, and texts each finds elsewhere."""
    published = datetime(2026, 3, 1, tzinfo=UTC)
    same_page = [
        Mention(
            brand=brand,
            kind="comment",
            url=f"https://forum.example/t/{round_}#post-{i}",
            text=f"Commento {round_}-{i} sul {brand}: pane buono, servizio lento.",
            source="forum.example",
            author=f"Utente {i}",
            published=published,
        )
        for brand in BRANDS
        for i in range(PER_ROUND)
    ]
    copies = [
        Mention(
            brand=brand,
            kind="review",
            url=f"https://{writer}.example/recensioni/{round_}-{i}",
            text=f"Recensione {round_}-{i}: il {brand} ha il pane migliore del quartiere, "
            "gentili anche la domenica mattina.",
            source=f"{writer}.example",
            author=f"Cliente {i}",
            published=published,
        )
        for brand in BRANDS
        for i in range(PER_ROUND)
    ]
    return same_page + copies


def write_all(url: str, writer: str, start: multiprocessing.synchronize.Barrier, errors) -> None:
    """One writer's whole crawl: every round's batch, one upsert each (run in a child process)."""
    try:
        engine = open_engine(url)
        start.wait(timeout=60)
        for round_ in range(ROUNDS):
            upsert_mentions(engine, batch(writer, round_))
        engine.dispose()
    except Exception as error:  # reported to the test, which fails on it
        errors.put(f"{writer}: {type(error).__name__}: {error}")


@pytest.mark.parametrize("writers", [2, 4])
def test_writers_at_once_store_every_mention_and_every_copy_once(database_url, writers):
    """Two or four crawls, each batch naming both brands: no error, no deadlock, no duplicate."""
    open_engine(database_url).dispose()  # the schema exists before the race (a separate concern)
    context = multiprocessing.get_context("spawn")
    start, errors = context.Barrier(writers), context.Queue()
    processes = [
        context.Process(target=write_all, args=(database_url, f"site-{n}", start, errors))
        for n in range(writers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=240)
    reported = []
    while not errors.empty():
        reported.append(errors.get())
    assert reported == [] and [p.exitcode for p in processes] == [0] * writers

    engine = open_engine(database_url)
    stored = list(iter_mentions(engine))
    per_kind = {kind: [m for m in stored if m["kind"] == kind] for kind in ("comment", "review")}
    expected = ROUNDS * PER_ROUND * len(BRANDS)
    assert len(per_kind["comment"]) == expected
    assert len(per_kind["review"]) == expected  # one row per copied text, not one per site
    assert len({(m["brand"], m["fingerprint"]) for m in per_kind["review"]}) == expected
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(mentions)).scalar() == 2 * expected
    engine.dispose()
