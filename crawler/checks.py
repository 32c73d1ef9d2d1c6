"""Checking link targets that are not crawled: external links, documents, form actions.

A checked URL is asked for its status only: HEAD first, GET when the server refuses
HEAD (405, 501); the body is never read for links. Each URL is checked once per run
(Scrapy's duplicate filter), through the same per-host slots, concurrency limit and
robots.txt rules as the crawl. Redirects are recorded step by step, like pages, so
loops stay visible.
"""

from __future__ import annotations

import scrapy

from core.urls import page_key
from crawler import parsing
from crawler.fetch_errors import fetch_error_reason
from crawler.items import CheckItem

HEAD_REFUSED = (405, 501)
CHECK_META = {"dont_redirect": True, "handle_httpstatus_all": True,
              # Off the allowed domains on purpose: checked, never crawled.
              "allow_offsite": True,
              # A check is no step deeper into the site: DEPTH_LIMIT never drops one.
              "depth_reset": True}
CHECK_PRIORITY = -20     # after the pages: the crawl comes first


class LinkCheckMixin:
    """Spider methods for checking a URL's status without crawling it."""

    def check_request(self, url: str, method: str = "HEAD") -> scrapy.Request:
        timeout = self.settings.getfloat("NACHTWACHT_CHECK_TIMEOUT", 15.0)
        return scrapy.Request(url, method=method, callback=self.parse_check,
                              errback=self.check_failed, priority=CHECK_PRIORITY,
                              dont_filter=method != "HEAD",
                              meta={**CHECK_META, "download_timeout": timeout})

    def parse_check(self, response):
        method = response.request.method
        if method == "HEAD" and response.status in HEAD_REFUSED:
            yield self.check_request(response.request.url, "GET")
            return
        item = CheckItem(
            url=page_key(response.request.url), method=method, status=response.status,
            content_type=response.headers.get(b"Content-Type", b"").decode("latin-1") or None,
            response_ms=round(1000 * response.meta.get("download_latency", 0), 1),
        )
        if 300 <= response.status < 400 and b"Location" in response.headers:
            location = parsing.absolute_url(response,
                                            response.headers[b"Location"].decode("latin-1"))
            if location is None:    # a Location that is no URL: the chain ends nowhere
                item["fetch_error"] = "redirect-malformed"
                yield item
                return
            item["location"] = page_key(location)
            yield item
            # Step by step, still a check: a redirect does not bring a page into scope.
            yield self.check_request(item["location"])
            return
        yield item

    def check_failed(self, failure):

        reason = fetch_error_reason(failure)
        if reason == "robots":      # not allowed to look: the status stays unknown
            return
        yield CheckItem(url=page_key(failure.request.url),
                        method=failure.request.method, fetch_error=reason)
