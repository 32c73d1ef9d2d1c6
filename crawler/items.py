"""What the crawl gathers: pages (with their links and forms), sitemap entries, fetch errors."""

import scrapy


class PageItem(scrapy.Item):
    url = scrapy.Field()            # the URL as requested
    status = scrapy.Field()
    location = scrapy.Field()       # redirect target, for 3xx answers
    content_type = scrapy.Field()
    response_ms = scrapy.Field()
    size = scrapy.Field()
    title = scrapy.Field()
    h1 = scrapy.Field()
    lang = scrapy.Field()
    content_hash = scrapy.Field()
    found_via = scrapy.Field()      # start | link | sitemap | config
    fetch_error = scrapy.Field()    # dns | connection | timeout | … when there was no answer
    links = scrapy.Field()          # [{"target", "href", "text", "tag", "kind"}]
    forms = scrapy.Field()          # [{"action", "method", "fields": [...]}]
    anchors = scrapy.Field()        # ids and named anchors: the page's #fragment targets


class CheckItem(scrapy.Item):
    """A link target or form action that is only checked, not crawled (HEAD, GET fallback)."""

    url = scrapy.Field()
    method = scrapy.Field()
    status = scrapy.Field()
    location = scrapy.Field()
    content_type = scrapy.Field()
    response_ms = scrapy.Field()
    fetch_error = scrapy.Field()


class SitemapItem(scrapy.Item):
    """A sitemap asked for: its status, and "unreachable" or "invalid" when it does not work."""

    url = scrapy.Field()
    status = scrapy.Field()
    error = scrapy.Field()
    found_via = scrapy.Field()      # config | robots | index | default
    entries = scrapy.Field()


class SitemapEntryItem(scrapy.Item):
    url = scrapy.Field()
    sitemap = scrapy.Field()
