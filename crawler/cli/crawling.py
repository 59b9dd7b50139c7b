"""`init`, `crawl` (here or on Scrapyd nodes), `score`, `rescore` and `evaluate`."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from crawler.cli.base import (
    DEFAULT_CONFIG,
    ConfigOption,
    UsageError,
    app,
    collector_paused,
    err,
    load_project,
    open_store,
    out,
)

if TYPE_CHECKING:
    from crawler.config import Config


@app.command()
def init(
    config: ConfigOption = DEFAULT_CONFIG,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
) -> None:
    """Write a commented starter passaparola.toml (and mkdocs.yml) to edit."""
    from crawler.starter import write_starter

    for written in write_starter(config, force=force):
        out.print(f"wrote {written}")
    out.print(f"Edit {config}, then run: passaparola crawl --config {config}")


@app.command()
def crawl(
    config: ConfigOption = DEFAULT_CONFIG,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Scrapy's log.")] = False,
    crawl_id: Annotated[
        str | None,
        typer.Option(
            "--crawl-id", help="Tag this crawl's runs with this id (a cycle passes its own)."
        ),
    ] = None,
    scrapyd: Annotated[
        list[str] | None,
        typer.Option(
            "--scrapyd",
            metavar="URL",
            help="Crawl on this Scrapyd node (repeatable); overrides [crawl] scrapyd.",
        ),
    ] = None,
) -> None:
    """Crawl every source in the config and store the mentions found."""
    with contextlib.ExitStack() as held:
        with collector_paused():
            project = load_project(config)
            if not project.sources:
                raise UsageError(f"{config}: no [[sources]] to crawl; add one (see README)")
            nodes = [_node_url(url) for url in scrapyd] if scrapyd else project.crawl.scrapyd
            if project.crawl.workers and not nodes:
                # Started before this process loads Scrapy, so the worker has loaded the
                # extraction code and the language model by the first page; the crawl borrows
                # this same pool (`crawler.shared`).
                from crawler import shared

                held.enter_context(shared.worker_pools.held(project.crawl.workers)).start()
            from crawler.console import print_crawl_summary, progress_for_crawl
            from crawler.crawl import run_crawl
            from crawler.runs import claim_store

            # Before the reactor starts: a store that cannot be opened or written is one line.
            engine = open_store(project)
        try:
            claim_store(engine)
            if nodes:
                _crawl_on_nodes(project, config.resolve(), engine, nodes, crawl_id)
                return
        finally:
            engine.dispose()
        with progress_for_crawl(err, project.sources) as on_progress:
            results = run_crawl(
                project,
                on_progress=on_progress,
                log_level="INFO" if verbose else "WARNING",
                crawl_id=crawl_id,
            )
    print_crawl_summary(out, results)
    if any(result.errors or result.status == "failed" for result in results):
        raise typer.Exit(1)


def _node_url(url: str) -> str:
    from crawler.config import http_url

    try:
        return http_url(url)
    except ValueError as error:
        raise UsageError(f"--scrapyd {url!r}: {error}, e.g. http://node1:6800") from None


def _crawl_on_nodes(
    project: Config, config_path: Path, engine, nodes: list[str], crawl_id: str | None
) -> None:
    """`crawl` on Scrapyd nodes: a job per source, waited for; exit 1 if a node or source failed."""
    from crawler.console import print_crawl_summary, progress_for_dispatch
    from crawler.dispatch.jobs import dispatch_crawl
    from crawler.runs import new_crawl_id

    with progress_for_dispatch(err, project.sources) as on_progress:
        outcome = dispatch_crawl(
            project, config_path, engine, nodes, crawl_id=crawl_id or new_crawl_id(),
            on_progress=on_progress,
        )  # fmt: skip
    for problem in outcome.problems:
        err.print(f"[bold red]error:[/] {escape(problem)}", highlight=False, soft_wrap=True)
    print_crawl_summary(out, outcome.results)
    spread = ", ".join(f"{url} {count}" for url, count in outcome.jobs_per_node.items())
    out.print(f"jobs per node: {escape(spread or 'none')}", highlight=False)
    if outcome.stopped:
        raise typer.Exit(130)
    if outcome.problems or any(result.errors for result in outcome.results):
        raise typer.Exit(1)


@app.command()
def score(config: ConfigOption = DEFAULT_CONFIG) -> None:
    """Score stored mentions that have no sentiment yet."""
    _rescore(config, only_missing=True)


@app.command()
def rescore(config: ConfigOption = DEFAULT_CONFIG) -> None:
    """Re-score every stored mention (after an analyzer or threshold change)."""
    _rescore(config, only_missing=False)


def _rescore(config_path: Path, *, only_missing: bool) -> None:
    from crawler.console import progress_for_rescore
    from crawler.rescore import rescore_mentions

    project = load_project(config_path)
    engine = open_store(project)
    with progress_for_rescore(err) as on_progress:
        changed = rescore_mentions(
            engine, project.sentiment, only_missing=only_missing, on_progress=on_progress
        )
    out.print(f"scored {changed.scored} mentions; {changed.relabelled} changed label")


@app.command()
def evaluate(
    file: Annotated[Path, typer.Argument(help="CSV with columns text,label[,lang].")],
    config: ConfigOption = DEFAULT_CONFIG,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write the figures as JSON here.")
    ] = None,
) -> None:
    """Measure the sentiment analyzers on a labeled CSV: accuracy, macro-F1, confusion matrix."""
    import json

    from crawler.config import SentimentConfig
    from crawler.sentiment import Scorer
    from crawler.sentiment.evaluate import evaluate_csv, render, to_json

    thresholds = load_project(config).sentiment if config.exists() else SentimentConfig()
    evaluation = evaluate_csv(file, Scorer(thresholds.negative_below, thresholds.positive_above))
    out.print(render(evaluation), highlight=False)
    if json_out:
        json_out.write_text(json.dumps(to_json(evaluation), indent=2), encoding="utf-8")
        out.print(f"wrote {json_out}")
