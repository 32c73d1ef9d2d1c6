"""Documents a resident can download: which, whether they work, what a PDF lacks, per page.

A function over what the crawl and the document stage stored (``documents`` rows: the
facts of each file, see ``crawler/documents.py`` and ``audits/pdf.py``). Machine checks
only, not a PDF/UA test. The Dutch rule's scope: a file placed after 23 September 2018
must be accessible; an older one only while it is part of an active administrative
process (which nachtwacht cannot know); a file without a date counts as in scope.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from email.utils import parsedate_to_datetime

from audits.crawldata import CrawlData
from audits.forms import is_search_box
from audits.links import link_facts
from audits.targets import outcome
from core.documents import document_type, in_scope_after, kind
from core.urls import on_allowed_domain

# Problems of the file itself, in the order the report shows them.
PROBLEMS = ("unreachable", "too-large", "broken", "too-complex", "encrypted", "untagged",
            "no-lang", "no-title", "no-text")


def http_date(value: str | None) -> str | None:
    """An HTTP date header as an ISO date (2021-05-04); None when absent or unreadable."""
    try:
        return parsedate_to_datetime(value).date().isoformat() if value else None
    except (TypeError, ValueError):
        return None


def scope(day: str | None) -> bool:
    """In the scope of the rule: placed after the scope date, or no date found."""
    return day is None or date.fromisoformat(day) > in_scope_after()


def problems(doc: dict, row: dict | None) -> list[str]:
    """What keeps a resident from the document, from the fetch and the PDF check."""
    if row is None:
        return ["unreachable"] if doc["status"] is not None and doc["status"] >= 400 else []
    if row.get("fetch_error") == "too-large":
        return ["too-large"]
    if row.get("fetch_error") or (row.get("status") or 0) >= 400:
        return ["unreachable"]
    if row.get("error"):
        return [row["error"]]
    if row.get("tagged") is None:       # not a checked PDF: inventory only
        return []
    found = {"untagged": not row["tagged"], "no-lang": not row["lang"],
             "no-title": not (row["title"] and row["display_doc_title"]),
             "no-text": not row["has_text"], "encrypted": bool(row["encrypted"])}
    return [problem for problem in PROBLEMS if found.get(problem)]


def _flag(value) -> bool | None:
    return None if value is None else bool(value)


def entry(url: str, crawl: CrawlData, row: dict | None, allowed_domains: list[str]) -> dict:
    """One document for results.json."""
    result = outcome(crawl, url)
    doc_type = (row or {}).get("type") or document_type(url, result.content_type if result
                                                         else None)
    day, source = (row or {}).get("date"), (row or {}).get("date_source")
    if not day and row and http_date(row.get("last_modified")):
        day, source = http_date(row["last_modified"]), "last-modified"
    doc = {"url": url, "final_url": result.final_url if result else None, "type": doc_type,
           "kind": kind(doc_type),
           "status": (row or {}).get("status") or (result.status if result else None),
           "bytes": (row or {}).get("bytes"), "pages": [],
           "date": day, "date_source": source, "in_scope": scope(day),
           "on_site": on_allowed_domain(url, allowed_domains),
           "checked": bool(row and (row.get("tagged") is not None or row.get("error"))),
           "unchanged": bool(row and row.get("reused_from")),
           "tagged": _flag((row or {}).get("tagged")), "lang": (row or {}).get("lang"),
           "title": _flag(row and row.get("tagged") is not None
                          and bool(row.get("title") and row.get("display_doc_title"))),
           "title_text": (row or {}).get("title"),
           "display_doc_title": _flag((row or {}).get("display_doc_title")),
           "has_text": _flag((row or {}).get("has_text")),
           "encrypted": _flag((row or {}).get("encrypted")),
           "pdfua": (row or {}).get("pdfua"), "pdf_pages": (row or {}).get("pdf_pages"),
           "error": (row or {}).get("error_detail") or (row or {}).get("fetch_error")}
    doc["problems"] = problems(doc, row)
    return doc


def documents(crawl: CrawlData, rows: dict[str, dict], allowed_domains: list[str]) -> list[dict]:
    """Every linked document with its facts (``rows``: the document stage's, by URL) and
    the pages linking to it, in URL order."""
    items = []
    for url, pages in link_facts(crawl, allowed_domains).documents.items():
        result = outcome(crawl, url)
        row = rows.get(url) or (rows.get(result.final_url) if result else None)
        item = entry(url, crawl, row, allowed_domains)
        item["pages"] = sorted(set(pages))
        items.append(item)
    return sorted(items, key=lambda d: d["url"])


def on_tasks_and_forms(docs: list[dict], tasks: list[dict], forms: list[dict]) -> list[dict]:
    """The documents, each with ``tasks`` (ids of the top tasks whose pages link to it, the
    most important first), ``task_rank`` and ``on_form_page`` (a page with a form that asks
    something of the visitor; a search box does not count)."""
    task_pages: dict[str, list[tuple[int, str]]] = {}
    for task in tasks:
        for page in task.get("pages") or []:
            task_pages.setdefault(page, []).append((task.get("rank") or 99, task["id"]))
    form_pages = {page for form in forms if not is_search_box(form)
                  for page in form.get("pages") or [form.get("page")]}
    marked = []
    for doc in docs:
        ranked = sorted({t for page in doc["pages"] for t in task_pages.get(page, [])})
        marked.append({**doc, "tasks": [task_id for _, task_id in ranked],
                       "task_rank": ranked[0][0] if ranked else None,
                       "on_form_page": any(page in form_pages for page in doc["pages"])})
    return marked


def summary(docs: list[dict]) -> dict:
    """Counts for the report and the statement; ``per_page`` counts a page's documents and
    those with a problem."""
    per_page: dict[str, dict] = {}
    for doc in docs:
        for page in doc["pages"]:
            counts = per_page.setdefault(page, {"page": page, "documents": 0, "broken": 0,
                                                "with_problems": 0})
            counts["documents"] += 1
            counts["broken"] += "unreachable" in doc["problems"]
            counts["with_problems"] += bool(doc["problems"])
    in_scope = [d for d in docs if d["in_scope"]]
    return {
        "documents": len(docs),
        "by_type": dict(sorted(Counter(d["type"] for d in docs).items())),
        "pdf": sum(d["type"] == "pdf" for d in docs),
        "checked": sum(d["checked"] for d in docs),
        "unchanged": sum(d["unchanged"] for d in docs),
        "in_scope": len(in_scope),
        "out_of_scope": len(docs) - len(in_scope),
        "no_date": sum(d["date"] is None for d in docs),
        "in_scope_with_problems": sum(bool(d["problems"]) for d in in_scope),
        "problems": {p: sum(p in d["problems"] for d in docs) for p in PROBLEMS},
        "in_scope_problems": {p: sum(p in d["problems"] for d in in_scope) for p in PROBLEMS},
        "scope_date": in_scope_after().isoformat(),
        "per_page": sorted(per_page.values(), key=lambda p: p["page"]),
    }
