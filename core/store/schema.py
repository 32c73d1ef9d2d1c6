"""The store's schema as data: its tables (``TABLES``), the views with the former tables'
names (``VIEWS``), and what retention deletes (``UNREFERENCED``); made or completed in place."""

from __future__ import annotations

import sqlite3

import sqlite_utils

# table -> columns, primary key, foreign keys, indexes (and unique ones); a table "once"
# has a `key` (the digest of its content) and is shared by every night that saw the same.
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
    # The links found on a page (once): one set per distinct list, whichever page or night
    # it was found on; `links` is how many.
    "link_sets": {
        "columns": {"id": int, "key": str, "links": int},
        "pk": "id",
        "unique": [("key",)],
    },
    "link_set_links": {   # the links of a set, in page order
        "columns": {"link_set_id": int, "position": int, "target": str, "href": str,
                    "text": str, "tag": str, "malformed": int, "kind": str},
        "pk": ("link_set_id", "position"),
        "without_rowid": True,
        "foreign_keys": [("link_set_id", "link_sets", "id")],
    },
    # A version of a page (once): what its URL answered and contained; `link_set_id` its
    # links. A page that did not change keeps its version.
    "page_versions": {
        "columns": {
            "id": int, "key": str, "url": str, "final_url": str, "status": int,
            "location": str, "content_type": str, "size": int, "title": str, "h1": str,
            "lang": str, "content_hash": str, "fetch_error": str, "anchors": str,
            "link_set_id": int,
        },
        "pk": "id",
        "foreign_keys": [("link_set_id", "link_sets", "id")],
        "unique": [("key",)],
    },
    "page_version_forms": {   # the forms of a page version, in page order
        "columns": {"id": int, "page_version_id": int, "action": str, "method": str,
                    "fields": str},
        "pk": "id",
        "foreign_keys": [("page_version_id", "page_versions", "id")],
        "indexes": [("page_version_id",)],
    },
    # Each night: one small row per URL the crawl asked for (view `pages`), with what differs
    # from night to night even when the page does not: the time it took, and how the crawl
    # came to it (`found_via` start | link | sitemap | config | history).
    "page_fetches": {
        "columns": {"id": int, "run_id": int, "page_version_id": int, "response_ms": float,
                    "found_via": str},
        "pk": "id",
        "foreign_keys": [("run_id", "runs", "id"), ("page_version_id", "page_versions", "id")],
        "indexes": [("run_id",)],
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
    "sitemap_urls": {   # a <loc> of a sitemap (once)
        "columns": {"id": int, "key": str, "url": str, "sitemap": str},
        "pk": "id",
        "unique": [("key",)],
    },
    "sitemap_listings": {   # each night: the sitemap entries it read (view `sitemap_entries`)
        "columns": {"id": int, "run_id": int, "sitemap_url_id": int},
        "pk": "id",
        "foreign_keys": [("run_id", "runs", "id"), ("sitemap_url_id", "sitemap_urls", "id")],
        "indexes": [("run_id",)],
    },
    # Accessibility (audits/axe_stage.py). An audit's detail is stored once per distinct
    # result: `audit_results` (keyed by the digest of the content hash, the audit fingerprint
    # and everything found), with its findings, elements, passes, check results and page facts.
    # Each night a page gets one row in `page_audits` pointing at its result; `reused_from`
    # is the run whose audit an unchanged page took over. `audited` 0 with an `error` when
    # the page hung, crashed the browser or opened dialogs.
    "audit_results": {
        "columns": {"id": int, "key": str, "content_hash": str, "fingerprint": str,
                    "final_url": str, "audited": int, "error": str, "load_ms": int,
                    "inject_ms": int, "axe_ms": int, "checks_ms": int, "inapplicable": str},
        "pk": "id",
        "unique": [("key",)],
    },
    "page_audits": {
        "columns": {"id": int, "run_id": int, "url": str, "audit_result_id": int,
                    "reused_from": int},
        "pk": "id",
        "foreign_keys": [("run_id", "runs", "id"), ("audit_result_id", "audit_results", "id")],
        "indexes": [("run_id",)],
    },
    # An axe-core rule as axe described it (once): the texts every finding and pass repeats.
    "axe_rules": {
        "columns": {"id": int, "key": str, "rule": str, "wcag": str, "wcag22_only": int,
                    "tags": str, "description": str, "help": str, "help_url": str},
        "pk": "id",
        "unique": [("key",)],
    },
    # One row per audit result and axe rule: kind "violation" or "incomplete" (needs review).
    "audit_findings": {
        "columns": {"id": int, "audit_result_id": int, "kind": str, "rule_id": int,
                    "impact": str, "elements": int},
        "pk": "id",
        "foreign_keys": [("audit_result_id", "audit_results", "id"), ("rule_id", "axe_rules", "id")],
        "indexes": [("audit_result_id",)],
    },
    "audit_finding_elements": {
        "columns": {"id": int, "audit_finding_id": int, "target": str, "html": str,
                    "failure_summary": str, "impact": str},
        "pk": "id",
        "foreign_keys": [("audit_finding_id", "audit_findings", "id")],
        "indexes": [("audit_finding_id",)],
    },
    # The rules a page passes, with the number of elements that pass them.
    "audit_passes": {
        "columns": {"id": int, "audit_result_id": int, "rule_id": int, "impact": str,
                    "elements": int},
        "pk": "id",
        "foreign_keys": [("audit_result_id", "audit_results", "id"), ("rule_id", "axe_rules", "id")],
        "indexes": [("audit_result_id",)],
    },
    # The page checks beyond axe (audits/checks/): one row per result and check, outcome
    # failed|passed|cant_tell|inapplicable; `inherited` 1 when the page's template was walked
    # on another page (`template`), whose result stands for it.
    "audit_check_results": {
        "columns": {"id": int, "audit_result_id": int, "check_id": str, "wcag": str,
                    "wcag22_only": int, "outcome": str, "elements": str, "note": str,
                    "heuristic": int, "template": str, "inherited": int},
        "pk": "id",
        "foreign_keys": [("audit_result_id", "audit_results", "id")],
        "indexes": [("audit_result_id",)],
    },
    # What the page checks gathered about a page for the site checks (its navigation, its
    # search form …): one row per result and fact, the value as JSON.
    "audit_page_facts": {
        "columns": {"id": int, "audit_result_id": int, "name": str, "value": str},
        "pk": "id",
        "foreign_keys": [("audit_result_id", "audit_results", "id")],
        "indexes": [("audit_result_id",)],
    },
    # The main text of each HTML page (crawler/text.py), at most 20,000 characters, for the
    # readability check (audits/readability.py); `source` main (the landmark) or body. Only
    # the newest night's texts are kept (audits/readability.py forget_older_texts); a text
    # that did not change moves to the new night (add_page_text) instead of being written again.
    "page_texts": {
        "columns": {"id": int, "run_id": int, "url": str, "text": str, "source": str,
                    "truncated": int},
        "pk": "id",
        "foreign_keys": [("run_id", "runs", "id")],
        "indexes": [("run_id", "url"), ("url",)],
    },
    # Pages that may be the toegankelijkheidsverklaring (crawler/statement_text.py): their
    # visible text and mailto: links (JSON), read by audits/statement.py.
    "statement_pages": {
        "columns": {"id": int, "run_id": int, "url": str, "text": str, "emails": str},
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

# A row of a view over a night's row and a stored row has the id night row id × 2**32 +
# stored row id: unique, and in the order the rows were found.
ROW = "4294967296"

# The parts of an audit as views of one row per night (the former tables): part ->
# (columns, joins onto page_audits `a`, order within one audit).
AUDIT_PARTS: dict[str, tuple[str, str, str]] = {
    "findings": (
        (f"a.id * {ROW} + f.id AS id, a.run_id, a.url, f.kind, x.rule, f.impact, x.wcag, "
         "x.wcag22_only, x.tags, x.description, x.help, x.help_url, f.elements"),
        ("JOIN audit_findings AS f ON f.audit_result_id = a.audit_result_id "
         "JOIN axe_rules AS x ON x.id = f.rule_id"), "f.id"),
    "finding_elements": (
        (f"a.id * {ROW} + e.id AS id, a.id * {ROW} + f.id AS finding_id, a.run_id, e.target, "
         "e.html, e.failure_summary, e.impact"),
        ("JOIN audit_findings AS f ON f.audit_result_id = a.audit_result_id "
         "JOIN audit_finding_elements AS e ON e.audit_finding_id = f.id"), "f.id, e.id"),
    "passes": (
        (f"a.id * {ROW} + p.id AS id, a.run_id, a.url, x.rule, p.impact, x.wcag, "
         "x.wcag22_only, x.tags, x.description, x.help, x.help_url, p.elements"),
        ("JOIN audit_passes AS p ON p.audit_result_id = a.audit_result_id "
         "JOIN axe_rules AS x ON x.id = p.rule_id"), "p.id"),
    "check_results": (
        (f"a.id * {ROW} + c.id AS id, a.run_id, a.url, c.check_id, c.wcag, c.wcag22_only, "
         "c.outcome, c.elements, c.note, c.heuristic, c.template, c.inherited, r.checks_ms"),
        ("JOIN audit_results AS r ON r.id = a.audit_result_id "
         "JOIN audit_check_results AS c ON c.audit_result_id = a.audit_result_id"), "c.id"),
    "page_facts": (
        f"a.id * {ROW} + p.id AS id, a.run_id, a.url, p.name, p.value",
        "JOIN audit_page_facts AS p ON p.audit_result_id = a.audit_result_id", "p.id"),
}

LINKS_COLUMNS = (f"f.id * {ROW} + l.position AS id, f.run_id, v.url AS source, l.target, l.href, "
                 "l.text, l.tag, l.malformed, l.kind")
LINKS_FROM = ("page_fetches AS f JOIN page_versions AS v ON v.id = f.page_version_id "
              "JOIN link_set_links AS l ON l.link_set_id = v.link_set_id")

# Views for people who open the database (sqlite3, Datasette) and for reading a night: the
# former per-night tables, and one row per item of JSON the store keeps. name -> SELECT.
VIEWS: dict[str, str] = {
    "pages": """
        SELECT f.id, f.run_id, v.url, v.final_url, v.status, v.location, v.content_type,
               f.response_ms, v.size, v.title, v.h1, v.lang, v.content_hash, f.found_via,
               v.fetch_error, v.anchors
        FROM page_fetches AS f JOIN page_versions AS v ON v.id = f.page_version_id""",
    "links": f"SELECT {LINKS_COLUMNS} FROM {LINKS_FROM}",
    "forms": f"""
        SELECT f.id * {ROW} + o.id AS id, f.run_id, v.url AS page, o.action, o.method, o.fields
        FROM page_fetches AS f JOIN page_versions AS v ON v.id = f.page_version_id
             JOIN page_version_forms AS o ON o.page_version_id = v.id""",
    "sitemap_entries": """
        SELECT s.id, s.run_id, u.url, u.sitemap
        FROM sitemap_listings AS s JOIN sitemap_urls AS u ON u.id = s.sitemap_url_id""",
    "audits": """
        SELECT a.id, a.run_id, a.url, r.final_url, r.content_hash, r.fingerprint, r.audited,
               r.error, r.load_ms, r.inject_ms, r.axe_ms, r.inapplicable, a.reused_from,
               a.audit_result_id, r.checks_ms
        FROM page_audits AS a JOIN audit_results AS r ON r.id = a.audit_result_id""",
    **{part: f"SELECT {columns} FROM page_audits AS a {joins}"
       for part, (columns, joins, _) in AUDIT_PARTS.items()},
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

LINK = ("target", "href", "text", "tag", "malformed", "kind")
PAGE_VERSION = tuple(c for c in TABLES["page_versions"]["columns"]
                     if c not in ("id", "key", "link_set_id"))
FETCH = ("response_ms", "found_via")
FORM = ("action", "method", "fields")
RULE = ("rule", "wcag", "wcag22_only", "tags", "description", "help", "help_url")

# Stored rows no night points at any more, children first: what core/retention.py deletes
# after it dropped old nights. (A NOT IN subquery never holds a NULL: it would match nothing.)
UNREFERENCED: list[str] = [
    ("DELETE FROM page_version_forms WHERE page_version_id NOT IN "
     "(SELECT page_version_id FROM page_fetches)"),
    "DELETE FROM page_versions WHERE id NOT IN (SELECT page_version_id FROM page_fetches)",
    ("DELETE FROM link_set_links WHERE link_set_id NOT IN "
     "(SELECT link_set_id FROM page_versions WHERE link_set_id IS NOT NULL)"),
    ("DELETE FROM link_sets WHERE id NOT IN "
     "(SELECT link_set_id FROM page_versions WHERE link_set_id IS NOT NULL)"),
    "DELETE FROM sitemap_urls WHERE id NOT IN (SELECT sitemap_url_id FROM sitemap_listings)",
    ("DELETE FROM audit_finding_elements WHERE audit_finding_id IN (SELECT id FROM "
     "audit_findings WHERE audit_result_id NOT IN (SELECT audit_result_id FROM page_audits))"),
    *(f"DELETE FROM {part} WHERE audit_result_id NOT IN (SELECT audit_result_id FROM page_audits)"
      for part in ("audit_findings", "audit_passes", "audit_check_results", "audit_page_facts")),
    "DELETE FROM audit_results WHERE id NOT IN (SELECT audit_result_id FROM page_audits)",
    ("DELETE FROM axe_rules WHERE id NOT IN (SELECT rule_id FROM audit_findings) "
     "AND id NOT IN (SELECT rule_id FROM audit_passes)"),
]




def ensure_tables(db: sqlite_utils.Database) -> None:
    """Create missing tables, add missing columns and indexes: an older database keeps its
    history."""
    for name, spec in TABLES.items():
        table = db[name]
        if not table.exists():
            _create(db, name, spec)
        else:
            missing = {c: t for c, t in spec["columns"].items() if c not in table.columns_dict}
            for column, kind in missing.items():
                table.add_column(column, kind)
        for index in spec.get("indexes", []):
            table.create_index(index, if_not_exists=True)
        for index in spec.get("unique", []):
            table.create_index(index, unique=True, if_not_exists=True)


def ensure_views(db: sqlite_utils.Database) -> None:
    for name, select in VIEWS.items():
        _ensure_view(db, name, select)


def _create(db: sqlite_utils.Database, name: str, spec: dict) -> None:
    if not spec.get("without_rowid"):
        db[name].create(spec["columns"], pk=spec["pk"], foreign_keys=spec.get("foreign_keys", []))
        return
    sql = db.create_table_sql(name, spec["columns"], pk=spec["pk"],
                              foreign_keys=spec.get("foreign_keys", []))
    db.execute(sql.rstrip().rstrip(";") + " WITHOUT ROWID")



def legacy_tables(db: sqlite_utils.Database) -> list[str]:
    """The former per-night tables still there as tables (a database before this layout)."""
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return [name for name in LEGACY if name in tables]


# The former per-night tables, children first (finding_elements points at findings).
LEGACY = ("finding_elements", "findings", "passes", "check_results", "page_facts", "audits",
          "links", "forms", "sitemap_entries", "pages")


def _ensure_view(db: sqlite_utils.Database, name: str, select: str) -> None:
    sql = f"CREATE VIEW {name} AS {select}"
    found = db.execute("SELECT sql FROM sqlite_master WHERE type = 'view' AND name = ?",
                       [name]).fetchone()
    if found and found[0] == sql:
        return
    db.execute(f"DROP VIEW IF EXISTS {name}")
    try:
        db.execute(sql)
    except sqlite3.OperationalError as error:     # another process made it just now
        if "already exists" not in str(error):
            raise


