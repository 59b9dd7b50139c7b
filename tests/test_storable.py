"""Nothing is lost silently: text a database refuses is cleaned where a mention is built, and a
batch the database still refuses loses only the mention it refuses, which is counted."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from cli_runner import run_cli, write_config
from local_pages import serve_pages
from scrapy import Spider
from scrapy.utils.test import get_crawler
from sqlalchemy import select

from crawler.items import Mention
from crawler.pipelines import StorePipeline
from crawler.storable import storable, storable_line
from crawler.store import crawl_runs, iter_mentions, open_engine


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("pane\x00 buono", "pane buono"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ("pair written apart \ud83d\ude00", "pair written apart \U0001f600"),
        ("bell\x07 and escape\x1b[31m", "bell and escape[31m"),
        ("tab\tand\nnewlines\r\nkept", "tab\tand\nnewlines\r\nkept"),
        ("non\ufffecharacter", "noncharacter"),
        ("Caffè «Aurora» — ottimo ☕", "Caffè «Aurora» — ottimo ☕"),
    ],
)
def test_storable_text_keeps_what_people_wrote_and_drops_what_a_database_refuses(raw, clean):
    assert storable(raw) == clean
    assert storable(clean) == clean  # once is enough: cleaning is idempotent
    clean.encode("utf-8")  # valid UTF-8, what every database driver needs


def test_titles_and_authors_lose_bidi_controls_text_keeps_them():
    assert storable_line("Giulia \u202eanoiG\u202c") == "Giulia anoiG"
    assert storable_line("\u2067مرحبا\u2069 Rossi\u200f") == "مرحبا Rossi"
    mention = Mention(
        brand="Panificio Rossi",
        kind="review",
        url="https://r.example/#1",
        text="שלום \u200fRossi\x00",
        title="Recensione \u202eissoR",
        author="\ud800Anna\u202d",
    )
    assert (mention.title, mention.author) == ("Recensione issoR", "\ufffdAnna")
    assert mention.text == "שלום \u200fRossi"


# One of each kind of character the cleaning removes or replaces, and what people write.
CLEANED = ["\x00", "\x07", "\x1b", "\x7f", "\ufffe", "\uffff", "\ud800", "\udfff"]
BIDI = ["\u061c", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069"]
KEPT = ["\t", "\n", "\r", "\u00a0", "\u2028", "\ue000", "\u0378", "è", "☕", "\U0001f600"]


@pytest.mark.parametrize("field", ["brand", "url", "text", "source", "title", "author"])
@pytest.mark.parametrize("character", CLEANED + BIDI + KEPT)
def test_every_field_of_a_mention_is_cleaned_whatever_the_others_hold(field, character):
    """A mention's fields are first looked at all together (most have nothing to clean); a
    character to clean in any one of them is still cleaned there, and only there."""
    values = {
        "brand": "Panificio Rossi",
        "kind": "comment",
        "url": "https://blog.example/pane/#c1",
        "text": "Pane buono.",
        "source": "blog.example",
        "title": "Il pane",
        "author": "Anna",
    }
    dirty = dict(values, **{field: f"{values[field]}{character}!"})
    mention = Mention(**dirty)
    clean = storable_line if field in ("title", "author") else storable
    for name, value in values.items():
        assert getattr(mention, name) == (clean(dirty[name]) if name == field else value)


def store_pipeline(tmp_path, batch_size: int = 100) -> StorePipeline:
    settings = {
        "PASSAPAROLA_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}",
        "PASSAPAROLA_STORE_BATCH": batch_size,
    }
    crawler = get_crawler(Spider, settings)
    crawler.stats.open_spider()
    pipeline = StorePipeline.from_crawler(crawler)
    pipeline.open_spider()
    return pipeline


def review(n: int) -> Mention:
    return Mention(
        brand="Panificio Rossi",
        kind="review",
        url=f"https://r.example/rossi#review-{n}",
        text=f"Recensione numero {n}: pane buono, servizio gentile.",
        source="r.example",
    )


def test_a_batch_the_database_refuses_loses_only_the_refused_mention(tmp_path, caplog):
    pipeline = store_pipeline(tmp_path, batch_size=8)
    poisoned = review(5)
    poisoned.text = "built around the cleaning \ud800"  # set after construction: not cleaned
    naive = review(6)
    naive.published = datetime(2024, 3, 1)  # no time zone: refused
    with caplog.at_level(logging.ERROR, logger="crawler.pipelines"):
        for n in range(1, 9):
            pipeline.process_item({5: poisoned, 6: naive}.get(n) or review(n))
    assert pipeline.buffer == []  # flushed at 8, nothing kept to poison the next batch
    for n in range(9, 12):
        pipeline.process_item(review(n))
    pipeline.close_spider()

    stored = {row["url"].rsplit("-", 1)[1] for row in iter_mentions(pipeline.engine)}
    assert stored == {str(n) for n in (1, 2, 3, 4, 7, 8, 9, 10, 11)}
    stats = pipeline.crawler.stats
    assert stats.get_value("passaparola/errors") == 2
    assert stats.get_value("passaparola/unstored") == 2
    assert stats.get_value("passaparola/new") == 9
    logged = [r.getMessage() for r in caplog.records]
    assert any("https://r.example/rossi#review-5" in line for line in logged)
    assert any("https://r.example/rossi#review-6" in line for line in logged)


REVIEWS = """<!doctype html><html lang="it"><head><meta charset="utf-8">
<title>Recensioni \u202eissoR oicifinaP</title>
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "LocalBusiness", "name": "Panificio Rossi",
 "review": [
  {"@type": "Review", "author": {"@type": "Person", "name": "Giulia \\u202eanoiG"},
   "datePublished": "2024-03-01", "reviewRating": {"ratingValue": 1, "bestRating": 5},
   "reviewBody": "Pane raffermo \\ud800 e commessa scortese."},
  {"@type": "Review", "author": "Marco\\u0000", "datePublished": "2024-03-02",
   "reviewRating": {"ratingValue": 5, "bestRating": 5},
   "reviewBody": "Focaccia\\u0000 ottima, tornerò."},
  {"@type": "Review", "author": "Anna", "datePublished": "2024-03-03",
   "reviewRating": {"ratingValue": 4, "bestRating": 5},
   "reviewBody": "Buoni i biscotti al burro."}
 ]}
</script></head><body><h1>Recensioni</h1></body></html>"""


@pytest.fixture(scope="module")
def reviews_site() -> Iterator[str]:
    with serve_pages({"/recensioni/rossi": ("text/html; charset=utf-8", REVIEWS.encode())}) as url:
        yield url


def reviews_project(folder: Path, site: str) -> None:
    write_config(folder, f'[[sources]]\nkind = "reviews"\nurl = "{site}/recensioni/rossi"\n')


def test_a_lone_surrogate_and_a_nul_in_json_ld_lose_no_review(tmp_path, reviews_site):
    reviews_project(tmp_path, reviews_site)
    result = run_cli("crawl", cwd=tmp_path)
    engine = open_engine(f"sqlite:///{tmp_path / 'passaparola.db'}")
    stored = {row["author"]: row for row in iter_mentions(engine)}
    assert set(stored) == {"Giulia anoiG", "Marco", "Anna"}
    assert stored["Giulia anoiG"]["text"] == "Pane raffermo \ufffd e commessa scortese."
    assert stored["Marco"]["text"] == "Focaccia ottima, tornerò."
    assert all("\u202e" not in (row["title"] or "") for row in stored.values())
    with engine.connect() as conn:
        [run] = conn.execute(select(crawl_runs)).all()
    assert (run.new, run.errors, run.status) == (3, 0, "finished")
    assert "Traceback" not in result.stderr


def test_a_mention_the_database_refuses_is_an_error_of_its_source_and_exit_1(
    tmp_path, reviews_site
):
    reviews_project(tmp_path, reviews_site)
    engine = open_engine(f"sqlite:///{tmp_path / 'passaparola.db'}")
    with engine.begin() as conn:  # a database rule refusing one text, as PostgreSQL refuses NUL
        conn.exec_driver_sql(
            "CREATE TRIGGER refuse BEFORE INSERT ON mentions WHEN NEW.text LIKE '%biscotti%' "
            "BEGIN SELECT RAISE(ABORT, 'refused by the database'); END"
        )
    result = run_cli("crawl", cwd=tmp_path, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert {row["author"] for row in iter_mentions(engine)} == {"Giulia anoiG", "Marco"}
    with engine.connect() as conn:
        [run] = conn.execute(select(crawl_runs)).all()
    assert (run.new, run.errors, run.status) == (2, 1, "failed")
    lines = [line for line in result.stdout.splitlines() if "/recensioni/rossi" in line]
    [summary] = [line for line in lines if not line.startswith("! ")]  # the table's row
    assert " 2 " in summary and " 1 " in summary and "failed" in summary
    [note] = [line for line in lines if line.startswith("! ")]  # and what went wrong
    assert "1 mention could not be stored" in note
    [logged] = [line for line in result.stderr.splitlines() if "could not store" in line]
    assert "refused by the database" in logged and "/recensioni/rossi#" in logged
    assert "Traceback" not in result.stderr
