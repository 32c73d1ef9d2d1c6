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
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from core import wcag
from core.config import SiteConfig
from core.pages import is_html_type

if TYPE_CHECKING:
    from audits.gathered import Gathered

DATA = Path(__file__).resolve().parents[1] / "core" / "data" / "evidence.toml"
# Worst first: the outcome of a criterion is the worst any of our sources gives it.
OUTCOMES = ("failed", "cant_tell", "passed", "no_findings", "untested", "manual")
# What a source can find about a criterion (EARL's outcomes), worst first.
FOUND = ("failed", "cant_tell", "passed", "inapplicable")


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


def check_findings(results: Mapping) -> dict[str, dict]:
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


def document_items(results: Mapping) -> list[dict] | None:
    """The checked documents (those with a ``problems`` list); None when none were checked."""
    documents = results.get("documents")
    items = documents if isinstance(documents, list) else (documents or {}).get("items") or []
    checked = [d for d in items if "problems" in d]
    return checked or None


def document_findings(results: Mapping) -> dict[str, dict]:
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


def worst(found: Iterable[str]) -> str | None:
    """The one rule for a criterion's outcome, on one page (the EARL export) as on the
    site (the evidence): the worst that any source found (``FOUND``); None for nothing."""
    seen = set(found)
    return next((outcome for outcome in FOUND if outcome in seen), None)


def page_findings(page: dict) -> list[tuple[str, dict]]:
    """(outcome, finding) of axe's results and of our own page checks on one page."""
    found = [(outcome, finding) for kind, outcome in (
        ("violations", "failed"), ("incomplete", "cant_tell"), ("passes", "passed"),
        ("inapplicable", "inapplicable")) for finding in page.get(kind) or []]
    found += [(check["outcome"], {**check, "rule": check["check"]})
              for check in page.get("checks") or [] if check.get("outcome") in FOUND]
    return found


def page_outcomes(page: dict) -> dict[str, dict]:
    """Per criterion on one page: its outcome (``worst``) and the axe rules and page checks
    that gave it, with their element counts: {"1.1.1": {"outcome": "failed",
    "rules": {"image-alt": 2}}}."""
    findings: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for outcome, finding in page_findings(page):
        for number in finding.get("wcag") or []:
            findings[number].append((outcome, finding))
    found: dict[str, dict] = {}
    for number, items in findings.items():
        outcome = worst(o for o, _ in items)
        found[number] = {"outcome": outcome, "rules": {
            finding["rule"]: finding.get("nodes") or 0 for o, finding in items if o == outcome}}
    return found


def criterion_outcome(criterion: dict, axe: dict | None, checks: dict | None,
                      documents: dict | None, audited: bool, documents_checked: bool) -> str:
    """The worst outcome any source gives (``worst``); 'manual' only when none of ours looks."""
    sources = [s for s in (axe, checks, documents) if s]
    found = worst(outcome for s in sources for outcome in ("failed", "cant_tell", "passed")
                  if s[outcome])
    if found:
        return found
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


def criteria(results: Mapping) -> list[dict]:
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


def evidence_section(gathered: Gathered, results: Mapping) -> dict:
    """The results section ``evidence`` (reads ``pages``, ``site_checks``, ``documents`` and
    ``run``)."""
    table = criteria(results)
    return {
        "criteria": table,
        "outcomes": list(OUTCOMES),      # in the order the report shows them
        "failing": [c["number"] for c in table if c["outcome"] == "failed" and not c["only_in_22"]],
        "failing_22": [c["number"] for c in table if c["outcome"] == "failed" and c["only_in_22"]],
        "scope": scope(results, gathered.config),
        # a source that did not run tonight is "niet gemeten", not "niets gevonden"
        "measured": {"checks": any("checks" in p for p in results.get("pages") or [])
                     or bool(results.get("site_checks")),
                     "documents": document_items(results) is not None},
    }
