"""A spider middleware that keeps the crawl within ``max_pages`` pages.

Scrapy's CLOSESPIDER_PAGECOUNT counts every response (robots.txt, sitemaps, link
checks) and stops everything at once; this counts only the pages the spider asks
for, and lets the link checks of the pages it did get finish.
"""

from __future__ import annotations

from scrapy import Request


class PageBudgetMiddleware:
    def __init__(self, max_pages: int, stats):
        self.max_pages, self.stats = max_pages, stats
        self.requested: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getint("NACHTWACHT_MAX_PAGES", 5000), crawler.stats)

    def allows(self, output) -> bool:
        """Anything but a request for a new page beyond the budget passes."""
        if not isinstance(output, Request) or not output.meta.get("page"):
            return True
        if output.url in self.requested:
            return True         # a duplicate: Scrapy's dupefilter deals with it
        if len(self.requested) >= self.max_pages:
            self.stats.inc_value("nachtwacht/max_pages_reached")
            return False
        self.requested.add(output.url)
        return True

    async def process_start(self, start):
        async for output in start:
            if self.allows(output):
                yield output

    def process_spider_output(self, response, result, spider=None):
        for output in result:
            if self.allows(output):
                yield output

    async def process_spider_output_async(self, response, result, spider=None):
        async for output in result:
            if self.allows(output):
                yield output
