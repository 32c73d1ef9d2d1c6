"""Every list of the report is paged: a site of 100,000 pages with long lists in every section
(a broken footer link on every page, 20,000 orphans, 5,000 documents, 100,000 privacy pages, a
page check failing on 10,000 pages …) gives report files under 1 MB, and every item of every list
can be read by following the pager from where the list starts, each item once, in order."""

from __future__ import annotations

import copy
import os
import re
from pathlib import Path

import pytest

from audits.links import by_target
from reports.render import render_report
from tests.test_report import sample

BASE = "http://127.0.0.1:8000"
PAGES = 100_000
ORPHANS = 20_000
DOCUMENTS = 5_000
FORMS = 20_000
TARGETS = 300                 # broken targets besides the footer link: links.html in parts
NEW_PAGES = 20_000
NOT_AUDITED = 3_000
SITEMAP_ERRORS = 1_000
TASK_PAGES = 5_000
TASK_DOCUMENTS = 400
WITH_FINDINGS = 100           # one page in WITH_FINDINGS has axe findings (a detail file each)
FAILS_REFLOW = 10             # one page in FAILS_REFLOW fails the reflow check (a detail file too)


def page_url(n: int) -> str:
    return f"{BASE}/pagina-{n}"


def huge_results(pages: int = PAGES) -> dict:
    """A results object of ``pages`` pages with a long list in every section of the report."""
    results = sample()
    template = results["pages"][1]
    reflow = {"check": "reflow", "outcome": "failed", "wcag": ["1.4.10"],
              "heuristic": False,
              "elements": [{"target": "header nav", "html": "<nav>", "detail": "breder dan 320 px"}]}
    results["pages"] = []
    for n in range(pages):
        page = {key: value for key, value in template.items()
                if key not in ("violations", "incomplete")}
        page.update(url=page_url(n), final_url=page_url(n), title=f"Pagina {n}",
                    violations=copy.deepcopy(template["violations"]) if n % WITH_FINDINGS == 0
                    else [], incomplete=[], checks=[reflow] if n % FAILS_REFLOW == 0 else [])
        if n < NOT_AUDITED:
            page.update(audited=False, audit_error="timeout", violations=[], checks=[])
        results["pages"].append(page)
    results["site_checks"] = [{"check": "page-title-unique", "outcome": "failed",
                               "wcag": ["2.4.2"], "heuristic": False, "pages": [page_url(n) for n in range(pages // 2)]}]
    footer = [{"source": page_url(n), "target": f"{BASE}/contact-oud", "text": "Contact",
               "status": 404, "reason": "http", "kind": "link"} for n in range(pages)]
    others = [{"source": page_url(n), "target": f"{BASE}/oud-{n}", "text": "Oud", "status": 404,
               "reason": "http", "kind": "link"} for n in range(TARGETS)]
    results["broken_links"] = footer + others
    results["broken_links_by_target"] = by_target(results["broken_links"], results["pages"])
    results["orphans"] = [{"url": f"{BASE}/wees-{n}", "kind": "page", "found_via": "sitemap"}
                          for n in range(ORPHANS)]
    results["sitemap_errors"] = [{"url": f"{BASE}/sitemapfout-{n}", "reason": "http",
                                  "status": 404, "sitemap": f"{BASE}/sitemap.xml"}
                                 for n in range(SITEMAP_ERRORS)]
    results["forms"] = [{"page": page_url(n), "action": f"{BASE}/verstuur-{n}", "method": "post",
                         "https": True, "third_party": False, "orphan": False,
                         "action_broken": False, "fields": 3, "unlabelled_fields": 0, "flags": []}
                        for n in range(FORMS)]
    task = results["tasks"][0]
    task["pages"] = [f"{BASE}/taak-{n}" for n in range(TASK_PAGES)]
    results["documents"] = [{"url": f"{BASE}/doc-{n}.pdf", "type": "pdf", "bytes": 20_000,
                             "pages": [page_url(n), page_url(n + 1)],
                             "tasks": [task["id"]] if n < TASK_DOCUMENTS else [],
                             "task_rank": task["rank"] if n < TASK_DOCUMENTS else None,
                             "on_form_page": False, "in_scope": True, "checked": True,
                             "problems": ["untagged"], "date": "2024-01-01", "pdf_pages": 2,
                             "pdfua": None}
                            for n in range(DOCUMENTS)]
    results["document_summary"] = {"documents": DOCUMENTS, "in_scope": DOCUMENTS,
                                   "in_scope_with_problems": DOCUMENTS, "checked": DOCUMENTS,
                                   "problems": {"untagged": DOCUMENTS},
                                   "in_scope_problems": {"untagged": DOCUMENTS}, "unchanged": 0}
    tracker = {"host": "www.google-analytics.com", "name": "Google Analytics",
               "category": "analytics", "pages": pages, "task_pages": [],
               "example_pages": [page_url(0)], "types": ["script"], "cookies": ["_ga"],
               "documented_cookies": [], "blocked": False, "about": {}}
    results["privacy"] = {
        "summary": {"measured_pages": pages, "third_parties": 1, "pages_with_third_parties": pages,
                    "task_pages_with_third_parties": 0, "third_party_cookies": 1, "blocked": 0},
        "third_parties": [tracker], "forms": [],
        "pages": [{"url": page_url(n), "task": None, "hosts": ["www.google-analytics.com"],
                   "cookies": [{"name": "_ga", "domain": ".google-analytics.com",
                                "third_party": True, "set_by": None, "lifetime_days": 730}],
                   "storage_keys": []} for n in range(pages)]}
    results["changes"]["new_pages"] = [{"url": f"{BASE}/nieuw-{n}", "title": f"Nieuw {n}"}
                                       for n in range(NEW_PAGES)]
    results["kcc"] = {"previous_run": results["changes"]["previous_run"],
                      "new_pages": results["changes"]["new_pages"],
                      "counts": {"new_pages": NEW_PAGES}, "quiet": False,
                      **{key: [] for key in ("removed_pages", "new_forms", "changed_forms",
                                             "removed_forms", "broken_forms", "tasks_broken",
                                             "tasks_recovered", "changed_task_pages",
                                             "letters_broken", "letters_recovered",
                                             "new_third_parties", "statement_changed")}}
    return results


def follow(report: Path, start: str, pattern: str, anchor: str | None = None) -> list[int]:
    """The numbers ``pattern`` finds in a list, read from its first part (``start``, at
    ``anchor`` when the list is one section of a page) through every "Volgende" link."""
    numbers, seen, file = [], set(), start
    while file:
        assert file not in seen, f"the pager goes round in a circle at {file}"
        seen.add(file)
        html = (report / file).read_text(encoding="utf-8")
        if file == start and anchor:              # only the list's own section (or table row)
            at = html.index(f'id="{anchor}"')
            end = "</tr>" if html.rfind("<", 0, at) == html.rfind("<tr", 0, at) else "</section>"
            html = html[at:html.index(end, at)]
            step = re.search(r'<p class="more"><a href="([^"#]+)"', html)
        else:
            html = html[html.index("<main"):html.index("</main>")]
            step = re.search(r'<a href="([^"#]+)" rel="next"', html)
        numbers += [int(n) for n in re.findall(pattern, html)]
        file = os.path.normpath(os.path.join(os.path.dirname(file), step.group(1))) if step else None
    return numbers


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("groot") / "report"
    return render_report(huge_results(), out, history=[]).parent


def test_every_file_of_a_report_of_100000_pages_is_under_one_megabyte(report):
    sizes = {str(p.relative_to(report)): p.stat().st_size for p in report.rglob("*.html")}
    biggest = max(sizes.items(), key=lambda item: item[1])
    assert biggest[1] < 1_000_000, biggest
    assert "weespagina-100.html" in sizes and "weespagina-101.html" not in sizes


@pytest.mark.parametrize("start, pattern, anchor, count", [
    ("links.html", r'<h3 id="doel-\d+"><span class="url">[^<]*/oud-(\d+)<', None, TARGETS),
    ("links.html", r'href="[^"]*/wees-(\d+)"', "verweesd", ORPHANS),
    ("links.html", r'href="[^"]*/sitemapfout-(\d+)"', "sitemap", SITEMAP_ERRORS),
    ("paginas.html", r'/pagina-(\d+)</', None, PAGES),
    ("formulieren.html", r'/verstuur-(\d+)<', None, FORMS),
    ("documenten.html", r'/doc-(\d+)\.pdf"', None, DOCUMENTS),
    ("privacy.html", r'<th scope="row"><a class="url" href="[^"]*/pagina-(\d+)"',
     "privacy-pages", PAGES),
    ("wijzigingen.html", r'href="[^"]*/nieuw-(\d+)"', "new_pages", NEW_PAGES),
    ("kcc.html", r'href="[^"]*/nieuw-(\d+)"', "kcc-new_pages", NEW_PAGES),
    ("toegankelijkheid.html", r'>Pagina (\d+)</a>', "check-failed-reflow",
     len(range(NOT_AUDITED, PAGES, FAILS_REFLOW))),
    ("toegankelijkheid.html", r'/pagina-(\d+)</a>', "site-failed-page-title-unique", PAGES // 2),
    ("toegankelijkheid.html", r'href="[^"]*/pagina-(\d+)"', "niet-gecontroleerd", NOT_AUDITED),
    ("toptaken.html", r'href="[^"]*/taak-(\d+)"', "taak-paspoort", TASK_PAGES),
    ("toptaken.html", r'/doc-(\d+)\.pdf"', "taakdocumenten-paspoort", TASK_DOCUMENTS),
])
def test_every_item_of_every_list_is_reached_through_the_pager(report, start, pattern, anchor,
                                                               count):
    found = follow(report, start, pattern, anchor)
    assert len(found) == count and len(set(found)) == count


def test_a_broken_footer_link_names_5_pages_and_all_its_pages_follow_in_files_of_their_own(
        report):
    links = (report / "links.html").read_text(encoding="utf-8")
    assert "En nog 99.995 andere pagina&#39;s met deze link" in links     # in the template: 5
    # on every page: probably the footer, fixed once; the one-page links are not
    assert links.count("Deze link staat op 100.000 pagina&#39;s, waarschijnlijk in de "
                       "huisstijl") == 1
    assert links.count("waarschijnlijk in de huisstijl") == 1
    first = re.search(r'<a href="(kapot/[0-9a-f]+\.html)">En nog 99.995', links).group(1)
    assert sorted(follow(report, first, r'/pagina-(\d+)<')) == list(range(PAGES))


def test_a_pager_says_where_you_are_in_dutch_and_names_a_few_pages_not_all(report):
    page = (report / "weespagina-50.html").read_text(encoding="utf-8")
    assert page.count('<nav class="pager" aria-label="Paginering') == 2
    assert 'aria-label="Paginering (onderaan)"' in page
    assert "Pagina 50 van 100" in page and "u ziet 9.801–10.000 van 20.000" in page
    assert '<a href="weespagina-49.html" rel="prev">' in page
    assert '<a href="weespagina-51.html" rel="next">' in page
    assert '<a href="weespagina-50.html" aria-current="page">' in page
    assert '<a href="links.html#verweesd">' in page                # page 1 is where it was
    assert 'href="weespagina-30.html"' not in page               # not all 100 numbers
    assert "En nog 19.800 meer: verder naar pagina 2 van 100" in (
        report / "links.html").read_text(encoding="utf-8")


# The text a reader sees: the files without scripts, styles, tags and entities (a regex: an
# HTML parser over the 2,800 files of this report takes a minute).
HIDDEN = re.compile(r"<(script|style)\b.*?</\1>|<[^>]*>|&#?\w+;", re.DOTALL)
# Not counts: addresses and file names, the made-up titles "Pagina 123" and "Nieuw 123", years.
NOT_COUNTS = re.compile(r"\S*/\S*|\b(Pagina|Nieuw) \d+|\b20\d\d\b")


def test_every_count_of_four_digits_or_more_has_its_thousands_dot(report):
    bare = []
    for file in sorted(report.rglob("*.html")):
        text = NOT_COUNTS.sub(" ", HIDDEN.sub(" ", file.read_text(encoding="utf-8")))
        bare += [f"{file.name}: …{' '.join(text[max(0, m.start() - 40):m.end()].split())}"
                 for m in re.finditer(r"(?<![\w.,-])\d{4,}(?!\w)", text)]
    assert not bare, bare[:10]
