"""axe-core in real headless Chromium against planted pages on 127.0.0.1."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from audits.axe import AxeSettings, BrowserUnavailable, audit_pages, axe_version
from audits.browser import browser_version
from audits.checks.orientation import OrientationCheck
from core.wcag import criteria_from_tags, wcag22_only
from nachtwacht.siteserver import SiteServer
from tests.helpers import never_answers

PAGES = Path(__file__).parent / "axe_pages"
SETTINGS = AxeSettings(page_timeout=15, script_timeout=30, max_elements=3000)
TROUBLE = AxeSettings(page_timeout=3, script_timeout=4, max_elements=3000)

# One page per planted violation, named after the rule it breaks, with its WCAG criteria.
PLANTED = {
    "image-alt": ["1.1.1"],
    "label": ["4.1.2"],
    "html-has-lang": ["3.1.1"],
    "document-title": ["2.4.2"],
    "link-name": ["2.4.4", "4.1.2"],
    "button-name": ["4.1.2"],
    "color-contrast": ["1.4.3"],
    "frame-title": ["4.1.2"],
    "list": ["1.3.1"],
}


@pytest.fixture(scope="module")
def site():
    with SiteServer(root=PAGES, routes={"/traag": never_answers}) as server:
        yield server


@pytest.fixture(scope="module")
def planted(site):
    """Every planted page, audited once by a pool of two browsers."""
    names = [*PLANTED, "schoon", "needs-review"]
    audits = {audit.url: audit
              for audit in audit_pages([site.url(f"/{name}") for name in names], SETTINGS, 2)}
    return {name: audits[site.url(f"/{name}")] for name in names}


@pytest.fixture(scope="module")
def troubled(site):
    """Troublesome pages, each followed by a good one, through a single browser."""
    (PAGES / "groot.html").write_text(
        "<!doctype html><html lang='nl'><title>Groot</title><main><h1>Groot</h1>"
        + "<span>regel</span>" * 4000 + "</main></html>", encoding="utf-8")
    names = ["hangt", "list", "dialoog", "list", "doorsturen", "traag", "list", "groot",
             "chrome://crash", "list", "hangt-later", "list"]
    urls = [name if ":" in name else site.url(f"/{name}") for name in names]
    started = time.monotonic()
    try:
        audits = list(audit_pages(urls, TROUBLE, browsers=1))
    finally:
        (PAGES / "groot.html").unlink()
    return dict(zip(["elapsed", *range(len(names))], [time.monotonic() - started, *audits]))


@pytest.mark.parametrize("rule", PLANTED)
def test_a_planted_page_gives_exactly_its_violation(planted, rule):
    audit = planted[rule]
    assert audit.audited and audit.error is None
    assert [finding.rule for finding in audit.violations] == [rule]
    finding = audit.violations[0]
    assert finding.wcag == PLANTED[rule]
    minor = ".".join(axe_version(SETTINGS).split(".")[:2])
    assert finding.help_url.startswith(f"https://dequeuniversity.com/rules/axe/{minor}/")
    assert finding.node_count == len(finding.nodes) == 1
    node = finding.nodes[0]
    assert node.target and node.html.startswith("<") and node.failure_summary


def test_a_clean_page_has_no_violations_and_counts_its_passes(planted):
    audit = planted["schoon"]
    assert audit.audited and audit.violations == [] and audit.incomplete == []
    passes = {finding.rule: finding for finding in audit.passes}
    assert passes["image-alt"].node_count == 1 and passes["image-alt"].wcag == ["1.1.1"]
    assert passes["html-has-lang"].nodes == []
    assert "video-caption" in audit.inapplicable


def test_needs_review_is_kept_apart_from_violations(planted):
    audit = planted["needs-review"]
    assert audit.violations == []
    assert [finding.rule for finding in audit.incomplete] == ["color-contrast"]
    assert audit.incomplete[0].wcag == ["1.4.3"]


def test_the_audit_browser_says_it_is_nachtwacht(site, planted):
    agents = {r.headers.get("User-Agent", "") for r in site.requests if r.path == "/schoon"}
    assert agents and all("HeadlessChrome/" in a and "nachtwacht/" in a for a in agents), agents


def test_the_frame_of_a_page_is_audited_too(planted):
    # axe-core is present in the frame, so frame-tested does not ask for review
    assert "frame-tested" not in [finding.rule for finding in planted["frame-title"].incomplete]


def test_a_hanging_page_times_out_and_the_next_page_is_audited(troubled):
    assert troubled[0].audited is False
    assert troubled[0].error == "timeout: page did not load within 3 s"
    assert [finding.rule for finding in troubled[1].violations] == ["list"]


def test_a_page_that_opens_dialogs_is_recorded_and_the_next_page_is_audited(troubled):
    assert troubled[2].audited is False
    assert troubled[2].error == "dialog: 'Welkom bij de gemeente'"
    assert troubled[3].audited and [finding.rule for finding in troubled[3].violations] == ["list"]


def test_a_javascript_redirect_is_audited_where_it_lands(troubled):
    audit = troubled[4]
    assert audit.audited and audit.url.endswith("/doorsturen")
    assert audit.final_url.endswith("/schoon")
    assert audit.violations == []


def test_a_server_that_never_answers_times_out(troubled):
    assert troubled[5].error.startswith("timeout: page did not load")
    assert troubled[6].audited


def test_a_huge_page_is_not_audited(troubled):
    assert troubled[7].audited is False
    assert troubled[7].error == "huge: 4006 elements (limit 3000)"


def test_a_crashed_browser_is_replaced(troubled):
    assert troubled[8].audited is False and troubled[8].error.startswith("crash: ")
    assert troubled[9].audited and [finding.rule for finding in troubled[9].violations] == ["list"]


def test_a_page_that_hangs_after_loading_is_stopped(troubled):
    assert troubled[10].audited is False
    # Chromium answers nothing while the page's script waits (a synchronous request to a
    # server that never answers; "hangt" is the busy loop): usually the watchdog stops the
    # browser 5 s after axe's limit, on a busy machine chromedriver's own timeouts may come first
    assert troubled[10].error.startswith("timeout: ")
    assert troubled[11].audited and [finding.rule for finding in troubled[11].violations] == ["list"]


def test_troublesome_pages_cost_no_more_than_their_timeouts(troubled):
    # two page-load timeouts of 3 s, a watchdog of 9 s, four new browsers, eight quick pages
    assert troubled["elapsed"] < 60


def test_a_page_that_hangs_in_axe_is_stopped_after_axes_limit_not_the_pages(site):
    # A long load limit and page checks with budgets of their own: none of it is the limit
    # of a page that stops answering once axe runs (axe's 2 s and the watchdog's 5).
    settings = AxeSettings(page_timeout=30, script_timeout=2, checks=(OrientationCheck(),))
    assert settings.page_budget > 35
    started = time.monotonic()
    [audit] = audit_pages([site.url("/hangt-in-axe")], settings, browsers=1)
    assert audit.audited is False and audit.error.startswith("timeout: ")
    assert time.monotonic() - started < 20


def test_excluded_parts_and_disabled_rules_are_not_reported(site):
    settings = AxeSettings(page_timeout=15, exclude=["p"], disable=["list"])
    urls = [site.url("/color-contrast"), site.url("/list")]
    audits = list(audit_pages(urls, settings, browsers=1))
    assert [audit.violations for audit in audits] == [[], []]
    assert all(audit.audited for audit in audits)


def test_a_browser_that_cannot_start_is_one_clear_line(site, monkeypatch):
    monkeypatch.setenv("NACHTWACHT_CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(BrowserUnavailable) as caught:
        list(audit_pages([site.url("/schoon")], SETTINGS, browsers=1))
    message = str(caught.value)
    assert "\n" not in message
    assert "/nonexistent/chromium" in message and "apt-get install chromium chromium-driver" in message


def test_versions_are_known_without_auditing():
    # the axe-core installed from npm by tools/bootstrap.sh, else axe-selenium-python's
    assert re.fullmatch(r"4\.\d+\.\d+", axe_version(SETTINGS))
    if SETTINGS.axe_note is None:
        assert axe_version(SETTINGS) != "4.10.2"
    assert browser_version().startswith("Chromium ")


def test_the_fingerprint_changes_with_what_shapes_results():
    base = AxeSettings().fingerprint()
    assert AxeSettings().fingerprint() == base
    assert AxeSettings(page_timeout=5).fingerprint() == base
    assert AxeSettings(tags=["wcag2a"]).fingerprint() != base
    assert AxeSettings(exclude=["#cookies"]).fingerprint() != base
    assert AxeSettings(disable=["region"]).fingerprint() != base


def test_wcag_criteria_come_from_axe_tags():
    tags = ["cat.text-alternatives", "wcag2a", "wcag1410", "wcag111", "EN-9.1.1.1"]
    assert criteria_from_tags(tags) == ["1.1.1", "1.4.10"]
    assert wcag22_only(["2.5.8"]) and not wcag22_only(["1.4.3"]) and not wcag22_only([])
