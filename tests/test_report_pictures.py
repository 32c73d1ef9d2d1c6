"""The report's pictures: the trend as small line charts, a chart per top task, the click path
as a breadcrumb marked where a link on the way is broken. Each keeps its text alternative."""

from __future__ import annotations

import json
from pathlib import Path

from bs4 import BeautifulSoup

from reports.render import render_report

FIXTURE = Path(__file__).parent / "fixtures" / "results_sample.json"
HISTORY = [{"id": n, "site": "Voorbeeldstad", "started": f"2026-02-2{n}T02:00:00+01:00",
            "status": "complete", "score": 60.0 + n * 4, "violations": 12 - n,
            "broken_links": 6 - n, "pages": 8, "tasks": {"paspoort": 70.0 + n}}
           for n in (1, 2, 3)]


def rendered(tmp_path: Path, name: str) -> BeautifulSoup:
    results = json.loads(FIXTURE.read_text(encoding="utf-8"))
    report = render_report(results, tmp_path / "report", history=HISTORY).parent
    return BeautifulSoup((report / name).read_text(encoding="utf-8"), "html.parser")


def test_the_trend_shows_score_findings_and_broken_links_with_the_table_beside(tmp_path):
    page = rendered(tmp_path, "index.html")
    charts = page.select("#trend ~ .charts svg[role=img], section .charts svg[role=img]")
    titles = [svg.title.get_text() for svg in charts]
    assert titles == ["Score van de website", "Toegankelijkheidsfouten (WCAG 2.1 AA)",
                      "Kapotte links"]
    findings = charts[1].desc.get_text()
    assert "11 → 9" in findings                     # oldest to newest, the numbers spoken
    rows = page.select("section[aria-labelledby=trend] table tbody tr")
    assert len(rows) == 3                           # the same nights, as text


def test_each_top_task_has_its_own_small_chart(tmp_path):
    page = rendered(tmp_path, "toptaken.html")
    spark = page.select_one("#taak-paspoort svg.spark")
    assert spark["aria-label"].endswith("71,0 → 73,0")
    assert page.select_one("#taak-verhuizen svg.spark") is None   # no history, no line


def test_the_click_path_is_a_breadcrumb_marked_where_a_link_is_broken(tmp_path):
    page = rendered(tmp_path, "toptaken.html")
    steps = page.select("#taak-afval ol.clickpath li")
    assert [li.a.get_text() for li in steps] == ["Home", "Afval", "Grofvuil ophalen"]
    assert [("crumb-broken" in (li.get("class") or [])) for li in steps] == [False, True, False]
    assert "kapotte link op deze pagina" in steps[1].get_text()
