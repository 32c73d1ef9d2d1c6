"""Scoping a crawl on a real local site: include, exclude and max_depth.

Out-of-scope pages are not crawled (never asked with GET), but links to them are still
checked for their status (HEAD), so a broken link into the archive is still found.
"""

from __future__ import annotations

import pytest

from core import config
from tests.conftest import page
from tests.real_site import config_file, crawl_only, paths


def links(*hrefs: str) -> str:
    return "".join(f'<p><a href="{h}">{h}</a></p>' for h in hrefs)


SITE = {
    "index.html": page("Home", links("/wonen", "/archief/2019", "/archief/weg", "/zoeken?page=2",
                                      "/diep/een")),
    "wonen.html": page("Wonen", links("/wonen/bouwen")),
    "wonen/bouwen.html": page("Bouwen"),
    "archief/2019.html": page("Archief 2019", links("/archief/2018")),
    "archief/2018.html": page("Archief 2018"),
    "zoeken.html": page("Zoeken", links("/zoeken/resultaat")),
    "zoeken/resultaat.html": page("Resultaat"),
    "diep/een.html": page("Een", links("/diep/twee", "/diep/twee-weg")),
    "diep/twee.html": page("Twee", links("/diep/drie")),
    "diep/drie.html": page("Drie"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from nachtwacht.siteserver import SiteServer
    from tests.helpers import write_files

    server = SiteServer(root=write_files(tmp_path_factory.mktemp("scope"), SITE)).start()
    yield server
    server.stop()


def test_include_and_exclude_keep_pages_out_but_their_links_checked(site, tmp_path):
    conf = config_file(tmp_path / "site.toml", [site.url("/")],
                       include=["^/(?!archief/)"], exclude=["^/zoeken", "\\?page="])
    results = crawl_only(conf, tmp_path / "out")
    got = [p for p in site.paths("GET") if p not in ("/robots.txt", "/sitemap.xml")]
    assert "/wonen" in got and "/wonen/bouwen" in got and "/diep/drie" in got
    assert not [p for p in got if p.startswith(("/archief", "/zoeken"))]
    # out of scope, yet asked for their status: the archive's dead link is still broken
    assert {"/archief/2019", "/archief/weg", "/zoeken?page=2"} <= set(site.paths("HEAD"))
    assert "/archief/2018" not in site.paths()      # only linked from an out-of-scope page
    broken = {(b["target"].removeprefix(site.origin), b["reason"], b["status"])
              for b in results["broken_links"]}
    assert broken == {("/archief/weg", "http", 404), ("/diep/twee-weg", "http", 404)}
    crawled = paths([p for p in results["pages"] if p["status"] == 200], site.origin)
    assert "/archief/2019" not in crawled and "/wonen/bouwen" in crawled


def test_max_depth_0_is_the_start_pages_only(site, tmp_path):
    conf = config_file(tmp_path / "site.toml", [site.url("/"), site.url("/diep/een")],
                       max_depth=0)
    site.requests.clear()
    results = crawl_only(conf, tmp_path / "out")
    got = [p for p in site.paths("GET") if p not in ("/robots.txt", "/sitemap.xml")]
    assert sorted(got) == ["/", "/diep/een"]
    assert {"/wonen", "/archief/weg", "/diep/twee"} <= set(site.paths("HEAD"))
    assert {(b["target"].removeprefix(site.origin), b["status"])
            for b in results["broken_links"]} == {("/archief/weg", 404), ("/diep/twee-weg", 404)}
    depths = {p["url"].removeprefix(site.origin): p["depth"] for p in results["pages"]}
    assert depths == {"/": 0, "/diep/een": 0}


def test_max_depth_counts_clicks_from_the_start(site, tmp_path):
    conf = config_file(tmp_path / "site.toml", [site.url("/")], max_depth=2)
    site.requests.clear()
    results = crawl_only(conf, tmp_path / "out")
    got = set(site.paths("GET"))
    assert {"/diep/een", "/diep/twee", "/wonen/bouwen"} <= got
    assert "/diep/drie" not in got and "/diep/drie" in site.paths("HEAD")   # three clicks
    assert max(p["depth"] for p in results["pages"] if p["depth"] is not None) == 2


@pytest.mark.parametrize("key", ["include", "exclude"])
def test_a_bad_scope_regex_is_a_config_error_naming_the_key(tmp_path, key):
    conf = config_file(tmp_path / "site.toml", ["http://127.0.0.1:1/"], **{key: ["(archief"]})
    with pytest.raises(config.ConfigError, match=rf"site\.{key}: reguliere expressie"):
        config.load(conf)
