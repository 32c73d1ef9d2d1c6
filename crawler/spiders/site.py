"""The site spider: start URLs, robots.txt sitemaps and sitemap.xml, then every internal link.

Redirects are not followed silently: each 3xx answer is recorded as a page with its
``location``, and the target is requested like any link, so chains and loops stay visible.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import scrapy
from lxml.etree import XMLSyntaxError
from scrapy.linkextractors import IGNORED_EXTENSIONS
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TimeoutError
from twisted.web._newclient import ResponseNeverReceived

from core.urls import on_allowed_domain, page_key
from crawler import parsing, politeness, statement_text
from crawler.checks import LinkCheckMixin
from crawler.items import PageItem, SitemapEntryItem
from crawler.text import text_item
from crawler.traps import TrapGuard

DOCUMENT_SUFFIXES = tuple("." + ext for ext in IGNORED_EXTENSIONS)
PAGE_META = {"dont_redirect": True, "handle_httpstatus_all": True, "page": True}


def _exceptions(*names: str) -> tuple[type, ...]:
    """Scrapy's own download exceptions, where this Scrapy version has them."""
    return tuple(getattr(scrapy.exceptions, n) for n in names if hasattr(scrapy.exceptions, n))


FETCH_ERRORS = (  # reason, the exceptions that mean it (Twisted's and Scrapy >= 2.14's)
    ("dns", (DNSLookupError, *_exceptions("CannotResolveHostError"))),
    ("connection", (ConnectionRefusedError, *_exceptions("DownloadConnectionRefusedError"))),
    ("timeout", (TimeoutError, *_exceptions("DownloadTimeoutError"))),
    ("connection", (ResponseNeverReceived,
                    *_exceptions("DownloadFailedError", "ResponseDataLossError"))),
    ("robots", (scrapy.exceptions.IgnoreRequest,)),
    ("too-large", _exceptions("DownloadCancelledError")),   # over DOWNLOAD_MAXSIZE
)


def fetch_error_reason(failure) -> str:
    """A short reason for a request that got no answer."""
    for reason, kinds in FETCH_ERRORS:
        if failure.check(*kinds):
            return reason
    if "timeout" in type(failure.value).__name__.lower():
        return "timeout"
    return type(failure.value).__name__


class SiteSpider(LinkCheckMixin, scrapy.Spider):
    name = "site"

    def __init__(self, start_url: str | None = None, start_urls=None, allowed_domains=None,
                 sitemaps=None, extra_urls=None, history_urls=None, **kwargs):
        super().__init__(**kwargs)
        urls = start_urls or ([start_url] if start_url else [])
        if isinstance(urls, str):
            urls = urls.split(",")
        self.start_urls = [page_key(u) for u in urls]
        self.allowed_domains = allowed_domains or sorted(
            {urlsplit(u).hostname for u in self.start_urls})
        self.sitemaps = sitemaps
        self.extra_urls = extra_urls or []      # pages named in the configuration
        self.history_urls = history_urls or []  # pages seen in the previous run: orphans?

    async def start(self):
        # Here, not in __init__: the settings are there only once the crawler is.
        self.traps = TrapGuard(self.settings.getint("NACHTWACHT_MAX_QUERY_VARIANTS", 100))
        self.trap_skipped: set[str] = set()
        self.followed: set[str] = set()     # most links on a page were seen on the last one
        for url in self.start_urls:
            yield self.page_request(url, "start", priority=10)
        for url in self.sitemap_urls():
            yield scrapy.Request(url, callback=self.parse_sitemap, errback=self.ignore,
                                 priority=5)
        for url in self.extra_urls:
            yield self.page_request(url, "config", priority=-10)
        for url in self.history_urls:
            if self.should_follow(url):
                yield self.page_request(url, "history", priority=-15)

    def sitemap_urls(self) -> list[str]:
        if self.sitemaps is not None:
            return [urljoin(self.start_urls[0], s) for s in self.sitemaps]
        origins = sorted({f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" for u in self.start_urls})
        return [o + "/robots.txt" for o in origins] + [o + "/sitemap.xml" for o in origins]

    def page_request(self, url: str, found_via: str, priority: int = 0) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_page, errback=self.fetch_failed,
                              priority=priority, meta={**PAGE_META, "found_via": found_via})

    def parse_sitemap(self, response):
        if response.status != 200:
            return
        if response.url.endswith("/robots.txt"):
            for url in sitemap_urls_from_robots(response.body, base_url=response.url):
                yield scrapy.Request(url, callback=self.parse_sitemap, errback=self.ignore)
            return
        body = response.body
        try:
            if body[:2] == b"\x1f\x8b":
                body = gunzip(body, max_size=self.settings.getint("DOWNLOAD_MAXSIZE"))
            sitemap = Sitemap(body)
        except (XMLSyntaxError, StopIteration, OSError, ValueError):
            # empty, not XML, a broken or too large gzip file
            self.logger.warning("Sitemap %s is geen geldige XML", response.url)
            return
        for entry in sitemap:
            loc = entry.get("loc")
            if not loc:
                continue
            if sitemap.type == "sitemapindex":
                yield scrapy.Request(loc, callback=self.parse_sitemap, errback=self.ignore)
            else:
                url = page_key(loc)
                yield SitemapEntryItem(url=url, sitemap=response.url)
                yield self.page_request(url, "sitemap", priority=-5)

    def parse_page(self, response):
        item = PageItem(
            url=page_key(response.request.url), status=response.status,
            content_type=response.headers.get(b"Content-Type", b"").decode("latin-1") or None,
            response_ms=round(1000 * response.meta.get("download_latency", 0), 1),
            size=len(response.body), content_hash=parsing.content_hash(response.body),
            found_via=response.meta.get("found_via", "link"), links=[], forms=[],
        )
        if 300 <= response.status < 400 and b"Location" in response.headers:
            location = response.urljoin(response.headers[b"Location"].decode("latin-1"))
            item["location"] = page_key(location)
            yield item
            hops = response.meta.get("redirect_hops", 0) + 1
            if hops > self.settings.getint("REDIRECT_MAX_TIMES"):
                # Where a browser gives up too ("too many redirects"): recorded, not followed.
                yield PageItem(url=item["location"], found_via=item["found_via"],
                               fetch_error="redirect-loop", links=[], forms=[])
            elif on_allowed_domain(item["location"], self.allowed_domains):
                request = self.page_request(item["location"], item["found_via"])
                request.meta["redirect_hops"] = hops
                yield request
            else:
                yield self.check_request(item["location"])
            return
        if politeness.is_busy(response):
            item["fetch_error"] = "busy"        # not got: says nothing about the page
        if response.status == 200 and parsing.is_html(response):
            item.update(parsing.page_facts(response))
            item["links"] = parsing.links(response)
            item["forms"] = parsing.forms(response)
            item["anchors"] = parsing.anchors(response)
            yield from statement_text.statement_items(self, response, item["url"], item,
                                                      item["links"])
            yield text_item(response, item["url"])      # the main text, for readability
        yield item
        for link in item["links"]:
            if not link.get("malformed"):
                yield from self.follow_link(link["target"])
        for form in item["forms"]:
            if urlsplit(form["action"]).scheme in ("http", "https"):
                yield self.check_request(page_key(form["action"]))

    def should_follow(self, url: str) -> bool:
        """Internal pages only; documents are checked, not crawled into."""
        return on_allowed_domain(url, self.allowed_domains) and \
            not urlsplit(url).path.lower().endswith(DOCUMENT_SUFFIXES)

    def follow_link(self, url: str):
        """Follow a link, unless it leads into a crawl trap: then record it once as skipped."""
        if url in self.followed or url in self.trap_skipped:
            return
        reason = self.traps.reason(url) if self.should_follow(url) else None
        if reason is None:
            self.followed.add(url)
            yield self.follow_target(url)
            return
        self.trap_skipped.add(url)
        self.crawler.stats.inc_value(f"nachtwacht/crawl_trap/{reason}")
        yield PageItem(url=url, found_via="link", fetch_error="crawl-trap", links=[], forms=[])

    def fetch_failed(self, failure):
        request = failure.request
        reason = fetch_error_reason(failure)
        if reason == "robots":
            return
        yield PageItem(url=page_key(request.url), found_via=request.meta.get("found_via"),
                       fetch_error=reason, links=[], forms=[])

    def ignore(self, failure):
        self.logger.info("Overgeslagen: %s (%s)", failure.request.url, fetch_error_reason(failure))
