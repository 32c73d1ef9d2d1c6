"""The page list of the results: each crawled page with its depth, sitemap and orphan flags."""

from __future__ import annotations

from audits.crawldata import CrawlData
from audits.linkgraph import click_depths
from audits.targets import NO_VERDICT_ERRORS
from core.pages import is_html_page


def is_orphan(page: dict, depth: int | None) -> bool:
    """A page that answers with HTML but that no crawled page links to."""
    return depth is None and is_html_page(page)


def page_entries(crawl: CrawlData) -> list[dict]:
    """One entry per fetched URL that is not a redirect, in URL order."""
    depths = click_depths(crawl)
    entries = []
    for url, page in sorted(crawl.pages.items()):
        if page.get("location"):
            continue
        depth = depths.get(url)
        entries.append({
            "url": url, "final_url": url, "status": page.get("status"),
            "content_type": (page.get("content_type") or "").split(";")[0] or None,
            "depth": depth, "title": page.get("title"), "lang": page.get("lang"),
            "in_sitemap": url in crawl.sitemap, "orphan": is_orphan(page, depth),
            "found_via": page.get("found_via"), "response_ms": page.get("response_ms"),
            "fetch_error": page.get("fetch_error"), "content_hash": page.get("content_hash"),
        })
    return entries


def redirect_entries(crawl: CrawlData) -> list[dict]:
    """Every URL that answered with a redirect, with where its chain ends (None for a loop)."""
    return [{"url": url, "status": page["status"], "location": page["location"],
             "final_url": crawl.final_url(url)}
            for url, page in sorted(crawl.pages.items()) if page.get("location")]


def summary(page_list: list[dict]) -> dict:
    """Counts for the overview."""
    return {
        "pages": len(page_list),
        "orphans": sum(1 for p in page_list if p["orphan"]),
        "error_pages": sum(1 for p in page_list if p["fetch_error"] not in NO_VERDICT_ERRORS
                           and ((p["status"] or 0) >= 400 or p["fetch_error"])),
        # Skipped or refused (crawl trap, too large, busy server): not got, so not judged.
        "not_retrieved": sum(1 for p in page_list if p["fetch_error"] in NO_VERDICT_ERRORS),
    }
