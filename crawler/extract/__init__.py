"""Pure extraction functions: markup in, structured facts out. No I/O, no Scrapy."""
