"""The EARL export as the W3C WCAG-EM Report Tool imports it, WCAG 2.2 criteria included.

The tool's assertion import (w3c/wcag-em-report-tool, src/stores/earl/assertionStore)
frames the file with its own JSON-LD context (prefixes WCAG20 and WCAG21, EARL, Dublin
Core, schema.org; no WCAG22), keeps assertions that have a test, a subject and a result,
takes the test's criterion as the part after the first colon of the compacted id of
``test.isPartOf`` or else ``test`` (``WCAG21:non-text-content`` -> ``non-text-content``),
looks it up by W3C id, needs a URL as the subject's id and an outcome that is not
``earl:untested``. This test does the same with pyld, on our own restatement of that
context, and checks that no criterion is lost.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from pyld import jsonld

from audits.earl import CONTEXT, earl
from core import wcag

FIXTURE = Path(__file__).parent / "fixtures" / "results_sample.json"
# The terms the tool's import context defines and its assertion import relies on.
IMPORT_CONTEXT = {
    "WCAG20": "http://www.w3.org/TR/WCAG20/#", "WCAG21": "http://www.w3.org/TR/WCAG21/#",
    "earl": "http://www.w3.org/ns/earl#", "dcterms": "http://purl.org/dc/terms/",
    "schema": "http://schema.org/",
    "Assertion": "earl:Assertion", "TestSubject": "earl:TestSubject",
    "TestCriterion": "earl:TestCriterion", "TestResult": "earl:TestResult",
    "WebPage": "schema:WebPage", "assertedBy": "earl:assertedBy", "mode": "earl:mode",
    "result": "earl:result", "subject": "earl:subject", "test": "earl:test",
    "outcome": "earl:outcome", "title": "dcterms:title", "description": "dcterms:description",
    "isPartOf": "dcterms:isPartOf", "id": "@id", "type": "@type",
}
OUTCOMES = {"earl:passed", "earl:failed", "earl:cantTell", "earl:inapplicable"}
# W3C's ids of the WCAG 2.1 and 2.2 A/AA success criteria, as the tool knows them.
W3C_IDS = {
    "1.1.1": "non-text-content", "1.2.1": "audio-only-and-video-only-prerecorded",
    "1.2.2": "captions-prerecorded",
    "1.2.3": "audio-description-or-media-alternative-prerecorded", "1.2.4": "captions-live",
    "1.2.5": "audio-description-prerecorded", "1.3.1": "info-and-relationships",
    "1.3.2": "meaningful-sequence", "1.3.3": "sensory-characteristics", "1.3.4": "orientation",
    "1.3.5": "identify-input-purpose", "1.4.1": "use-of-color", "1.4.2": "audio-control",
    "1.4.3": "contrast-minimum", "1.4.4": "resize-text", "1.4.5": "images-of-text",
    "1.4.10": "reflow", "1.4.11": "non-text-contrast", "1.4.12": "text-spacing",
    "1.4.13": "content-on-hover-or-focus", "2.1.1": "keyboard", "2.1.2": "no-keyboard-trap",
    "2.1.4": "character-key-shortcuts", "2.2.1": "timing-adjustable", "2.2.2": "pause-stop-hide",
    "2.3.1": "three-flashes-or-below-threshold", "2.4.1": "bypass-blocks", "2.4.2": "page-titled",
    "2.4.3": "focus-order", "2.4.4": "link-purpose-in-context", "2.4.5": "multiple-ways",
    "2.4.6": "headings-and-labels", "2.4.7": "focus-visible",
    "2.4.11": "focus-not-obscured-minimum", "2.5.1": "pointer-gestures",
    "2.5.2": "pointer-cancellation", "2.5.3": "label-in-name", "2.5.4": "motion-actuation",
    "2.5.7": "dragging-movements", "2.5.8": "target-size-minimum", "3.1.1": "language-of-page",
    "3.1.2": "language-of-parts", "3.2.1": "on-focus", "3.2.2": "on-input",
    "3.2.3": "consistent-navigation", "3.2.4": "consistent-identification",
    "3.2.6": "consistent-help", "3.3.1": "error-identification",
    "3.3.2": "labels-or-instructions", "3.3.3": "error-suggestion",
    "3.3.4": "error-prevention-legal-financial-data", "3.3.7": "redundant-entry",
    "3.3.8": "accessible-authentication-minimum", "4.1.1": "parsing",
    "4.1.2": "name-role-value", "4.1.3": "status-messages",
}
BY_ID = {w3c_id: number for number, w3c_id in W3C_IDS.items()}


def sample() -> dict:
    results = json.loads(FIXTURE.read_text(encoding="utf-8"))
    results["pages"][0]["checks"] = [
        {"check": "focus-obscured", "wcag": ["2.4.11"], "outcome": "failed"},
        {"check": "reflow", "wcag": ["1.4.10"], "outcome": "cant_tell", "heuristic": True}]
    return results


def imported(document: dict) -> dict[str, dict[str, list[str]]]:
    """criterion number -> subject URL -> outcomes, as the tool's import would take them."""
    framed = jsonld.frame(document, {"@context": IMPORT_CONTEXT, "@type": "Assertion"})
    found: dict[str, dict[str, list[str]]] = {}
    for assertion in framed.get("@graph") or [framed]:
        test, subject, result = (assertion.get(k) for k in ("test", "subject", "result"))
        if not (test and subject and result):
            continue
        part_of = test.get("isPartOf") if isinstance(test, dict) else None
        test_id = (part_of or {}).get("id") or test["id"]
        number = BY_ID.get(test_id.split(":")[1] if ":" in test_id else "")
        url = subject["id"]
        outcome = result["outcome"]["id"]
        if number and urlsplit(url).scheme in ("http", "https") and outcome != "earl:untested":
            found.setdefault(number, {}).setdefault(url, []).append(outcome)
    return found


def test_our_criterion_ids_are_w3c_ids():
    assert {number: c["slug"] for number, c in wcag.criteria().items()} == W3C_IDS


def test_every_assertion_imports_wcag_2_2_criteria_included():
    document = earl(sample())
    assertions = [n for n in document["@graph"] if n.get("type") == "Assertion"]
    criteria = imported(document)
    assert sum(len(outcomes) for pages in criteria.values()
               for outcomes in pages.values()) == len(assertions)
    home = "http://127.0.0.1:8000/"
    paspoort = "http://127.0.0.1:8000/burgerzaken/paspoort"
    assert criteria["2.5.8"][paspoort] == ["earl:failed"]        # axe's target-size (2.2)
    assert criteria["2.4.11"][home] == ["earl:failed"]            # our focus-obscured (2.2)
    assert criteria["1.4.10"][home] == ["earl:cantTell"]          # a heuristic check
    assert criteria["1.1.1"][home] == ["earl:failed"]
    assert {o for pages in criteria.values() for outs in pages.values() for o in outs} <= OUTCOMES


def test_a_full_wcag_2_2_iri_would_be_lost_by_the_tool():
    document = earl(sample())
    lost = json.loads(json.dumps(document))
    lost["@context"] = {**CONTEXT, "WCAG22": "http://www.w3.org/TR/WCAG22/#"}
    assert "2.5.8" in imported(document) and "2.5.8" not in imported(lost)


def test_wcag_2_2_tests_keep_the_w3c_address_beside_them():
    document = earl(sample())
    tests = {n["test"]["id"]: n["test"] for n in document["@graph"] if "test" in n}
    assert tests["WCAG22:target-size-minimum"]["source"] == \
        "http://www.w3.org/TR/WCAG22/#target-size-minimum"
    assert "source" not in tests["WCAG21:non-text-content"]
