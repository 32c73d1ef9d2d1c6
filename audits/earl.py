"""The findings as EARL (W3C Evaluation and Report Language) in JSON-LD.

One assertion per audited page and WCAG success criterion, mode automatic, asserted
by nachtwacht with axe-core and its own page checks. Outcomes: failed (violations, failed
checks), cantTell (axe's incomplete, checks that could not decide), passed and
inapplicable only per page and only where axe or a check reported them; the worst of them
per criterion, by the rule of the evidence section (``audits.evidence.page_outcomes``). Nothing
is ever asserted for the whole site: that needs a human evaluation (WCAG-EM).

The shape is the one the W3C WCAG-EM Report Tool imports (its assertion import frames the
document with its own context, then reads a test's criterion as the part after the colon
of the compacted test id, ``WCAG21:non-text-content`` -> ``non-text-content``, looked up
among the criteria of every WCAG version it knows). Its context knows the prefixes WCAG20
and WCAG21 only, so a full WCAG 2.2 IRI stays uncompacted there and its criterion is
lost. Criteria that WCAG 2.2 added are therefore written as ``WCAG22:<id>``, the form the
tool writes for its own 2.2 tests, with the W3C IRI beside it as ``source``.
"""

from __future__ import annotations

from audits.evidence import page_outcomes
from core import wcag

CONTEXT = {
    "earl": "http://www.w3.org/ns/earl#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "doap": "http://usefulinc.com/ns/doap#",
    "schema": "http://schema.org/",
    "WCAG20": "http://www.w3.org/TR/WCAG20/#",
    "WCAG21": "http://www.w3.org/TR/WCAG21/#",
    # no "WCAG22" prefix on purpose: see the module docstring
    "Assertion": "earl:Assertion",
    "Assertor": "earl:Assertor",
    "Software": "earl:Software",
    "TestSubject": "earl:TestSubject",
    "TestCriterion": "earl:TestCriterion",
    "TestResult": "earl:TestResult",
    "WebPage": "schema:WebPage",
    "assertedBy": {"@id": "earl:assertedBy", "@type": "@id"},
    "subject": {"@id": "earl:subject", "@type": "@id"},
    "test": {"@id": "earl:test", "@type": "@id"},
    "result": "earl:result",
    "mode": {"@id": "earl:mode", "@type": "@id"},
    "outcome": {"@id": "earl:outcome", "@type": "@id"},
    "title": "dcterms:title",
    "description": "dcterms:description",
    "date": "dcterms:date",
    "source": {"@id": "dcterms:source", "@type": "@id"},
    "isPartOf": {"@id": "dcterms:isPartOf", "@type": "@id"},
    "hasVersion": "dcterms:hasVersion",
    "id": "@id",
    "type": "@type",
}
ASSERTOR_ID = "https://github.com/nachtwacht/nachtwacht#nachtwacht"
# Our outcome names as EARL spells them (the outcome is audits.evidence's one rule)
EARL_OUTCOMES = {"failed": "failed", "cant_tell": "cantTell", "passed": "passed",
                 "inapplicable": "inapplicable"}
WCAG22_IRI = "http://www.w3.org/TR/WCAG22/#"


def criterion_id(number: str) -> str | None:
    """The criterion as the WCAG-EM Report Tool reads it: WCAG21:<id>, or WCAG22:<id> for
    criteria that WCAG 2.2 added."""
    criterion = wcag.criteria().get(number)
    if criterion is None:
        return None
    prefix = "WCAG22" if criterion["since"] == "2.2" else "WCAG21"
    return f"{prefix}:{criterion['slug']}"


def describe(outcome: str, rules: dict[str, int]) -> str:
    checks = ", ".join(f"{rule} ({nodes} elements)" if nodes else rule
                       for rule, nodes in sorted(rules.items()))
    notes = {"failed": "automated checks (axe-core, nachtwacht) found violations",
             "cantTell": "automated checks could not decide; needs review by a person",
             "passed": "the automated checks passed on this page; "
                       "they cover only part of the criterion, a person must evaluate the rest",
             "inapplicable": "the automated checks found nothing they apply to on this page"}
    return f"{notes[outcome]}: {checks}"


def earl(results: dict) -> dict:
    """The EARL JSON-LD document of one run."""
    run = results.get("run") or {}
    assertor = {
        "id": ASSERTOR_ID, "type": ["Assertor", "Software"],
        "title": f"nachtwacht {run.get('tool_version') or ''} with axe-core "
                 f"{run.get('axe_version') or 'unknown'}".strip(),
        "hasVersion": run.get("tool_version"),
        "description": f"Automated checks in {run.get('browser') or 'headless Chromium'}",
    }
    graph: list[dict] = [assertor]
    date = run.get("finished") or run.get("started")
    for page in results.get("pages") or []:
        if not page.get("audited"):
            continue
        outcomes = page_outcomes(page)   # per criterion, by the evidence section's rule
        for number in sorted(outcomes, key=wcag.sort_key):
            test = criterion_id(number)
            if test is None:
                continue
            entry = outcomes[number]
            outcome = EARL_OUTCOMES[entry["outcome"]]
            criterion = wcag.criteria()[number]
            graph.append({
                "type": "Assertion",
                "assertedBy": ASSERTOR_ID,
                "mode": "earl:automatic",
                "subject": {"id": page["url"], "type": ["TestSubject", "WebPage"],
                            "source": page["url"], "title": page.get("title") or page["url"]},
                "test": {"id": test, "type": "TestCriterion",
                         "title": f"{number} {criterion['en']}",
                         **({"source": WCAG22_IRI + criterion["slug"]}
                            if test.startswith("WCAG22:") else {})},
                "result": {"type": "TestResult", "outcome": f"earl:{outcome}",
                           "description": describe(outcome, entry["rules"]),
                           "date": date},
            })
    return {"@context": CONTEXT, "@graph": graph}
