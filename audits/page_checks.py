"""The page checks' outcomes on the results' page entries (``pages[].checks``).

A keyboard walk is made once per page template: a page whose template was walked
on another page carries an inherited result, which takes the walked page's outcome
here, with ``inherited_from`` naming that page.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from audits.axe import PageAudit
from audits.checks import CheckResult
from core.wcag import wcag22_only

COVERAGE = Path(__file__).parent / "checks" / "coverage.toml"


@cache
def _coverage() -> dict[str, dict]:
    with open(COVERAGE, "rb") as file:
        return tomllib.load(file)


def coverage(switches: dict[str, bool]) -> list[dict]:
    """What each check that was on covers: its criteria and, in Dutch and English, what it
    sees and what it does not (audits/checks/coverage.toml)."""
    return [{"check": check, "criteria": entry["criteria"], "heuristic": entry["heuristic"],
             "wcag22_only": wcag22_only(entry["criteria"]), "nl": entry["nl"], "en": entry["en"]}
            for check, entry in _coverage().items() if switches.get(entry["setting"], True)]


Walked = dict[tuple[str, str], tuple[str, CheckResult]]   # (check, template) -> (page, result)


def walked_templates(audits: dict[str, PageAudit]) -> Walked:
    """The result that stands for each template's walk: the first page (by URL) walked."""
    walked: Walked = {}
    for url, audit in sorted(audits.items()):
        for result in audit.checks:
            if result.template and not result.inherited:
                walked.setdefault((result.check, result.template), (url, result))
    return walked


def page_entry(audit: PageAudit | None, walked: Walked) -> list[dict] | None:
    """A page's ``checks``; None when the page was not audited."""
    if audit is None or not audit.audited:
        return None
    return [entry(result, walked) for result in audit.checks]


def counts(pages: list[dict]) -> dict[str, dict[str, int]]:
    """The results' ``page_checks``: per check, how many pages had each outcome."""
    tally: dict[str, dict[str, int]] = {}
    for page in pages:
        for item in page.get("checks") or []:
            outcomes = tally.setdefault(item["check"], {})
            outcomes[item["outcome"]] = outcomes.get(item["outcome"], 0) + 1
    return tally


def entry(result: CheckResult, walked: Walked) -> dict:
    """One check's outcome on a page, as results.json has it."""
    source = None
    if result.inherited:
        found = walked.get((result.check, result.template or ""))
        if found:
            source, result = found
    item = {"check": result.check, "wcag": result.wcag, "outcome": result.outcome,
            "wcag22_only": wcag22_only(result.wcag), "heuristic": result.heuristic,
            "elements": [{"target": e.target, "html": e.html, "detail": e.detail}
                         for e in result.elements],
            "note": result.note, "inherited_from": source}
    if result.inherited and source is None:
        item.update(outcome="cant_tell", elements=[],
                    note="inherited: the page that stood for this template was not walked")
    return item
