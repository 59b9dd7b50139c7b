"""The bundled demo: a small sample site (its own Italian and English content), its local server,
the config that crawls it and the answer key of what the crawl must find."""

from crawler.demo.config import demo_config
from crawler.demo.server import DemoSite

__all__ = ["DemoSite", "demo_config"]
