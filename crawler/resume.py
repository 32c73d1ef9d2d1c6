"""Resuming an interrupted crawl into the same run: what the run already stored is the truth.

Scrapy's JOBDIR (set per run by ``nachtwacht/crawljob.py``) keeps the request queue and the
duplicate filter, but writes its queue only when the crawl stops cleanly, and the spider's
own memory (links followed, crawl traps, the page budget) is not in it at all. So a resumed
crawl (``NACHTWACHT_RESUME``) rebuilds from the run's rows:

- ``StoreDupeFilter`` counts every request whose answer is stored as seen: never fetched twice;
- ``replay`` walks the stored pages in the order they were stored and follows their links
  again, through the spider's own methods: its memory is rebuilt and the requests that were
  still open are asked again (the duplicate filter drops the rest);
- ``ResumePipeline`` drops an item the run already holds, so that no row is stored twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter

from scrapy import Request
from scrapy.dupefilters import RFPDupeFilter
from scrapy.exceptions import DropItem, NotConfigured

from core import store
from crawler.documents import DocumentItem
from crawler.items import CheckItem, PageItem, SitemapEntryItem, SitemapItem
from crawler.statement_text import StatementTextItem, is_candidate
from crawler.text import PageTextItem

# Page rows that no request made: the spider wrote them down instead of fetching.
NOT_FETCHED = ("crawl-trap", "redirect-loop")

# item class → its table and the columns that make it one thing in a run
KEYS = {PageItem: ("pages", ("url",)), CheckItem: ("link_checks", ("url", "method")),
        DocumentItem: ("documents", ("url", "method")), SitemapItem: ("sitemaps", ("url",)),
        SitemapEntryItem: ("sitemap_entries", ("url", "sitemap")),
        PageTextItem: ("page_texts", ("url",)), StatementTextItem: ("statement_pages", ("url",))}


def resumed_run(settings) -> tuple[str, int] | None:
    """(database, run id) when this crawl resumes an interrupted run, else None."""
    db_path, run_id = settings.get("NACHTWACHT_DB"), settings.getint("NACHTWACHT_RUN_ID")
    if settings.getbool("NACHTWACHT_RESUME") and db_path and run_id:
        return db_path, run_id
    return None


def answered_requests(db, run_id: int) -> Iterator[tuple[str, str]]:
    """(method, URL) of every request whose answer (or failure) the run stored."""
    not_fetched = ", ".join("?" * len(NOT_FETCHED))
    for (url,) in db.execute(f"select url from pages where run_id = ? and coalesce("
                             f"fetch_error, '') not in ({not_fetched})", [run_id, *NOT_FETCHED]):
        yield "GET", url
    for table in ("link_checks", "documents"):
        for method, url in db.execute(f"select method, url from {table} where run_id = ?",
                                      [run_id]):
            yield method, url
            yield "HEAD", url       # a GET check or document came after a refused HEAD


class StoreDupeFilter(RFPDupeFilter):
    """Scrapy's duplicate filter; on a resumed crawl every stored answer counts as seen too."""

    @classmethod
    def from_crawler(cls, crawler):
        dupefilter = super().from_crawler(crawler)
        dupefilter.resumed = resumed_run(crawler.settings)
        return dupefilter

    def open(self):
        if self.resumed:
            db = store.open_db(self.resumed[0])
            try:
                for method, url in answered_requests(db, self.resumed[1]):
                    self.request_seen(Request(url, method=method))
            finally:
                db.close()
        return super().open()


class ResumePipeline:
    """On a resumed crawl: drops an item that the interrupted run already stored."""

    def __init__(self, db_path: str, run_id: int):
        self.stored: set[tuple] = set()
        db = store.open_db(db_path)
        try:
            for table, columns in KEYS.values():
                query = f"select {', '.join(columns)} from {table} where run_id = ?"
                self.stored.update((table, *row) for row in db.execute(query, [run_id]))
        finally:
            db.close()

    @classmethod
    def from_crawler(cls, crawler):
        resumed = resumed_run(crawler.settings)
        if resumed is None:
            raise NotConfigured
        return cls(*resumed)

    def process_item(self, item, spider=None):
        table, columns = KEYS.get(type(item), (None, ()))
        if table and (table, *(item.get(c) for c in columns)) in self.stored:
            raise DropItem(f"al opgeslagen in de onderbroken crawl: {table}",
                           log_level="DEBUG")
        return item


def stored_pages(db, run_id: int) -> Iterator[dict]:
    """The run's pages in the order they were stored, each with its links and forms.

    Links are stored with their page, right after it: ``store.run_links`` streams them in
    that order, so they are matched to their page as both streams go.
    """
    forms: dict[str, list[dict]] = {}
    for form in db["forms"].rows_where("run_id = ?", [run_id], order_by="id"):
        forms.setdefault(form["page"], []).append(form)
    groups = groupby(store.run_links(db, run_id), key=itemgetter("source"))
    group = next(groups, None)
    last = db.execute("select max(id) from pages where run_id = ?", [run_id]).fetchone()[0]
    for page in db["pages"].rows_where("run_id = ? and id <= ?", [run_id, last or 0],
                                       order_by="id",
                                       select="url, status, location, found_via, fetch_error"):
        links = []
        if group is not None and group[0] == page["url"]:
            links = list(group[1])
            group = next(groups, None)
        yield {**page, "links": links, "forms": forms.pop(page["url"], [])}


def page_depth(page: dict, known: dict[str, tuple[int, int]], listed: int) -> tuple[int, int]:
    """The click depth and redirect hops of the request that fetched a stored page."""
    if page["found_via"] in ("start", "config"):
        return 0, known.get(page["url"], (0, 0))[1]
    if page["found_via"] in ("sitemap", "history"):
        return listed, known.get(page["url"], (listed, 0))[1]
    return known.get(page["url"], (listed, 0))


def replay(spider) -> Iterator:
    """The requests (and unstored items) that the interrupted run's stored pages led to."""
    from crawler.spiders.site import LISTED_DEPTH  # here: the spider imports this module

    db_path, run_id = resumed_run(spider.settings)
    known: dict[str, tuple[int, int]] = {}   # page URL → (click depth, hops) when first asked
    db = store.open_db(db_path)
    try:
        for page in stored_pages(db, run_id):
            if page["fetch_error"] in NOT_FETCHED:
                continue
            depth, hops = page_depth(page, known, LISTED_DEPTH)
            if page["links"]:
                is_candidate(spider, page["url"], {}, page["links"])   # links named as the statement
            # The page itself first: it counts in the page budget (the duplicate filter drops it).
            outputs = [spider.page_request(page["url"], page["found_via"], depth=depth),
                       *spider.follow_up(page, depth, hops)]
            for output in outputs:
                if isinstance(output, Request) and output.meta.get("page"):
                    known.setdefault(output.url, (output.meta.get("click_depth", LISTED_DEPTH),
                                                  output.meta.get("redirect_hops", 0)))
                yield output
    finally:
        db.close()
