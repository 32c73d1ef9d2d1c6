"""robots.txt is kept for every request, also those that waited for it, and a site whose
robots.txt cannot be read is not crawled at all (RFC 9309): real crawls of real local sites."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from crawler import health
from nachtwacht.siteserver import send
from tests import hostile_site as hs
from tests.helpers import nachtwacht
from tests.real_site import config_file, crawl_only

ROBOTS = b"User-agent: *\nDisallow: /geheim/\n"
CLOSED = ["/geheim/een", "/geheim/twee", "/geheim/drie"]


def slow_robots(handler) -> None:
    time.sleep(1)           # every start request waits for this answer
    send(handler, 200, ROBOTS, content_type="text/plain")


def failing_robots(times: int | None):
    """robots.txt that answers 503 the first ``times`` times (every time: None)."""
    asked = {"n": 0}
    lock = threading.Lock()

    def answer(handler) -> None:
        with lock:
            asked["n"] += 1
            failing = times is None or asked["n"] <= times
        if failing:
            send(handler, 503, b"even niet", content_type="text/plain")
        else:
            send(handler, 200, ROBOTS, content_type="text/plain")
    return answer


def site(make_site, robots) -> object:
    pages = {"/": hs.html(hs.page("Home", hs.links_to("/open", *CLOSED))),
             "/open": hs.html(hs.page("Open")),
             **{path: hs.html(hs.page(path)) for path in CLOSED}}
    return make_site(routes=hs.Routes({"/robots.txt": robots, **pages}))


def test_requests_that_waited_for_robots_txt_obey_it_too(make_site, tmp_path):
    # Scrapy 2.19 hands the robots.txt rules only to the first request that waited for them;
    # the others went out unchecked (crawler/robots.py).
    server = site(make_site, slow_robots)
    config = config_file(tmp_path / "site.toml", [server.url("/"), *map(server.url, CLOSED)])
    results = crawl_only(config, tmp_path / "out")
    asked = hs.crawler_paths(server)
    assert not [p for p in asked if p.startswith("/geheim/")], asked
    assert {"/", "/open", "/sitemap.xml"} <= set(asked)
    assert {p["url"].removeprefix(server.origin) for p in results["pages"]} == {"/", "/open"}


def test_a_robots_txt_that_fails_a_few_times_is_asked_again(make_site, tmp_path):
    server = site(make_site, failing_robots(times=2))
    crawl_only(config_file(tmp_path / "site.toml", [server.url("/")]), tmp_path / "out")
    asked = hs.crawler_paths(server)
    assert "/open" in asked
    assert not [p for p in asked if p.startswith("/geheim/")], asked


@pytest.mark.parametrize(("robots", "why"), [
    (failing_robots(times=None), "een serverfout, status 503"),
    (hs.dropped, "de verbinding werd verbroken"),
])
def test_a_site_whose_robots_txt_cannot_be_read_is_not_crawled(make_site, tmp_path, robots, why):
    server = site(make_site, robots)
    out = tmp_path / "out"
    done = nachtwacht("run", server.url("/"), "--out", out)
    assert done.returncode == 3
    host = server.url("/").split("/")[2]
    message = (f"is niet bereikbaar: robots.txt van {host} kon niet worden gelezen ({why}); "
               f"volgens de robots.txt-standaard (RFC 9309) haalt nachtwacht dan niets op van "
               f"{host}.")
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert set(hs.crawler_paths(server)) == {"/robots.txt"}
    with sqlite3.connect(out / "nachtwacht.db") as db:
        status, error = db.execute("select status, error from runs").fetchone()
    assert status == "failed" and message in error


def test_a_resumed_crawl_that_lost_robots_txt_is_incomplete_with_the_reason():
    # The start page was fetched before the interruption: the run ends, incomplete, saying why.
    stats = {"nachtwacht/robots_unreachable": 1, "nachtwacht/robots_unreachable/reason": "timeout",
             "log_count/ERROR": 0}
    assert health.crawl_note(stats) == (
        "robots.txt van de site kon niet worden gelezen (geen antwoord op tijd); volgens de "
        "robots.txt-standaard (RFC 9309) haalt nachtwacht dan niets op van de site. Deze "
        "controle is onvolledig.")
    assert health.crawl_note({"log_count/ERROR": 0}) is None
    # which servers, when the crawl knows them: a subdomain's robots.txt is not the site's
    stats["nachtwacht/robots_unreachable/hosts"] = ["loket.gemeente.nl"]
    assert health.robots_problem(stats).startswith(
        "robots.txt van loket.gemeente.nl kon niet worden gelezen (geen antwoord op tijd)")
    assert health.robots_problem(stats).endswith("haalt nachtwacht dan niets op van "
                                                 "loket.gemeente.nl.")
    stats["nachtwacht/robots_unreachable/hosts"] = ["a.nl", "b.nl"]
    assert "robots.txt van a.nl en b.nl kon" in health.robots_problem(stats)
    stats["nachtwacht/robots_unreachable/hosts"] = ["a.nl", "b.nl", "c.nl", "d.nl", "e.nl"]
    assert "robots.txt van a.nl, b.nl, c.nl en 2 andere kon" in health.robots_problem(stats)
