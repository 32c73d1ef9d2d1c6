"""One real crawl of the hostile site: every trap and oddity ends in a correct, recorded result.

The crawl runs once per module (through the real command line, every page check on); each test
reads what it recorded in the database and what the servers saw: only GET and HEAD, never a
disallowed or foreign page. (The servers of every other hostile file are checked for the same at
the end of the session, tests/conftest.py.)
"""

from __future__ import annotations

import json
import sqlite3
import time

import pytest

from audits import crawldata
from core import store
from tests import hostile_site as hs
from tests.helpers import QUICK_CHECKS, nachtwacht

MAX_QUERY_VARIANTS = 6
MANY_LINKS_MAX_PAGES = 12
MAX_DEPTH = 25          # deep enough for the redirect cap to act first


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    site, foreign = hs.start_hostile(tmp)
    config = tmp / "site.toml"
    config.write_text(hs.config_text(site, max_query_variants=MAX_QUERY_VARIANTS,
                                     max_depth=MAX_DEPTH), encoding="utf-8")
    started = time.monotonic()
    done = nachtwacht("run", "--config", config, "--out", tmp / "out", timeout=180)
    seconds = time.monotonic() - started
    db = store.open_db(tmp / "out" / "nachtwacht.db")
    run_id = max(r["id"] for r in db["runs"].rows)
    data = crawldata.load(db, run_id, [site.url("/")])
    pages = {url.removeprefix(site.origin): row for url, row in data.pages.items()}
    yield {"done": done, "seconds": seconds, "site": site, "foreign": foreign, "db": db,
           "run_id": run_id, "data": data, "pages": pages, "out": tmp / "out"}
    site.stop()
    foreign.stop()


def test_the_run_ends_cleanly_and_in_bounded_time(crawl):
    done = crawl["done"]
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert crawl["seconds"] < 180          # generous: CI machines are busy
    assert crawl["db"]["runs"].get(crawl["run_id"])["status"] == "complete"
    assert sqlite3.connect(crawl["out"] / "nachtwacht.db").execute(
        "PRAGMA integrity_check").fetchone() == ("ok",)


def test_an_endless_calendar_is_cut_off_and_the_cut_recorded(crawl):
    agenda = {p: row for p, row in crawl["pages"].items() if p.startswith("/agenda")}
    crawled = [p for p, row in agenda.items() if row["status"] == 200]
    skipped = [p for p, row in agenda.items() if row["fetch_error"] == "crawl-trap"]
    assert len(crawled) == MAX_QUERY_VARIANTS
    assert skipped
    requested = [p for p in hs.crawler_paths(crawl["site"]) if p.startswith("/agenda")]
    assert len(requested) == MAX_QUERY_VARIANTS


def test_tracking_parameters_are_dropped_from_page_urls(crawl):
    pages = crawl["pages"]
    assert not [p for p in pages if "utm_" in p]
    assert "/agenda?maand=2026-02" in pages


def test_session_ids_do_not_multiply_pages(crawl):
    shop = [p for p in crawl["pages"] if p.startswith("/winkel")]
    assert shop == ["/winkel"]
    assert [p for p in hs.crawler_paths(crawl["site"]) if p.startswith("/winkel")] == ["/winkel"]


def test_ever_deeper_paths_stop_at_the_repeat_guard(crawl):
    deep = {p: row for p, row in crawl["pages"].items() if p.startswith("/diep/")}
    assert max(p.count("verder") for p, r in deep.items() if r["status"] == 200) == 3
    assert [r["fetch_error"] for p, r in deep.items() if p.count("verder") == 4] == ["crawl-trap"]


def test_a_redirect_loop_is_recorded_once_and_ends_nowhere(crawl):
    pages, data, origin = crawl["pages"], crawl["data"], crawl["site"].origin
    assert pages["/lus-a"]["location"] == origin + "/lus-b"
    assert pages["/lus-b"]["location"] == origin + "/lus-a"
    assert data.final_url(origin + "/lus-a") is None
    assert hs.crawler_paths(crawl["site"]).count("/lus-a") == 1


def test_a_long_redirect_chain_stops_where_a_browser_would(crawl):
    limit = 20                                  # Scrapy's REDIRECT_MAX_TIMES, as in browsers
    hops = {p: row for p, row in crawl["pages"].items() if p.startswith("/keten/")}
    # /keten/1 and the 20 pages its redirects lead to are asked; the 21st redirect is not.
    assert len(hops) == limit + 2 < hs.CHAIN
    assert hops[f"/keten/{limit + 2}"]["fetch_error"] == "redirect-loop"
    assert f"/keten/{limit + 2}" not in crawl["site"].paths()
    assert crawl["data"].final_url(crawl["site"].url("/keten/1")) is None
    results = json.loads((crawl["out"] / "results.json").read_text(encoding="utf-8"))
    broken = [b for b in results.get("broken_links", []) if b["target"].endswith("/keten/1")]
    assert [b["reason"] for b in broken] == ["redirect-loop"]


@pytest.mark.parametrize("path", ["/rare/relatief", "/omhoog", "/protocol-relatief",
                                  "/basis/doel", "/rare/?alleen=query"])
def test_relative_protocol_relative_and_base_href_links_resolve(crawl, path):
    assert crawl["pages"][path]["status"] == 200


def test_spaces_unicode_and_percent_encoding_give_one_page_each(crawl):
    pages = crawl["pages"]
    assert pages["/pagina%20met%20spatie"]["title"] == "Spatie"
    assert pages["/caf%C3%A9"]["title"] == "Café"
    assert hs.crawler_paths(crawl["site"]).count("/caf%C3%A9") == 1
    assert "/zoek?q=a+b" in pages


def test_malformed_and_idn_links_are_kept_as_links_not_crawled(crawl):
    links = crawl["db"].execute(
        "select href, target, malformed from links where run_id = ? and source like '%/rare/'",
        [crawl["run_id"]]).fetchall()
    malformed = {href for href, _, bad in links if bad}
    assert {"http://[::1", "http://127.0.0.1:99999/"} <= malformed
    assert "http://xn--bcher-kva.example/" in {target for _, target, _ in links}
    assert not [p for p in crawl["pages"] if "bücher" in p or "xn--" in p]


def test_windows_1252_and_missing_charset_are_decoded(crawl):
    assert crawl["pages"]["/cp1252"]["title"] == hs.CP1252_TITLE
    assert crawl["pages"]["/geen-charset"]["title"] == "Zonder tekenset: ijsjes"


@pytest.mark.parametrize("path, status, fetch_error", [
    ("/groot", None, "too-large"),          # 20 MB, over the download limit
    ("/traag", None, "timeout"),            # answers after the timeout
    ("/afgebroken", None, "connection"),    # hangs up without an answer
    ("/half", None, "connection"),          # promises more bytes than it sends
    ("/druk", 429, "busy"),                 # 429 Too Many Requests, every time
    ("/leeg", 200, None),                   # an empty 200
    ("/binair", 200, None),                 # random bytes served as text/html
])
def test_broken_answers_are_recorded_with_their_reason(crawl, path, status, fetch_error):
    page = crawl["pages"][path]
    assert (page["status"], page["fetch_error"]) == (status, fetch_error)


def test_an_empty_or_binary_page_has_no_title_and_no_invented_links(crawl):
    for path in ("/leeg", "/binair"):
        assert crawl["pages"][path]["title"] is None
    assert crawl["db"].execute("select count(*) from links where run_id = ? and source like "
                               "'%/leeg'", [crawl["run_id"]]).fetchone()[0] == 0


def test_a_server_that_is_busy_once_is_asked_again_after_retry_after(crawl):
    assert crawl["pages"]["/even-druk"]["status"] == 200
    times = crawl["site"].routes.crawler_times("/even-druk")
    assert len(times) == 2
    assert times[1] - times[0] >= 0.9       # Retry-After: 1


def test_script_and_quotes_in_titles_are_stored_as_text(crawl):
    assert crawl["pages"]["/xss"]["title"].startswith("<script>document.title='pwned'")
    text = crawl["db"].execute("select text from links where run_id = ? and target like "
                               "'%/xss-doel'", [crawl["run_id"]]).fetchone()[0]
    assert text.startswith("document.title='pwned'") or "<" not in text


def test_the_report_shows_injected_markup_as_text(crawl):
    html = "".join(p.read_text(encoding="utf-8") for p in (crawl["out"] / "report").glob("*.html"))
    assert "&lt;script&gt;document.title" in html
    assert "<script>document.title" not in html
    assert "<img src=x onerror" not in html


def test_forms_are_never_submitted(crawl):
    assert crawl["site"].paths("POST") == []
    assert {r.method for r in crawl["site"].requests if r.path == "/verstuur"} <= {"HEAD", "GET"}


def test_robots_disallow_is_obeyed(crawl):
    assert not [p for p in crawl["site"].paths() if p.startswith("/geheim")]


def test_a_foreign_site_is_checked_but_never_crawled(crawl):
    foreign = crawl["foreign"]
    assert foreign.paths() == ["/buiten"]
    assert "/buiten/verder" not in foreign.paths()


def test_pages_not_got_are_counted_apart_from_error_pages(crawl):
    summary = json.loads((crawl["out"] / "results.json").read_text(encoding="utf-8"))["summary"]
    not_got = [p for p, row in crawl["pages"].items()
               if row["fetch_error"] in ("busy", "crawl-trap", "too-large")]
    assert {"/druk", "/groot"} <= set(not_got)
    assert summary["not_retrieved"] == len(not_got)
    errors = [p for p, row in crawl["pages"].items() if not row["location"] and (
        row["fetch_error"] or (row["status"] or 0) >= 400)
        and row["fetch_error"] not in ("busy", "crawl-trap", "too-large")]
    assert {"/traag", "/afgebroken", "/half", "/keten/22"} <= set(errors)
    assert summary["error_pages"] == len(errors)


def test_thousands_of_links_on_one_page_stay_within_max_pages(tmp_path):
    site, _ = hs.start_hostile(tmp_path)
    config = tmp_path / "site.toml"
    # axe-core's target-size and link-in-text-block take about 50 s on 3,000 links in one
    # paragraph: that page ends as a bounded "not audited" (a short script limit, so sooner).
    config.write_text(hs.config_text(site, start_urls=[site.url("/veel-links")],
                                     max_pages=MANY_LINKS_MAX_PAGES, script_timeout=4)
                      + QUICK_CHECKS,
                      encoding="utf-8")
    started = time.monotonic()
    done = nachtwacht("run", "--config", config, "--out", tmp_path / "out", timeout=300)
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 180
    db = store.open_db(tmp_path / "out" / "nachtwacht.db")
    assert db.execute("select count(*) from links").fetchone()[0] == hs.MANY_LINKS
    errors = dict(db.execute("select page_audits.url, error from page_audits join audit_results"
                             " on audit_results.id = audit_result_id"))
    assert errors[site.url("/veel-links")].startswith("timeout")
    assert list(errors.values()).count(None) == MANY_LINKS_MAX_PAGES - 1
    requested = [p for p in hs.crawler_paths(site) if p.startswith("/veel/")]
    # max pages, plus requests already on their way (Scrapy's CONCURRENT_REQUESTS)
    assert MANY_LINKS_MAX_PAGES - 3 <= len(requested) <= MANY_LINKS_MAX_PAGES + 16
    site.stop()


# ------------------------------------------------------------------ what reached the servers

def requests(crawl):
    return [(server, r) for server in (crawl["site"], crawl["foreign"])
            for r in list(server.requests)]


def test_only_get_and_head_ever_reach_a_site(crawl):
    methods = {r.method for _, r in requests(crawl)}
    assert methods <= {"GET", "HEAD"}
    assert "GET" in methods


def test_every_request_comes_from_the_crawler_or_the_audit_browser(crawl):
    agents = {r.headers.get("User-Agent", "") for _, r in requests(crawl)}
    assert any(a.startswith(hs.CRAWLER) for a in agents)
    assert any("HeadlessChrome/" in a for a in agents)
    assert all(a.startswith(hs.CRAWLER) or "HeadlessChrome/" in a for a in agents), agents


def test_a_page_whose_script_posts_gets_nothing_sent_by_the_audit_browser(crawl):
    browser = [r.path for _, r in requests(crawl)
               if "HeadlessChrome/" in r.headers.get("User-Agent", "")]
    assert "/stuurt-zelf" in browser
    assert not [r.path for _, r in requests(crawl) if r.path.startswith("/api/")]
    assert {r.method for _, r in requests(crawl) if r.path == "/verstuur"} <= {"HEAD"}


def test_no_cookies_or_credentials_are_sent(crawl):
    sent = [(r.path, h) for _, r in requests(crawl) for h in r.headers
            if h.lower() in ("cookie", "authorization")]
    assert sent == []


def test_robots_disallowed_paths_are_never_requested(crawl):
    assert not [r.path for _, r in requests(crawl) if r.path.startswith("/geheim")]


def test_a_foreign_site_only_has_its_linked_url_checked(crawl):
    foreign = [r for r in list(crawl["foreign"].requests)]
    assert foreign and {r.path for r in foreign} == {"/buiten"}
