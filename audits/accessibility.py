"""The results' page entries with their audits, and the counts of the run's audits.

The page entries are built in one step (``pages_section``): each crawled page
(audits/pages.py) with its axe results (``page_fields``) and its page checks
(audits/page_checks.py). No later section adds to them.
"""

from __future__ import annotations

from audits import page_checks, pages
from audits.axe import PageAudit, RuleResult
from audits.crawldata import CrawlData

Audits = dict[str, tuple[PageAudit, dict]]   # URL -> (stored audit, its reuse facts)


def pages_section(crawl: CrawlData, audits: Audits) -> list[dict]:
    """The results' ``pages``: every crawled page with ``audited``, ``audit_error``,
    ``violations``, ``incomplete``, ``passes`` and ``checks``.

    A page without an audit (not HTML, or the audit stage did not reach it) has ``audited``
    None and no findings lists, so nothing counts it as clean.
    """
    walked = page_checks.walked_templates({url: audit for url, (audit, _) in audits.items()})
    entries = []
    for entry in pages.page_entries(crawl):
        audit, meta = audits.get(entry["url"], (None, {}))
        entries.append({**entry, **page_fields(audit, bool(meta.get("reused_from"))),
                        "checks": page_checks.page_entry(audit, walked)})
    return entries


def counts(audits: Audits) -> dict:
    """The results' ``accessibility``: pages audited, not audited, and audits taken over
    from the previous night."""
    return {"audited": sum(1 for audit, _ in audits.values() if audit.audited),
            "not_audited": sum(1 for audit, _ in audits.values() if not audit.audited),
            "reused": sum(1 for _, meta in audits.values() if meta["reused_from"])}


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
