"""The accessibility stage of a run: every distinct HTML page audited by axe-core, stored.

Pages with the same content (same hash) are audited once. Without ``full``, a page
whose content and axe settings did not change since the previous complete run
takes over that run's audit instead of being audited again.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import time
from pathlib import Path

import sqlite_utils

from audits.axe import (
    AxeSettings,
    NodeResult,
    PageAudit,
    RuleResult,
    audit_pages,
    axe_version,
    browser_version,
)
from audits.browser import default_block
from audits.checks import CheckResult, enabled_checks
from audits.crawldata import CrawlData
from audits.tasks import Matcher
from core import store
from core.config import SiteConfig
from core.wcag import wcag22_only

log = logging.getLogger(__name__)
PAGES_PER_BROWSER = 5
KINDS = {"violation": "violations", "incomplete": "incomplete"}  # findings.kind -> PageAudit


def settings_for(config: SiteConfig, browser: str = "") -> AxeSettings:
    """AxeSettings from the site config's [axe], [access] and [browser] tables.

    ``browser`` is the browser that will audit ("Chromium 156.0…"): its version shapes the result.
    """
    table = dict(config.axe)
    if table.get("script") and config.source:
        table["script"] = str(Path(config.source).parent / table["script"])
    block = config.browser.get("block")
    return AxeSettings(**table, hosts=list(config.allowed_domains), access=dict(config.access),
                       block=list(default_block() if block is None else block), browser=browser,
                       checks=enabled_checks(config.checks))


def priority_pages(crawl: CrawlData, config: SiteConfig) -> frozenset[str]:
    """The toptaak pages (by URL or title/h1 keyword): page checks never skip them as copies."""
    matchers = [Matcher.of(task) for task in config.tasks]
    return frozenset(page["url"] for page in crawl.html_pages()
                     if any(m.url(page["url"]) or m.text((page.get("title") or "").casefold(),
                                                         (page.get("h1") or "").casefold())
                            for m in matchers))


def audit_run(db: sqlite_utils.Database, run_id: int, crawl: CrawlData, config: SiteConfig,
              full: bool = False, screenshots: Path | None = None,
              deadline: float | None = None) -> dict:
    """Audit the run's HTML pages into the store; returns the run's axe_version, axe_note,
    browser, pages_audited and audit_progress.

    At ``deadline`` (``time.monotonic()``; the site's time_budget) the audit stops: the pages
    left have no audit tonight, and the next night audits them first (toptaak pages before
    the rest), taking over what this night did.
    Raises BrowserUnavailable when no browser can be started.
    """
    browser = browser_version(config.grid_url)
    settings = dataclasses.replace(settings_for(config, browser),
                                   priority=priority_pages(crawl, config),
                                   screenshot_dir=str(screenshots) if screenshots else None)
    fingerprint = settings.fingerprint()
    groups: dict[str, list[str]] = {}  # content hash -> URLs with that content
    for page in crawl.html_pages():
        groups.setdefault(page.get("content_hash") or page["url"], []).append(page["url"])
    previous = {} if full else reusable_audits(db, run_id, config.name, fingerprint)
    todo: dict[str, str] = {}  # the URL audited -> its content hash
    for content_hash, urls in sorted(groups.items(), key=lambda item: item[1][0]):
        if content_hash in previous:
            audit, source_run = previous[content_hash]
            for url in urls:
                save_audit(db, run_id, url, content_hash, fingerprint, audit, source_run)
        else:
            todo[urls[0]] = content_hash
    version = axe_version(settings)
    todo = {url: todo[url] for url in sorted(todo, key=lambda u: (u not in settings.priority, u))}
    # A browser takes as long to start as a few pages take to audit: one per PAGES_PER_BROWSER.
    browsers = min(config.browsers or os.cpu_count() or 1, max(1, len(todo) // PAGES_PER_BROWSER))
    done = 0
    for audit in audit_pages(todo, settings, browsers, config.grid_url) if todo else ():
        content_hash = todo[audit.url]
        for url in groups[content_hash]:
            save_audit(db, run_id, url, content_hash, fingerprint, audit)
        done += len(groups[content_hash])
        if deadline is not None and time.monotonic() > deadline:
            log.info("Toegankelijkheid: de tijd van deze nacht (time_budget) is op")
            break
    audited = db.execute("select count(*) from audits where run_id = ? and audited = 1",
                         [run_id]).fetchone()[0]
    reused = sum(len(groups[h]) for h in groups if h in previous)
    progress = {"audited": done, "reused": reused,
                "left": sum(len(urls) for urls in groups.values()) - done - reused}
    log.info("Toegankelijkheid: %d pagina's gecontroleerd, %d overgenomen, %d over", done,
             reused, progress["left"])
    return {"axe_version": version, "axe_note": settings.axe_note, "browser": browser,
            "pages_audited": audited, "audit_progress": json.dumps(progress)}


def reusable_audits(db: sqlite_utils.Database, run_id: int, site: str,
                    fingerprint: str) -> dict[str, tuple[PageAudit, int]]:
    """Content hash -> (audit, the run that made it) from the previous complete run."""
    row = db.execute("select id from runs where site = ? and status = 'complete' and id < ? "
                     "order by id desc limit 1", [site, run_id]).fetchone()
    if row is None:
        return {}
    found = {}
    stored = load_audits(db, row[0], "fingerprint = ? and audited = 1 and content_hash is not null",
                         [fingerprint])
    for audit, meta in stored.values():
        found[meta["content_hash"]] = (audit, meta["reused_from"] or row[0])
    return found


def save_audit(db: sqlite_utils.Database, run_id: int, url: str, content_hash: str | None,
               fingerprint: str, audit: PageAudit, reused_from: int | None = None) -> None:
    """Store one page's audit (under ``url``) with its findings, elements and passes. The
    detail is stored once (core/store/): an audit taken over adds one small row."""
    store.add_audit(db, run_id, url, {
        "result": {"content_hash": content_hash, "fingerprint": fingerprint,
                   "final_url": audit.final_url, "audited": int(audit.audited),
                   "error": audit.error, "load_ms": audit.load_ms,
                   "inject_ms": audit.inject_ms, "axe_ms": audit.axe_ms,
                   "checks_ms": audit.checks_ms, "inapplicable": audit.inapplicable},
        "findings": [{"kind": kind, **_rule_row(rule),
                      "nodes": [dataclasses.asdict(node) for node in rule.nodes]}
                     for kind, key in KINDS.items() for rule in getattr(audit, key)],
        "passes": [_rule_row(rule) for rule in audit.passes],
        "checks": [_check_row(result) for result in audit.checks],
        "facts": [{"name": name, "value": json.dumps(value, ensure_ascii=False)}
                  for name, value in sorted(audit.facts.items())],
    }, reused_from)


def _check_row(result: CheckResult) -> dict:
    row = result.as_dict()
    row["check_id"] = row.pop("check")
    return {**row, "wcag22_only": int(wcag22_only(result.wcag)), "heuristic": int(row["heuristic"]),
            "inherited": int(row["inherited"])}


def _rule_row(rule: RuleResult) -> dict:
    return {"rule": rule.rule, "impact": rule.impact, "wcag": rule.wcag,
            "wcag22_only": int(rule.wcag22_only), "tags": rule.tags,
            "description": rule.description, "help": rule.help, "help_url": rule.help_url,
            "elements": rule.node_count}


def load_audits(db: sqlite_utils.Database, run_id: int, where: str = "1",
                params: list | None = None) -> dict[str, tuple[PageAudit, dict]]:
    """URL -> (stored audit, its content_hash, fingerprint and reused_from) of one run;
    ``where`` (on the columns of the ``audits`` view) chooses which."""
    def rows(part: str):
        return store.audit_rows(db, run_id, part, where, params)

    audits = {}
    for row in rows("audits"):
        audits[row["url"]] = (PageAudit(
            url=row["url"], final_url=row["final_url"], audited=bool(row["audited"]),
            error=row["error"], inapplicable=_json(row["inapplicable"]),
            load_ms=row["load_ms"] or 0, inject_ms=row["inject_ms"] or 0,
            axe_ms=row["axe_ms"] or 0, checks_ms=row["checks_ms"] or 0,
        ), {key: row[key] for key in ("content_hash", "fingerprint", "reused_from")})
    elements: dict[int, list[NodeResult]] = {}
    for row in rows("finding_elements"):
        elements.setdefault(row["finding_id"], []).append(NodeResult(
            target=row["target"], html=row["html"], failure_summary=row["failure_summary"],
            impact=row["impact"]))
    for row in rows("findings"):
        rules = getattr(audits[row["url"]][0], KINDS[row["kind"]])
        rules.append(_rule(row, elements.get(row["id"], [])))
    for row in rows("passes"):
        audits[row["url"]][0].passes.append(_rule(row, []))
    for row in rows("check_results"):
        audits[row["url"]][0].checks.append(CheckResult(
            check=row["check_id"], wcag=_json(row["wcag"]), outcome=row["outcome"],
            elements=_json(row["elements"]), note=row["note"] or "",
            heuristic=bool(row["heuristic"]), template=row["template"],
            inherited=bool(row["inherited"])))
    for row in rows("page_facts"):
        audits[row["url"]][0].facts[row["name"]] = json.loads(row["value"])
    return audits


def _rule(row: dict, nodes: list[NodeResult]) -> RuleResult:
    return RuleResult(rule=row["rule"], impact=row["impact"], wcag=_json(row["wcag"]),
                      tags=_json(row["tags"]), description=row["description"] or "",
                      help=row["help"] or "", help_url=row["help_url"] or "",
                      node_count=row["elements"] or 0, nodes=nodes)


def _json(value: str | None) -> list:
    return json.loads(value) if value else []
