"""robots.txt kept for every request, and an unreadable one closing the site, not opening it.

Scrapy 2.13-2.19's RobotsTxtMiddleware hands the parsed robots.txt only to the first request
that waited for it: it awaits one shared Deferred as a Future, which consumes its result, so
every later waiter gets None and goes out unchecked (the start URLs, the sitemaps, a resumed
crawl's open requests). ``RobotsMiddleware`` takes the parser from where Scrapy keeps it.

Scrapy's RobotsTxtMiddleware allows everything when robots.txt fails (a time-out, a dropped
connection) or answers with a server error. RFC 9309 (2.3.1.4) asks the opposite: an
unreachable robots.txt means complete disallow. This downloader middleware sits below Scrapy's
retry middleware, so it sees a robots.txt request only once the retries are spent, and then
hands Scrapy's parser a robots.txt that disallows everything, for the site's own domains:
after a time-out, a lost connection or a server error. A host that is not there at all (an
unknown name, a refused connection) is left to the page requests, which then fail the same way.

Other hosts (external link checks) keep Scrapy's behaviour: a host that does not answer its
robots.txt is asked once for the link itself, and that answer is the finding.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import TextResponse
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from core.urls import on_allowed_domain
from crawler.fetch_errors import REFUSED, UNKNOWN_HOST, fetch_error_reason

DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"
RETRIES = 3         # for the site's own robots.txt; other requests keep RETRY_TIMES
STAT = "nachtwacht/robots_unreachable"


def is_robots_request(request) -> bool:
    """The request Scrapy's RobotsTxtMiddleware makes itself (not the spider's sitemap read)."""
    return bool(request.meta.get("dont_obey_robotstxt")) and \
        urlsplit(request.url).path == "/robots.txt"


class RobotsMiddleware(RobotsTxtMiddleware):
    async def robot_parser(self, request):
        parser = await super().robot_parser(request)
        if parser is None:      # perhaps only the consumed result of the shared Deferred
            kept = self._parsers.get(urlparse_cached(request).netloc)
            return None if isinstance(kept, Deferred) else kept
        return parser


class UnreachableRobotsMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def own(self, request) -> bool:
        domains = getattr(self.crawler.spider, "allowed_domains", None) or []
        return is_robots_request(request) and on_allowed_domain(request.url, domains)

    def process_request(self, request, spider=None):
        if self.own(request):
            request.meta.setdefault("max_retry_times", RETRIES)

    def process_response(self, request, response, spider=None):
        if response.status >= 500 and self.own(request):
            return self.closed(request, f"status {response.status}")
        return response

    def process_exception(self, request, exception, spider=None):
        # No server at all: the page requests then fail with that same reason themselves.
        if self.own(request) and not isinstance(exception, UNKNOWN_HOST + REFUSED):
            return self.closed(request, fetch_error_reason(Failure(exception)))
        return None

    def closed(self, request, reason: str) -> TextResponse:
        """A robots.txt that disallows everything, and the reason kept in the crawl's stats."""
        host = urlsplit(request.url).netloc
        stats = self.crawler.stats
        stats.inc_value(STAT)
        stats.set_value(f"{STAT}/reason", reason)
        stats.set_value(f"{STAT}/hosts", sorted({*stats.get_value(f"{STAT}/hosts", []), host}))
        self.crawler.spider.logger.warning(
            "%s kon niet worden gelezen (%s): nachtwacht haalt niets van %s op (RFC 9309)",
            request.url, reason, host)
        return TextResponse(url=request.url, status=200, body=DISALLOW_ALL, encoding="utf-8",
                            request=request)
