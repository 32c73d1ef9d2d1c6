"""Orphans: pages that exist but that no page reachable from the home page links to,
the forms on them, and sitemap entries that do not work."""

from __future__ import annotations

import sqlite_utils

from audits.crawldata import CrawlData, run_rows
from audits.targets import outcome
from core import store
from core.pages import is_html_page


def orphans(page_list: list[dict], form_list: list[dict]) -> list[dict]:
    """Orphaned pages, then the forms found only on orphaned pages, with how each was found."""
    pages = {p["url"]: p for p in page_list if p["orphan"]}
    found = [{"url": url, "kind": "page", "found_via": found_via(p), "title": p.get("title")}
             for url, p in pages.items()]
    for form in form_list:
        if form["orphan"]:
            page = pages[form["page"]]
            found.append({"url": form["page"], "kind": "form", "found_via": found_via(page),
                          "title": page.get("title"), "action": form["action"]})
    return found


def found_via(page: dict) -> str | None:
    """How an orphan is known: the sitemap counts first, whichever request reached it first."""
    return "sitemap" if page.get("in_sitemap") else page.get("found_via")


def sitemap_errors(crawl: CrawlData, listed_in: dict[str, str]) -> list[dict]:
    """Sitemaps that could not be read, then sitemap entries that answer with an error, do
    not answer, or redirect in a loop.

    A sitemap that is named (in the configuration, robots.txt or a sitemap index) but does
    not answer has reason "sitemap-unreachable"; one that is no sitemap XML "sitemap-invalid";
    one that lists addresses that are no full URL (relative, a placeholder) "sitemap-bad-locs".
    ``listed_in`` maps each entry to the sitemap that lists it (see ``sitemap_sources``).
    """
    errors = [{"url": row["url"], "status": row["status"], "reason": f"sitemap-{row['error']}",
               "final_url": None, "sitemap": None, "kind": "sitemap"}
              for row in sorted(crawl.sitemap_files, key=lambda r: r["url"]) if row["error"]]
    for url in sorted(crawl.sitemap):
        result = outcome(crawl, url)
        if result is not None and not result.ok:
            errors.append({"url": url, "status": result.status, "reason": result.reason,
                           "final_url": result.final_url, "sitemap": listed_in.get(url),
                           "kind": "entry"})
    return errors


def sitemap_sources(db: sqlite_utils.Database, run_id: int) -> dict[str, str]:
    """For each sitemap entry of the run, the first sitemap that lists it."""
    sources: dict[str, str] = {}
    for row in run_rows(db, "sitemap_entries", run_id):
        sources.setdefault(row["url"], row["sitemap"])
    return sources


def previously_seen(db_path: str, site: str, run_id: int) -> list[str]:
    """The HTML pages of the previous complete run: asked again, so that unlinked ones show."""
    db = store.open_db(db_path)
    try:
        row = db.execute("select max(id) from runs where site = ? and status = 'complete' "
                         "and id < ?", [site, run_id]).fetchone()
        return [p["url"] for p in run_rows(db, "pages", row[0]) if is_html_page(p)] \
            if row and row[0] else []
    finally:
        db.close()
