"""Politeness towards a busy server: robots.txt ``Crawl-delay`` and ``Retry-After`` are kept.

Scrapy's AutoThrottle adapts the delay per host to how fast it answers, and its retry
middleware asks again after a 429 or 503. Neither reads ``Crawl-delay`` or ``Retry-After``;
this middleware does: it keeps a minimum delay (a floor) per download slot that AutoThrottle
cannot go under. A ``Retry-After`` floor halves with every normal answer after it, so the
crawl slows down at once and speeds up again gradually; a ``Crawl-delay`` floor stays.
"""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from protego import Protego
from scrapy import signals


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (a number or an HTTP date), or None."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


def is_busy(response) -> bool:
    """The server said 'not now': 429, or 503 with a Retry-After."""
    return response.status == 429 or (
        response.status == 503 and b"Retry-After" in response.headers)


class PolitenessMiddleware:
    """Downloader middleware: a per-host delay floor from Crawl-delay and Retry-After."""

    def __init__(self, crawler, max_wait: float):
        self.crawler = crawler
        self.max_wait = max_wait
        self.crawl_delay: dict[str, float] = {}
        self.backoff: dict[str, float] = {}
        crawler.signals.connect(self.response_downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.getfloat("NACHTWACHT_MAX_WAIT", 60.0))

    def floor(self, key: str) -> float:
        return max(self.crawl_delay.get(key, 0.0), self.backoff.get(key, 0.0))

    def apply(self, request) -> None:
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is not None and slot.delay < self.floor(key):
            slot.delay = self.floor(key)

    def process_request(self, request, spider=None):
        self.apply(request)

    def process_response(self, request, response, spider=None):
        key = self.crawler.engine.downloader.get_slot_key(request)
        if urlsplit(request.url).path == "/robots.txt" and response.status == 200:
            delay = Protego.parse(response.text if hasattr(response, "text") else
                                  response.body.decode("utf-8", "replace")).crawl_delay(
                self.crawler.settings.get("USER_AGENT") or "*")
            if delay:
                self.crawl_delay[key] = self.capped(float(delay), "Crawl-delay", key)
        elif is_busy(response):
            wait = retry_after_seconds(response.headers.get(b"Retry-After"))
            wait = self.capped(wait if wait is not None else 2 * max(self.floor(key), 1.0),
                               "Retry-After", key)
            self.backoff[key] = max(self.backoff.get(key, 0.0), wait)
            self.crawler.stats.inc_value("nachtwacht/busy_answers")
        elif key in self.backoff:
            self.backoff[key] /= 2
            if self.backoff[key] < 0.1:
                del self.backoff[key]
        self.apply(request)
        return response

    def capped(self, seconds: float, source: str, key: str) -> float:
        if seconds > self.max_wait:
            self.crawler.spider.logger.warning(
                "%s vraagt %s s te wachten; nachtwacht wacht hoogstens %s s", key, seconds,
                self.max_wait)
        return min(seconds, self.max_wait)

    def response_downloaded(self, response, request, spider=None):
        # After AutoThrottle's own adjustment (it connected first): keep the floor.
        self.apply(request)
