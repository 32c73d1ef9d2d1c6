"""The report at 400% zoom: 1280 pixels wide becomes 320 CSS pixels; nothing may stick out."""

from __future__ import annotations

import json
from pathlib import Path

from reports.render import render_report
from tests.report_browser import chromium

FIXTURE = Path(__file__).parent / "fixtures" / "results_sample.json"


def test_no_page_of_the_report_scrolls_sideways_at_400_percent_zoom(tmp_path):
    results = json.loads(FIXTURE.read_text(encoding="utf-8"))
    report = render_report(results, tmp_path / "report", history=[]).parent
    too_wide = {}
    with chromium() as browser:
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": 320, "height": 800, "deviceScaleFactor": 1, "mobile": False})
        for page in sorted(report.rglob("*.html")):
            browser.get(page.as_uri())
            width = browser.execute_script("return document.documentElement.scrollWidth")
            if width > 320:
                too_wide[page.name] = width
    assert too_wide == {}
