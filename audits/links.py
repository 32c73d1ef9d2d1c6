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
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from audits.crawldata import CrawlData
from audits.targets import Outcome, outcome
from audits.template_findings import MIN_PAGES, MIN_SHARE
from core.documents import document_type
from core.urls import on_allowed_domain

if TYPE_CHECKING:
    from audits.gathered import Gathered

DATA = Path(__file__).resolve().parents[1] / "core" / "data" / "links.toml"
# Fragments every browser understands without a matching id.
IMPLICIT_FRAGMENTS = {"top"}


@cache
def settings() -> dict:
    """Thresholds and texts for judging links (core/data/links.toml)."""
    return tomllib.loads(DATA.read_text(encoding="utf-8"))


def kind_of(link: dict) -> str:
    return link.get("kind") or "link"


def fragment_of(href: str) -> str:
    """The href's #fragment ("" when it has none), as ``urlsplit`` reads it."""
    return urlsplit(href).fragment if "#" in href else ""


def link_key(link: dict) -> str:
    """What a link points to, however it is written: the target's URL, plus the fragment."""
    if link.get("malformed"):
        return link["href"]
    fragment = fragment_of(link["href"])
    return link["target"] + ("#" + fragment if fragment else "")


def unique_links(crawl: CrawlData) -> Iterator[dict]:
    """One link per page and target (a link in header and footer, or written two ways,
    counts once); the first one on the page is kept. Streamed: the store gives a page's
    links one after the other, so only the current page's targets are remembered (a page
    whose links come in two runs is looked up again)."""
    source, keys, done = None, set(), set()
    for position, link in enumerate(crawl.links):
        if link["source"] != source:
            done.add(source)
            source = link["source"]
            keys = {link_key(earlier) for earlier in islice(crawl.links, position)
                    if earlier["source"] == source} if source in done else set()
        key = link_key(link)
        if key not in keys:
            keys.add(key)
            yield link


def domain_test(allowed_domains: list[str]) -> Callable[[str], bool]:
    """``on_allowed_domain`` for many URLs: decided once per scheme and host (a night has
    millions of links and a few hundred hosts)."""
    known: dict[str, bool] = {}

    def allowed(url: str) -> bool:
        scheme = "https://" if url.startswith("https://") else \
            "http://" if url.startswith("http://") else None
        if scheme is None or "\t" in url or "\r" in url or "\n" in url:
            return on_allowed_domain(url, allowed_domains)
        end = len(url)
        for mark in "/?#":
            found = url.find(mark, len(scheme))
            if found != -1 and found < end:
                end = found
        origin = url[:end]
        if origin not in known:
            known[origin] = on_allowed_domain(origin, allowed_domains)
        return known[origin]

    return allowed


def anchors_of(page: dict) -> set[str] | None:
    """The ids and named anchors of a crawled HTML page; None when they are not known."""
    if not page or page.get("anchors") is None:
        return None
    return set(json.loads(page["anchors"]))


def fragment_missing(crawl: CrawlData, href: str, final_url: str) -> bool:
    """Whether the href's #fragment names no id or named anchor on the page it lands on."""
    fragment = fragment_of(href)
    if not fragment or fragment.startswith(":~:") or fragment.lower() in IMPLICIT_FRAGMENTS:
        return False
    anchors = anchors_of(crawl.pages.get(final_url))
    if anchors is None:     # not an HTML page we read (external, document): cannot tell
        return False
    return fragment not in anchors and unquote(fragment) not in anchors


def problem_of(crawl: CrawlData, link: dict, result: Outcome | None) -> dict | None:
    """Status and reason when the link (its target's outcome ``result``) is broken."""
    if link.get("malformed"):
        return {"status": None, "reason": "malformed"}
    if result is None:
        return None
    if not result.ok:
        return {"status": result.status, "reason": result.reason}
    if fragment_missing(crawl, link["href"], result.final_url):
        return {"status": result.status, "reason": "fragment"}
    return None


def link_problem(crawl: CrawlData, link: dict) -> dict | None:
    """Status and reason when the link is broken, None when it works or is unknown."""
    return problem_of(crawl, link, None if link.get("malformed") else outcome(crawl, link["target"]))


def reported_target(link: dict, problem: dict) -> str:
    """The target as reported: as written when malformed, with its #fragment when that is
    the problem, else the URL that was checked."""
    if link.get("malformed"):
        return link["href"]
    return link_key(link) if problem["reason"] == "fragment" else link["target"]


@dataclass
class LinkFacts:
    """What the night's links say, gathered in one pass over them: the broken links (the
    only links kept), the external hosts and the counts."""

    broken: list[dict] = field(default_factory=list)     # by target, then page
    hosts: dict[str, bool] = field(default_factory=dict)  # external host -> answered at all
    kinds: dict[str, int] = field(default_factory=dict)
    links: int = 0              # one per page and target, not malformed
    targets: int = 0
    external: set[str] = field(default_factory=set)       # external targets
    documents: dict[str, list[str]] = field(default_factory=dict)  # document -> its pages


def link_facts(crawl: CrawlData, allowed_domains: list[str]) -> LinkFacts:
    """The night's ``LinkFacts`` (computed once per night and list of domains)."""
    return crawl.derived(("links", tuple(allowed_domains)),
                         lambda: _gather(crawl, allowed_domains))


def _gather(crawl: CrawlData, allowed_domains: list[str]) -> LinkFacts:
    facts = LinkFacts()
    allowed = domain_test(allowed_domains)
    network = set(settings()["outage"]["reasons"])
    found: dict[tuple[str, str], dict] = {}
    targets: dict[str, tuple] = {}   # each target once: its outcome, document type, whether internal
    for link in unique_links(crawl):
        if link.get("malformed"):
            result = None
        else:
            target = link["target"]
            if target not in targets:
                result = outcome(crawl, target)
                targets[target] = (result, document_type(target, result.content_type if result
                                                         else None), allowed(target))
            result, doc_type, internal = targets[target]
            facts.links += 1
            facts.kinds[kind_of(link)] = facts.kinds.get(kind_of(link), 0) + 1
            if doc_type is not None:
                facts.documents.setdefault(target, []).append(link["source"])
            if not internal:
                facts.external.add(target)
                if result is not None:
                    host = (urlsplit(target).hostname or "").lower()
                    facts.hosts[host] = facts.hosts.get(host, False) or result.reason not in network
        problem = problem_of(crawl, link, result)
        if problem is None:
            continue
        reported = reported_target(link, problem)
        found.setdefault((link["source"], reported), {
            "source": link["source"], "target": reported, "kind": kind_of(link),
            "text": link["text"], **problem,
            "internal": not link.get("malformed") and allowed(link["href"]),
        })
    facts.targets = len(targets)
    facts.kinds = dict(sorted(facts.kinds.items()))
    facts.broken = sorted(found.values(), key=lambda b: (b["target"], b["source"]))
    return facts


def broken_links(crawl: CrawlData, allowed_domains: list[str]) -> list[dict]:
    """Every broken link: the page it is on, its target, its kind, its text (an image's
    alt), the status and the reason. One per page and target."""
    return list(link_facts(crawl, allowed_domains).broken)


def external_hosts(crawl: CrawlData, allowed_domains: list[str]) -> dict[str, bool]:
    """Every external host a link was checked on, and whether it answered at all."""
    return link_facts(crawl, allowed_domains).hosts


def external_availability(crawl: CrawlData, allowed_domains: list[str]) -> tuple[str, str | None]:
    """("checked", None), or ("unavailable", a note) when many distinct external hosts were
    tried and none answered: the machine could not reach the internet, so those links say
    nothing about the sites they point to."""
    hosts = external_hosts(crawl, allowed_domains)
    outage = settings()["outage"]
    if len(hosts) >= outage["min_hosts"] and not any(hosts.values()):
        return "unavailable", outage["note"].format(hosts=len(hosts))
    return "checked", None


def broken_links_section(gathered: Gathered, results: Mapping) -> list[dict]:
    """The results' broken links (reads ``run.external_links``). When external links could
    not be checked, the external ones are left out: unknown is not broken."""
    broken = broken_links(gathered.crawl, gathered.config.allowed_domains)
    if results["run"]["external_links"] == "unavailable":
        broken = [b for b in broken if b["internal"] or b["reason"] == "malformed"]
    return broken


def by_target(broken: list[dict], pages: list[dict] | None = None) -> list[dict]:
    """The broken links grouped by target, the most widespread first.

    ``in_template``: the link is on as many of the fetched ``pages`` as a template finding
    (audits/template_findings.py), so it is probably in the menu, header or footer and fixed
    once in the CMS. An indication: the report says so."""
    fetched = sum(1 for page in pages or [] if page.get("status") == 200)
    needed = max(MIN_PAGES, round(MIN_SHARE * fetched)) if fetched else None
    groups: dict[str, dict] = {}
    for link in broken:
        group = groups.setdefault(link["target"], {
            "target": link["target"], "status": link.get("status"), "reason": link.get("reason"),
            "kind": link.get("kind", "link"), "internal": link.get("internal"), "count": 0,
            "sources": []})
        group["count"] += 1
        group["sources"].append({"source": link["source"], "text": link.get("text")})
    for group in groups.values():
        group["in_template"] = needed is not None and group["count"] >= needed
    return sorted(groups.values(), key=lambda g: (-g["count"], g["target"]))


def summary(crawl: CrawlData, broken: list[dict], allowed_domains: list[str]) -> dict:
    """Counts for the overview and the links score."""
    facts = link_facts(crawl, allowed_domains)
    return {
        "kinds": facts.kinds,
        "links": facts.links + sum(1 for b in broken if b["reason"] == "malformed"),
        "targets": facts.targets,
        "external_targets": len(facts.external),
        # Tried but unreachable tonight (an outage, see external_availability) is not checked.
        "external_checked": 0 if external_availability(crawl, allowed_domains)[0] == "unavailable"
        else sum(1 for url in facts.external if outcome(crawl, url) is not None),
        "broken": len(broken),
        "broken_targets": len({b["target"] for b in broken}),
    }
