"""Finding the statement in a crawl, as plain data: configured, linked by its name, or in the register."""

from __future__ import annotations

from datetime import date

from audits.crawldata import CrawlData
from audits.statement import find_statement, judge

O = "http://127.0.0.1:8000"
REGISTER = "https://www.toegankelijkheidsverklaring.nl/register/4321"
TODAY = date(2026, 12, 1)


def crawl(links: list[tuple[str, str, str]], extra_pages: dict[str, dict] | None = None,
          checks: dict[str, dict] | None = None) -> CrawlData:
    """A crawl of HTML pages with ``(source, target, text)`` links."""
    data = CrawlData(start_urls=[O + "/"])
    for source, target, text in links:
        for url in (source, target):
            if url.startswith(O):
                data.pages.setdefault(url, {"url": url, "status": 200,
                                            "content_type": "text/html"})
        data.links.append({"source": source, "target": target, "href": target, "text": text,
                           "tag": "a"})
    data.pages.update(extra_pages or {})
    data.checks.update(checks or {})
    return data


def test_the_link_text_toegankelijkheidsverklaring_wins_over_a_page_about_toegankelijkheid():
    data = crawl([(O + "/", O + "/over/toegankelijkheid", "Toegankelijkheid"),
                  (O + "/", O + "/verklaring", "Toegankelijkheidsverklaring"),
                  (O + "/a", O + "/over/toegankelijkheid", "Toegankelijkheid")])
    assert find_statement(data, None) == {"url": O + "/verklaring", "how": "link"}


def test_the_configured_url_comes_first():
    data = crawl([(O + "/", O + "/verklaring", "Toegankelijkheidsverklaring")])
    assert find_statement(data, O + "/elders") == {"url": O + "/elders", "how": "config"}


def test_a_configured_register_address_is_a_statement_in_the_register():
    assert find_statement(crawl([]), REGISTER) == {"url": REGISTER, "how": "register"}


def test_a_statement_in_the_register_is_checked_not_read():
    data = crawl([(O + "/", O + "/a", "A"), (O + "/", REGISTER, "Onze verklaring"),
                  (O + "/a", REGISTER, "Onze verklaring")],
                 checks={REGISTER: {"url": REGISTER, "status": 200, "content_type": "text/html"}})
    statement = judge(data, {}, None, TODAY)
    assert statement["url"] == REGISTER and statement["how"] == "register"
    assert statement["found"] is True and statement["readable"] is False
    assert statement["status"] is None and statement["updated"] is None
    assert statement["problems"] == []


def test_a_linked_statement_that_is_gone_is_not_found():
    data = crawl([(O + "/", O + "/toegankelijkheid", "Toegankelijkheid")],
                 extra_pages={O + "/toegankelijkheid": {"url": O + "/toegankelijkheid",
                                                        "status": 404,
                                                        "content_type": "text/html"}})
    statement = judge(data, {}, None, TODAY)
    assert statement["found"] is False and statement["reason"] == "broken"
    assert statement["problems"] == ["not-found"]


def test_pages_that_do_not_link_to_the_statement_are_named():
    data = crawl([(O + "/", O + "/toegankelijkheid", "Toegankelijkheid"),
                  (O + "/", O + "/b", "B"), (O + "/b", O + "/", "Home")])
    texts = {O + "/toegankelijkheid": {"text": "Deze verklaring is opgesteld op 1 juni 2026.",
                                       "emails": "[]"}}
    statement = judge(data, texts, None, TODAY)
    assert statement["problems"] == ["not-linked-everywhere"]
    assert statement["examples"] == [O + "/b"] and statement["pages_without_link"] == 1


def test_a_statement_without_a_readable_date_says_so():
    data = crawl([(O + "/", O + "/toegankelijkheid", "Toegankelijkheid"),
                  (O + "/toegankelijkheid", O + "/", "Home")])
    texts = {O + "/toegankelijkheid": {"text": "Wij vinden toegankelijkheid belangrijk.",
                                       "emails": "[]"}}
    assert judge(data, texts, None, TODAY)["problems"] == ["no-date"]
