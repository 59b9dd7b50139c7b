"""The demo project's `passaparola.toml`, pointing every kind of source at the demo site."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

# The first line of every demo config: `passaparola demo` only overwrites a config that has it.
DEMO_HEADER = "# passaparola demo project"

_TEMPLATE = """\
# passaparola demo project: the bundled sample site, served on {base}.
# Written by `passaparola demo`; every key is explained in the README, "Configuration".

[site]
title = "Reputazione — demo (Panificio Rossi, Caffè Aurora)"
language = "it"

[[brands]]
name = "Panificio Rossi"
aliases = ["Forno Rossi"]
exclude = ["Valentino Rossi"]

[[brands]]
name = "Caffè Aurora"
aliases = ["Aurora Caffè", "Aurora Coffee"]

# News of the neighbourhood (RSS 2.0) and an alert service's results (Atom).
[[sources]]
kind = "feed"
url = {rss}

[[sources]]
kind = "feed"
url = {atom}

# Customer reviews over three pages (JSON-LD and microdata); all are about one brand.
[[sources]]
kind = "reviews"
url = {reviews}
brand = "Panificio Rossi"

# A blog whose posts carry WordPress, Blogger and TypePad comment threads.
[[sources]]
kind = "blog"
url = {blog}
depth = 2

# A sitemap index with two sitemaps (one gzipped).
[[sources]]
kind = "sitemap"
url = {sitemap}

[crawl]
user_agent = "passaparola-demo/0.1 (+https://github.com/passaparola/passaparola)"
delay = 0          # the demo site is local; never use 0 on somebody else's site
max_pages = 100
depth = 2

[storage]
url = "sqlite:///passaparola.db"
{alerts}"""

# The demo's mail goes to a sink `passaparola demo` runs on 127.0.0.1, never to a real server.
_ALERTS = """
[alerts]
to = ["marketing@panificio-rossi.example"]
from = "passaparola-demo@localhost"
smtp_host = "127.0.0.1"
smtp_port = {port}
security = "none"   # a local sink; use "starttls" or "ssl" with a real server
"""


def _toml_string(value: str) -> str:
    # A JSON string is a valid TOML basic string (same quotes and escapes).
    return json.dumps(value, ensure_ascii=False)


def demo_config(base_url: str, *, smtp_port: int | None = None) -> str:
    """The text of the demo project's config for the demo site served at `base_url`.

    With `smtp_port`, alerts are e-mailed to the demo's mail sink on that port of 127.0.0.1.
    """
    parts = urlsplit(base_url)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or any(c.isspace() for c in base_url)
    ):
        raise ValueError(f"base_url must be an http(s) URL, not {base_url!r}")
    base = base_url.rstrip("/")
    return _TEMPLATE.format(
        base=base,
        rss=_toml_string(f"{base}/feeds/notizie.rss.xml"),
        atom=_toml_string(f"{base}/feeds/avvisi.atom.xml"),
        reviews=_toml_string(f"{base}/recensioni/panificio-rossi/"),
        blog=_toml_string(f"{base}/blog/"),
        sitemap=_toml_string(f"{base}/sitemap.xml"),
        alerts="" if smtp_port is None else _ALERTS.format(port=int(smtp_port)),
    )
