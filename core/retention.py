"""Keeping the history database small: full detail for the last ``keep_nights`` nights, the
summary of every run (its row in ``runs`` and its task scores) for ever. What is stored once
(a page version, its links, an audit's detail) goes when no kept night points at it.

Pruned space goes back to the file system: the database uses SQLite's incremental
auto-vacuum (an older file is converted once, with a full VACUUM).
"""

from __future__ import annotations

import sqlite_utils

from core import store

DEFAULT_KEEP_NIGHTS = 60
SUMMARY_TABLES = {"runs", "task_scores"}
INCREMENTAL = 2      # PRAGMA auto_vacuum value


def detail_tables(db: sqlite_utils.Database) -> list[str]:
    """The tables whose rows belong to one run and are detail."""
    return [name for name, spec in store.TABLES.items()
            if "run_id" in spec["columns"] and name not in SUMMARY_TABLES and db[name].exists()]


def prune(db: sqlite_utils.Database, site: str, keep_nights: int = DEFAULT_KEEP_NIGHTS) -> list[int]:
    """Drop the detail of ``site``'s runs older than its last ``keep_nights`` complete runs;
    returns the runs pruned. Their summary stays; so does everything of newer runs."""
    kept = [row[0] for row in db.execute(
        "select id from runs where site = ? and status = 'complete' order by id desc limit ?",
        [site, keep_nights])]
    if len(kept) < keep_nights:
        return []
    oldest_kept = min(kept)
    pruned = [row[0] for row in db.execute(
        "select id from runs where site = ? and id < ? and (results is not null or id in "
        "(select run_id from page_fetches)) order by id", [site, oldest_kept])]
    if not pruned:
        return []
    marks = ",".join("?" * len(pruned))
    with db.conn:
        for table in detail_tables(db):
            db.execute(f"delete from [{table}] where run_id in ({marks})", pruned)
        db.execute(f"update runs set results = null where id in ({marks})", pruned)
        for statement in store.UNREFERENCED:     # what only the pruned nights pointed at
            db.execute(statement)
    shrink(db)
    return pruned


def shrink(db: sqlite_utils.Database) -> None:
    """Give freed pages back to the file system."""
    if db.execute("pragma auto_vacuum").fetchone()[0] != INCREMENTAL:
        db.execute(f"pragma auto_vacuum = {INCREMENTAL}")
        db.execute("vacuum")            # once: converts the file to incremental auto-vacuum
    else:
        db.execute("pragma incremental_vacuum").fetchall()   # it frees pages as it steps
