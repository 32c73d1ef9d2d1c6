"""The accessibility fields of the results' page entries, from the run's stored audits."""

from __future__ import annotations

import sqlite_utils

from audits.axe import PageAudit, RuleResult
from audits.axe_stage import load_audits


def attach_audits(db: sqlite_utils.Database, run_id: int, pages: list[dict]) -> dict:
    """Give every page entry ``audited``, ``audit_error``, ``violations``, ``incomplete`` and
    ``passes``; returns counts for the run.

    A page without an audit (not HTML, or the audit stage did not reach it) has ``audited``
    None and no findings lists, so nothing counts it as clean.
    """
    stored = load_audits(db, run_id)
    audits = {url: audit for url, (audit, _) in stored.items()}
    reused = {url for url, (_, meta) in stored.items() if meta["reused_from"]}
    for page in pages:
        audit = audits.get(page["url"])
        page.update(page_fields(audit, page["url"] in reused))
    return {"audited": sum(1 for a in audits.values() if a.audited),
            "not_audited": sum(1 for a in audits.values() if not a.audited),
            "reused": len(reused)}


def page_fields(audit: PageAudit | None, reused: bool = False) -> dict:
    """The results.json fields of one page's audit."""
    if audit is None:
        return {"audited": None, "audit_error": None, "violations": None, "incomplete": None,
                "passes": None}
    found = audit.audited
    return {
        "audited": found, "audit_error": audit.error, "audit_final_url": audit.final_url,
        "audit_reused": reused,
        "violations": [finding(rule) for rule in audit.violations] if found else None,
        "incomplete": [finding(rule) for rule in audit.incomplete] if found else None,
        "passes": [{"rule": rule.rule, "wcag": rule.wcag, "nodes": rule.node_count}
                   for rule in audit.passes] if found else None,
    }


def finding(rule: RuleResult) -> dict:
    """One rule's finding on one page, with its elements."""
    return {"rule": rule.rule, "impact": rule.impact, "wcag": rule.wcag,
            "wcag22_only": rule.wcag22_only, "nodes": rule.node_count, "help": rule.help,
            "description": rule.description, "help_url": rule.help_url,
            "elements": [{"target": node.target, "html": node.html,
                          "failure_summary": node.failure_summary, "impact": node.impact}
                         for node in rule.nodes]}
