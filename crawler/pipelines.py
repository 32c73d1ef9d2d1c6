"""Item pipelines: the crawl's items go into the run's tables in the history database."""

from __future__ import annotations

import json

from twisted.internet import task

from core import store
from crawler.documents import DocumentItem
from crawler.items import CheckItem, PageItem, SitemapEntryItem, SitemapItem
from crawler.statement_text import StatementTextItem
from crawler.text import PageTextItem

BATCH = 200
# Rows wait at most this long: a crawl killed hard loses only its last second or so, which a
# resumed crawl fetches again (nachtwacht/crawljob.py).
FLUSH_SECONDS = 1.0


class StorePipeline:
    """Writes pages, links, forms and sitemap entries for the run in ``NACHTWACHT_RUN_ID``.

    Inactive when the crawl runs without a database (plain ``scrapy crawl``).
    """

    def __init__(self, db_path: str | None, run_id: int | None):
        self.db_path, self.run_id = db_path, run_id
        self.pending: dict[str, list[dict]] = {}

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(settings.get("NACHTWACHT_DB"), settings.getint("NACHTWACHT_RUN_ID") or None)

    def open_spider(self, spider=None):
        self.db = store.open_db(self.db_path) if self.db_path and self.run_id else None
        if self.db is not None:
            self.flusher = task.LoopingCall(self.flush)
            self.flusher.start(FLUSH_SECONDS, now=False)

    def process_item(self, item, spider=None):
        if self.db is None:
            return item
        if isinstance(item, PageItem):
            page = {k: v for k, v in dict(item).items() if k not in ("links", "forms")}
            if "anchors" in page:
                page["anchors"] = json.dumps(page["anchors"])
            self.add("pages", page)
            for link in item.get("links") or []:
                self.add("links", {"source": item["url"], **link})
            for form in item.get("forms") or []:
                self.add("forms", {"page": item["url"], **form,
                                   "fields": json.dumps(form["fields"])})
        elif isinstance(item, SitemapEntryItem):
            self.add("sitemap_entries", dict(item))
        elif isinstance(item, SitemapItem):
            self.add("sitemaps", dict(item))
        elif isinstance(item, CheckItem):
            self.add("link_checks", dict(item))
        elif isinstance(item, DocumentItem):
            self.add("documents", dict(item))
        elif isinstance(item, PageTextItem):
            self.add("page_texts", dict(item))
        elif isinstance(item, StatementTextItem):
            self.add("statement_pages", dict(item))
        # Between items, never inside one: a page is stored with all its links or not at all.
        if any(len(rows) >= BATCH for rows in self.pending.values()):
            self.flush()
        return item

    def add(self, table: str, row: dict) -> None:
        self.pending.setdefault(table, []).append({"run_id": self.run_id, **row})

    def flush(self) -> None:
        with self.db.conn:
            for table in list(self.pending):
                self.db[table].insert_all(self.pending.pop(table), alter=True)

    def close_spider(self, spider=None):
        if self.db is not None:
            self.flusher.stop()
            self.flush()
            self.db.close()
