"""The crawl end to end: a real site on 127.0.0.1, the real CLI, a real SQLite file."""

import sqlite3

import pytest

from tests.conftest import page
from tests.helpers import by_url, nachtwacht, quick, results_of, write_files


def nav(*links: tuple[str, str]) -> str:
    return "<nav>" + "".join(f'<a href="{href}">{text}</a> ' for href, text in links) + "</nav>"


SMALL_SITE = {
    "index.html": page("Home", nav(("/a/", "Afval"), ("/b/", "Burgerzaken"), ("/geheim/", "Intern"))),
    "a/index.html": page("Afval", nav(("/a/kalender", "Afvalkalender"), ("/kort", "Kort"))),
    "a/kalender.html": page("Afvalkalender", nav(("/", "Home"))),
    "b/index.html": page("Burgerzaken", nav(("/b/paspoort#kosten", "Paspoort"))),
    "b/paspoort.html": page("Paspoort", '<h2 id="kosten">Kosten</h2>'),
    "wees.html": page("Verweesde pagina"),
    "geheim/index.html": page("Geheim"),
    "robots.txt": "User-agent: *\nDisallow: /geheim/\nSitemap: __ORIGIN__/sitemap.xml\n",
    "sitemap.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>__ORIGIN__/</loc></url><url><loc>__ORIGIN__/a/kalender</loc></url>"
        "<url><loc>__ORIGIN__/wees</loc></url></urlset>"),
    "_redirects.txt": "/kort /b/paspoort 301\n",
}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    from nachtwacht.siteserver import SiteServer

    root = write_files(tmp_path_factory.mktemp("small"), SMALL_SITE)
    out = tmp_path_factory.mktemp("out")
    with SiteServer(root=root) as server:
        done = nachtwacht("run", server.url("/"), *quick(out), "--out", out)
        yield server, out, done


def test_run_succeeds_and_writes_results_and_report(crawled):
    _, out, done = crawled
    assert done.returncode == 0, done.stderr
    results = results_of(out)
    assert results["schema"] == "nachtwacht/results/1"
    assert results["run"]["status"] == "complete"
    assert (out / "report" / "index.html").is_file()
    report_text = "".join(f.read_text(encoding="utf-8") for f in (out / "report").glob("*.html"))
    assert "Afvalkalender" in report_text


def test_click_depth_follows_the_shortest_link_path(crawled):
    server, out, _ = crawled
    pages = by_url(results_of(out)["pages"], server.origin)
    assert {path: p["depth"] for path, p in pages.items()} == {
        "/": 0, "/a/": 1, "/b/": 1, "/a/kalender": 2, "/b/paspoort": 2, "/wees": None}


def test_page_in_sitemap_without_links_is_an_orphan(crawled):
    server, out, _ = crawled
    pages = by_url(results_of(out)["pages"], server.origin)
    assert [path for path, p in pages.items() if p["orphan"]] == ["/wees"]
    assert pages["/wees"]["in_sitemap"] and pages["/wees"]["found_via"] == "sitemap"
    assert pages["/a/kalender"]["in_sitemap"] and not pages["/a/"]["in_sitemap"]
    assert pages["/b/paspoort"]["title"] == "Paspoort" and pages["/b/paspoort"]["lang"] == "nl"


def test_redirects_are_recorded_with_where_they_land(crawled):
    server, out, _ = crawled
    redirects = by_url(results_of(out)["redirects"], server.origin)
    assert redirects["/kort"]["final_url"] == server.url("/b/paspoort")


def test_robots_txt_disallowed_path_is_never_requested(crawled):
    server, _, _ = crawled
    assert not [p for p in server.paths() if p.startswith("/geheim")]
    assert "/robots.txt" in server.paths()


def test_only_get_and_head_reach_the_site(crawled):
    server, _, _ = crawled
    assert {r.method for r in server.requests} <= {"GET", "HEAD"}


def test_run_is_kept_in_the_history_database(crawled):
    _, out, _ = crawled
    with sqlite3.connect(out / "nachtwacht.db") as db:
        assert db.execute("select status, pages_crawled from runs").fetchall() == [("complete", 6)]
        assert db.execute("pragma integrity_check").fetchone() == ("ok",)


def test_unreachable_start_url_exits_3_with_one_line(tmp_path):
    import socket

    with socket.socket() as probe:      # a port on which nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = nachtwacht("run", f"http://127.0.0.1:{port}/", "--out", tmp_path)
    assert done.returncode == 3
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "niet bereikbaar" in lines[0], done.stderr
    assert "Traceback" not in done.stderr
    assert "neemt nachtwacht https aan" not in done.stderr     # http:// was typed


def test_a_plain_http_site_typed_without_scheme_is_told_to_type_http(make_site, tmp_path):
    site = make_site({"index.html": page("Home")})
    typed = site.url("/").removeprefix("http://")
    done = nachtwacht("run", typed, "--out", tmp_path)
    assert done.returncode == 3
    [line] = done.stderr.strip().splitlines()
    assert line.startswith(f"nachtwacht: https://{typed} is niet bereikbaar: "), line
    assert line.endswith(f"typ dan http://{typed}"), line


def test_max_pages_bounds_the_pages_requested_not_the_link_checks(make_site, tmp_path):
    links = "".join(f'<a href="/p{i}">Pagina {i}</a> ' for i in range(20))
    site = make_site({"index.html": page("Home", links + '<a href="/p0#kop">Kop</a>'),
                      **{f"p{i}.html": page(f"Pagina {i}", '<h2 id="kop">Kop</h2>')
                         for i in range(20)}})
    done = nachtwacht("run", site.url("/"), *quick(tmp_path), "--out", tmp_path,
                      "--max-pages", "5")
    assert done.returncode == 0, done.stderr
    pages = {p for p in site.paths("GET") if p.startswith("/p")}
    assert len(pages) == 4          # the home page is the fifth
    results = results_of(tmp_path)
    assert results["broken_links"] == []    # pages not visited are not broken
    assert results["run"]["pages_crawled"] == 5


def test_pages_of_an_earlier_run_elsewhere_are_not_asked_again():
    from nachtwacht.crawl import same_origins

    earlier = ["http://127.0.0.1:8765/a", "http://127.0.0.1:9999/b", "https://127.0.0.1:8765/c"]
    assert same_origins(earlier, ["http://127.0.0.1:8765/"]) == ["http://127.0.0.1:8765/a"]
