"""What one source may fetch, and how much: the web only, its own site, bounded queues.

Pages are written by strangers, and every URL in them is a request the crawler might make. So a
source fetches only `http(s)` URLs (never `file:`, `data:`, `ftp:`…), stays on its own site
(its host, `www.` aside, and port, the scheme's default port aside), except the pages a feed
follows, and never reaches into a local network it is not part of: a loopback, private,
link-local, multicast or reserved address is fetched only when it is the source's own address.
A source at 127.0.0.1 (the demo) reads 127.0.0.1; a public source that redirects or links to
127.0.0.1, 10.0.0.1 or 169.254.169.254 is refused, and so is a source at one local address
reaching another one.

Pure decisions; `crawler.middlewares` applies them to every request (links, sitemap entries,
pagination, feed pages, redirects) before it is queued or sent. Being pure, what they make of a
URL, a host or an address is remembered (`lru_cache`): a site's pages link to the same pages
over and over, and the crawl asks about each of them at every step.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urldefrag, urlsplit

WEB_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}
# Distinct refused URLs remembered so each is counted once; beyond, each refusal counts.
_REMEMBERED_REFUSALS = 10_000
# URLs, hosts and addresses whose answers are remembered (a few hundred bytes each).
_REMEMBERED = 8192


class Refusal(str):
    """Why a request is refused, in words for the log; `kind` names it for the stats."""

    kind: str

    def __new__(cls, kind: str, why: str) -> Refusal:
        refusal = super().__new__(cls, why)
        refusal.kind = kind
        return refusal


@lru_cache(maxsize=_REMEMBERED)
def site_of(url: str) -> tuple[str, int | None] | None:
    """The site a URL belongs to: its host without `www.`, and its port unless the scheme's own."""
    parts = urlsplit(url)
    try:
        host, port = parts.hostname, parts.port
    except ValueError:  # a port that is not a number
        return None
    if not host:
        return None
    if port == DEFAULT_PORTS.get(parts.scheme.lower()):
        port = None
    return host.removeprefix("www."), port


@lru_cache(maxsize=_REMEMBERED)
def literal_address(host: str) -> str | None:
    """The IP address a host name *is* (`127.0.0.1`, `::1`), or None for a name to resolve."""
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


@lru_cache(maxsize=_REMEMBERED)
def is_public(address: str) -> bool:
    """True for an address on the public internet; False for loopback, private, link-local,
    multicast, reserved and unspecified ones, also when an IPv6 address wraps an IPv4 one."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            return is_public(str(embedded))
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """The rules for one source, known by its start URL."""

    source_url: str
    site: tuple[str, int | None] | None = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "site", site_of(self.source_url))

    def on_site(self, url: str) -> bool:
        return site_of(url) == self.site

    def refusal(self, url: str, *, any_site: bool = False) -> Refusal | None:
        """Why `url` may not be fetched by this source (None: it may, if its address allows).

        `any_site` is for the pages a feed follows, which are on other sites by nature.
        """
        scheme = urlsplit(url).scheme.lower()
        if scheme not in WEB_SCHEMES:
            return Refusal("scheme", f"not a web address ({scheme or 'no'} scheme)")
        site = site_of(url)
        if site is None:
            return Refusal("scheme", "no host")
        if not any_site and site != self.site:
            return Refusal("offsite", "off the source's site")
        return None

    def address_refusal(self, address: str, own: frozenset[str]) -> Refusal | None:
        """Why the address a request would connect to is refused; `own` are the source's own."""
        if address in own or is_public(address):
            return None
        return Refusal("address", f"{address} is a local-network address, not the source's own")


@dataclass(slots=True)
class RequestBudget:
    """How many distinct URLs of each kind one source may queue in a run.

    A source fetches at most `max_pages` pages, so queueing more is only memory: a sitemap index
    of thousands of sitemaps of 50,000 URLs each would otherwise fill gigabytes with requests
    that are never sent. Pages and child sitemaps have a budget each; a URL already queued
    costs nothing again (the scheduler drops the duplicate).
    """

    pages: int
    sitemaps: int
    _queued: dict[str, set[str]] = field(init=False)

    def __post_init__(self) -> None:
        self._queued = {"page": set(), "sitemap": set()}

    def _limit(self, kind: str) -> int:
        return self.sitemaps if kind == "sitemap" else self.pages

    def has_room(self, kind: str = "page") -> bool:
        return len(self._queued[kind]) < self._limit(kind)

    def queued(self, url: str, kind: str = "page") -> bool:
        """Whether `url` (any fragment of it) was queued already."""
        return _without_fragment(url) in self._queued[kind]

    def admit(self, url: str, kind: str = "page") -> bool:
        """Queue `url` if the budget allows (True), or refuse it (False)."""
        queued = self._queued[kind]
        key = _without_fragment(url)
        if key in queued:
            return True
        if len(queued) >= self._limit(kind):
            return False
        queued.add(key)
        return True


@lru_cache(maxsize=_REMEMBERED)
def _without_fragment(url: str) -> str:
    return urldefrag(url).url


@dataclass(slots=True)
class Refusals:
    """The URLs a source was refused, so that each is counted once."""

    _seen: set[str] = field(default_factory=set)

    def add(self, url: str) -> bool:
        """Note a refusal; True when this URL was not refused before."""
        if url in self._seen:
            return False
        if len(self._seen) < _REMEMBERED_REFUSALS:
            self._seen.add(url)
        return True
