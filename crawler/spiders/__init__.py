"""One spider per source kind: feed, reviews, blog, sitemap (`scrapy list` shows them)."""
