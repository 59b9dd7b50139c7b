"""Scrapy settings: polite defaults for every passaparola crawl.

`passaparola crawl` layers the config file's `[crawl]` section and each source's limits on top of
these (see `crawler.crawl.crawl_settings`); `scrapy crawl` from the project folder uses them as is.
"""

from scrapy.settings import default_settings as _scrapy_defaults

BOT_NAME = "passaparola"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# The project's config file, for spiders started with `scrapy crawl NAME -a url=...` or by
# Scrapyd: `-s PASSAPAROLA_CONFIG=...` (Scrapyd: `setting=PASSAPAROLA_CONFIG=...`), else the
# PASSAPAROLA_CONFIG environment variable, else this (see crawler.crawl.configure_job).
PASSAPAROLA_CONFIG = "passaparola.toml"

USER_AGENT = "passaparola/0.1 (+https://github.com/passaparola/passaparola)"
ROBOTSTXT_OBEY = True

# Politeness: one request at a time per site, a delay between them, adapted to the server's speed.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Robustness: time out, retry transient failures with exponential backoff, refuse huge pages.
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
PASSAPAROLA_RETRY_BACKOFF = 1.0  # seconds before the first retry; doubles each time, max 60
DOWNLOAD_MAXSIZE = 5 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
DEPTH_LIMIT = 3
DEPTH_PRIORITY = 1  # breadth-first: a trap deep in one branch cannot starve the rest
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"
CLOSESPIDER_PAGECOUNT = 500
COOKIES_ENABLED = False
# Outputs of one page handled at once (mentions and requests); Scrapy starts this many asyncio
# tasks per page whatever the page yields, so its default of 100 costs more than it gives.
CONCURRENT_ITEMS = 16
TELNETCONSOLE_ENABLED = False
# Scrapy's remote control: an HTTP server per crawl (and aiohttp imported at every start).
REMOTE_CONTROL_ENABLED = False

# Only the web is fetched: no handler for file:, data:, ftp: or s3: URLs (a page's link to
# file:///etc/passwd must not become a request that reads it), and every request a spider yields
# or a redirect leads to is checked against the source's fetch policy before it is queued or sent
# (crawler/fetch_policy.py).
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}
DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.FetchGuardMiddleware": 40,  # before robots.txt is fetched for a host
    # Scrapy's offsite filter keeps a spider to its `allowed_domains`; no passaparola spider has
    # any (the fetch policy keeps a source on its site), so it let every request through, at
    # the cost of a signal receiver and a middleware call per request.
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
}
SPIDER_MIDDLEWARES = {
    "crawler.middlewares.RequestGuardMiddleware": 40,  # after depth and URL length filters
    "crawler.middlewares.PageErrorMiddleware": 950,
    # A warning for spider authors who copy Scrapy's internal meta keys into new requests, paid
    # by every mention and request a page yields (one more async generator layer each).
    # passaparola's spiders build every request's meta from their own keys.
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
}
# Pages are extracted and texts scored in worker processes, on other cores than Scrapy's
# (0: all in the crawling process).
PASSAPAROLA_WORKERS = 1

ITEM_PIPELINES = {
    "crawler.pipelines.SentimentPipeline": 300,
    "crawler.pipelines.StorePipeline": 800,
}
EXTENSIONS = {
    "crawler.extensions.CrawlRunRecorder": 500,
}
# Scrapy's own extensions but the telnet console and the remote control, which are off anyway
# (TELNETCONSOLE_ENABLED, REMOTE_CONTROL_ENABLED): Scrapy imports every extension it lists, even
# one set to None in EXTENSIONS, and Twisted's telnet and aiohttp cost a start-up half a second.
_not_imported = (
    "scrapy.extensions.telnet.TelnetConsole",
    "scrapy.extensions.remote_control.RemoteControl",
)
EXTENSIONS_BASE = {
    name: order
    for name, order in _scrapy_defaults.EXTENSIONS_BASE.items()
    if name not in _not_imported
}

LOG_LEVEL = "INFO"
# Scrapy's stats and log formatter, without what they cost every request and item for nothing:
# the stats' deprecation shim, the DEBUG records of each page and item a crawl does not show.
STATS_CLASS = "crawler.stats.PlainStatsCollector"
LOG_FORMATTER = "crawler.log_formatter.QuietLogFormatter"
FEED_EXPORT_ENCODING = "utf-8"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
