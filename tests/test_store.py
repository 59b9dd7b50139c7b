"""The store keeps one row per mention, however often it is crawled, and never a naive date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, text

from crawler.config import BRAND_NAME_MAX_CHARS
from crawler.corrections import correct_label
from crawler.items import Mention
from crawler.runs import finish_run, start_run
from crawler.store import (
    SCHEMA_VERSION,
    SOURCE_MAX_CHARS,
    StoreError,
    crawl_runs,
    fingerprint,
    iter_mentions,
    mention_id,
    mentions,
    open_engine,
    set_status,
    upsert_mentions,
)

ROME = timezone(timedelta(hours=1))


def review(text: str, url: str = "https://recensioni.example/rossi#review-1", **kw) -> Mention:
    return Mention(
        brand=kw.pop("brand", "Panificio Rossi"),
        kind="review",
        url=url,
        text=text,
        source=kw.pop("source", "recensioni.example"),
        author=kw.pop("author", "Giulia"),
        published=datetime(2024, 3, 2, 18, 30, tzinfo=ROME),
        rating=kw.pop("rating", 0.0),
        **kw,
    )


@pytest.fixture
def engine(database_url):
    """A fresh store on each supported database (SQLite, PostgreSQL)."""
    engine = open_engine(database_url)
    yield engine
    engine.dispose()


def count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(mentions)).scalar()


def test_a_new_mention_is_inserted_once_and_a_recrawl_changes_nothing(engine):
    first = upsert_mentions(engine, [review("Pane raffermo e resto sbagliato. Mai più.")])
    again = upsert_mentions(engine, [review("Pane raffermo e resto sbagliato. Mai più.")])
    assert (first.new, first.updated) == (1, 0)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 1)
    assert count(engine) == 1


def test_an_edited_review_is_updated_in_place_keeping_when_it_was_first_seen(engine):
    upsert_mentions(engine, [review("Pane raffermo e resto sbagliato. Mai più.")])
    [before] = list(iter_mentions(engine))
    result = upsert_mentions(
        engine, [review("Pane raffermo, ma si sono scusati e mi hanno rimborsato.", rating=0.5)]
    )
    [after] = list(iter_mentions(engine))
    assert result.updated == 1
    assert after["id"] == before["id"]
    assert after["first_seen"] == before["first_seen"]
    assert after["rating"] == 0.5 and "rimborsato" in after["text"]


def test_the_same_review_syndicated_on_another_page_counts_once(engine):
    text = "Il Panificio Rossi fa il miglior pane di Bologna, gentilissimi anche la domenica."
    upsert_mentions(engine, [review(text, url="https://a.example/rossi#review-1")])
    result = upsert_mentions(engine, [review(text, url="https://b.example/rossi#r9")])
    assert result.new == 0
    assert count(engine) == 1


def test_short_reviews_by_different_people_are_not_merged(engine):
    upsert_mentions(engine, [review("Ottimo!", url="https://a.example/#review-1")])
    upsert_mentions(engine, [review("Ottimo!", url="https://a.example/#review-2", author="Ada")])
    assert count(engine) == 2


def test_dates_come_back_timezone_aware_and_equal(engine):
    upsert_mentions(engine, [review("Servizio lento ma cortese, tornerò comunque.")])
    [row] = list(iter_mentions(engine))
    assert row["published"] == datetime(2024, 3, 2, 17, 30, tzinfo=UTC)
    assert row["published"].tzinfo is not None and row["first_seen"].tzinfo is not None


def test_naive_datetimes_are_refused(engine):
    with pytest.raises(Exception, match="naive"):
        upsert_mentions(
            engine,
            [
                Mention(
                    brand="X",
                    kind="page",
                    url="https://x.example/",
                    text="t",
                    published=datetime(2024, 1, 1),
                )
            ],
        )


def test_filters_select_by_brand_label_kind_and_date(engine):
    upsert_mentions(
        engine,
        [
            review(
                "Pessimo servizio al bancone, nessuno si è scusato.", url="https://a.example/#1"
            ),
            Mention(
                brand="Caffè Aurora",
                kind="comment",
                url="https://b.example/p#comment-2",
                text="Il Caffè Aurora è sempre buono.",
                source="b.example",
            ),
        ],
    )
    assert [r["brand"] for r in iter_mentions(engine, brand="Caffè Aurora")] == ["Caffè Aurora"]
    assert [r["kind"] for r in iter_mentions(engine, kind="review")] == ["review"]
    since = datetime(2024, 3, 3, tzinfo=UTC)
    assert [r["kind"] for r in iter_mentions(engine, since=since)] == ["comment"]


def test_handling_status_is_set_by_id_prefix(engine):
    upsert_mentions(engine, [review("Il resto era sbagliato di dieci euro, vergogna.")])
    [row] = list(iter_mentions(engine))
    assert set_status(engine, row["id"][:8], "handled", note="richiamato")
    [row] = list(iter_mentions(engine))
    assert row["status"] == "handled" and row["note"] == "richiamato" and row["handled_at"]
    assert not set_status(engine, "zzzz", "handled")


def test_crawl_runs_are_recorded(engine):
    run = start_run(engine, "https://recensioni.example/rossi", "reviews")
    finish_run(engine, run, pages=3, new=7, updated=1, errors=0, status="finished")
    with engine.connect() as conn:
        row = conn.execute(select(crawl_runs)).one()
    assert (row.pages, row.new, row.updated, row.status) == (3, 7, 1, "finished")
    assert row.finished >= row.started


def test_sqlite_uses_wal_and_records_the_schema_version(tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path / 'store.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("SELECT max(version) FROM schema_version")).scalar() == (
            SCHEMA_VERSION
        )


def test_a_newer_schema_is_refused_with_a_clear_message(tmp_path):
    url = f"sqlite:///{tmp_path / 'future.db'}"
    engine = open_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO schema_version VALUES (99, '2030-01-01 00:00:00')"))
    with pytest.raises(StoreError, match="upgrade passaparola"):
        open_engine(url)


def test_mention_ids_are_stable_and_brand_specific():
    url = "https://blog.example/post#comment-3"
    assert mention_id(url, "A") == mention_id(url, "A") != mention_id(url, "B")


def test_the_longest_brand_name_the_config_accepts_is_stored(engine):
    brand = "Panificio " + "R" * (BRAND_NAME_MAX_CHARS - len("Panificio "))
    upsert_mentions(engine, [review("Pane ottimo e commesse gentili.", brand=brand)])
    assert [row["brand"] for row in iter_mentions(engine)] == [brand]


def test_a_source_host_longer_than_the_column_is_stored_cut_on_every_database(engine):
    """A scraped link may name a host far longer than DNS allows; PostgreSQL would refuse it."""
    from crawler.spiders.base import domain

    url = f"https://{'recensioni-' * 40}example.org/rossi#review-1"
    upsert_mentions(
        engine, [review("Pane ottimo e commesse gentili.", url=url, source=domain(url))]
    )
    [row] = list(iter_mentions(engine))
    assert len(domain(url)) > SOURCE_MAX_CHARS
    assert row["source"] == domain(url)[:SOURCE_MAX_CHARS] and row["url"] == url


def test_scraped_nul_bytes_and_lone_surrogates_are_stored_cleaned(engine):
    text = "Pane\x00 raffermo \ud83d e resto sbagliato"
    upsert_mentions(engine, [review(text, author="Giu\x00lia", title="Mai\udc00 più")])
    [row] = list(iter_mentions(engine))
    assert row["text"] == "Pane raffermo \ufffd e resto sbagliato"
    assert (row["author"], row["title"]) == ("Giulia", "Mai\ufffd più")


def test_a_time_is_stored_as_the_same_instant_in_utc(engine):
    fetched = datetime(2024, 3, 3, 9, 15, 30, 250, tzinfo=UTC)
    upsert_mentions(engine, [review("Pane buono, servizio gentile.", fetched_at=fetched)])
    (row,) = iter_mentions(engine)
    assert row["published"] == datetime(2024, 3, 2, 17, 30, tzinfo=UTC)  # 18:30 in Rome
    assert row["fetched_at"] == fetched


def test_the_edited_mentions_of_a_batch_each_take_their_own_content_and_keep_a_correction(
    engine,
):
    urls = [f"https://recensioni.example/rossi#review-{n}" for n in range(3)]
    first = [
        review(f"Pane buono, commesse gentili ({n}).", url, rating=1.0)
        for n, url in enumerate(urls)
    ]
    upsert_mentions(engine, first)
    corrected = next(row["id"] for row in iter_mentions(engine) if row["url"] == urls[1])
    correct_label(engine, corrected, "negative", by="Ada")
    edited = [
        review(f"Pane raffermo, mai più ({n}).", url, rating=0.0, label="positive", score=0.2)
        for n, url in enumerate(urls)
    ]
    edited[2].title = "Una delusione"
    result = upsert_mentions(engine, edited)
    assert (result.new, result.updated, result.unchanged) == (0, 3, 0)
    stored = {row["url"]: row for row in iter_mentions(engine)}
    assert [stored[url]["text"] for url in urls] == [m.text for m in edited]
    assert [stored[url]["rating"] for url in urls] == [0.0, 0.0, 0.0]
    assert [stored[url]["label"] for url in urls] == ["positive", "negative", "positive"]
    assert [stored[url]["title"] for url in urls] == [None, None, "Una delusione"]
    assert stored[urls[0]]["fingerprint"] == fingerprint(edited[0].text)
