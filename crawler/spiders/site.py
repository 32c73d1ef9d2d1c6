"""The site spider: start URLs, robots.txt sitemaps and sitemap.xml, then every internal link.

Redirects are not followed silently: each 3xx answer is recorded as a page with its
``location``, and the target is requested like any link, so chains and loops stay visible.

Scope: a page is crawled when it is on the allowed domains, not a document, its path
matches one ``include`` (when given) and no ``exclude``, and it is at most ``max_depth``
clicks from a start page. A link out of scope is checked (HEAD), not crawled. Images,
stylesheets, scripts and media are always only checked.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import scrapy
from lxml.etree import XMLSyntaxError
from scrapy.linkextractors import IGNORED_EXTENSIONS
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from core.urls import on_allowed_domain, page_key, url_scheme
from crawler import parsing, politeness, resume, statement_text
from crawler.checks import LinkCheckMixin
from crawler.documents import DocumentFetchMixin
from crawler.fetch_errors import fetch_error_reason
from crawler.items import PageItem, SitemapEntryItem, SitemapItem
from crawler.text import text_item
from crawler.traps import TrapGuard

DOCUMENT_SUFFIXES = tuple("." + ext for ext in IGNORED_EXTENSIONS)
PAGE_META = {"dont_redirect": True, "handle_httpstatus_all": True, "page": True}
# Kinds of links that lead to a page (crawled when in scope); the others are only checked.
PAGE_KINDS = {"link", "frame", "refresh"}
# Pages found through a sitemap or an earlier run count as one click from the start.
LISTED_DEPTH = 1


def _patterns(value) -> list[str]:
    """Regexes given as a list or (``scrapy crawl -a``) as one comma-separated string."""
    if not value:
        return []
    return value.split(",") if isinstance(value, str) else list(value)


class SiteSpider(DocumentFetchMixin, LinkCheckMixin, scrapy.Spider):
    name = "site"

    def __init__(self, start_url: str | None = None, start_urls=None, allowed_domains=None,
                 sitemaps=None, extra_urls=None, history_urls=None, include=None,
                 exclude=None, max_depth=None, **kwargs):
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
        self.include = [re.compile(p) for p in _patterns(include)]
        self.exclude = [re.compile(p) for p in _patterns(exclude)]
        self.max_depth = None if max_depth in (None, "") else int(max_depth)

    async def start(self):
        # Here, not in __init__: the settings are there only once the crawler is.
        self.traps = TrapGuard(self.settings.getint("NACHTWACHT_MAX_QUERY_VARIANTS", 100))
        self.trap_skipped: set[str] = set()
        self.followed: set[str] = set()     # most links on a page were seen on the last one
        self.checked: set[str] = set()      # resources (the logo on every page): asked once
        for url in self.start_urls:
            yield self.page_request(url, "start", priority=10, depth=0)
        for url, found_via in self.sitemap_urls():
            yield self.sitemap_request(url, found_via, priority=5)
        for url in self.extra_urls:
            yield self.page_request(url, "config", priority=-10, depth=0)
        if self.max_depth is None or self.max_depth >= LISTED_DEPTH:
            for url in self.history_urls:
                if self.should_follow(url):
                    yield self.page_request(url, "history", priority=-15, depth=LISTED_DEPTH)
        if self.settings.getbool("NACHTWACHT_RESUME"):
            for output in resume.replay(self):   # on from where the interrupted crawl stopped
                yield output

    def sitemap_urls(self) -> list[tuple[str, str]]:
        """(sitemap URL, how it is known): configured, or robots.txt and /sitemap.xml."""
        if self.sitemaps is not None:
            return [(urljoin(self.start_urls[0], s), "config") for s in self.sitemaps]
        origins = sorted({f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" for u in self.start_urls})
        return [(o + "/robots.txt", "robots.txt") for o in origins] + \
            [(o + "/sitemap.xml", "default") for o in origins]

    def sitemap_request(self, url: str, found_via: str, priority: int = 0) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_sitemap, errback=self.sitemap_failed,
                              priority=priority, meta={"sitemap_via": found_via})

    def page_request(self, url: str, found_via: str, priority: int = 0,
                     depth: int | None = None) -> scrapy.Request:
        meta = {**PAGE_META, "found_via": found_via}
        if depth is not None:
            meta["click_depth"] = depth
        return scrapy.Request(url, callback=self.parse_page, errback=self.fetch_failed,
                              priority=priority, meta=meta)

    def parse_sitemap(self, response):
        via = response.meta.get("sitemap_via", "default")
        if via == "robots.txt":
            if response.status == 200:
                for url in sitemap_urls_from_robots(response.body, base_url=response.url):
                    try:
                        yield self.sitemap_request(url, "robots")
                    except ValueError:  # a Sitemap: line that is no URL
                        yield SitemapItem(url=url, status=None, error="unreachable",
                                          found_via="robots", entries=0)
            return
        if response.status != 200:
            # No /sitemap.xml is no error: many sites have none. A named one must answer.
            if via != "default":
                yield SitemapItem(url=response.url, status=response.status, error="unreachable",
                                  found_via=via, entries=0)
            return
        body = response.body
        try:
            if body[:2] == b"\x1f\x8b":
                body = gunzip(body, max_size=self.settings.getint("DOWNLOAD_MAXSIZE"))
            sitemap = Sitemap(body)
            if sitemap.type not in ("urlset", "sitemapindex"):
                raise ValueError(f"no sitemap but <{sitemap.type}>")
        except (XMLSyntaxError, StopIteration, OSError, ValueError, AttributeError):
            # empty, not XML, a broken or too large gzip file
            self.logger.warning("Sitemap %s is geen geldige XML", response.url)
            ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
            if via != "default" or "html" not in ctype:   # a default HTML answer: no sitemap
                yield SitemapItem(url=response.url, status=response.status, error="invalid",
                                  found_via=via, entries=0)
            return
        entries = bad = 0
        for entry in sitemap:
            loc = entry.get("loc")
            if not loc:
                continue
            entries += 1
            try:
                if url_scheme(loc) not in ("http", "https"):   # relative, or a placeholder
                    raise ValueError(loc)
                if sitemap.type == "sitemapindex":
                    yield self.sitemap_request(loc, "index")
                    continue
                url = page_key(loc)
            except ValueError:      # a <loc> that is no URL: skipped, the sitemap still read
                self.logger.warning("Sitemap %s: ongeldig adres %r", response.url, loc)
                bad += 1
                continue
            yield SitemapEntryItem(url=url, sitemap=response.url)
            if (self.max_depth is None or self.max_depth >= LISTED_DEPTH) and \
                    (not on_allowed_domain(url, self.allowed_domains) or self.in_scope(url)):
                yield self.page_request(url, "sitemap", priority=-5, depth=LISTED_DEPTH)
        yield SitemapItem(url=response.url, status=response.status,
                          error="bad-locs" if bad else None, found_via=via, entries=entries)

    def sitemap_failed(self, failure):
        via = failure.request.meta.get("sitemap_via", "default")
        reason = fetch_error_reason(failure)
        self.logger.info("Sitemap overgeslagen: %s (%s)", failure.request.url, reason)
        if via not in ("default", "robots.txt") and reason != "robots":
            yield SitemapItem(url=failure.request.url, status=None, error="unreachable",
                              found_via=via, entries=0)

    def parse_page(self, response):
        item = PageItem(
            url=page_key(response.request.url), status=response.status,
            content_type=response.headers.get(b"Content-Type", b"").decode("latin-1") or None,
            response_ms=round(1000 * response.meta.get("download_latency", 0), 1),
            size=len(response.body), content_hash=parsing.content_hash(response.body),
            found_via=response.meta.get("found_via", "link"), links=[], forms=[],
        )
        depth = response.meta.get("click_depth", LISTED_DEPTH)
        if 300 <= response.status < 400 and b"Location" in response.headers:
            location = parsing.absolute_url(response,
                                            response.headers[b"Location"].decode("latin-1"))
            if location is None:    # a Location that is no URL: the redirect ends nowhere
                item["fetch_error"] = "redirect-malformed"
                yield item
                return
            item["location"] = page_key(location)
            yield item
            yield from self.follow_up(item, depth, response.meta.get("redirect_hops", 0))
            return
        if politeness.is_busy(response):
            item["fetch_error"] = "busy"        # not got: says nothing about the page
        if response.status == 200 and parsing.is_html(response):
            try:
                item.update(parsing.page_facts(response))
                item["links"] = parsing.links(response) + parsing.malformed_form_links(response)
                item["forms"] = parsing.forms(response)
                item["anchors"] = parsing.anchors(response)
            except Exception:   # never lose the page over one odd element; the run says so
                self.logger.exception("Pagina %s niet helemaal gelezen", response.url)
                self.crawler.stats.inc_value("nachtwacht/parse_errors")
            yield text_item(response, item["url"])      # the main text, for readability
            yield from statement_text.statement_items(self, response, item["url"], item,
                                                      item["links"])
        yield item
        yield from self.follow_up(item, depth)

    def follow_up(self, page, depth: int, hops: int = 0):
        """Where a page leads: its redirect's target, or its links and form actions. The same
        for a page just fetched and for a stored one on a resumed crawl (crawler/resume.py)."""
        if page.get("location"):
            hops += 1
            if hops > self.settings.getint("REDIRECT_MAX_TIMES"):
                # Where a browser gives up too ("too many redirects"): recorded, not followed.
                yield PageItem(url=page["location"], found_via=page["found_via"],
                               fetch_error="redirect-loop", links=[], forms=[])
            elif on_allowed_domain(page["location"], self.allowed_domains) and (
                    page["found_via"] in ("start", "config")
                    or self.should_follow(page["location"], depth)):
                request = self.page_request(page["location"], page["found_via"], depth=depth)
                request.meta["redirect_hops"] = hops
                yield request
            else:
                yield self.check_request(page["location"])
            return
        for link in page["links"]:
            if link.get("malformed"):
                continue
            if link.get("kind", "link") in PAGE_KINDS:
                yield from self.follow_link(link["target"], depth + 1)
            elif link["target"] not in self.checked:
                self.checked.add(link["target"])
                yield self.check_request(link["target"])
        for form in page["forms"]:
            if url_scheme(form["action"]) in ("http", "https"):
                yield self.check_request(page_key(form["action"]))

    def in_scope(self, url: str) -> bool:
        """Whether the URL's path (with its query) matches an include (if any) and no exclude."""
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if self.include and not any(p.search(path) for p in self.include):
            return False
        return not any(p.search(path) for p in self.exclude)

    def should_follow(self, url: str, depth: int | None = None) -> bool:
        """Internal pages in scope only; documents are checked, not crawled into."""
        return on_allowed_domain(url, self.allowed_domains) and \
            not urlsplit(url).path.lower().endswith(DOCUMENT_SUFFIXES) and \
            self.in_scope(url) and \
            (depth is None or self.max_depth is None or depth <= self.max_depth)

    def follow_target(self, url: str, depth: int | None = None) -> scrapy.Request:
        """A request for a link target: crawled when it is an internal page in scope,
        checked otherwise (an external link, a document, a page out of scope)."""
        if self.should_follow(url, depth):
            return self.page_request(url, "link", depth=depth)
        return self.check_request(url)

    def follow_link(self, url: str, depth: int | None = None):
        """Follow a link, unless it leads into a crawl trap: then record it once as skipped."""
        if url in self.followed or url in self.trap_skipped:
            return
        reason = self.traps.reason(url) if self.should_follow(url, depth) else None
        if reason is None:
            self.followed.add(url)
            yield self.follow_target(url, depth)
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
