"""What one run's crawl gathered, loaded from the store as plain data for the analyses."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import sqlite_utils

from core import store
from core.pages import is_html_page

MAX_REDIRECTS = 20   # as a browser: a longer chain counts as a loop


@dataclass(frozen=True)
class Walk:
    """A URL followed through its recorded redirects."""

    chain: list[str]               # the URLs in order, the first one included
    rows: list[dict | None]        # the answer recorded for each step (None: never asked)
    end: str | None = None         # "loop", "too-many" (redirects), or None: it ended

    @property
    def endless(self) -> bool:
        return self.end is not None

    @property
    def last(self) -> dict | None:
        return self.rows[-1]

    @property
    def redirects(self) -> int:
        return len(self.chain) - 1


@dataclass
class CrawlData:
    start_urls: list[str]
    pages: dict[str, dict] = field(default_factory=dict)   # url -> page row
    links: list[dict] = field(default_factory=list)        # source, target, href, text, tag
    forms: list[dict] = field(default_factory=list)        # page, action, method, fields
    sitemap: set[str] = field(default_factory=set)
    sitemap_files: list[dict] = field(default_factory=list)   # url, status, error, entries
    checks: dict[str, dict] = field(default_factory=dict)  # url -> check row (not crawled)

    def answer(self, url: str) -> dict | None:
        """The recorded answer for one URL: the crawled page, else the check; None if never asked."""
        return self.pages.get(url) or self.checks.get(url)

    def walk(self, url: str, crawled_only: bool = False) -> Walk:
        """Follow the redirects recorded for ``url`` (through crawled pages, and unless
        ``crawled_only`` also through checked URLs) as far as they go."""
        answer = self.pages.get if crawled_only else self.answer
        chain, rows = [url], []
        while True:
            row = answer(url)
            rows.append(row)
            location = (row or {}).get("location")
            if not location:
                return Walk(chain, rows)
            if location in chain:
                return Walk(chain + [location], rows, "loop")
            chain.append(location)
            if len(chain) > MAX_REDIRECTS + 1:
                return Walk(chain, rows, "too-many")
            url = location

    def final_url(self, url: str) -> str | None:
        """Where a URL ends after the redirects the crawl recorded; None for a loop."""
        walk = self.walk(url, crawled_only=True)
        return None if walk.endless else walk.chain[-1]

    def html_pages(self) -> list[dict]:
        """Pages that answered 200 with HTML, in URL order."""
        return [p for url, p in sorted(self.pages.items()) if is_html_page(p)]


def load(db: sqlite_utils.Database, run_id: int, start_urls: list[str]) -> CrawlData:
    data = CrawlData(start_urls=start_urls)
    for page in store.rows(db, "pages", run_id):
        # A URL requested twice (a start URL also in the sitemap) keeps its first record.
        data.pages.setdefault(page["url"], page)
    data.links = list(store.run_links(db, run_id))
    data.forms = [{**f, "fields": json.loads(f["fields"] or "[]")}
                  for f in store.rows(db, "forms", run_id)]
    data.sitemap = {row["url"] for row in store.rows(db, "sitemap_entries", run_id)}
    data.sitemap_files = store.rows(db, "sitemaps", run_id)
    for check in store.rows(db, "link_checks", run_id):
        # One row per URL (the duplicate filter); should a URL come twice, the last answer counts.
        data.checks[check["url"]] = check
    return data
