"""The report itself in a real headless Chromium: axe-core finds nothing, and nothing
copied from a hostile site runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from reports.render import render_report
from tests.report_browser import axe_violations, chromium

FIXTURE = Path(__file__).parent / "fixtures" / "results_sample.json"
HISTORY = [{"id": n, "site": "Voorbeeldstad", "started": f"2026-02-2{n}T02:00:00+01:00",
            "status": "complete", "score": 60.0 + n * 4, "violations": 12 - n,
            "broken_links": 6 - n, "pages": 8,
            "tasks": {"paspoort": 70.0 + n, "afval": 90.0 - n}} for n in (1, 2, 3)]


def with_pictures_and_a_footer_link(results: dict, out: Path) -> dict:
    """The sample with a picture of each first violation element (a real JPEG in
    OUT/screenshots), a broken link on 30 pages, so that its own pages of sources exist, and
    450 orphans, so that their list goes on in pages of its own (weespagina-2.html …)."""
    shots = out / "screenshots"
    shots.mkdir(parents=True)
    picture = (Path(__file__).parent / "fixtures" / "violation.jpg").read_bytes()
    results["screenshots"] = []
    for n, page in enumerate(p for p in results["pages"] if p.get("violations")):
        finding = page["violations"][0]
        for element in finding.get("elements")[:1]:
            results["screenshots"].append({"url": page["url"], "rule": finding["rule"],
                                           "target": element["target"], "file": f"{n}.jpg"})
            (shots / f"{n}.jpg").write_bytes(picture)
    sources = [{"source": f"http://127.0.0.1:8000/pagina-{n}", "text": "Contact"}
               for n in range(30)]
    results["broken_links_by_target"].append({
        "target": "http://127.0.0.1:8000/contact-oud", "reason": "http", "status": 404,
        "kind": "link", "count": 30, "sources": sources})
    results["orphans"] += [{"url": f"http://127.0.0.1:8000/wees-{n}", "kind": "page",
                            "found_via": "sitemap"} for n in range(450)]
    return results


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    results = json.loads(FIXTURE.read_text(encoding="utf-8"))
    out = tmp_path_factory.mktemp("report") / "report"
    render_report(with_pictures_and_a_footer_link(results, out.parent), out, lang="nl",
                  history=HISTORY)
    assert list((out / "schermafbeeldingen").glob("*.jpg"))
    assert list((out / "kapot").glob("*.html"))
    assert (out / "weespagina-3.html").exists()
    return out


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        driver.set_script_timeout(180)        # axe over a part of 200 rows on a busy machine
        yield driver


def test_axe_finds_no_violations_on_any_report_page(report, browser):
    pages = sorted(report.rglob("*.html"))
    assert len(pages) > 10
    assert axe_violations(browser, pages, report) == {}


def test_hostile_titles_links_and_snippets_do_not_run(report, browser):
    hostile = [report / "index.html", report / "wijzigingen.html", report / "links.html",
               report / "paginas.html"] + sorted((report / "pagina").glob("*.html"))
    for page in hostile:
        browser.get(page.as_uri())
        with pytest.raises(NoAlertPresentException):
            browser.switch_to.alert.text  # noqa: B018 – raises when no dialog opened
        assert browser.execute_script("return document.scripts.length") == 0
        assert browser.execute_script(
            "return document.querySelectorAll('[onerror], [onclick], [onload]').length") == 0
    text = " ".join(p.read_text(encoding="utf-8") for p in hostile)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<script>alert" not in text


def test_the_pager_is_used_with_the_keyboard_alone(report, browser):
    browser.get((report / "weespagina-2.html").as_uri())
    nav = browser.find_element("css selector", "nav.pager")
    assert nav.get_attribute("aria-label") == "Paginering"
    assert "Pagina 2 van 3" in nav.text
    assert nav.find_element("css selector", "[aria-current=page]").text.endswith("2")
    actions = ActionChains(browser)
    for _ in range(40):                       # Tab from the top of the page to "Volgende"
        actions.send_keys(Keys.TAB).perform()
        focused = browser.switch_to.active_element
        if focused.get_attribute("rel") == "next":
            break
    assert focused.text.startswith("Volgende")
    focused.send_keys(Keys.ENTER)
    assert browser.current_url.endswith("/weespagina-3.html")
