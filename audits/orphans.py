"""Orphans: pages that exist but that no page reachable from the home page links to,
the forms on them, and sitemap entries that do not work."""

from __future__ import annotations

from audits.crawldata import CrawlData
from audits.targets import outcome


def orphans(page_list: list[dict], form_list: list[dict]) -> list[dict]:
    """Orphaned pages, then the forms found only on orphaned pages, with how each was found."""
    pages = {p["url"]: p for p in page_list if p["orphan"]}
    found = [{"url": url, "kind": "page", "found_via": p.get("found_via"),
              "title": p.get("title")} for url, p in pages.items()]
    for form in form_list:
        if form["orphan"]:
            page = pages[form["page"]]
            found.append({"url": form["page"], "kind": "form", "found_via": page.get("found_via"),
                          "title": page.get("title"), "action": form["action"]})
    return found


def sitemap_errors(crawl: CrawlData) -> list[dict]:
    """Sitemap entries that answer with an error, do not answer, or redirect in a loop."""
    errors = []
    for url in sorted(crawl.sitemap):
        result = outcome(crawl, url)
        if result is not None and not result.ok:
            errors.append({"url": url, "status": result.status, "reason": result.reason,
                           "final_url": result.final_url})
    return errors
