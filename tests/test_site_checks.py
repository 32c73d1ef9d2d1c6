"""Site checks: functions over every page's entry and facts, without a browser."""

from __future__ import annotations

from audits.site_checks import site_checks

NAV = [["https://x/afval", "Afval"], ["https://x/belasting", "Belasting"],
       ["https://x/contact", "Contact"]]


def page(url: str, title: str = "Titel", content: str | None = None) -> dict:
    return {"url": url, "title": title, "content_hash": content or url, "audited": True}


def structure(nav=NAV, search=False, sitemap=(), help_region="nav") -> dict:
    return {"structure": {"nav": nav, "search": search, "sitemap": list(sitemap),
                          "help": [{"href": "https://x/contact", "text": "Contact",
                                    "region": help_region, "position": 3}]}}


def run(pages, facts, switches=None) -> dict[str, dict]:
    return {r["check"]: r for r in site_checks(pages, facts, switches or {})}


def test_one_title_on_pages_with_different_content_fails_and_copies_do_not():
    pages = [page("https://x/a", "Gemeente"), page("https://x/b", "Gemeente"),
             page("https://x/c", "Afval", "same"), page("https://x/d", "Afval", "same"),
             page("https://x/e", "")]
    found = run(pages, {})["page-title-unique"]
    assert found["outcome"] == "failed"
    assert found["pages"] == ["https://x/a", "https://x/b", "https://x/e"]
    assert [g["title"] for g in found["groups"]] == ["gemeente"]
    assert run([page("https://x/a", "A"), page("https://x/b", "B")],
               {})["page-title-unique"]["outcome"] == "passed"


def test_navigation_in_another_order_fails_extra_links_do_not():
    pages = [page(f"https://x/{n}") for n in "abcd"]
    facts = {p["url"]: structure() for p in pages}
    facts["https://x/d"] = structure(nav=[NAV[0], ["https://x/nieuw", "Nieuw"], *NAV[1:]])
    assert run(pages, facts)["consistent-navigation"]["outcome"] == "passed"
    facts["https://x/c"] = structure(nav=[NAV[1], NAV[0], NAV[2]])
    found = run(pages, facts)["consistent-navigation"]
    assert found["outcome"] == "failed" and found["pages"] == ["https://x/c"]


def test_multiple_ways_needs_a_search_or_a_reachable_sitemap():
    pages = [page("https://x/a"), page("https://x/sitemap")]
    bare = {p["url"]: structure() for p in pages}
    found = run(pages, bare)["multiple-ways"]
    assert found["outcome"] == "failed" and found["heuristic"]
    with_search = {**bare, "https://x/a": structure(search=True)}
    assert run(pages, with_search)["multiple-ways"]["outcome"] == "passed"
    with_map = {**bare, "https://x/a": structure(sitemap=["https://x/sitemap"])}
    assert run(pages, with_map)["multiple-ways"]["outcome"] == "passed"
    gone = {**bare, "https://x/a": structure(sitemap=["https://x/weg"])}
    assert run(pages, gone)["multiple-ways"]["outcome"] == "failed"


def test_help_in_another_place_is_a_wcag22_indication():
    pages = [page(f"https://x/{n}") for n in "abc"]
    facts = {p["url"]: structure() for p in pages}
    assert run(pages, facts)["consistent-help"]["outcome"] == "passed"
    facts["https://x/b"] = structure(help_region="footer")
    found = run(pages, facts)["consistent-help"]
    assert found["outcome"] == "failed" and found["pages"] == ["https://x/b"]
    assert found["wcag22_only"] and found["heuristic"]


def test_site_checks_are_switched_off_with_site():
    assert run([page("https://x/a")], {}, {"site": False}) == {}
    assert run([], {})["consistent-navigation"]["outcome"] == "inapplicable"
