"""Item pipelines: the crawl's items go into the run's tables in the history database."""

from __future__ import annotations

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
# Items the store does not write again when they did not change (a page's version and links,
# a sitemap entry, a page's text): table -> the store's writer.
STORED_ONCE = {"pages": store.add_page, "sitemap_entries": store.add_sitemap_entry,
               "page_texts": store.add_page_text}


class StorePipeline:
    """Writes pages (with their links and forms), sitemap entries, link checks and the rest
    for the run in ``NACHTWACHT_RUN_ID``.

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
            self.add("pages", dict(item))
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
        with self.db.atomic():      # one transaction for the batch
            for table in list(self.pending):
                rows = self.pending.pop(table)
                if table in STORED_ONCE:
                    for row in rows:
                        STORED_ONCE[table](self.db, row.pop("run_id"), row)
                else:
                    self.db[table].insert_all(rows, alter=True)

    def close_spider(self, spider=None):
        if self.db is not None:
            self.flusher.stop()
            self.flush()
            self.db.close()
