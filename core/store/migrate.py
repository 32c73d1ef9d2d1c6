"""A database of the former layout (a row per night in every table) is moved into the
stored-once tables once."""

from __future__ import annotations

import sqlite_utils

from core.store.schema import FORM, LINK, RULE, TABLES, legacy_tables
from core.store.write import add_audit, add_fetch, add_sitemap_entry


def migrate(db: sqlite_utils.Database) -> None:
    """Move the former per-night tables into the stored-once tables, in one transaction:
    every night keeps its rows (as the views show them); then the former tables go."""
    db.execute("BEGIN IMMEDIATE")    # the lock first: another process may be at it too
    try:
        legacy = legacy_tables(db)
        if "pages" in legacy:
            _migrate_pages(db, legacy)
        if "sitemap_entries" in legacy:
            for entry in list(db["sitemap_entries"].rows_where(order_by="id")):
                add_sitemap_entry(db, entry["run_id"], entry)
        if "audits" in legacy:
            _migrate_audits(db, legacy)
        for name in legacy:
            db.execute(f"DROP TABLE [{name}]")
        db.commit()
    except BaseException:
        db.rollback()
        raise
    if db.execute("PRAGMA auto_vacuum").fetchone()[0] == 2:    # incremental: give space back
        db.execute("PRAGMA incremental_vacuum").fetchall()


def _migrate_pages(db: sqlite_utils.Database, legacy: list[str]) -> None:
    runs = [row[0] for row in db.execute("SELECT DISTINCT run_id FROM pages ORDER BY run_id")]
    for run_id in runs:
        seen: set[str] = set()
        for page in list(db["pages"].rows_where("run_id = ?", [run_id], order_by="id")):
            # A URL stored twice in one night had all its links and forms under its URL:
            # they go with its first row, so the night keeps as many as it had.
            first = page["url"] not in seen
            seen.add(page["url"])
            links = [{c: row.get(c) for c in LINK} for row in db["links"].rows_where(
                "run_id = ? AND source = ?", [run_id, page["url"]], order_by="id")] \
                if first and "links" in legacy else []
            forms = [{c: row.get(c) for c in FORM} for row in db["forms"].rows_where(
                "run_id = ? AND page = ?", [run_id, page["url"]], order_by="id")] \
                if first and "forms" in legacy else []
            add_fetch(db, run_id, page, links, forms)


def _migrate_audits(db: sqlite_utils.Database, legacy: list[str]) -> None:
    def part(name: str, where: str, params: list) -> list[dict]:
        return list(db[name].rows_where(where, params, order_by="id")) if name in legacy else []

    for audit in list(db["audits"].rows_where(order_by="id")):
        page = [audit["run_id"], audit["url"]]
        findings = [{**row, "nodes": part("finding_elements", "finding_id = ?", [row["id"]])}
                    for row in part("findings", "run_id = ? AND url = ?", page)]
        checks = part("check_results", "run_id = ? AND url = ?", page)
        columns = {"findings": ("kind", "impact", "elements", *RULE),
                   "nodes": ("target", "html", "failure_summary", "impact"),
                   "checks": ("check_id", "wcag", "wcag22_only", "outcome", "elements", "note",
                              "heuristic", "template", "inherited")}
        result = {c: audit.get(c) for c in TABLES["audit_results"]["columns"]
                  if c not in ("id", "key", "checks_ms")}
        add_audit(db, audit["run_id"], audit["url"], {
            "result": {**result, "checks_ms": checks[0].get("checks_ms") if checks else 0},
            "findings": [{**{c: f.get(c) for c in columns["findings"]},
                          "nodes": [{c: n.get(c) for c in columns["nodes"]} for n in f["nodes"]]}
                         for f in findings],
            "passes": [{c: row.get(c) for c in ("impact", "elements", *RULE)}
                       for row in part("passes", "run_id = ? AND url = ?", page)],
            "checks": [{c: row.get(c) for c in columns["checks"]} for row in checks],
            "facts": [{"name": row["name"], "value": row["value"]}
                      for row in part("page_facts", "run_id = ? AND url = ?", page)],
        }, audit.get("reused_from"))
