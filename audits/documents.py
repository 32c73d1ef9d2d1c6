"""Links to documents (PDF, Word, OpenDocument, Excel …): which, whether they work, per page.

Documents are checked, never crawled into (see ``crawler/checks.py``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from audits.crawldata import CrawlData
from audits.links import link_problem, unique_links
from audits.targets import outcome

# file extension -> kind shown in the report
DOCUMENT_KINDS = {
    "pdf": "pdf", "doc": "word", "docx": "word", "odt": "opendocument", "ods": "opendocument",
    "odp": "opendocument", "xls": "excel", "xlsx": "excel", "ppt": "powerpoint",
    "pptx": "powerpoint", "rtf": "word", "csv": "csv",
}
# content type fragment -> kind, for documents behind URLs without an extension
CONTENT_KINDS = {
    "application/pdf": "pdf", "msword": "word", "wordprocessingml": "word",
    "opendocument": "opendocument", "ms-excel": "excel", "spreadsheetml": "excel",
    "ms-powerpoint": "powerpoint", "presentationml": "powerpoint",
}


def document_kind(crawl: CrawlData, url: str) -> str | None:
    """The kind of document a URL is, by its extension or by the content type it answered."""
    suffix = urlsplit(url).path.rsplit("/", 1)[-1].rpartition(".")[2].lower()
    if suffix in DOCUMENT_KINDS:
        return DOCUMENT_KINDS[suffix]
    result = outcome(crawl, url)
    ctype = (result.content_type or "").lower() if result else ""
    return next((kind for part, kind in CONTENT_KINDS.items() if part in ctype), None)


def documents(crawl: CrawlData) -> dict:
    """Every linked document with its status and the pages that link to it; counts per page."""
    items: dict[str, dict] = {}
    per_page: dict[str, dict] = {}
    for link in unique_links(crawl):
        if link.get("malformed"):
            continue
        kind = document_kind(crawl, link["target"])
        if kind is None:
            continue
        result = outcome(crawl, link["target"])
        problem = link_problem(crawl, link)
        item = items.setdefault(link["target"], {
            "url": link["target"], "kind": kind,
            "status": result.status if result else None,
            "checked": result is not None, "ok": result is not None and result.ok,
            "reason": result.reason if result else None, "pages": []})
        item["pages"].append(link["source"])
        page = per_page.setdefault(link["source"], {"page": link["source"], "documents": 0,
                                                    "broken": 0})
        page["documents"] += 1
        page["broken"] += problem is not None
    for item in items.values():
        item["pages"] = sorted(set(item["pages"]))
        item["page_count"] = len(item["pages"])
    return {"items": sorted(items.values(), key=lambda d: d["url"]),
            "per_page": sorted(per_page.values(), key=lambda p: p["page"])}
