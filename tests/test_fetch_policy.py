"""What a source may fetch: the web only, its own site, no local network but its own address."""

from __future__ import annotations

import pytest

from crawler.fetch_policy import FetchPolicy, RequestBudget, is_public, site_of

BLOG = FetchPolicy("https://www.example.org/blog/")


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.0.0.2",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
        "224.0.0.251",  # multicast
        "240.0.0.1",  # reserved
        "255.255.255.255",
        "::1",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",  # IPv4-mapped
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    ],
)
def test_local_network_addresses_are_not_public(address):
    assert not is_public(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_internet_addresses_are_public(address):
    assert is_public(address)


def test_a_site_is_its_host_without_www_and_its_port_unless_the_schemes_own():
    assert site_of("https://www.example.org/a") == site_of("http://example.org:80/b")
    assert site_of("https://example.org:443/") == ("example.org", None)
    assert site_of("http://example.org:8080/") == ("example.org", 8080)
    assert site_of("http://example.org:port/") is None


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file://www.example.org/etc/passwd",
        "data:text/html,<p>x</p>",
        "ftp://example.org/pub/",
        "s3://bucket/key",
        "javascript:alert(1)",
        "/relative/path",
        "http:///no-host",
    ],
)
def test_only_web_addresses_are_fetched(url):
    why = BLOG.refusal(url, any_site=True)
    assert why is not None and why.kind == "scheme"


def test_a_source_stays_on_its_own_site_unless_told_otherwise():
    assert BLOG.refusal("http://example.org/blog/page/2") is None
    assert BLOG.refusal("https://www.example.org:8443/admin").kind == "offsite"
    assert BLOG.refusal("https://other.example/").kind == "offsite"
    assert BLOG.refusal("https://other.example/", any_site=True) is None


def test_local_addresses_are_reachable_only_as_the_sources_own():
    public = frozenset({"93.184.216.34"})
    assert BLOG.address_refusal("93.184.216.35", public) is None
    assert BLOG.address_refusal("127.0.0.1", public).kind == "address"
    assert BLOG.address_refusal("169.254.169.254", public).kind == "address"
    demo = frozenset({"127.0.0.1"})
    assert BLOG.address_refusal("127.0.0.1", demo) is None
    assert BLOG.address_refusal("127.0.0.2", demo).kind == "address"
    assert BLOG.address_refusal("10.0.0.1", demo).kind == "address"


def test_a_budget_admits_each_url_once_and_no_more_urls_than_its_limit():
    budget = RequestBudget(pages=2, sitemaps=1)
    assert budget.admit("http://example.org/1") and budget.admit("http://example.org/1#top")
    assert budget.admit("http://example.org/2") and not budget.has_room()
    assert not budget.admit("http://example.org/3")
    assert budget.admit("http://example.org/1")  # already queued: a duplicate costs nothing
    assert budget.admit("http://example.org/sitemap-1.xml", "sitemap")
    assert not budget.admit("http://example.org/sitemap-2.xml", "sitemap")


def test_a_url_is_queued_whatever_its_fragment():
    budget = RequestBudget(pages=5, sitemaps=1)
    assert not budget.queued("https://example.org/blog/post-1")
    budget.admit("https://example.org/blog/post-1#comment-3")
    assert budget.queued("https://example.org/blog/post-1")
    assert budget.queued("https://example.org/blog/post-1#respond")
    assert not budget.queued("https://example.org/blog/post-1", kind="sitemap")
    assert not budget.queued("https://example.org/blog/post-2")
