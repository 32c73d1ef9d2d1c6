"""WCAG 2.2-only findings count nowhere on the legal baseline (WCAG 2.1 AA): tiles, counts, fix first."""

from __future__ import annotations

import json
import re
from pathlib import Path

from audits import attention
from reports import view
from reports.render import render_report

FIXTURE = Path(__file__).parent / "fixtures" / "results_sample.json"
TARGET_SIZE = {"rule": "target-size", "impact": "serious", "wcag": ["2.5.8"], "nodes": 3,
               "help": "All touch targets must be 24px large, or leave sufficient space",
               "help_url": "https://dequeuniversity.com/rules/axe/4.14/target-size",
               "tags": ["wcag22aa", "wcag258"], "elements": []}


def fully_accessible_demo() -> dict:
    """W3C's accessible demo as axe saw it: five pages, each with only small touch targets."""
    results = json.loads(FIXTURE.read_text(encoding="utf-8"))
    for page in results["pages"]:
        page["violations"] = [dict(TARGET_SIZE)] if page.get("audited") else []
        page["incomplete"] = []
    results["score"]["accessibility"] = 100.0
    results["fix_first"] = attention.fix_first(results["pages"])   # judged again, as a run does
    results["attention"] = attention.attention(results)
    return results


def test_pages_with_only_wcag22_findings_are_not_pages_with_errors():
    results = fully_accessible_demo()
    audited = sum(1 for p in results["pages"] if p.get("audited"))
    built = view.build(results, [], "nl")
    counts = built["accessibility"]["counts"]
    assert counts["pages_with_findings"] == 0 and counts["rules"] == 0 and counts["elements"] == 0
    assert counts["pages_with_22_findings"] == audited and counts["rules_22"] == 1
    assert built["headline"]["pages_with_findings"] == 0
    assert built["accessibility"]["fix_first"] == []
    assert not [item for item in built["attention"] if item["kind"] == "rule"]


def test_a_baseline_finding_still_counts_beside_a_wcag22_one():
    results = fully_accessible_demo()
    first = next(p for p in results["pages"] if p.get("audited"))
    first["violations"].append({"rule": "image-alt", "impact": "critical", "wcag": ["1.1.1"],
                                "nodes": 1, "tags": ["wcag2a", "wcag111"], "elements": [],
                                "help_url": "https://dequeuniversity.com/rules/axe/4.14/image-alt"})
    counts = view.build(results, [], "nl")["accessibility"]["counts"]
    assert counts["pages_with_findings"] == 1 and counts["rules"] == 1


def test_the_overview_shows_no_red_tile_beside_a_score_of_100(tmp_path):
    index = render_report(fully_accessible_demo(), tmp_path / "report", history=[])
    html = index.read_text(encoding="utf-8")
    tile = re.search(r'<li class="([^"]*)"><span class="number">(\d+)</span> '
                     r'<a href="paginas.html">pagina(?:\'|&#39;)s met toegankelijkheidsfouten', html)
    assert tile and tile.group(2) == "0" and "tile-bad" not in tile.group(1)
    assert "fouten die alleen WCAG 2.2 vraagt" in html


def test_the_page_list_counts_baseline_rules_and_names_the_wcag22_ones_apart():
    results = fully_accessible_demo()
    rows = [row for row in view.page_list(results) if row["audited"]]
    assert rows and all(row["rules"] == 0 and row["worst"] is None and row["rules_22"] == 1
                        for row in rows)
