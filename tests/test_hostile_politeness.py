"""Politeness and URL normalisation: Crawl-delay kept, Retry-After read, one URL per page."""

from __future__ import annotations

import itertools
import json

import pytest

from core.urls import page_key
from crawler.politeness import retry_after_seconds
from crawler.traps import TrapGuard
from tests import hostile_site as hs
from tests.helpers import nachtwacht, quick


@pytest.mark.parametrize("url, key", [
    ("http://a.nl/b?z=1&a=2#deel", "http://a.nl/b?a=2&z=1"),
    ("http://a.nl/b?utm_source=brief&utm_medium=post&id=4", "http://a.nl/b?id=4"),
    ("http://a.nl/b?UTM_Campaign=x&gclid=1&fbclid=2&msclkid=3", "http://a.nl/b"),
    ("http://a.nl/winkel;jsessionid=AB12?x=1", "http://a.nl/winkel?x=1"),
    ("http://a.nl/w?PHPSESSID=1&sid=2&sessionid=3&q=fiets", "http://a.nl/w?q=fiets"),
    ("http://a.nl/zoek?q=a+b&x=%26", "http://a.nl/zoek?q=a+b&x=%26"),
    ("http://a.nl/café", "http://a.nl/caf%C3%A9"),
    ("http://a.nl/caf%c3%a9", "http://a.nl/caf%C3%A9"),
    ("http://a.nl/met spatie", "http://a.nl/met%20spatie"),
    ("http://bücher.example/", "http://xn--bcher-kva.example/"),
])
def test_page_key_gives_one_url_per_page(url, key):
    assert page_key(url) == key


def test_the_trap_guard_allows_a_bounded_number_of_query_variants():
    guard = TrapGuard(max_query_variants=3)
    answers = [guard.reason(f"http://a.nl/agenda?maand={m}") for m in range(1, 6)]
    assert answers == [None, None, None, "query-variants", "query-variants"]
    assert guard.reason("http://a.nl/agenda?maand=2") is None      # one already allowed
    assert guard.reason("http://a.nl/nieuws?pagina=9") is None     # another path, own count


def test_the_trap_guard_stops_repeating_paths_and_huge_urls():
    guard = TrapGuard()
    assert guard.reason("http://a.nl/a/b/a/b/a/b") is None
    assert guard.reason("http://a.nl/a/b/a/b/a/b/a") == "repeating-path"
    assert guard.reason("http://a.nl/" + "x" * 2100) == "url-too-long"


@pytest.mark.parametrize("value, seconds", [
    (b"5", 5.0), ("120", 120.0), (b"Wed, 21 Oct 2015 07:28:00 GMT", 10.0),
    (b"gisteren", None), (None, None), (b"", None),
])
def test_retry_after_is_read_as_seconds_or_a_date(value, seconds):
    now = 1445412470.0          # ten seconds before the date above
    assert retry_after_seconds(value, now=now) == seconds


def test_robots_crawl_delay_spaces_the_requests(make_site, tmp_path):
    files = {"index.html": hs.page("Home", hs.links_to("/a", "/b", "/c")),
             "robots.txt": "User-agent: *\nCrawl-delay: 1\n"}
    routes = hs.Routes({f"/{p}": hs.html(hs.page(p)) for p in "abc"})
    server = make_site(files, routes=routes)
    hs.SERVERS.append(server)
    done = nachtwacht("run", server.url("/"), *quick(tmp_path), "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    times = sorted(routes.crawler_times())
    assert len(times) == 3
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert min(gaps) >= 0.7, gaps       # without the delay: a few milliseconds; slack for load


def test_a_busy_page_is_reported_as_not_retrieved_not_as_broken(make_site, tmp_path):
    server = make_site({"index.html": hs.page("Home", hs.links_to("/druk"))},
                       routes={"/druk": hs.busy_always})
    hs.SERVERS.append(server)
    done = nachtwacht("run", server.url("/"), *quick(tmp_path), "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    busy = [p for p in results["pages"] if p["url"].endswith("/druk")]
    assert [(p["status"], p["fetch_error"]) for p in busy] == [(429, "busy")]
    assert hs.crawler_paths(server).count("/druk") == 2           # asked once more, after Retry-After
    if "broken_links" not in results:
        pytest.skip("the link check's broken_links section is not there yet")
    assert not [b for b in results["broken_links"] if b["target"].endswith("/druk")]
