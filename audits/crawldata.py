"""What one run's crawl gathered, loaded from the store as plain data for the analyses."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import sqlite_utils

from core import store


@dataclass
class CrawlData:
    start_urls: list[str]
    pages: dict[str, dict] = field(default_factory=dict)   # url -> page row
    links: list[dict] = field(default_factory=list)        # source, target, href, text, tag
    forms: list[dict] = field(default_factory=list)        # page, action, method, fields
    sitemap: set[str] = field(default_factory=set)
    sitemap_files: list[dict] = field(default_factory=list)   # url, status, error, entries
    checks: dict[str, dict] = field(default_factory=dict)  # url -> check row (not crawled)

    def final_url(self, url: str, limit: int = 20) -> str | None:
        """Where a URL ends after the redirects the crawl recorded; None for a loop or a dead end."""
        seen = set()
        while url in self.pages and self.pages[url].get("location"):
            if url in seen or len(seen) >= limit:
                return None
            seen.add(url)
            url = self.pages[url]["location"]
        return url

    def html_pages(self) -> list[dict]:
        """Pages that answered 200 with HTML, in URL order."""
        return [p for url, p in sorted(self.pages.items())
                if p.get("status") == 200 and "html" in (p.get("content_type") or "")]


def load(db: sqlite_utils.Database, run_id: int, start_urls: list[str]) -> CrawlData:
    data = CrawlData(start_urls=start_urls)
    for page in store.rows(db, "pages", run_id):
        # A URL requested twice (a start URL also in the sitemap) keeps its first record.
        data.pages.setdefault(page["url"], page)
    data.links = store.rows(db, "links", run_id)
    data.forms = [{**f, "fields": json.loads(f["fields"] or "[]")}
                  for f in store.rows(db, "forms", run_id)]
    data.sitemap = {row["url"] for row in store.rows(db, "sitemap_entries", run_id)}
    data.sitemap_files = store.rows(db, "sitemaps", run_id)
    for check in store.rows(db, "link_checks", run_id):
        # One row per URL (the duplicate filter); should a URL come twice, the last answer counts.
        data.checks[check["url"]] = check
    return data
