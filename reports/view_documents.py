"""The view model of the "Documenten" page, and the documents shown per page and per task.

Only arranges what results.json holds (``documents``, ``document_summary``): documents on
top-task pages first (the most important task first), then those on pages with a form,
then the ones in scope with the most problems.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from reports.paging import file_safe, paged, section

TASK_DOCUMENTS_SHOWN = 10   # documents named under a top task on the top-task page


def file_name(url: str) -> str:
    """The name a resident sees when downloading: the last part of the path."""
    return unquote(urlsplit(url).path.rsplit("/", 1)[-1]) or url


def order(doc: dict) -> tuple:
    return (doc.get("task_rank") is None, doc.get("task_rank") or 0,
            not doc.get("on_form_page"), not doc["in_scope"], -len(doc["problems"]), doc["url"])


def documents(results: dict) -> dict | None:
    """Rows for the documents page, the problem counts, and the documents per page and task."""
    if not isinstance(results.get("documents"), list):    # not gathered, or an older run
        return None
    titles = {p["url"]: p.get("title") for p in results.get("pages") or []}
    task_names = {t["id"]: t.get("name") for t in results.get("tasks") or []}
    rows = [{**doc, "name": file_name(doc["url"]),
             "linked_from": [{"url": url, "title": titles.get(url)} for url in doc["pages"]],
             "task_names": [task_names.get(t, t) for t in doc.get("tasks") or []]}
            for doc in sorted(results["documents"], key=order)]
    by_page: dict[str, list[dict]] = {}
    by_task: dict[str, list[dict]] = {}
    for row in rows:
        for url in row["pages"]:
            by_page.setdefault(url, []).append(row)
        for task in row.get("tasks") or []:
            by_task.setdefault(task, []).append(row)
    summary = results.get("document_summary") or {}
    counts = summary.get("problems") or {}
    return {"parts": paged("documenten", rows), "count": len(rows), "summary": summary,
            "by_page": by_page,
            "by_task": {task: section("task_documents", docs, "toptaken.html",
                                      f"taakdocumenten-{task}",
                                      f"toptaak-{file_safe(task)}-documenten", "tasks",
                                      TASK_DOCUMENTS_SHOWN, task, task_names.get(task))
                        for task, docs in by_task.items()},
            "problem_counts": [{"problem": p, "count": counts[p],
                                "in_scope": (summary.get("in_scope_problems") or {}).get(p, 0)}
                               for p in counts if counts.get(p)]}
