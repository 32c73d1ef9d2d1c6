"""The accessibility stage inside a real run: what is audited, stored, reused and reported."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from audits.axe import AxeSettings, axe_version
from nachtwacht.siteserver import SiteServer
from tests.conftest import page
from tests.helpers import QUICK_CHECKS, by_url, nachtwacht, never_answers, results_of, write_files

MISSING_ALT = page("Park", '<p>Het park.</p><img src="/park.png">')


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    links = "".join(f'<li><a href="{path}">{path}</a></li>'
                      for path in ("/park", "/park-kopie", "/oud", "/schoon", "/hangt"))
    root = write_files(tmp_path_factory.mktemp("site"), {
        "index.html": page("Home", f"<ul>{links}</ul>"),
        "park.html": MISSING_ALT,
        "park-kopie.html": MISSING_ALT,           # the same content at a second URL
        "schoon.html": page("Schoon", "<p>Niets mis.</p>"),
        # waits for a server that never answers: it hangs as a busy loop does, without the CPU
        "hangt.html": page("Hangt", "<script>var wait = new XMLHttpRequest();"
                                    "wait.open('GET', '/traag', false); wait.send();</script>"),
        "_redirects.txt": "/oud /schoon 301\n",
    })
    with SiteServer(root=root, routes={"/traag": never_answers}) as server:
        yield server


@pytest.fixture(scope="module")
def first_run(site, tmp_path_factory) -> tuple[Path, dict[str, int]]:
    """The site's first night (two browsers; its hanging page takes the whole page limit, so
    both tests read this one run), and how often Chromium asked for each page."""
    folder = tmp_path_factory.mktemp("first")
    out = folder / "out"
    done = nachtwacht("run", "--config", config(folder, site), "--out", out, "--browsers", "2")
    assert done.returncode == 0, done.stderr
    return out, {path: browser_requests(site, path) for path in ("/park", "/park-kopie", "/oud")}


def browser_requests(site, path: str) -> int:
    """How often Chromium (not the crawler) asked for ``path``."""
    return sum(1 for request in site.requests
               if request.path == path and "HeadlessChrome" in request.headers.get("User-Agent", ""))


def config(tmp_path, site) -> str:
    path = tmp_path / "site.toml"
    path.write_text(f'[site]\nname = "Park"\nstart_urls = ["{site.url("/")}"]\n'
                    f'allowed_domains = ["127.0.0.1"]\n\n[axe]\npage_timeout = 3\n' + QUICK_CHECKS,
                    encoding="utf-8")
    return str(path)


def test_a_run_audits_each_distinct_page_once_and_reports_it(site, first_run):
    out, asked = first_run
    results = results_of(out)
    pages = by_url(results["pages"], site.origin)
    for path in ("/park", "/park-kopie"):
        assert pages[path]["audited"] is True
        assert [(v["rule"], v["wcag"], v["nodes"]) for v in pages[path]["violations"]] == \
            [("image-alt", ["1.1.1"], 1)]
        element = pages[path]["violations"][0]["elements"][0]
        assert element["target"] == "img" and element["html"] == '<img src="/park.png">'
    assert asked["/park"] + asked["/park-kopie"] == 1
    # the redirect is audited where it lands, once
    assert "/oud" not in pages and pages["/schoon"]["violations"] == []
    assert asked["/oud"] == 0
    assert pages["/hangt"]["audited"] is False
    assert pages["/hangt"]["audit_error"].startswith("timeout:")
    assert pages["/hangt"]["violations"] is None
    settings = AxeSettings()
    assert results["run"]["axe_version"] == axe_version(settings)
    assert results["run"]["axe_note"] == settings.axe_note   # None with npm's axe-core
    assert results["run"]["browser"].startswith("Chromium ")
    assert results["run"]["pages_audited"] == 4

    with sqlite3.connect(out / "nachtwacht.db") as db:
        # the home page's list of small links only fails WCAG 2.2's target size
        assert db.execute("select url, kind, rule, wcag, wcag22_only, elements from findings "
                          "order by url").fetchall() == [
            (site.url("/"), "violation", "target-size", '["2.5.8"]', 1, 5),
            (site.url("/park"), "violation", "image-alt", '["1.1.1"]', 0, 1),
            (site.url("/park-kopie"), "violation", "image-alt", '["1.1.1"]', 0, 1)]
        assert db.execute("select count(*) from finding_elements").fetchone()[0] == 7
        assert db.execute("select elements from passes where url like '%/schoon' "
                          "and rule = 'html-has-lang'").fetchone() == (1,)


def test_a_second_run_reuses_the_audits_of_unchanged_pages(site, first_run, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(first_run[0], out)       # the first night stays as it was for the other test
    before = results_of(out)["pages"]
    seen = browser_requests(site, "/park") + browser_requests(site, "/park-kopie")

    second = nachtwacht("run", "--config", config(tmp_path, site), "--out", out)
    assert second.returncode == 0, second.stderr
    after = results_of(out)
    assert browser_requests(site, "/park") + browser_requests(site, "/park-kopie") == seen
    assert [(p["url"], p["violations"]) for p in after["pages"]] == \
        [(p["url"], p["violations"]) for p in before]
    # the page that timed out is tried again, the others are taken over
    assert {p["url"].removeprefix(site.origin) for p in after["pages"]
            if p.get("audited") is not None and not p["audit_reused"]} == {"/hangt"}

    full = nachtwacht("run", "--config", config(tmp_path, site), "--out", out, "--full")
    assert full.returncode == 0, full.stderr
    assert browser_requests(site, "/park") + browser_requests(site, "/park-kopie") == seen + 1


def test_browsers_must_be_a_positive_number(site, tmp_path):
    done = nachtwacht("run", site.url("/"), "--out", tmp_path / "out", "--browsers", "0")
    assert done.returncode == 2 and "--browsers" in done.stderr
