"""The history of runs in one database: the night's figures, stored as columns when a run
ends, read back as rows for the report's trend and the ``history`` command's table."""

from __future__ import annotations

import json
from pathlib import Path

import sqlite_utils

from core import store
from core.wcag import wcag22_only

COLUMNS = (("id", "nr", 4), ("started", "gestart", 25), ("status", "status", 10),
           ("pages", "pagina's", 8), ("score", "score", 5), ("violations", "fouten", 6),
           ("broken_links", "kapot", 5), ("forms", "formulieren", 11),
           ("new_violations", "nieuwe fouten", 13), ("new_broken_links", "nieuw kapot", 11))
FIGURES = ("violations", "violations_wcag22", "broken_links", "forms", "new_violations",
           "new_broken_links")


def figures(results: dict) -> dict:
    """The run's figures for the ``runs`` row: violations (page × rule) on the legal baseline
    and WCAG 2.2-only apart, broken links, forms, and what is new since the previous run."""
    found = [v for page in results.get("pages") or [] for v in page.get("violations") or []]
    changes = results.get("changes") or {}
    return {
        "violations": sum(1 for v in found if not wcag22_only(v.get("wcag") or [])),
        "violations_wcag22": sum(1 for v in found if wcag22_only(v.get("wcag") or [])),
        "broken_links": len(results.get("broken_links") or []),
        "forms": len(results.get("forms") or []),
        "new_violations": len(changes.get("new_violations") or []),
        "new_broken_links": len(changes.get("new_broken_links") or []),
    }


def task_rows(run_id: int, results: dict) -> list[dict]:
    return [{"run_id": run_id, "task": task["id"], "name": task.get("name"),
             "score": task.get("score"), "found": int(bool(task.get("found")))}
            for task in results.get("tasks") or []]


def record(db: sqlite_utils.Database, run_id: int, results: dict) -> None:
    """Store the figures of a finished run (its row in ``runs`` and its task scores)."""
    with db.conn:
        db["runs"].update(run_id, figures(results))
        db.execute("delete from task_scores where run_id = ?", [run_id])
        db["task_scores"].insert_all(task_rows(run_id, results))


def backfill(db: sqlite_utils.Database) -> None:
    """Runs from before the figures were columns get them once, from their stored results."""
    for run in db["runs"].rows_where("results is not null and violations is null"):
        record(db, run["id"], json.loads(run["results"]))


def history_rows(db: sqlite_utils.Database) -> list[dict]:
    """Every run, oldest first, with its score, figures and task scores."""
    backfill(db)
    tasks: dict[int, dict] = {}
    for row in db["task_scores"].rows_where(order_by="id"):
        tasks.setdefault(row["run_id"], {})[row["task"]] = row["score"]
    return [{"id": run["id"], "site": run["site"], "started": run["started"],
             "status": run["status"], "pages": run["pages_crawled"], "score": run["score_site"],
             "error": run["error"], **{key: run[key] for key in FIGURES},
             "tasks": tasks.get(run["id"], {})}
            for run in db["runs"].rows_where(order_by="id")]


def load_history(db_path: Path, site: str | None, up_to: int | None) -> list[dict]:
    """The runs of ``site`` in the history database up to run ``up_to``, oldest first."""
    if not db_path.exists():
        return []
    rows = history_rows(store.open_db(db_path))
    return [row for row in rows
            if row.get("site") == site and (up_to is None or row["id"] <= up_to)]


def _cell(value) -> str:
    if value is None:
        return "-"
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def format_history(rows: list[dict]) -> str:
    """A plain text table, one line per run; an unfinished run shows its reason below it."""
    lines = ["  ".join(f"{title:>{width}}" for _, title, width in COLUMNS)]
    for row in rows:
        lines.append("  ".join(f"{_cell(row.get(key)):>{width}}" for key, _, width in COLUMNS))
        if row["status"] != "complete" and row.get("error"):
            lines.append(f"{'':>4}  ↳ {row['error']}")
    return "\n".join(lines)
