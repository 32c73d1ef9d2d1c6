"""Item pipelines: the crawl's items go into the run's tables in the history database."""

from __future__ import annotations

import json

from core import store
from crawler.documents import DocumentItem
from crawler.items import CheckItem, PageItem, SitemapEntryItem, SitemapItem
from crawler.statement_text import StatementTextItem
from crawler.text import PageTextItem

BATCH = 200


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
        return item

    def add(self, table: str, row: dict) -> None:
        self.pending.setdefault(table, []).append({"run_id": self.run_id, **row})
        if len(self.pending[table]) >= BATCH:
            self.flush()

    def flush(self) -> None:
        with self.db.conn:
            for table in list(self.pending):
                self.db[table].insert_all(self.pending.pop(table), alter=True)

    def close_spider(self, spider=None):
        if self.db is not None:
            self.flush()
            self.db.close()
