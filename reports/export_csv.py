"""CSV files for spreadsheets: findings, broken links, forms and top tasks.

Semicolon-separated with a byte order mark, so that Excel with Dutch settings opens them
as columns; cells copied from crawled pages cannot start a formula.
"""

from __future__ import annotations

import csv
from pathlib import Path

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """A spreadsheet-safe cell: lists joined, a leading formula character neutralised."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def finding_rows(results: dict) -> list[dict]:
    """One row per element of every violation and needs-review finding."""
    rows = []
    for page in results.get("pages") or []:
        for kind, label in (("violations", "violation"), ("incomplete", "needs-review")):
            for finding in page.get(kind) or []:
                base = {"page": page["url"], "title": page.get("title"), "kind": label,
                        "rule": finding["rule"], "impact": finding.get("impact"),
                        "wcag": finding.get("wcag") or [], "elements": finding.get("nodes"),
                        "help_url": finding.get("help_url")}
                for element in finding.get("elements") or [{}]:
                    rows.append({**base, "selector": element.get("target"),
                                 "html": element.get("html"),
                                 "summary": element.get("failure_summary")})
    return rows


def task_rows(results: dict) -> list[dict]:
    rows = []
    for task in results.get("tasks") or []:
        short = task.get("short_url") or {}
        rows.append({"rank": task.get("rank"), "id": task.get("id"), "name": task.get("name"),
                     "score": task.get("score"), "found": task.get("found"),
                     "depth": task.get("depth"), "click_path": " > ".join(task.get("click_path") or []),
                     "short_url": short.get("url"), "short_url_ok": short.get("ok"),
                     "violations": task.get("violations"), "broken_links": task.get("broken_links"),
                     "pages": task.get("pages") or []})
    return rows


TABLES = {
    "bevindingen.csv": (finding_rows, ["page", "title", "kind", "rule", "impact", "wcag",
                                       "elements", "selector", "html", "summary", "help_url"]),
    "kapotte-links.csv": (lambda r: r.get("broken_links") or [],
                          ["source", "target", "text", "status", "reason"]),
    "formulieren.csv": (lambda r: r.get("forms") or [],
                        ["page", "action", "method", "https", "third_party", "orphan",
                         "action_broken", "fields", "unlabelled_fields"]),
    "toptaken.csv": (task_rows, ["rank", "id", "name", "score", "found", "depth", "click_path",
                                 "short_url", "short_url_ok", "violations", "broken_links",
                                 "pages"]),
}


def write_csv(results: dict, folder: Path) -> list[Path]:
    """Write the CSV files of one run into ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (rows_of, columns) in TABLES.items():
        path = folder / name
        with open(path, "w", encoding="utf-8-sig", newline="") as file:
            writer = csv.writer(file, delimiter=";")
            writer.writerow(columns)
            for row in rows_of(results):
                writer.writerow([cell(row.get(column)) for column in columns])
        written.append(path)
    return written
