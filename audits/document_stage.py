"""The document stage: after the crawl, check each downloaded PDF and keep only its facts.

Every PDF the crawl wrote to the run's temporary folder is read by ``audits/pdf.py`` in a
bounded child process (``audits/pdf_worker.py``); its facts go into the run's ``documents`` row and the file is
deleted. An unchanged document (304 Not Modified, or the same SHA-256 as last time)
takes over the facts of the run that checked it, without being read again.
"""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

import sqlite_utils

from audits.pdf_worker import Checker
from core import store
from core.documents import document_dir, previous_documents

log = logging.getLogger(__name__)

# What a check found about a file, and what an unchanged document takes over.
FACT_COLUMNS = ("error", "error_detail", "pdf_pages", "tagged", "struct_tree", "lang", "title",
                "display_doc_title", "has_text", "encrypted", "password", "pdfua", "date",
                "date_source")
CARRIED_COLUMNS = ("status", "content_type", "bytes", "sha256", "etag", "last_modified")


def taken_over(before: dict, row: dict) -> dict:
    """The update that gives an unchanged document the facts of its last check."""
    update = {column: before.get(column) for column in FACT_COLUMNS}
    update.update({column: row.get(column) or before.get(column) for column in CARRIED_COLUMNS})
    update["status"] = before.get("status")     # a 304 answers for the stored 200
    update["reused_from"] = before.get("reused_from") or before["run_id"]
    return update


def checked(facts: dict) -> dict:
    """The row update for the facts of a fresh check."""
    update = {column: facts.get(column) for column in FACT_COLUMNS if column != "error_detail"}
    update["error_detail"] = facts.get("detail")
    return update


def check_documents(db: sqlite_utils.Database, run_id: int, db_path: Path | str,
                    limits: dict | None = None) -> dict:
    """Check the run's downloaded documents; returns counts and the seconds it took."""
    started = time.monotonic()
    previous = previous_documents(db, run_id)
    counts = {"checked": 0, "reused": 0, "failed": 0}
    updates: list[tuple[int, dict]] = []
    by_hash: dict[str, dict] = {}       # the same file under two URLs is read once
    with Checker(limits) as checker:
        for row in store.rows(db, "documents", run_id):
            before = previous.get(row["url"])
            update: dict = {"checked": 1, "file": None}
            if before and (row["status"] == 304 or (
                    row["sha256"] and row["sha256"] == before.get("sha256"))):
                update.update(taken_over(before, row))
                counts["reused"] += 1
            elif row["sha256"] in by_hash:
                update.update(by_hash[row["sha256"]])
            elif row["file"] and Path(row["file"]).exists():
                update.update(checked(checker.check(row["file"])))
                by_hash[row["sha256"]] = checked_facts = {c: update[c] for c in FACT_COLUMNS}
                counts["checked"] += 1
                counts["failed"] += checked_facts["error"] is not None
            if row["file"]:
                Path(row["file"]).unlink(missing_ok=True)
            updates.append((row["id"], update))
    with db.conn:       # one transaction: a night of unchanged documents costs one write
        for row_id, update in updates:
            columns = ", ".join(f"[{column}] = ?" for column in update)
            db.conn.execute(f"UPDATE documents SET {columns} WHERE id = ?",
                            [*update.values(), row_id])
    # This run's folder, and any a crashed run left behind.
    shutil.rmtree(document_dir(db_path, run_id).parent, ignore_errors=True)
    counts["seconds"] = round(time.monotonic() - started, 2)
    log.info("Documenten: %(checked)s gecontroleerd, %(reused)s ongewijzigd, "
             "%(failed)s onleesbaar (%(seconds)s s)", counts)
    return counts
