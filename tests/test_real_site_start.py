"""Starting a run as a person would, and failing honestly, on a real local site.

One real run through the command line (crawl, audit browser, report): the start URL typed
without a slash, with an upper-case host and a tracking parameter; a home page whose form
action is no URL (``http://[x``: urljoin raises on it); sitemaps that do not answer or are
no XML. The rest are crawls without the browser, or the configuration alone.
"""

from __future__ import annotations

import json

import pytest
from markupsafe import escape

from core import config
from crawler import health
from nachtwacht.siteserver import SiteServer
from tests.conftest import page
from tests.helpers import nachtwacht, quick, results_of, write_files
from tests.real_site import config_file, crawl_only

TYPED = ["https://www.gemeente.nl", "www.gemeente.nl", "WWW.Gemeente.NL", "www.gemeente.nl/",
         "https://www.gemeente.nl:443/", "HTTPS://www.gemeente.nl/?utm_source=brief&utm_medium=print",
         "  www.gemeente.nl  ", "//www.gemeente.nl"]


@pytest.mark.parametrize("typed", TYPED)
def test_a_start_url_as_typed_names_the_one_start_page(typed):
    site = config.site_from_url(typed)
    assert site.start_urls == ["https://www.gemeente.nl/"]
    assert site.allowed_domains == ["www.gemeente.nl"] and site.name == "www.gemeente.nl"


def test_the_default_http_port_and_a_config_file_start_url_too(tmp_path):
    assert config.site_from_url("http://gemeente.nl:80/a?b=1&utm_campaign=x").start_urls == [
        "http://gemeente.nl/a?b=1"]
    conf = config.load(config_file(tmp_path / "s.toml", ["Voorbeeld.NL", "http://voorbeeld.nl:8080"]))
    assert conf.start_urls == ["https://voorbeeld.nl/", "http://voorbeeld.nl:8080/"]
    with pytest.raises(config.ConfigError, match="geen http"):
        config.site_from_url("ftp://voorbeeld.nl/")


HOME = page("Home", (
    '<form action="http://[x" method="get"><label>Zoek <input name="q"></label>'
    '<button>Zoeken</button></form>'
    '<p><a href="/nieuws">Nieuws</a> <a href="/weg">Kapot</a></p>'))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    files = {"index.html": HOME, "nieuws.html": page("Nieuws", '<a href="/">Home</a>'),
             "robots.txt": "User-agent: *\nSitemap: __ORIGIN__/sitemap-weg.xml\n"
                           "Sitemap: __ORIGIN__/sitemap-kapot.xml\n"
                           "Sitemap: __ORIGIN__/sitemap-relatief.xml\n",
             "sitemap-kapot.xml": "<html>dit is geen sitemap",
             # a relative <loc> and a CMS placeholder left in: skipped, the rest still read
             "sitemap-relatief.xml": '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.'
                                     'org/schemas/sitemap/0.9"><url><loc>/nieuws</loc></url>'
                                     '<url><loc>{{ORIGIN}}/</loc></url><url><loc>__ORIGIN__/'
                                     'nieuws</loc></url></urlset>'}
    site = SiteServer(root=write_files(tmp_path_factory.mktemp("start"), files),
                      host="localhost").start()
    out = tmp_path_factory.mktemp("out")
    typed = f"http://LOCALHOST:{site.port}?utm_source=brief"   # no slash, upper case, tracking
    done = nachtwacht("run", typed, *quick(out), "--out", out)
    yield done, out, site
    site.stop()


def test_a_start_url_without_slash_runs(run):
    done, out, site = run
    assert done.returncode in (0, 1), done.stdout + done.stderr[-2000:]
    results = results_of(out)
    assert results["run"]["start_url"] == f"http://localhost:{site.port}/"
    assert "utm_source" not in " ".join(site.paths())


def test_a_malformed_form_action_loses_no_page(run):
    _, out, site = run
    results = results_of(out)
    pages = {p["url"].removeprefix(site.origin): p for p in results["pages"]}
    assert pages["/"]["status"] == 200 and pages["/"]["depth"] == 0
    assert pages["/nieuws"]["depth"] == 1                   # the home page's links were followed
    broken = {(b["target"], b["kind"], b["reason"], b["text"]) for b in results["broken_links"]}
    assert broken == {("http://[x", "form", "malformed", "Zoeken"),
                      (site.url("/weg"), "link", "http", "Kapot")}
    assert results["run"]["status"] == "complete"


def test_sitemaps_that_do_not_answer_or_are_no_xml_are_on_the_report(run):
    _, out, site = run
    errors = {(e["url"].removeprefix(site.origin), e["reason"])
              for e in results_of(out)["sitemap_errors"]}
    assert errors == {("/sitemap-weg.xml", "sitemap-unreachable"),
                      ("/sitemap-kapot.xml", "sitemap-invalid"),
                      ("/sitemap-relatief.xml", "sitemap-bad-locs")}
    html = (out / "report" / "links.html").read_text(encoding="utf-8")
    assert "sitemap niet bereikbaar" in html and "sitemap is geen geldige XML" in html
    assert "de sitemap noemt ongeldige adressen" in html
    # the one full address of that sitemap was read
    pages = {p["url"].removeprefix(site.origin): p for p in results_of(out)["pages"]}
    assert pages["/nieuws"]["in_sitemap"] is True and pages["/"]["in_sitemap"] is False
    assert results_of(out)["run"]["status"] == "complete"


def test_every_start_url_roots_the_click_depth(make_site, tmp_path):
    site = make_site({"index.html": page("Home", '<a href="/a">A</a>'),
                      "a.html": page("A"),
                      "los.html": page("Los", '<a href="/los/kind">Kind</a>'),
                      "los/kind.html": page("Kind", '<a href="/los/kind/klein">Klein</a>'),
                      "los/kind/klein.html": page("Klein")})
    conf = config_file(tmp_path / "site.toml", [site.url("/"), site.url("/los")])
    results = crawl_only(conf, tmp_path / "out")
    depths = {p["url"].removeprefix(site.origin): p["depth"] for p in results["pages"]}
    assert depths == {"/": 0, "/a": 1, "/los": 0, "/los/kind": 1, "/los/kind/klein": 2}
    assert not results["orphans"]


def test_errors_in_the_crawl_make_the_run_incomplete(make_site, tmp_path):
    site = make_site({"index.html": page("Home", '<a href="/a">A</a>'), "a.html": page("A")})
    results = crawl_only(site.url("/"), tmp_path / "out")
    assert results["run"]["status"] == "complete" and results["run"]["error"] is None
    stats = json.loads((tmp_path / "out" / "crawl.json").read_text())["stats"]
    assert health.crawl_errors(stats) == 0
    # Scrapy's own count of error lines and spider exceptions; an unreachable robots.txt
    # (a dead external host) is logged as an error too, but is a finding, not a crawl error
    assert health.crawl_errors({**stats, "log_count/ERROR": 1,
                                "robotstxt/exception_count/DNSLookupError": 1}) == 0
    assert health.crawl_errors({**stats, "log_count/ERROR": 3,
                                "spider_exceptions/ValueError": 3}) == 3
    note = health.crawl_note({"spider_exceptions/ValueError": 1})
    assert note.startswith("De crawl liep 1 keer op een fout")
    # and the report says so, in one line on the overview
    from reports import render
    results["run"].update(status="incomplete", error=note)
    render.render_report(results, tmp_path / "report", history=[], lang="nl")
    overview = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert overview.count(str(escape(note))) == 1
