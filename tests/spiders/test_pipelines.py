"""The sentiment pipeline: every mention scored in its language, a review labelled by its stars."""

from __future__ import annotations

import asyncio
import os

import pytest
from scrapy import Spider
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler import shared
from crawler.items import Mention
from crawler.pipelines import SentimentPipeline, StorePipeline, declared_language
from crawler.sentiment import NEGATIVE_BELOW, POSITIVE_ABOVE
from crawler.store import iter_mentions, open_engine


class Scored:
    """A pipeline opened as a crawl opens it; `process_item` waits for the (async) result."""

    def __init__(self, built: SentimentPipeline) -> None:
        self.built = built

    def __getattr__(self, name: str):
        return getattr(self.built, name)

    def process_item(self, item: Mention) -> Mention:
        return asyncio.run(self.built.process_item(item))


def pipeline(**settings: float) -> Scored:
    built = SentimentPipeline.from_crawler(get_crawler(Spider, settings))
    built.open_spider()
    return Scored(built)


def mention(text: str, **fields) -> Mention:
    return Mention(
        brand="Panificio Rossi",
        kind=fields.pop("kind", "comment"),
        url=fields.pop("url", "u"),
        text=text,
        **fields,
    )


def test_without_settings_the_thresholds_are_the_sentiment_packages():
    built = pipeline()
    assert (built.negative_below, built.positive_above) == (NEGATIVE_BELOW, POSITIVE_ABOVE)


def test_the_configs_thresholds_are_used():
    built = pipeline(PASSAPAROLA_NEGATIVE_BELOW=-0.5, PASSAPAROLA_POSITIVE_ABOVE=0.6)
    assert (built.scorer.negative_below, built.scorer.positive_above) == (-0.5, 0.6)


@pytest.mark.parametrize(
    ("value", "declared"),
    [
        ("it", "it"),
        (" en-GB ", "en-GB"),
        ("pt_BR", "pt_BR"),
        ("Italiano", None),
        ("English", None),
        ("", None),
        (None, None),
    ],
)
def test_only_a_language_tag_counts_as_declared(value, declared):
    assert declared_language(value) == declared


def test_an_undeclared_language_is_detected_and_stored():
    item = pipeline().process_item(mention("Pane raffermo e commessa scortese, non ci torno più."))
    assert item.lang == "it" and item.label == "negative" and item.score < 0


def test_a_declared_language_is_believed():
    item = pipeline().process_item(mention("Great bread, lovely staff.", lang="en-GB"))
    assert item.lang == "en" and item.label == "positive" and item.analyzer


def test_a_language_name_instead_of_a_tag_falls_back_to_detection():
    item = pipeline().process_item(mention("Great bread, lovely staff.", lang="English"))
    assert item.lang == "en" and item.label == "positive"


@pytest.mark.parametrize(
    ("rating", "label"),
    [(0.0, "negative"), (0.25, "negative"), (0.5, "neutral"), (0.75, "positive")],
)
def test_a_reviews_stars_decide_its_label_and_its_text_keeps_a_score(rating, label):
    item = pipeline().process_item(
        mention("Buono il pane, ottimo servizio.", kind="review", rating=rating)
    )
    assert item.label == label and item.score is not None


def test_an_empty_mention_is_dropped():
    with pytest.raises(DropItem):
        pipeline().process_item(mention("   "))


def test_long_texts_are_scored_in_a_worker_process_exactly_as_in_process():
    post = "Il Panificio Rossi ha cambiato gestione e il pane non è più quello di una volta. " * 12
    in_process = pipeline().process_item(mention(post, kind="post"))
    with_worker = SentimentPipeline.from_crawler(get_crawler(Spider, {"PASSAPAROLA_WORKERS": 1}))
    with_worker.open_spider()
    try:

        async def both():
            long = with_worker.process_item(mention(post, kind="post"))
            short = with_worker.process_item(mention("Pane ottimo!"))
            return await asyncio.gather(long, short)

        long_item, short_item = asyncio.run(both())
        assert with_worker.pool is not None
        worker_pids = set(with_worker.pool.pids)
    finally:
        with_worker.close_spider()
    assert worker_pids and os.getpid() not in worker_pids
    assert (long_item.score, long_item.label, long_item.lang) == (
        in_process.score,
        in_process.label,
        in_process.lang,
    )
    assert long_item.label == "negative" and short_item.label == "positive"


def test_the_mentions_of_one_loop_turn_are_scored_in_one_job_each_getting_its_own_result():
    texts = ["Pane ottimo!", "Servizio pessimo, mai più.", "Ho provato la focaccia."]
    in_process = [pipeline().process_item(mention(text)) for text in texts]
    with_worker = SentimentPipeline.from_crawler(get_crawler(Spider, {"PASSAPAROLA_WORKERS": 1}))
    with_worker.open_spider()
    try:

        async def a_page_then_a_mention():
            page = await asyncio.gather(*(with_worker.process_item(mention(t)) for t in texts))
            alone = await with_worker.process_item(mention(texts[1]))
            return page, alone

        page, alone = asyncio.run(a_page_then_a_mention())
        jobs = with_worker.pool.submitted
    finally:
        with_worker.close_spider()
    assert jobs == 2
    assert [(m.label, m.score, m.lang) for m in page] == [
        (m.label, m.score, m.lang) for m in in_process
    ]
    assert alone.label == "negative"


def test_every_sources_pipeline_in_a_process_shares_one_worker_pool():
    post = "Il Panificio Rossi ha cambiato gestione e il pane non è più quello di una volta. " * 12
    crawlers = [get_crawler(Spider, {"PASSAPAROLA_WORKERS": 1}) for _ in range(3)]
    pipelines = [SentimentPipeline.from_crawler(crawler) for crawler in crawlers]
    for each in pipelines:
        each.open_spider()
    first = pipelines[0]
    assert all(each.pool is first.pool for each in pipelines)
    pool = first.pool

    async def score_everywhere():
        return await asyncio.gather(
            *(each.process_item(mention(post, kind="post")) for each in pipelines)
        )

    scored = asyncio.run(score_everywhere())
    assert {item.label for item in scored} == {"negative"}
    assert len(pool.pids) == 1
    for each in pipelines[:-1]:
        each.close_spider()
    assert pool.pids, "the pool lives while one source still crawls"
    pipelines[-1].close_spider()
    assert pool.pids == [] and shared.worker_pools.open_count() == 0


def test_every_sources_store_in_a_process_shares_one_engine_and_stores_on_close(database_url):
    settings = {"PASSAPAROLA_DATABASE_URL": database_url}
    stores = [StorePipeline.from_crawler(get_crawler(Spider, settings)) for _ in range(3)]
    for store in stores:
        store.open_spider()
    assert len({id(store.engine) for store in stores}) == 1
    assert shared.engines.open_count() == 1
    for n, store in enumerate(stores):
        store.process_item(mention(f"Il pane del Panificio Rossi, recensione {n}.", url=f"u{n}"))
        store.close_spider()
        assert store.crawler.stats.get_value("passaparola/new") == 1
    assert shared.engines.open_count() == 0
    engine = open_engine(database_url)
    assert sorted(row["url"] for row in iter_mentions(engine)) == ["u0", "u1", "u2"]
    engine.dispose()
