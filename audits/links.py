"""Broken links: every link on every crawled page, judged by what its target answered.

Internal targets were crawled, external targets and documents were checked (see
``crawler/checks.py``); this module only judges. A link whose target was never asked
(robots.txt, crawl bounds) is not judged: unknown is not broken.

"Link" includes every resource a page uses (images, stylesheets, scripts, frames, media,
refreshes), each with its ``kind``. One target written two ways on one page is one link.

An outage is not link rot: when many distinct external hosts were tried and none answered,
the external links say nothing about the sites they point to (``external_links``).
"""

from __future__ import annotations

import json
import tomllib
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from audits.crawldata import CrawlData
from audits.targets import outcome
from core.urls import on_allowed_domain

DATA = Path(__file__).resolve().parents[1] / "core" / "data" / "links.toml"
# Fragments every browser understands without a matching id.
IMPLICIT_FRAGMENTS = {"top"}


@cache
def settings() -> dict:
    """Thresholds and texts for judging links (core/data/links.toml)."""
    return tomllib.loads(DATA.read_text(encoding="utf-8"))


def kind_of(link: dict) -> str:
    return link.get("kind") or "link"


def link_key(link: dict) -> str:
    """What a link points to, however it is written: the target's URL, plus the fragment."""
    if link.get("malformed"):
        return link["href"]
    fragment = urlsplit(link["href"]).fragment
    return link["target"] + ("#" + fragment if fragment else "")


def unique_links(crawl: CrawlData) -> list[dict]:
    """One link per page and target (a link in header and footer, or written two ways,
    counts once); the first one on the page is kept."""
    seen: dict[tuple[str, str], dict] = {}
    for link in crawl.links:
        seen.setdefault((link["source"], link_key(link)), link)
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


def reported_target(link: dict, problem: dict) -> str:
    """The target as reported: as written when malformed, with its #fragment when that is
    the problem, else the URL that was checked."""
    if link.get("malformed"):
        return link["href"]
    return link_key(link) if problem["reason"] == "fragment" else link["target"]


def broken_links(crawl: CrawlData, allowed_domains: list[str]) -> list[dict]:
    """Every broken link: the page it is on, its target, its kind, its text (an image's
    alt), the status and the reason. One per page and target."""
    found: dict[tuple[str, str], dict] = {}
    for link in unique_links(crawl):
        problem = link_problem(crawl, link)
        if problem is None:
            continue
        target = reported_target(link, problem)
        found.setdefault((link["source"], target), {
            "source": link["source"], "target": target, "kind": kind_of(link),
            "text": link["text"], **problem,
            "internal": not link.get("malformed") and on_allowed_domain(link["href"],
                                                                        allowed_domains),
        })
    return sorted(found.values(), key=lambda b: (b["target"], b["source"]))


def external_hosts(crawl: CrawlData, allowed_domains: list[str]) -> dict[str, bool]:
    """Every external host a link was checked on, and whether it answered at all."""
    network = set(settings()["outage"]["reasons"])
    hosts: dict[str, bool] = {}
    for link in unique_links(crawl):
        if link.get("malformed") or on_allowed_domain(link["target"], allowed_domains):
            continue
        result = outcome(crawl, link["target"])
        if result is None:
            continue
        host = (urlsplit(link["target"]).hostname or "").lower()
        hosts[host] = hosts.get(host, False) or result.reason not in network
    return hosts


def external_availability(crawl: CrawlData, allowed_domains: list[str]) -> tuple[str, str | None]:
    """("checked", None), or ("unavailable", a note) when many distinct external hosts were
    tried and none answered: the machine could not reach the internet, so those links say
    nothing about the sites they point to."""
    hosts = external_hosts(crawl, allowed_domains)
    outage = settings()["outage"]
    if len(hosts) >= outage["min_hosts"] and not any(hosts.values()):
        return "unavailable", outage["note"].format(hosts=len(hosts))
    return "checked", None


def broken_links_section(crawl: CrawlData, context: dict) -> list[dict]:
    """The results' broken links; sets ``run.external_links`` (and its note). When external
    links could not be checked, the external ones are left out: unknown is not broken."""
    domains = context["config"].allowed_domains
    state, note = external_availability(crawl, domains)
    run = context["results"]["run"]
    run["external_links"], run["external_links_note"] = state, note
    broken = broken_links(crawl, domains)
    if state == "unavailable":
        broken = [b for b in broken if b["internal"] or b["reason"] == "malformed"]
    return broken


def by_target(broken: list[dict]) -> list[dict]:
    """The broken links grouped by target, the most widespread first."""
    groups: dict[str, dict] = {}
    for link in broken:
        group = groups.setdefault(link["target"], {
            "target": link["target"], "status": link.get("status"), "reason": link.get("reason"),
            "kind": link.get("kind", "link"), "internal": link.get("internal"), "count": 0,
            "sources": []})
        group["count"] += 1
        group["sources"].append({"source": link["source"], "text": link.get("text")})
    return sorted(groups.values(), key=lambda g: (-g["count"], g["target"]))


def summary(crawl: CrawlData, broken: list[dict], allowed_domains: list[str]) -> dict:
    """Counts for the overview and the links score."""
    links = [link for link in unique_links(crawl) if not link.get("malformed")]
    external = {link["target"] for link in links
                if not on_allowed_domain(link["target"], allowed_domains)}
    kinds: dict[str, int] = {}
    for link in links:
        kinds[kind_of(link)] = kinds.get(kind_of(link), 0) + 1
    return {
        "kinds": dict(sorted(kinds.items())),
        "links": len(links) + sum(1 for b in broken if b["reason"] == "malformed"),
        "targets": len({link["target"] for link in links}),
        "external_targets": len(external),
        # Tried but unreachable tonight (an outage, see external_availability) is not checked.
        "external_checked": 0 if external_availability(crawl, allowed_domains)[0] == "unavailable"
        else sum(1 for url in external if outcome(crawl, url) is not None),
        "broken": len(broken),
        "broken_targets": len({b["target"] for b in broken}),
    }
