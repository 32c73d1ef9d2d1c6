"""The view model of the report's Leesbaarheid page: the results' ``readability`` section,
grouped to show. Pages come hardest first (the order of the results); nothing is judged here.
"""

from __future__ import annotations

from reports.paging import paged

LEVELS = ("A2", "B1", "B2", "C1")
PAGES_PER_FILE = 50      # pages per file of the listing, each with its sentences


def readability(results: dict) -> dict | None:
    """Everything leesbaarheid.html shows, or None when the run did not measure readability."""
    entries = results.get("readability")
    if entries is None:
        return None
    titles = {p["url"]: p.get("title") for p in results.get("pages") or []}
    tasks = {t["id"]: t for t in results.get("tasks") or []}
    rows = [{**entry, "title": titles.get(entry["url"]),
             "task_name": tasks[entry["task"]]["name"] if entry["task"] in tasks else None}
            for entry in entries]
    measured = [r for r in rows if r["level"]]
    task_rows = sorted(
        ({"id": t["id"], "name": t["name"], "rank": t.get("rank"), **t["readability"]}
         for t in tasks.values() if t.get("readability")),
        key=lambda t: (t["rank"] or 999, t["id"]))
    return {
        "tasks": task_rows,
        "parts": paged("leesbaarheid", rows, PAGES_PER_FILE),
        "counts": {
            "pages": len(rows), "measured": len(measured),
            "too_short": sum(1 for r in rows if r["note"] == "too-short"),
            "meets_goal": sum(1 for r in measured if r["meets_goal"]),
            "by_level": [{"level": level, "pages": sum(1 for r in measured if r["level"] == level)}
                         for level in LEVELS],
            "long_sentences": sum(r["long_sentences"] for r in rows),
            "hard_words": sum(len(r["hard_words"]) for r in rows),
        },
    }
