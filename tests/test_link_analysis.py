"""The link judgement as pure functions over crawled data (no network)."""

from __future__ import annotations

import json

from audits.crawldata import CrawlData
from audits.links import broken_links
from audits.targets import outcome

SITE = "https://www.voorbeeldstad.nl"


def html(anchors=(), **extra) -> dict:
    return {"status": 200, "content_type": "text/html", "anchors": json.dumps(list(anchors)),
            **extra}


def crawl_with(links: list[tuple[str, str]], pages: dict, checks: dict | None = None) -> CrawlData:
    return CrawlData(
        start_urls=[SITE + "/"], pages={SITE + "/": html(), **pages}, checks=checks or {},
        links=[{"source": SITE + "/", "target": href.split("#")[0], "href": href, "text": text}
               for href, text in links])


def reasons(crawl: CrawlData) -> dict[str, str]:
    return {b["target"]: b["reason"] for b in broken_links(crawl, ["www.voorbeeldstad.nl"])}


def test_fragment_is_matched_after_percent_decoding_and_top_always_exists():
    crawl = crawl_with(
        [(SITE + "/a#kosten%20paspoort", "Kosten"), (SITE + "/a#top", "Boven"),
         (SITE + "/a#:~:text=paspoort", "Tekstfragment"), (SITE + "/a#weg", "Weg")],
        {SITE + "/a": html(["kosten paspoort"])})
    assert reasons(crawl) == {SITE + "/a#weg": "fragment"}


def test_fragment_is_checked_on_the_page_a_redirect_lands_on():
    crawl = crawl_with([(SITE + "/kort#stap-2", "Stap 2")], {
        SITE + "/kort": {"status": 301, "location": SITE + "/lang"},
        SITE + "/lang": html(["stap-1"])})
    assert reasons(crawl) == {SITE + "/kort#stap-2": "fragment"}


def test_redirect_from_a_page_to_a_dead_external_site_is_broken():
    crawl = crawl_with([(SITE + "/oud", "Oud")],
                       {SITE + "/oud": {"status": 302, "location": "https://weg.invalid/"}},
                       {"https://weg.invalid/": {"method": "HEAD", "fetch_error": "dns"}})
    assert outcome(crawl, SITE + "/oud").redirects == 1
    assert reasons(crawl) == {SITE + "/oud": "dns"}


def test_unknown_targets_are_not_broken():
    crawl = crawl_with(
        [(SITE + "/intern/", "Niet gevraagd (robots.txt)"), ("https://druk.example/", "Druk"),
         (SITE + "/agenda?dag=9999", "Crawlval")],
        {SITE + "/agenda?dag=9999": {"fetch_error": "crawl-trap"}},
        {"https://druk.example/": {"method": "HEAD", "status": 429}})
    assert reasons(crawl) == {}
