"""Broken links: every link on every crawled page, judged by what its target answered.

Internal targets were crawled, external targets and documents were checked (see
``crawler/checks.py``); this module only judges. A link whose target was never asked
(robots.txt, crawl bounds) is not judged: unknown is not broken.
"""

from __future__ import annotations

import json
from urllib.parse import unquote, urlsplit

from audits.crawldata import CrawlData
from audits.targets import outcome
from core.urls import on_allowed_domain

# Fragments every browser understands without a matching id.
IMPLICIT_FRAGMENTS = {"top"}


def unique_links(crawl: CrawlData) -> list[dict]:
    """One link per page and href (a link in both header and footer counts once)."""
    seen: dict[tuple[str, str], dict] = {}
    for link in crawl.links:
        seen.setdefault((link["source"], link["href"]), link)
    return list(seen.values())


def anchors_of(page: dict) -> set[str] | None:
    """The ids and named anchors of a crawled HTML page; None when they are not known."""
    if not page or page.get("anchors") is None:
        return None
    return set(json.loads(page["anchors"]))


def fragment_missing(crawl: CrawlData, href: str, final_url: str) -> bool:
    """Whether the href's #fragment names no id or named anchor on the page it lands on."""
    fragment = urlsplit(href).fragment
    if not fragment or fragment.startswith(":~:") or fragment.lower() in IMPLICIT_FRAGMENTS:
        return False
    anchors = anchors_of(crawl.pages.get(final_url))
    if anchors is None:     # not an HTML page we read (external, document): cannot tell
        return False
    return fragment not in anchors and unquote(fragment) not in anchors


def link_problem(crawl: CrawlData, link: dict) -> dict | None:
    """Status and reason when the link is broken, None when it works or is unknown."""
    if link.get("malformed"):
        return {"status": None, "reason": "malformed"}
    result = outcome(crawl, link["target"])
    if result is None:
        return None
    if not result.ok:
        return {"status": result.status, "reason": result.reason}
    if fragment_missing(crawl, link["href"], result.final_url):
        return {"status": result.status, "reason": "fragment"}
    return None


def broken_links(crawl: CrawlData, allowed_domains: list[str]) -> list[dict]:
    """Every broken link: the page it is on, its target, its text, the status and the reason."""
    found = []
    for link in unique_links(crawl):
        problem = link_problem(crawl, link)
        if problem is None:
            continue
        found.append({
            "source": link["source"], "target": link["href"], "text": link["text"],
            **problem,
            "internal": not link.get("malformed") and on_allowed_domain(link["href"],
                                                                        allowed_domains),
        })
    return sorted(found, key=lambda b: (b["target"], b["source"]))


def by_target(broken: list[dict]) -> list[dict]:
    """The broken links grouped by target, the most widespread first."""
    groups: dict[str, dict] = {}
    for link in broken:
        group = groups.setdefault(link["target"], {
            "target": link["target"], "status": link.get("status"), "reason": link.get("reason"),
            "internal": link.get("internal"), "count": 0, "sources": []})
        group["count"] += 1
        group["sources"].append({"source": link["source"], "text": link.get("text")})
    return sorted(groups.values(), key=lambda g: (-g["count"], g["target"]))


def summary(crawl: CrawlData, broken: list[dict], allowed_domains: list[str]) -> dict:
    """Counts for the overview and the links score."""
    links = [link for link in unique_links(crawl) if not link.get("malformed")]
    external = {link["target"] for link in links
                if not on_allowed_domain(link["target"], allowed_domains)}
    return {
        "links": len(links) + sum(1 for b in broken if b["reason"] == "malformed"),
        "targets": len({link["target"] for link in links}),
        "external_targets": len(external),
        "external_checked": sum(1 for url in external if outcome(crawl, url) is not None),
        "broken": len(broken),
        "broken_targets": len({b["target"] for b in broken}),
    }
