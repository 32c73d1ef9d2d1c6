"""Dutch all through: every rule the axe-core in use can report has Dutch texts, and axe's
own element summaries are Dutch (real axe-core in real Chromium)."""

from __future__ import annotations

import pytest

from audits.axe import AxeSettings, audit_pages
from audits.axe_settings import BUNDLED_SCRIPT
from audits.browser import Browser
from reports.view import rule_texts
from tests.conftest import page


@pytest.fixture(scope="module", params=["in use", "bundled"])
def axe_rules(request) -> list[str]:
    """The ids of every rule of an axe-core nachtwacht may use (npm's, or the bundled fallback),
    from axe.getRules() in Chromium."""
    settings = AxeSettings() if request.param == "in use" else AxeSettings(script=str(BUNDLED_SCRIPT))
    browser = Browser.start()
    try:
        driver = browser.driver
        driver.get("data:text/html,<title>axe</title>")
        driver.execute_script(settings.source())
        return driver.execute_script("return axe.getRules().map(function (r) { return r.ruleId; })")
    finally:
        browser.close()


def test_every_rule_of_axe_core_has_a_dutch_title_and_fix(axe_rules):
    texts = rule_texts()
    assert len(axe_rules) > 90
    missing = [rule for rule in axe_rules if not texts.get(rule, {}).get("nl")
               or not texts[rule].get("fix")]
    assert missing == []


def test_element_summaries_are_dutch(make_site):
    site = make_site({"foto.html": page("Foto", "<img src='/foto.png'>"),
                      "grijs.html": page("Grijs", "<p style='color:#bbb'>Openingstijden</p>")})
    settings = AxeSettings(page_timeout=15, script_timeout=30)
    audits = {a.url.rsplit("/", 1)[1]: a
              for a in audit_pages([site.url("/foto"), site.url("/grijs")], settings, 1)}
    image = next(r for r in audits["foto"].violations if r.rule == "image-alt")
    summary = image.nodes[0].failure_summary
    assert summary.startswith("Los een van deze punten op:")
    assert "Het element heeft geen alt-attribuut" in summary and "Fix" not in summary
    contrast = next(r for r in audits["grijs"].violations if r.rule == "color-contrast")
    assert "Te weinig contrast" in contrast.nodes[0].failure_summary


def test_the_bundled_fallback_is_noted_and_still_summarises_in_dutch(make_site):
    settings = AxeSettings(page_timeout=15, script_timeout=30, script=str(BUNDLED_SCRIPT))
    assert settings.axe_note == "bundled"
    site = make_site({"foto.html": page("Foto", "<img src='/foto.png'>")})
    [audit] = audit_pages([site.url("/foto")], settings, 1)
    image = next(r for r in audit.violations if r.rule == "image-alt")
    assert image.nodes[0].failure_summary.startswith("Los een van deze punten op:")


def test_english_summaries_when_the_locale_is_english(make_site):
    site = make_site({"foto.html": page("Foto", "<img src='/foto.png'>")})
    settings = AxeSettings(page_timeout=15, script_timeout=30, locale="en")
    [audit] = audit_pages([site.url("/foto")], settings, 1)
    image = next(r for r in audit.violations if r.rule == "image-alt")
    assert image.nodes[0].failure_summary.startswith("Fix any of the following:")
