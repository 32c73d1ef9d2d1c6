"""Evidence for the toegankelijkheidsverklaring: per WCAG success criterion, what we found.

The legal baseline is EN 301 549 V3.2.1, the 50 success criteria of WCAG 2.1 A and AA;
the criteria WCAG 2.2 adds are kept apart ("komt eraan"). Per criterion: what axe-core
found, what our own page and site checks found (heuristic ones say so), and the documents
in scope with problems that fail it. "manual" (niet automatisch te testen) only where
nothing of ours looks at the criterion. Also the scope of the run, as the invulassistent
asks for it. Functions over the results built so far.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from functools import cache
from pathlib import Path

from core import wcag
from core.config import SiteConfig
from core.pages import is_html_type

DATA = Path(__file__).resolve().parents[1] / "core" / "data" / "evidence.toml"
# Worst first: the outcome of a criterion is the worst any of our sources gives it.
OUTCOMES = ("failed", "cant_tell", "passed", "no_findings", "untested", "manual")


@cache
def document_criteria() -> dict[str, list[str]]:
    """Document problem -> the criteria it fails."""
    with open(DATA, "rb") as file:
        return tomllib.load(file)["documents"]


def _tally() -> dict:
    return {"failed": set(), "cant_tell": set(), "passed": set(), "items": set(),
            "heuristic": False}


def axe_findings(pages: list[dict]) -> dict[str, dict]:
    """Per criterion: pages with violations, needing review, passing; the rules behind them."""
    found: dict[str, dict] = defaultdict(_tally)
    for page in pages:
        for kind, outcome in (("violations", "failed"), ("incomplete", "cant_tell"),
                              ("passes", "passed")):
            for finding in page.get(kind) or []:
                for number in finding.get("wcag") or []:
                    found[number][outcome].add(page["url"])
                    if outcome != "passed":
                        found[number]["items"].add(finding["rule"])
    return found


def check_findings(results: dict) -> dict[str, dict]:
    """Per criterion: what our own page checks (pages[].checks) and site checks found."""
    found: dict[str, dict] = defaultdict(_tally)
    entries = [(page["url"], check) for page in results.get("pages") or []
               for check in page.get("checks") or []]
    entries += [(None, check) for check in results.get("site_checks") or []]
    for url, check in entries:
        for number in check.get("wcag") or []:
            tally = found[number]
            tally["items"].add(check["check"])
            tally["heuristic"] = tally["heuristic"] or bool(check.get("heuristic"))
            if check.get("outcome") in ("failed", "cant_tell", "passed"):
                pages = [url] if url else check.get("pages") or ["(site)"]
                tally[check["outcome"]].update(pages)
    return found


def document_items(results: dict) -> list[dict] | None:
    """The checked documents (those with a ``problems`` list); None when none were checked."""
    documents = results.get("documents")
    items = documents if isinstance(documents, list) else (documents or {}).get("items") or []
    checked = [d for d in items if "problems" in d]
    return checked or None


def document_findings(results: dict) -> dict[str, dict]:
    """Per criterion: the documents in scope whose problems fail it."""
    found: dict[str, dict] = defaultdict(_tally)
    for document in document_items(results) or []:
        if document.get("in_scope") is False:
            continue
        for problem in document.get("problems") or []:
            for number in document_criteria().get(problem, []):
                found[number]["failed"].add(document["url"])
                found[number]["items"].add(problem)
    return found


def criterion_outcome(criterion: dict, axe: dict | None, checks: dict | None,
                      documents: dict | None, audited: bool, documents_checked: bool) -> str:
    """The worst outcome any source gives; 'manual' only when none of ours looks."""
    sources = [s for s in (axe, checks, documents) if s]
    if any(s["failed"] for s in sources):
        return "failed"
    if any(s["cant_tell"] for s in sources):
        return "cant_tell"
    if any(s["passed"] for s in sources):
        return "passed"
    looks = bool(criterion.get("axe")) or checks is not None or \
        (documents_checked and criterion["number"] in
         {n for numbers in document_criteria().values() for n in numbers})
    if not looks:
        return "manual"
    return "no_findings" if audited or checks is not None else "untested"


def _source(tally: dict | None) -> dict:
    tally = tally or _tally()
    return {"failed": len(tally["failed"]), "cant_tell": len(tally["cant_tell"]),
            "passed": len(tally["passed"]), "items": sorted(tally["items"]),
            "heuristic": tally["heuristic"]}


def criteria(results: dict) -> list[dict]:
    """One entry per WCAG 2.1/2.2 A and AA criterion, in WCAG order."""
    pages = results.get("pages") or []
    axe, checks, documents = axe_findings(pages), check_findings(results), \
        document_findings(results)
    audited = any(p.get("audited") for p in pages)
    documents_checked = document_items(results) is not None
    table = []
    for number, criterion in wcag.criteria().items():
        mapped = any(number in numbers for numbers in document_criteria().values())
        outcome = criterion_outcome(criterion, axe.get(number), checks.get(number),
                                    documents.get(number), audited, documents_checked)
        table.append({
            "number": number, "level": criterion["level"], "since": criterion["since"],
            "only_in_22": wcag.only_in_22(number), "outcome": outcome,
            "axe": {**_source(axe.get(number)), "looks": bool(criterion.get("axe"))},
            "checks": {**_source(checks.get(number)), "looks": number in checks},
            "documents": {**_source(documents.get(number)), "looks": documents_checked and mapped,
                          "could_look": mapped},
        })
    return table


def scope(results: dict, config: SiteConfig) -> dict:
    """What the run looked at and what it left out, and why (step 'reikwijdte')."""
    run = results.get("run") or {}
    pages = results.get("pages") or []
    crawled = run.get("pages_crawled") or sum(1 for p in pages if p.get("status") is not None)
    not_audited = [{"url": p["url"], "reason": p.get("audit_error")} for p in pages
                   if p.get("audited") is False]
    return {
        "domains": list(config.allowed_domains), "start_urls": list(config.start_urls),
        "pages_crawled": crawled,
        "html_pages": sum(1 for p in pages if is_html_type(p.get("content_type"))),
        "pages_audited": sum(1 for p in pages if p.get("audited")),
        "not_audited": len(not_audited), "not_audited_examples": not_audited[:10],
        "max_pages": config.max_pages, "max_pages_reached": crawled >= config.max_pages,
        "max_depth": config.max_depth,
        "include": list(config.include),
        "exclude": list(config.exclude),
        "documents_checked": len(document_items(results) or []),
    }


def evidence_section(crawl, context: dict) -> dict:
    """The results section ``evidence`` (registered in nachtwacht/results.py)."""
    table = criteria(context["results"])
    return {
        "criteria": table,
        "outcomes": list(OUTCOMES),      # in the order the report shows them
        "failing": [c["number"] for c in table if c["outcome"] == "failed" and not c["only_in_22"]],
        "failing_22": [c["number"] for c in table if c["outcome"] == "failed" and c["only_in_22"]],
        "scope": scope(context["results"], context["config"]),
        # a source that did not run tonight is "niet gemeten", not "niets gevonden"
        "measured": {"checks": any("checks" in p for p in context["results"].get("pages") or [])
                     or bool(context["results"].get("site_checks")),
                     "documents": document_items(context["results"]) is not None},
    }
