"""Downloader middleware: the configured headers, cookies and basic auth for the site's own
domains only (never for external link checks), from ``NACHTWACHT_ACCESS``."""

from __future__ import annotations

from scrapy.exceptions import NotConfigured

from core.access import resolve
from core.urls import on_allowed_domain


class AccessMiddleware:
    def __init__(self, crawler, headers: dict[str, str]):
        self.crawler, self.headers = crawler, headers

    @classmethod
    def from_crawler(cls, crawler):
        access = resolve(crawler.settings.getdict("NACHTWACHT_ACCESS"))
        if not access:
            raise NotConfigured
        return cls(crawler, access.headers)

    def process_request(self, request, spider=None):
        domains = getattr(self.crawler.spider, "allowed_domains", None) or []
        if on_allowed_domain(request.url, domains):
            for name, value in self.headers.items():
                request.headers[name] = value
