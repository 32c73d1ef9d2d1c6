"""What one run's crawl gathered, read from the store as plain data for the analyses.

Sized for a site of 100,000 pages: the pages and the checked URLs are kept in memory as
compact rows (one small object per URL, its repeated short values shared), the links and
forms are streamed from the store every time an analysis reads them (millions of links
are never all in memory), and what several analyses need (the click paths, the judged
links) is computed once per night (``derived``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

import sqlite_utils

from core import store
from core.pages import is_html_page

MAX_REDIRECTS = 20   # as a browser: a longer chain counts as a loop
# Short values many rows repeat ("text/html; charset=utf-8", "sitemap"): one copy each.
SHARED = frozenset({"content_type", "found_via", "fetch_error", "lang", "method", "anchors",
                    "location"})
# Columns of the store that no analysis reads from a row.
LEFT_OUT = frozenset({"run_id"})


class Row:
    """A stored row kept small, its values in slots; read like the dict it came from
    (``row["status"]``, ``row.get("location")``)."""

    __slots__ = ()
    names: frozenset[str] = frozenset()

    def __init__(self, values: Iterable) -> None:
        for name, value in zip(self.__slots__, values, strict=True):
            object.__setattr__(self, name, value)

    def get(self, key: str, default=None):
        return getattr(self, key) if key in self.names else default

    def __getitem__(self, key: str):
        if key not in self.names:
            raise KeyError(key)
        return getattr(self, key)

    def __contains__(self, key: str) -> bool:
        return key in self.names

    def keys(self) -> tuple[str, ...]:
        return self.__slots__

    def __iter__(self) -> Iterator[str]:
        return iter(self.__slots__)

    def __eq__(self, other) -> bool:
        return dict(self) == (dict(other) if isinstance(other, Row) else other)

    def __repr__(self) -> str:
        return f"Row({dict(self)!r})"


@cache
def row_type(columns: tuple[str, ...]) -> type[Row]:
    """The compact row class for one set of columns."""
    return type("Row", (Row,), {"__slots__": columns, "names": frozenset(columns)})


def compact(row: dict) -> Row:
    """A stored row as a ``Row``: without the columns no analysis reads, short values shared."""
    columns = tuple(c for c in row if c not in LEFT_OUT)
    return row_type(columns)(
        sys.intern(row[c]) if c in SHARED and isinstance(row[c], str) else row[c]
        for c in columns)


class Stream:
    """Rows read from the store each time they are iterated, never kept: a re-iterable
    stand-in for a list that would not fit in memory."""

    def __init__(self, read: Callable[[], Iterable[dict]]) -> None:
        self.read = read

    def __iter__(self) -> Iterator[dict]:
        return iter(self.read())


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
    """One night's crawl. ``links`` and ``forms`` are iterables that may be read more than
    once (a ``Stream`` over the store, or a list in tests); nothing changes once loaded."""

    start_urls: list[str]
    pages: dict[str, dict] = field(default_factory=dict)   # url -> page row
    links: Iterable[dict] = field(default_factory=list)    # source, target, href, text, tag
    forms: Iterable[dict] = field(default_factory=list)    # page, action, method, fields
    sitemap: set[str] = field(default_factory=set)
    sitemap_files: list[dict] = field(default_factory=list)   # url, status, error, entries
    checks: dict[str, dict] = field(default_factory=dict)  # url -> check row (not crawled)
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    def derived(self, key, build: Callable[[], object]):
        """An analysis of this night that several sections read, computed once."""
        if key not in self.memo:
            self.memo[key] = build()
        return self.memo[key]

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
        page = self.pages.get(url)
        if page is not None and not page.get("location"):
            return url      # most links: a page that answered itself
        walk = self.walk(url, crawled_only=True)
        return None if walk.endless else walk.chain[-1]

    def html_pages(self) -> list[dict]:
        """Pages that answered 200 with HTML, in URL order."""
        return [p for url, p in sorted(self.pages.items()) if is_html_page(p)]


def run_rows(db: sqlite_utils.Database, table: str, run_id: int) -> Iterator[dict]:
    """The rows of one run in a table (or view), one at a time, in the order of
    ``store.rows``."""
    yield from db[table].rows_where("run_id = ?", [run_id], order_by="id")


def run_forms(db: sqlite_utils.Database, run_id: int) -> Iterator[dict]:
    """The forms the crawl of one run found, each with its fields read."""
    for form in run_rows(db, "forms", run_id):
        yield {**form, "fields": json.loads(form["fields"] or "[]")}


def load(db: sqlite_utils.Database, run_id: int, start_urls: list[str]) -> CrawlData:
    data = CrawlData(start_urls=start_urls,
                     links=Stream(lambda: store.run_links(db, run_id)),
                     forms=Stream(lambda: run_forms(db, run_id)))
    for page in run_rows(db, "pages", run_id):
        # A URL requested twice (a start URL also in the sitemap) keeps its first record.
        if page["url"] not in data.pages:
            data.pages[page["url"]] = compact(page)
    data.sitemap = {row["url"] for row in run_rows(db, "sitemap_entries", run_id)}
    data.sitemap_files = store.rows(db, "sitemaps", run_id)
    for check in run_rows(db, "link_checks", run_id):
        # One row per URL (the duplicate filter); should a URL come twice, the last answer counts.
        data.checks[check["url"]] = compact(check)
    return data
