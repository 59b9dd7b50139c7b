"""New mentions go to the database through its driver, in one statement per batch; what is
stored is exactly what SQLAlchemy's own insert of the same mention stores (the one used where
the driver takes another parameter style), on every database."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, func, select

from crawler.items import Mention
from crawler.store import fingerprint, iter_mentions, mentions, open_engine, upsert_mentions
from crawler.store.insert import NEW_ROW_COLUMNS, driver_insert, sqlalchemy_insert_if_new

ROME = timezone(timedelta(hours=1))


@pytest.fixture
def engine(database_url):
    engine = open_engine(database_url)
    yield engine
    engine.dispose()


def comment(n: int, **changes) -> Mention:
    fields = {
        "brand": "Panificio Rossi",
        "kind": "comment",
        "url": f"https://blog.example/post-{n}.html#comment-{n}",
        "text": f"Il Panificio Rossi mi ha sbagliato il resto, nessuno si è scusato ({n}).",
        "source": "blog.example",
        "source_url": "https://blog.example/",
        "title": "Di nuovo al Panificio Rossi",
        "author": f"Lettore {n}",
        "published": datetime(2026, 3, 11, 10, 0, tzinfo=ROME),
        "lang": "it",
        "score": -0.7682,
        "label": "negative",
        "analyzer": "it-lexicon-v1",
        "page_url": f"https://blog.example/post-{n}.html",
        "page_sha256": "8f300e41ae67b43281e63ed39dc75a855631628c92c668d1a18f02868cba69d8",
        "fetched_at": datetime(2026, 12, 1, 16, 44, 7, 215575, tzinfo=UTC),
    }
    return Mention(**{**fields, **changes})


def stored_as_the_driver_returns_it(engine) -> list[tuple]:
    """Every row, as the database driver reads it: SQLite's text times, its REAL and INTEGER."""
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT * FROM mentions ORDER BY id").all()
    return [tuple((type(value), value) for value in row) for row in rows]


def test_a_new_mention_holds_what_sqlalchemys_own_insert_of_it_holds(engine):
    batch = [
        comment(1),
        comment(2, rating=1, published=datetime(987, 6, 5, 4, 3, 2, 1, tzinfo=UTC)),
        comment(3, author=None, title=None, published=None, fetched_at=None),
        comment(4, score=None, label=None, rating=0.25),
    ]
    upsert_mentions(engine, batch)
    ours = stored_as_the_driver_returns_it(engine)
    typed = list(iter_mentions(engine))  # aware datetimes, Python floats
    with engine.begin() as conn:
        conn.execute(delete(mentions))
        again = [{name: row[name] for name in NEW_ROW_COLUMNS} for row in typed]
        conn.execute(sqlalchemy_insert_if_new(engine.dialect.name), again)
    assert ours == stored_as_the_driver_returns_it(engine)
    assert len(ours) == 4
    assert typed[0]["published"] == datetime(2026, 3, 11, 9, 0, tzinfo=UTC)


def test_a_batch_longer_than_one_statement_holds_is_stored_whole(engine):
    rows_per_statement = driver_insert(engine.dialect).rows_per_statement
    batch = [comment(n) for n in range(rows_per_statement + 7)]
    result = upsert_mentions(engine, batch)
    assert (result.new, result.updated, result.unchanged) == (len(batch), 0, 0)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(mentions)).scalar() == len(batch)
    again = upsert_mentions(engine, batch)
    assert (again.new, again.updated, again.unchanged) == (0, 0, len(batch))


def test_a_naive_time_in_a_batch_is_refused_before_anything_is_written(engine):
    """The pipeline then splits the batch to store the others (tests/test_storable.py)."""
    naive = comment(2, published=datetime(2026, 3, 11, 10, 0))
    with pytest.raises(ValueError, match="naive"):
        upsert_mentions(engine, [comment(1), naive])
    assert list(iter_mentions(engine)) == []


def test_every_field_of_a_new_mention_is_stored(engine):
    mention = comment(1, rating=0.75)
    upsert_mentions(engine, [mention])
    [row] = iter_mentions(engine)
    fields = [f.name for f in dataclasses.fields(Mention) if f.name != "extra"]
    assert {name: row[name] for name in fields} == {name: getattr(mention, name) for name in fields}
    assert row["fingerprint"] == fingerprint(mention.text) and row["status"] == "new"
    assert row["first_seen"] == row["last_seen"] >= mention.fetched_at
