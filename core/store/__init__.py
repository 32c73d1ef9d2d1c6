"""The history database: one SQLite file per site, opened through sqlite-utils.

The schema is data (``TABLES``, ``VIEWS``). ``open_db`` creates missing tables and adds
missing columns, so an older database is migrated in place and its history kept.

What does not change from night to night is stored once: a page's version (its answer,
title, anchors and forms), the links on it, a sitemap entry and an audit's detail are rows
keyed by a digest of their content (``key``), and a night's own rows only point at them. So
an unchanged night adds a few small rows per page (``page_fetches``, ``sitemap_listings``,
``page_audits``) and nothing else. Views with the names and columns of the former per-night
tables (``pages``, ``links``, ``forms``, ``audits``, ``findings`` …) show every night's rows,
for sqlite3, Datasette and the analyses.

The package's parts: ``schema`` (tables and views as data), ``write`` (a night's rows),
``read`` (streamed rows of a night) and ``migrate`` (the former layout, once). Callers use
the names below.
"""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from core.store.migrate import migrate
from core.store.read import audit_rows, page_facts, rows, run_links
from core.store.schema import (
    TABLES,
    UNREFERENCED,
    VIEWS,
    ensure_tables,
    ensure_views,
    legacy_tables,
)
from core.store.write import (
    add_audit,
    add_page,
    add_page_text,
    add_sitemap_entry,
    finish_run,
    now,
    start_run,
)

__all__ = ["TABLES", "UNREFERENCED", "VIEWS", "add_audit", "add_page", "add_page_text",
           "add_sitemap_entry", "audit_rows", "finish_run", "migrate", "now", "open_db",
           "page_facts", "rows", "run_links", "start_run"]


def open_db(path: Path | str) -> sqlite_utils.Database:
    """Open (and create or migrate) the history database."""
    db = sqlite_utils.Database(path)
    if not db.table_names():
        db.execute("PRAGMA auto_vacuum=INCREMENTAL")   # core/retention.py gives space back
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA busy_timeout=30000")
    db.execute("PRAGMA foreign_keys=ON")
    ensure_tables(db)
    if legacy_tables(db):
        migrate(db)
    ensure_views(db)
    return db
