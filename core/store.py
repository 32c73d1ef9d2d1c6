"""The history database: one SQLite file per site, opened through sqlite-utils.

The schema is data (``TABLES``). ``open_db`` creates missing tables and adds
missing columns, so an older database is migrated in place and its history kept.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

# table -> columns, primary key, foreign keys, indexes
TABLES: dict[str, dict] = {
    "runs": {
        "columns": {
            "id": int, "site": str, "start_url": str, "started": str, "finished": str,
            "status": str, "error": str, "tool_version": str, "axe_version": str,
            "axe_note": str,
            "browser": str, "pages_crawled": int, "pages_audited": int,
            "settings": str, "results": str,
            "score_site": float, "score_accessibility": float, "score_links": float,
            "score_tasks": float,
            # the night's figures for the history, stored when the run ends (nachtwacht/history.py)
            "violations": int, "violations_wcag22": int, "broken_links": int, "forms": int,
            "new_violations": int, "new_broken_links": int,
            "audit_progress": str,   # JSON {audited, reused, left}: how far the audit is
        },
        "pk": "id",
    },
    "task_scores": {   # each top task's score per night, for its trend on the scorecard
        "columns": {"id": int, "run_id": int, "task": str, "name": str, "score": float,
                    "found": int},
        "pk": "id",
        "foreign_keys": [("run_id", "runs", "id")],
        "indexes": [("run_id",), ("task",)],
    },
    "pages": {
        "columns": {
            "id": int, "run_id": int, "url": str, "final_url": str, "status": int,
            "location": str, "content_type": str, "response_ms": float, "size": int,
            "title": str, "h1": str, "lang": str, "content_hash": str,
            "found_via": str, "fetch_error": str, "anchors": str,
        },
        "pk": "id",
        "foreign_keys": [("run_id", "runs", "id")],
        "indexes": [("run_id", "url")],
    },
    "links": {
        "columns": {"id": int, "run_id": int, "source": str, "target": str, "href": str,
                    "text": str, "tag": str, "malformed": int, "kind": str},
        "pk": "id",
        "foreign_keys": [("run_id", "runs", "id")],
        "indexes": [("run_id", "source"), ("run_id", "target")],
    },
    "forms": {
        "columns": {"id": int, "run_id": int, "page": str, "action": str, "method": str,
                    "fields": str},
        "pk": "id",
        "foreign_keys": [("run_id", "runs", "id")],
        "indexes": [("run_id", "page")],
    },
    "link_checks": {  # link targets and form actions checked, not crawled (external, documents)
        "columns": {"id": int, "run_id": int, "url": str, "method": str, "status": int,
                    "location": str, "content_type": str, "response_ms": float,
                    "fetch_error": str},
        "pk": "id",
        "foreign_keys": [("run_id", "runs", "id")],
        "indexes": [("run_id", "url")],
    },
    # Every sitemap asked for, with its answer: `error` "unreachable" or "invalid" (not XML).
    "sitemaps": {
        "columns": {"id": int, "run_id": int, "url": str, "status": int, "error": str,
                    "found_via": str, "entries": int},
        "pk": "id",
        "foreign_keys": [("run_id", "runs", "id")],
        "indexes": [("run_id", "url")],
    },
    "sitemap_entries": {
        "columns": {"id": int, "run_id": int, "url": str, "sitemap": str},
        "pk": "id",
        "foreign_keys": [("run_id", "runs", "id")],
        "indexes": [("run_id", "url")],
    },
    # Accessibility (audits/axe_stage.py): one row per HTML page; `audited` 0 with an
    # `error` when the page hung, crashed the browser or opened dialogs; `reused_from` is
    # the run whose audit an unchanged page took over.
    "audits": {
        "columns": {"id": int, "run_id": int, "url": str, "final_url": str,
                    "content_hash": str, "fingerprint": str, "audited": int, "error": str,
                    "load_ms": int, "inject_ms": int, "axe_ms": int, "inapplicable": str,
                    "reused_from": int},
        "pk": "id",
        "foreign_keys": [("run_id", "runs", "id")],
        "indexes": [("run_id", "url")],
    },
    # One row per page and axe rule: kind "violation" or "incomplete" (needs review).
    "findings": {
        "columns": {"id": int, "run_id": int, "url": str, "kind": str, "rule": str,
                    "impact": str, "wcag": str, "wcag22_only": int, "tags": str,
                    "description": str, "help": str, "help_url": str, "elements": int},
        "pk": "id",
        "foreign_keys": [("run_id", "runs", "id")],
        "indexes": [("run_id", "url"), ("run_id", "rule")],
    },
    "finding_elements": {
        "columns": {"id": int, "finding_id": int, "run_id": int, "target": str, "html": str,
                    "failure_summary": str, "impact": str},
        "pk": "id",
        "foreign_keys": [("finding_id", "findings", "id"), ("run_id", "runs", "id")],
        "indexes": [("run_id", "finding_id")],
    },
    # The main text of each HTML page (crawler/text.py), at most 20,000 characters, for the
    # readability check (audits/readability.py); `source` main (the landmark) or body.
    "page_texts": {
        "columns": {"id": int, "run_id": int, "url": str, "text": str, "source": str,
                    "truncated": int},
        "pk": "id",
        "foreign_keys": [("run_id", "runs", "id")],
        "indexes": [("run_id", "url")],
    },
    # The rules a page passes, with the number of elements that pass them.
    "passes": {
        "columns": {"id": int, "run_id": int, "url": str, "rule": str, "impact": str,
                    "wcag": str, "wcag22_only": int, "tags": str, "description": str,
                    "help": str, "help_url": str, "elements": int},
        "pk": "id",
        "foreign_keys": [("run_id", "runs", "id")],
        "indexes": [("run_id", "url")],
    },
    # Pages that may be the toegankelijkheidsverklaring (crawler/statement_text.py): their
    # visible text and mailto: links (JSON), read by audits/statement.py.
    "statement_pages": {
        "columns": {"id": int, "run_id": int, "url": str, "text": str, "emails": str},
        "pk": "id",
        "foreign_keys": [("run_id", "runs", "id")],
        "indexes": [("run_id", "url")],
    },
    # The page checks beyond axe (audits/checks/): one row per page and check, outcome
    # failed|passed|cant_tell|inapplicable; `inherited` 1 when the page's template was walked
    # on another page (`template`), whose result stands for it.
    "check_results": {
        "columns": {"id": int, "run_id": int, "url": str, "check_id": str, "wcag": str,
                    "wcag22_only": int, "outcome": str, "elements": str, "note": str,
                    "heuristic": int, "template": str, "inherited": int, "checks_ms": int},
        "pk": "id",
        "foreign_keys": [("run_id", "runs", "id")],
        "indexes": [("run_id", "url"), ("run_id", "check_id")],
    },
    # What the page checks gathered about a page for the site checks (its navigation, its
    # search form …): one row per page and fact, the value as JSON.
    "page_facts": {
        "columns": {"id": int, "run_id": int, "url": str, "name": str, "value": str},
        "pk": "id",
        "foreign_keys": [("run_id", "runs", "id")],
        "indexes": [("run_id", "url")],
    },
    # Documents on the site (crawler/documents.py, audits/document_stage.py): one row per URL
    # and run; the facts of the file, never the file. `reused_from` is the run whose facts an
    # unchanged document (304 Not Modified, or the same hash) took over.
    "documents": {
        "columns": {"id": int, "run_id": int, "url": str, "type": str, "method": str,
                    "status": int, "content_type": str, "bytes": int, "etag": str,
                    "last_modified": str, "sha256": str, "file": str, "fetch_error": str,
                    "checked": int, "error": str, "error_detail": str, "reused_from": int,
                    "pdf_pages": int, "tagged": int, "struct_tree": int, "lang": str, "title": str,
                    "display_doc_title": int, "has_text": int, "encrypted": int,
                    "password": int, "pdfua": int, "date": str, "date_source": str},
        "pk": "id",
        "foreign_keys": [("run_id", "runs", "id")],
        "indexes": [("run_id", "url"), ("url",)],
    },
}


# Views over JSON the store keeps, for people who open the database (sqlite3, Datasette):
# one row per item, without a second copy of the data. name -> SELECT.
VIEWS: dict[str, str] = {
    # what each audited page contacted, before consent (page fact "privacy", audits/checks/privacy.py)
    "privacy_hosts": """
        SELECT f.run_id, f.url AS page, json_extract(h.value, '$.host') AS host,
               json_extract(h.value, '$.requests') AS requests,
               json_extract(h.value, '$.blocked') AS blocked_requests,
               json_extract(h.value, '$.types') AS types
        FROM page_facts AS f, json_each(f.value, '$.hosts') AS h
        WHERE f.name = 'privacy'""",
    "privacy_cookies": """
        SELECT f.run_id, f.url AS page, json_extract(c.value, '$.name') AS name,
               json_extract(c.value, '$.domain') AS domain,
               json_extract(c.value, '$.lifetime_days') AS lifetime_days,
               json_extract(c.value, '$.script_host') AS set_by_script_on,
               json_extract(c.value, '$.http_only') AS http_only,
               json_extract(c.value, '$.secure') AS secure
        FROM page_facts AS f, json_each(f.value, '$.cookies') AS c
        WHERE f.name = 'privacy'""",
    "privacy_storage": """
        SELECT f.run_id, f.url AS page, json_extract(s.value, '$.kind') AS kind,
               json_extract(s.value, '$.key') AS key
        FROM page_facts AS f, json_each(f.value, '$.storage') AS s
        WHERE f.name = 'privacy'""",
}


def now() -> str:
    return datetime.now(UTC).astimezone().isoformat(timespec="seconds")


def open_db(path: Path | str) -> sqlite_utils.Database:
    """Open (and create or migrate) the history database."""
    db = sqlite_utils.Database(path)
    if not db.table_names():
        db.execute("PRAGMA auto_vacuum=INCREMENTAL")   # core/retention.py gives space back
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA busy_timeout=30000")
    db.execute("PRAGMA foreign_keys=ON")
    ensure_schema(db)
    return db


def ensure_schema(db: sqlite_utils.Database) -> None:
    for name, select in VIEWS.items():
        db.execute(f"CREATE VIEW IF NOT EXISTS {name} AS {select}")
    for name, spec in TABLES.items():
        table = db[name]
        if not table.exists():
            table.create(spec["columns"], pk=spec["pk"],
                         foreign_keys=spec.get("foreign_keys", []))
        else:
            missing = {c: t for c, t in spec["columns"].items() if c not in table.columns_dict}
            for column, kind in missing.items():
                table.add_column(column, kind)
        for index in spec.get("indexes", []):
            table.create_index(index, if_not_exists=True)


def start_run(db: sqlite_utils.Database, site: str, start_url: str, settings: dict,
              tool_version: str) -> int:
    """Record a new run as 'running' and return its id."""
    return db["runs"].insert({
        "site": site, "start_url": start_url, "started": now(), "status": "running",
        "tool_version": tool_version, "settings": json.dumps(settings, sort_keys=True),
    }).last_pk


def finish_run(db: sqlite_utils.Database, run_id: int, status: str, **fields) -> None:
    db["runs"].update(run_id, {"status": status, "finished": now(), **fields})


def rows(db: sqlite_utils.Database, table: str, run_id: int, order: str = "id") -> list[dict]:
    """All rows of one run in a table, in a stable order."""
    return list(db[table].rows_where("run_id = ?", [run_id], order_by=order))


def run_links(db: sqlite_utils.Database, run_id: int) -> Iterator[dict]:
    """The links the crawl of one run found (source, target, href, text, tag, malformed,
    kind), streamed in a stable order: how they are stored is this module's business."""
    yield from db["links"].rows_where("run_id = ?", [run_id], order_by="id")
