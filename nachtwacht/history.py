"""The history of runs in one database, as rows and as the ``history`` command's table."""

from __future__ import annotations

import json

import sqlite_utils

COLUMNS = (("id", "nr", 4), ("started", "gestart", 25), ("status", "status", 10),
           ("pages", "pagina's", 8), ("score", "score", 5), ("violations", "fouten", 6),
           ("broken_links", "kapot", 5), ("forms", "formulieren", 11),
           ("new_violations", "nieuwe fouten", 13), ("new_broken_links", "nieuw kapot", 11))


def history_rows(db: sqlite_utils.Database) -> list[dict]:
    """Every run, oldest first, with its score and counts (None where the run has no results)."""
    rows = []
    for run in db["runs"].rows_where(order_by="id"):
        results = json.loads(run["results"]) if run["results"] else None
        row = {"id": run["id"], "site": run["site"], "started": run["started"],
               "status": run["status"], "pages": run["pages_crawled"],
               "score": run["score_site"], "error": run["error"]}
        if results:
            changes = results.get("changes") or {}
            row.update({
                "score": (results.get("score") or {}).get("site", row["score"]),
                "violations": sum(len(p.get("violations") or []) for p in results["pages"]),
                "broken_links": len(results.get("broken_links") or []),
                "forms": len(results.get("forms") or []),
                "new_violations": len(changes.get("new_violations") or []),
                "new_broken_links": len(changes.get("new_broken_links") or []),
            })
        rows.append(row)
    return rows


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
