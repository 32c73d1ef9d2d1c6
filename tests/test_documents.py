"""Documents end to end: real PDFs made with pikepdf, served by a local site, two nights.

The site serves its documents with ETag and Last-Modified and answers a conditional GET
with 304, like a real web server; the second night must download none of them again.
"""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from nachtwacht.siteserver import SiteServer, send
from tests.conftest import page
from tests.helpers import QUICK_CHECKS, nachtwacht, results_of, write_files
from tests.pdf_files import make_pdf

OLD_HEADER = "Tue, 03 Mar 2015 10:00:00 GMT"
NEW_HEADER = "Mon, 12 Feb 2024 10:00:00 GMT"

DOCUMENTS = {   # path -> (body, content type, Last-Modified header or None)
    "/docs/goed.pdf": (make_pdf(title="Afvalkalender 2024"), "application/pdf", NEW_HEADER),
    "/docs/ongetagd.pdf": (make_pdf(tagged=False, lang=None, title=None, display_title=False),
                           "application/pdf", NEW_HEADER),
    "/docs/titel-verborgen.pdf": (make_pdf(display_title=False), "application/pdf", NEW_HEADER),
    "/docs/scan-2015.pdf": (make_pdf(text=False, created="D:20150301120000+01'00'"),
                            "application/pdf", OLD_HEADER),
    "/docs/zonder-datum.pdf": (make_pdf(created=None), "application/pdf", None),
    "/docs/oud-header.pdf": (make_pdf(created=None), "application/pdf", OLD_HEADER),
    "/docs/geheim.pdf": (make_pdf(password="geheim"), "application/pdf", NEW_HEADER),
    "/docs/kopieren-verboden.pdf": (make_pdf(block_assistive=True), "application/pdf",
                                    NEW_HEADER),
    "/docs/groot.pdf": (make_pdf(pages=400), "application/pdf", NEW_HEADER),
    "/docs/nep.pdf": (page("Dit is geen PDF").encode(), "application/pdf", NEW_HEADER),
    "/download/jaarverslag": (make_pdf(tagged=False), "application/pdf", NEW_HEADER),
    "/docs/aanvraag.docx": (b"PK\x03\x04" + b"\0" * 5000,
                            ("application/vnd.openxmlformats-officedocument."
                             "wordprocessingml.document"), NEW_HEADER),
}
CAP_MB = 0.05       # groot.pdf (400 pages) is larger than this, the others are smaller


def document_route(log: list[dict]):
    """Serve a document like a real server: ETag, Last-Modified, 304 on a conditional GET."""
    def serve(handler):
        body, ctype, modified = DOCUMENTS[handler.path]
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        headers = {"ETag": etag, **({"Last-Modified": modified} if modified else {})}
        if handler.headers.get("If-None-Match") == etag:
            log.append({"method": handler.command, "path": handler.path, "status": 304,
                        "sent": 0})
            handler.send_response(304)
            for name, value in headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            return
        log.append({"method": handler.command, "path": handler.path, "status": 200,
                    "sent": 0 if handler.command == "HEAD" else len(body)})
        send(handler, 200, body, ctype, headers)
    return serve


def site_files() -> dict[str, str | bytes]:
    doc_links = "".join(f'<li><a href="{path}">{path}</a></li>' for path in DOCUMENTS)
    return {
        "index.html": page("Home", '<form action="/" method="get" role="search"><label>Zoek '
                                   '<input type="search" name="q"></label><button>Zoek</button>'
                                   f'</form><a href="/paspoort">Paspoort</a><ul>{doc_links}'
                           '<li><a href="/docs/weg.pdf">Verdwenen folder</a></li>'
                           '<li><a href="/intern/notulen.pdf">Notulen</a></li></ul>'),
        "intern/notulen.pdf": make_pdf(),
        "robots.txt": "User-agent: *\nDisallow: /intern/\n",
        "paspoort.html": page("Paspoort aanvragen",
                              '<a href="/docs/ongetagd.pdf">Aanvraagformulier (pdf)</a>'
                              '<form action="/paspoort" method="post"><label>Naam <input '
                              'name="naam"></label><button>Verstuur</button></form>'),
    }


CONFIG = """
[site]
name = "Documentenstad"
start_urls = ["{origin}/"]
max_document_mb = {cap}

[[task]]
id = "paspoort"
name = "Paspoort aanvragen"
rank = 1
match = ["^/paspoort"]
"""


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    """Two runs against the same unchanged site: (first results, second results, log, site)."""
    log: list[dict] = []
    root = write_files(tmp_path_factory.mktemp("docsite"), site_files())
    routes = {path: document_route(log) for path in DOCUMENTS}
    with SiteServer(root=root, routes=routes) as site:
        config = tmp_path_factory.mktemp("cfg") / "site.toml"
        config.write_text(CONFIG.format(origin=site.origin, cap=CAP_MB) + QUICK_CHECKS,
                          encoding="utf-8")
        out = tmp_path_factory.mktemp("out")
        first = nachtwacht("run", "--config", config, "--out", out)
        assert first.returncode in (0, 1), first.stderr[-3000:]
        first_results, first_log = results_of(out), list(log)
        log.clear()
        second = nachtwacht("run", "--config", config, "--out", out)
        assert second.returncode in (0, 1), second.stderr[-3000:]
        yield first_results, results_of(out), first_log, list(log), site, out


def docs_of(results: dict, site: SiteServer) -> dict[str, dict]:
    return {d["url"].removeprefix(site.origin): d for d in results["documents"]}


def test_each_pdf_gets_exactly_its_problems(nights):
    first, _, _, _, site, _ = nights
    docs = docs_of(first, site)
    assert {path: d["problems"] for path, d in docs.items()} == {
        "/docs/goed.pdf": [],
        "/docs/ongetagd.pdf": ["untagged", "no-lang", "no-title"],
        "/docs/titel-verborgen.pdf": ["no-title"],
        "/docs/scan-2015.pdf": ["no-text"],
        "/docs/zonder-datum.pdf": [],
        "/docs/oud-header.pdf": [],
        "/docs/geheim.pdf": ["encrypted"],
        "/docs/kopieren-verboden.pdf": ["encrypted"],
        "/docs/groot.pdf": ["too-large"],
        "/docs/nep.pdf": ["broken"],
        "/docs/aanvraag.docx": [],
        "/download/jaarverslag": ["untagged"],     # no suffix: known by its content type
        "/docs/weg.pdf": ["unreachable"],
        "/intern/notulen.pdf": [],                 # robots.txt: not asked, not known
    }


def test_pdf_facts_follow_the_contract(nights):
    first, _, _, _, site, _ = nights
    good = docs_of(first, site)["/docs/goed.pdf"]
    assert (good["type"], good["status"], good["tagged"], good["lang"], good["title"],
            good["has_text"], good["date"], good["in_scope"]) == \
        ("pdf", 200, True, "nl-NL", True, True, "2024-01-15", True)
    assert good["bytes"] == len(DOCUMENTS["/docs/goed.pdf"][0])
    assert good["pages"] == [site.url("/")]
    scan = docs_of(first, site)["/docs/scan-2015.pdf"]
    assert (scan["has_text"], scan["tagged"]) == (False, True)
    # the same file under two URLs (without a date, with an old header): read once, both known
    assert DOCUMENTS["/docs/zonder-datum.pdf"][0] == DOCUMENTS["/docs/oud-header.pdf"][0]
    assert docs_of(first, site)["/docs/oud-header.pdf"]["tagged"] is True
    assert docs_of(first, site)["/docs/zonder-datum.pdf"]["tagged"] is True


def test_scope_comes_from_the_file_then_the_header_else_in_scope(nights):
    first, _, _, _, site, _ = nights
    docs = docs_of(first, site)
    assert (docs["/docs/scan-2015.pdf"]["date"], docs["/docs/scan-2015.pdf"]["in_scope"]) == \
        ("2015-03-01", False)
    assert (docs["/docs/oud-header.pdf"]["date"], docs["/docs/oud-header.pdf"]["date_source"],
            docs["/docs/oud-header.pdf"]["in_scope"]) == ("2015-03-03", "last-modified", False)
    assert (docs["/docs/zonder-datum.pdf"]["date"],
            docs["/docs/zonder-datum.pdf"]["in_scope"]) == (None, True)


def test_office_files_are_inventoried_from_their_headers(nights):
    first, _, log, _, site, _ = nights
    docx = docs_of(first, site)["/docs/aanvraag.docx"]
    assert (docx["type"], docx["kind"], docx["bytes"], docx["date"], docx["checked"]) == \
        ("docx", "word", 5004, "2024-02-12", False)
    assert [r["method"] for r in log if r["path"] == "/docs/aanvraag.docx"] == ["HEAD"]


def test_each_document_is_fetched_once_and_robots_txt_obeyed(nights):
    first, _, log, _, site, _ = nights
    paths = [r["path"] for r in log]
    assert sorted(paths) == sorted(DOCUMENTS)      # ongetagd.pdf is linked twice, asked once
    assert all(r["method"] in ("GET", "HEAD") for r in log)
    assert not [p for p in site.paths() if p.startswith("/intern/")]
    hidden = docs_of(first, site)["/intern/notulen.pdf"]
    assert (hidden["status"], hidden["checked"], hidden["problems"]) == (None, False, [])


def test_second_night_downloads_nothing_and_keeps_the_facts(nights):
    first, second, _, log, site, _ = nights
    # groot.pdf is asked again (its size stops it), /download/jaarverslag is a page request
    again = {"/docs/groot.pdf", "/download/jaarverslag"}
    downloaded = [r for r in log if r["sent"] > 0 and r["path"] not in again]
    assert downloaded == []
    assert {r["path"] for r in log if r["status"] == 304} == \
        {p for p, (_, ctype, _) in DOCUMENTS.items() if ctype == "application/pdf"} - again
    strip = ("unchanged",)
    assert [{k: v for k, v in d.items() if k not in strip} for d in second["documents"]] == \
        [{k: v for k, v in d.items() if k not in strip} for d in first["documents"]]
    assert docs_of(second, site)["/docs/goed.pdf"]["unchanged"] is True


def test_no_file_is_left_behind_and_none_is_in_the_database(nights):
    _, _, _, _, _, out = nights
    assert not (out / "documents-tmp").exists()
    with sqlite3.connect(out / "nachtwacht.db") as db:
        columns = {row[1] for row in db.execute("PRAGMA table_info(documents)")}
        assert "file" in columns and db.execute(
            "SELECT count(*) FROM documents WHERE file IS NOT NULL").fetchone() == (0,)
        assert "body" not in columns


def test_summary_counts_scope_and_problems_and_puts_task_documents_first(nights):
    first, _, _, _, site, _ = nights
    summary = first["document_summary"]
    assert (summary["documents"], summary["in_scope"], summary["out_of_scope"]) == (14, 12, 2)
    assert summary["problems"]["untagged"] == 2 and summary["problems"]["no-title"] == 2
    assert summary["problems"]["encrypted"] == 2
    ongetagd = docs_of(first, site)["/docs/ongetagd.pdf"]
    assert (ongetagd["tasks"], ongetagd["pages"]) == (["paspoort"],
                                                       [site.url("/"), site.url("/paspoort")])
    # a page with a form that asks something counts; the search box on the home page does not
    assert ongetagd["on_form_page"] is True
    assert docs_of(first, site)["/docs/goed.pdf"]["on_form_page"] is False


def test_report_has_a_documents_page(nights):
    _, _, _, _, _, out = nights
    html = (out / "report" / "documenten.html").read_text(encoding="utf-8")
    assert "ongetagd.pdf" in html and "veraPDF" in html
    assert html.index("ongetagd.pdf") < html.index("goed.pdf")    # top-task documents first
    assert "15 januari 2024" in html and "2024-01-15" not in html  # dates as a reader writes them


def test_documents_on_the_report_pass_axe(nights):
    from tests.report_browser import axe_violations, chromium

    _, _, _, _, _, out = nights
    pages = [out / "report" / "documenten.html", out / "report" / "toptaken.html"]
    with chromium() as browser:
        assert axe_violations(browser, pages) == {}
    tasks_html = pages[1].read_text(encoding="utf-8")
    assert "ongetagd.pdf" in tasks_html and "goed.pdf" not in tasks_html
