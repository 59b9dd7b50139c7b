"""Crawling on Scrapyd nodes: one job per source, spread over the nodes, waited for, and read
back from the shared store (`crawl_runs`, by crawl id).

`crawler.dispatch.scrapyd` speaks Scrapyd's HTTP API (standard library only);
`crawler.dispatch.jobs` schedules, balances and waits.
"""
