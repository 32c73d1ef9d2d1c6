"""Gathering the toegankelijkheidsverklaring: the text and e-mail links of pages that may be it.

The crawl keeps titles, headings and links, not text. The statement check needs the
statement's own words (its dates and status) and its ``mailto:`` links (the link table
leaves them out), so the spider keeps them for the few pages that may be the statement:
the configured ``statement_url``, pages whose URL, title or h1 speak of accessibility,
and pages linked as "toegankelijkheid(sverklaring)". Judging is in audits/statement.py.
"""

from __future__ import annotations

import json

import scrapy
from scrapy.http import TextResponse

from core import statement
from core.urls import page_key

MAX_CHARS = 50_000      # a long statement with all its deviations fits
VISIBLE_TEXT = ("//body//text()[not(ancestor::script) and not(ancestor::style) "
                "and not(ancestor::noscript) and not(ancestor::template)]")


class StatementTextItem(scrapy.Item):
    """The visible text and e-mail links of a page that may be the statement (``statement_pages``)."""

    url = scrapy.Field()
    text = scrapy.Field()
    emails = scrapy.Field()     # JSON list of {"href": "mailto:…", "text": "…"}


def is_candidate(spider, url: str, facts: dict, links: list[dict]) -> bool:
    """Remember links named like the statement; True when this page may be the statement."""
    named = getattr(spider, "statement_targets", None)
    if named is None:
        named = spider.statement_targets = set()
    for link in links:
        if statement.link_text_rank(link.get("text")) is not None:
            named.add(link["target"])
    configured = spider.settings.get("NACHTWACHT_STATEMENT_URL")
    return url in named or (configured and url == page_key(configured)) or \
        statement.looks_like_statement(url, facts.get("title"), facts.get("h1"))


def emails(response: TextResponse) -> list[dict]:
    """Every mailto: link on the page, as written."""
    return [{"href": anchor.attrib["href"].strip(),
             "text": " ".join(" ".join(anchor.xpath(".//text()").getall()).split())[:300]}
            for anchor in response.xpath("//a[starts-with(translate(normalize-space(@href),"
                                         "'MAILTO','mailto'),'mailto:')]")]


def statement_items(spider, response: TextResponse, url: str, facts: dict, links: list[dict]):
    """The spider's hook for an HTML page: yields a StatementTextItem for a candidate page."""
    if not is_candidate(spider, url, facts, links):
        return
    text = " ".join(" ".join(response.xpath(VISIBLE_TEXT).getall()).split())
    yield StatementTextItem(url=url, text=text[:MAX_CHARS],
                            emails=json.dumps(emails(response), ensure_ascii=False))
