"""The page checks' outcomes on the results' page entries (``pages[].checks``).

A keyboard walk is made once per page template: a page whose template was walked
on another page carries an inherited result, which takes the walked page's outcome
here, with ``inherited_from`` naming that page.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import sqlite_utils

from audits.axe_stage import load_audits
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


def attach_checks(db: sqlite_utils.Database, run_id: int, pages: list[dict]) -> dict:
    """Give every audited page entry ``checks``; returns counts per check and outcome."""
    stored = {url: audit for url, (audit, _) in load_audits(db, run_id).items()}
    walked: dict[tuple[str, str], tuple[str, CheckResult]] = {}
    for url, audit in sorted(stored.items()):
        for result in audit.checks:
            if result.template and not result.inherited:
                walked.setdefault((result.check, result.template), (url, result))
    counts: dict[str, dict[str, int]] = {}
    for page in pages:
        audit = stored.get(page["url"])
        if audit is None or not audit.audited:
            page["checks"] = None
            continue
        page["checks"] = [entry(result, walked) for result in audit.checks]
        for item in page["checks"]:
            tally = counts.setdefault(item["check"], {})
            tally[item["outcome"]] = tally.get(item["outcome"], 0) + 1
    return counts


def entry(result: CheckResult, walked: dict[tuple[str, str], tuple[str, CheckResult]]) -> dict:
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
