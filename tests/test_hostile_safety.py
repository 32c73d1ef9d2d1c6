"""Safety across the whole hostile suite: what reached the servers, read from their request logs.

This file sorts after the other hostile test files, so when they run in the same session
it checks every request they caused too; run alone, it makes its own hostile crawl first.
"""

from __future__ import annotations

import pytest

from tests import hostile_site as hs
from tests.helpers import nachtwacht


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    if not any(s.host == "localhost" for s in hs.SERVERS):
        tmp = tmp_path_factory.mktemp("safety")
        site, _ = hs.start_hostile(tmp)
        config = tmp / "site.toml"
        config.write_text(hs.config_text(site, max_pages=60), encoding="utf-8")
        done = nachtwacht("run", "--config", config, "--out", tmp / "out", timeout=120)
        assert done.returncode == 0, done.stderr
    return list(hs.SERVERS)


def requests(servers):
    return [(server, r) for server in servers for r in list(server.requests)]


def test_only_get_and_head_ever_reach_a_site(servers):
    methods = {r.method for _, r in requests(servers)}
    assert methods <= {"GET", "HEAD"}
    assert "GET" in methods


def test_every_request_comes_from_the_crawler_or_the_audit_browser(servers):
    agents = {r.headers.get("User-Agent", "") for _, r in requests(servers)}
    assert any(a.startswith(hs.CRAWLER) for a in agents)
    assert all(a.startswith(hs.CRAWLER) or "HeadlessChrome/" in a for a in agents), agents


def test_a_page_whose_script_posts_gets_nothing_sent_by_the_audit_browser(servers):
    browser = [(s, r) for s, r in requests(servers) if "HeadlessChrome/" in
               r.headers.get("User-Agent", "")]
    if not any(r.path == "/stuurt-zelf" for _, r in browser):
        pytest.skip("no audit browser loaded the page in this session")
    assert not [r.path for _, r in requests(servers) if r.path.startswith("/api/")]
    assert {r.method for _, r in requests(servers) if r.path == "/verstuur"} <= {"HEAD"}


def test_no_cookies_or_credentials_are_sent(servers):
    sent = [(r.path, h) for _, r in requests(servers) for h in r.headers
            if h.lower() in ("cookie", "authorization")]
    assert sent == []


def test_robots_disallowed_paths_are_never_requested(servers):
    assert not [r.path for _, r in requests(servers) if r.path.startswith("/geheim")]


def test_a_foreign_site_only_has_its_linked_url_checked(servers):
    foreign = [r for s, r in requests(servers) if s.host == "localhost"]
    assert foreign and {r.path for r in foreign} == {"/buiten"}
