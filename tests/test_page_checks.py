"""The page-check seam: checks run in axe's browser visit, are stored, reused and switchable."""

from __future__ import annotations

from typing import ClassVar

import pytest
from selenium.common.exceptions import WebDriverException

from audits.axe import AxeSettings, PageAudit, audit_pages
from audits.axe_stage import load_audits, save_audit
from audits.checks import CheckResult, Element, PageCheck, enabled_checks
from core.store import open_db
from tests.conftest import page


class Marker(PageCheck):
    """Counts its hooks; before_load registers a script that runs before the page's own."""

    id = "marker"
    setting = "marker"
    criteria: ClassVar = {"marker": ["1.4.10"]}

    def __init__(self) -> None:
        self.prepared = 0

    def prepare(self, driver) -> None:
        self.prepared += 1

    def before_load(self, driver) -> None:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                               {"source": "window.__early = document.readyState;"})

    def run(self, driver, context) -> list[CheckResult]:
        early, title = driver.execute_script("return [window.__early, document.title]")
        context.facts["title_seen"] = title
        return [CheckResult("marker", ["1.4.10"], "passed" if early == "loading" else "failed",
                            elements=[Element("h1", "<h1>", title)], note=context.url)]


class Broken(PageCheck):
    id = "broken"
    setting = "broken"
    criteria: ClassVar = {"broken": ["2.4.7"], "broken-too": ["2.1.2"]}

    def run(self, driver, context) -> list[CheckResult]:
        raise WebDriverException("javascript error: boom")


@pytest.fixture(scope="module")
def visited(tmp_path_factory):
    from nachtwacht.siteserver import SiteServer
    from tests.helpers import write_files

    root = write_files(tmp_path_factory.mktemp("seam"), {
        "a.html": page("Pagina A"), "b.html": page("Pagina B")})
    marker = Marker()
    settings = AxeSettings(page_timeout=20, script_timeout=30, checks=(marker, Broken()))
    with SiteServer(root=root) as server:
        audits = {a.url: a for a in audit_pages([server.url("/a"), server.url("/b")],
                                                settings, browsers=1)}
        yield server, audits, marker


def test_checks_run_after_axe_in_the_same_visit(visited):
    server, audits, marker = visited
    audit = audits[server.url("/a")]
    assert audit.audited and audit.passes  # axe ran
    marker_result = next(r for r in audit.checks if r.check == "marker")
    assert marker_result.outcome == "passed"  # before_load ran before the page's scripts
    assert marker_result.elements[0].detail == "Pagina A"
    assert audit.facts == {"title_seen": "Pagina A"}
    assert marker.prepared == 1  # once per browser, not per page


def test_a_failing_check_is_cant_tell_for_each_of_its_ids_and_axe_stays(visited):
    server, audits, _ = visited
    audit = audits[server.url("/b")]
    broken = {r.check: r for r in audit.checks if r.check.startswith("broken")}
    assert set(broken) == {"broken", "broken-too"}
    assert all(r.outcome == "cant_tell" and "boom" in r.note for r in broken.values())
    assert audit.audited and not audit.violations


def test_check_results_and_facts_are_stored_and_loaded(tmp_path):
    db = open_db(tmp_path / "n.db")
    run = db["runs"].insert({"site": "s", "status": "complete"}).last_pk
    audit = PageAudit(url="http://x/", final_url="http://x/", audited=True, checks=[
        CheckResult("reflow", ["1.4.10"], "failed", [Element("div.breed", "<div>", "1200px")],
                    note="scrolls"),
        CheckResult("focus-obscured", ["2.4.11"], "passed", template="abc", inherited=True)],
        facts={"nav": ["/a", "/b"]}, checks_ms=12)
    save_audit(db, run, "http://x/", "hash", "fp", audit)
    loaded, _ = load_audits(db, run)["http://x/"]
    assert loaded.checks == audit.checks and loaded.facts == audit.facts
    assert loaded.checks_ms == 12
    assert db.execute("select wcag22_only from check_results where check_id = 'focus-obscured'"
                      ).fetchone() == (1,)


def test_the_fingerprint_names_the_checks_and_their_versions():
    plain = AxeSettings()
    with_marker = AxeSettings(checks=(Marker(),))
    newer = Marker()
    newer.version = 2
    assert len({plain.fingerprint(), with_marker.fingerprint(),
                AxeSettings(checks=(newer,)).fingerprint()}) == 3
    assert with_marker.page_budget > plain.page_budget


def test_checks_are_switched_off_by_their_setting(monkeypatch):
    import audits.checks as registry

    monkeypatch.setattr(registry, "PAGE_CHECKS", [Marker, Broken])
    assert [c.id for c in enabled_checks({})] == ["marker", "broken"]
    assert [c.id for c in enabled_checks({"marker": False})] == ["broken"]


def test_an_unknown_outcome_is_refused():
    with pytest.raises(ValueError):
        CheckResult("reflow", ["1.4.10"], "maybe")
