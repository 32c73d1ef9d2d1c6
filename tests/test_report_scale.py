"""Every list of the report is bounded: a broken footer link on 10,000 pages, 10,000 orphans,
2,000 forms and 10,000 new pages still give files under 1 MB, and nothing is lost: what is
not listed in full is counted and its full list has files of its own or is in results.json."""

from __future__ import annotations

from audits.links import by_target
from reports.render import render_report
from tests.test_report import big_site

BASE = "http://127.0.0.1:8000"
PAGES = 10_000


def huge_results() -> dict:
    results = big_site(PAGES)
    results["broken_links"] = [{"source": f"{BASE}/pagina-{n}", "target": f"{BASE}/contact-oud",
                                "text": "Contact", "status": 404, "reason": "http",
                                "kind": "link"} for n in range(PAGES)]
    results["broken_links_by_target"] = by_target(results["broken_links"])
    results["orphans"] = [{"url": f"{BASE}/wees-{n}", "kind": "page", "found_via": "sitemap"}
                          for n in range(PAGES)]
    results["forms"] = [{"page": f"{BASE}/pagina-{n}", "action": f"{BASE}/verstuur-{n}",
                         "method": "post", "https": True, "third_party": False, "orphan": False,
                         "action_broken": False, "fields": 3, "unlabelled_fields": 0}
                        for n in range(PAGES // 5)]
    results["changes"]["new_pages"] = [{"url": f"{BASE}/nieuw-{n}", "title": f"Nieuw {n}"}
                                       for n in range(PAGES)]
    return results


def test_the_largest_file_of_a_huge_report_is_under_one_megabyte(tmp_path):
    report = render_report(huge_results(), tmp_path / "report", history=[]).parent
    sizes = {str(p.relative_to(report)): p.stat().st_size for p in report.rglob("*.html")}
    biggest = max(sizes.items(), key=lambda item: item[1])
    assert biggest[1] < 1_000_000, biggest
    links = (report / "links.html").read_text(encoding="utf-8")
    assert "En nog 9980 andere pagina" in links
    sources = sorted(name for name in sizes if name.startswith("kapot/"))
    assert len(sources) == PAGES // 200                      # every page, 200 a file
    first = (report / min(sources, key=len)).read_text(encoding="utf-8")   # kapot/<id>.html
    assert f"{BASE}/pagina-0<" in first
    changes = (report / "wijzigingen.html").read_text(encoding="utf-8")
    assert "En nog 9500 meer." in changes
    assert "En nog 1500 meer." in (report / "formulieren.html").read_text(encoding="utf-8")
