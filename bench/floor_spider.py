"""The crawl floor: raw Scrapy, no storage and no audits, nachtwacht's politeness settings.

    scrapy runspider bench/floor_spider.py -a start_url=http://127.0.0.1:PORT/ -s ...

Follows every internal link and the sitemap, like nachtwacht's crawl, and does
nothing else with a page than extract its links.
"""

from __future__ import annotations

from typing import ClassVar
from urllib.parse import urlsplit

import scrapy


class FloorSpider(scrapy.Spider):
    name = "floor"
    custom_settings: ClassVar[dict] = {
        "ROBOTSTXT_OBEY": True, "COOKIES_ENABLED": False, "TELNETCONSOLE_ENABLED": False,
        "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
        "AUTOTHROTTLE_ENABLED": True, "AUTOTHROTTLE_START_DELAY": 0.05,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 4.0, "HTTPERROR_ALLOW_ALL": True,
        "LOG_LEVEL": "INFO",
    }

    def __init__(self, start_url: str, **kwargs):
        super().__init__(**kwargs)
        self.start_url = start_url
        self.host = urlsplit(start_url).netloc

    async def start(self):
        yield scrapy.Request(self.start_url)
        yield scrapy.Request(self.start_url.rstrip("/") + "/sitemap.xml",
                             callback=self.parse_sitemap)

    def parse_sitemap(self, response):
        response.selector.remove_namespaces()
        for loc in response.xpath("//loc/text()").getall():
            yield scrapy.Request(loc.strip())

    def parse(self, response):
        if not isinstance(response, scrapy.http.HtmlResponse):
            return
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href).split("#")[0]
            if urlsplit(url).netloc == self.host and not url.endswith(".pdf"):
                yield scrapy.Request(url)
