"""Checks over the whole site: functions over every page's entry and the facts the browser
visit gathered (``page_facts``), one module each, listed in ``SITE_CHECKS``.

A site check module has ``ID``, ``WCAG`` and ``judge(pages, facts) -> dict`` where
``pages`` are the results' page entries and ``facts`` maps a URL to its facts; the
answer has ``outcome``, ``pages`` (the pages concerned) and ``note``.
"""

from __future__ import annotations

import json
from types import ModuleType

import sqlite_utils

from audits.site_checks import (
    consistent_help,
    consistent_navigation,
    multiple_ways,
    page_title_unique,
)
from core import store
from core.wcag import wcag22_only

SITE_CHECKS: list[ModuleType] = [page_title_unique, consistent_navigation, multiple_ways,
                                 consistent_help]


def load_facts(db: sqlite_utils.Database, run_id: int) -> dict[str, dict]:
    """URL -> {fact name: value} of one run."""
    facts: dict[str, dict] = {}
    for url, name, value in store.page_facts(db, run_id):
        facts.setdefault(url, {})[name] = json.loads(value)
    return facts


def site_checks(pages: list[dict], facts: dict[str, dict], switches: dict[str, bool]) -> list[dict]:
    """Every site check's result, when ``[checks] site`` is on; in SITE_CHECKS order."""
    if not switches.get("site", True):
        return []
    audited = [page for page in pages if page.get("audited")]
    results = []
    for check in SITE_CHECKS:
        answer = check.judge(audited, facts)
        results.append({"check": check.ID, "wcag": list(check.WCAG),
                        "wcag22_only": wcag22_only(check.WCAG),
                        "heuristic": getattr(check, "HEURISTIC", False),
                        "pages": [], "groups": [], "note": "", **answer})
    return results
