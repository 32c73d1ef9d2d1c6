"""The page checks beyond axe in real headless Chromium: each planted failure found, each
clean twin passed, reflow's exception for data tables kept (pages in tests/check_pages)."""

from __future__ import annotations

from pathlib import Path

import pytest

from audits.axe import AxeSettings, audit_pages
from audits.checks.keyboard import KeyboardCheck
from audits.checks.orientation import OrientationCheck
from audits.checks.reflow import ReflowCheck
from audits.checks.site_facts import SiteFactsCheck
from audits.checks.text_spacing import TextSpacingCheck
from nachtwacht.siteserver import SiteServer

PAGES = Path(__file__).parent / "check_pages"
CHECKS = (SiteFactsCheck(), ReflowCheck(), OrientationCheck(), TextSpacingCheck(),
          KeyboardCheck())


@pytest.fixture(scope="module")
def audited():
    """Every check page audited once, in one browser, with all checks; toets-goed-2 and -3
    share toets-goed's template and come after it; -3 is a toptaak page."""
    names = sorted(p.stem for p in PAGES.glob("*.html"))
    with SiteServer(root=PAGES) as server:
        settings = AxeSettings(page_timeout=20, script_timeout=30, checks=CHECKS,
                               priority=frozenset({server.url("/toets-goed-3")}))
        audits = {a.url.rsplit("/", 1)[-1]: a
                  for a in audit_pages([server.url(f"/{n}") for n in names], settings, 1)}
    return audits


def outcome(audited, page: str, check: str) -> str:
    return next(r for r in audited[page].checks if r.check == check).outcome


def result(audited, page: str, check: str):
    return next(r for r in audited[page].checks if r.check == check)


@pytest.mark.parametrize(("check", "failing", "clean"), [
    ("reflow", "reflow-breed", "reflow-smal"),
    ("text-spacing", "spacing-attribuut", "spacing-ruim"),
    ("text-spacing", "spacing-afgesneden", "spacing-ruim"),
    ("focus-visible", "toets-geen-focus", "toets-goed"),
    ("keyboard-trap", "toets-val", "toets-val-escape"),
    ("skip-link", "toets-skiplink-kapot", "toets-goed"),
    ("focus-obscured", "toets-bedekt", "toets-goed"),
    ("orientation", "orientatie-vast", "orientatie-vrij"),
])
def test_a_planted_failure_fails_and_its_clean_twin_passes(audited, check, failing, clean):
    assert outcome(audited, failing, check) == "failed"
    assert outcome(audited, clean, check) == "passed"


def test_the_failing_elements_are_named(audited):
    assert [e.target for e in result(audited, "reflow-breed", "reflow").elements] == \
        ["body > main > div"]
    assert result(audited, "spacing-afgesneden", "text-spacing").elements[0].target == \
        "body > main > div"
    trap = result(audited, "toets-val", "keyboard-trap")
    assert [e.target for e in trap.elements] == ["#widget > button:nth-of-type(1)",
                                                 "#widget > button:nth-of-type(2)"]
    assert {e.target for e in result(audited, "toets-geen-focus", "focus-visible").elements} \
        == {"body > main > p > a", "body > main > p > button"}


def test_a_wide_data_table_is_the_exception_not_a_failure(audited):
    table = result(audited, "reflow-tabel", "reflow")
    assert table.outcome == "passed" and "exception" in table.note
    assert table.elements[0].target == "body > main > table"


def test_a_page_with_the_same_template_inherits_the_walk(audited):
    copy = result(audited, "toets-goed-2", "focus-visible")
    walked = result(audited, "toets-goed", "focus-visible")
    assert copy.inherited and copy.template == walked.template and not walked.inherited
    # The toptaak page (priority) is walked although its template was seen.
    task_page = result(audited, "toets-goed-3", "focus-visible")
    assert task_page.template == walked.template and not task_page.inherited


def test_a_walk_cut_short_by_its_bounds_says_so(audited):
    trap = result(audited, "toets-lang", "keyboard-trap")
    assert trap.outcome == "cant_tell" and trap.note.startswith("partly walked")
    assert outcome(audited, "toets-lang", "focus-visible") == "cant_tell"


def test_a_page_without_anything_to_focus_is_inapplicable(audited):
    assert outcome(audited, "reflow-smal", "focus-visible") == "inapplicable"
    assert outcome(audited, "reflow-smal", "orientation") == "inapplicable"


def test_the_checks_leave_the_page_as_they_found_it(audited):
    # The viewport is restored and the text-spacing style sheet removed: axe's later view of
    # the next page and the checks after them are unaffected (the reflow-smal page stays
    # within 320 px, toets-goed shows its skip link working after the spacing check).
    assert outcome(audited, "toets-goed", "skip-link") == "passed"
    assert all(a.audited and a.error is None for a in audited.values())


def test_site_facts_name_the_main_navigation_in_order(audited):
    structure = audited["toets-goed"].facts["structure"]
    assert [text for _, text in structure["nav"]] == ["Afval", "Belastingen", "Contact"]
    assert structure["help"][0]["region"] == "nav"
    assert structure["search"] is False


def test_every_check_finishes_within_its_own_budget_and_its_time_is_kept(audited):
    # What the checks cost is measured in bench/ (a time limit here would fail on a busy
    # machine); this holds that no check ran out of its budget on these small pages and
    # that the time is recorded for the bench and the timings.
    notes = [r.note for a in audited.values() for r in a.checks if r.note]
    assert not [n for n in notes if n.startswith("timeout:")], notes
    assert all(0 < a.checks_ms for a in audited.values())
