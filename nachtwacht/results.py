"""Building the results object (schema "nachtwacht/results/1") from what a run gathered.

Each section is a function over the run's data; the report and the exports only render it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from audits import (
    accessibility,
    changes,
    crawldata,
    deviations,
    documents,
    evidence,
    forms,
    kcc,
    letters,
    links,
    orphans,
    page_checks,
    pages,
    privacy,
    readability,
    scoring,
    site_checks,
    statement,
    tasks,
)
from core.config import SiteConfig

SCHEMA = "nachtwacht/results/1"

# (key in results.json, function(crawl, context) -> value); later sections may read earlier ones.
Section = Callable[[crawldata.CrawlData, dict], object]
SECTIONS: list[tuple[str, Section]] = [
    ("pages", lambda crawl, ctx: pages.page_entries(crawl)),
    # adds audited, audit_error, violations, incomplete and passes to the page entries
    ("accessibility", lambda crawl, ctx: accessibility.attach_audits(
        ctx["db"], ctx["run_id"], ctx["results"]["pages"])),
    # adds checks (the page checks beyond axe) to the page entries
    ("page_checks", lambda crawl, ctx: page_checks.attach_checks(
        ctx["db"], ctx["run_id"], ctx["results"]["pages"])),
    ("site_checks", lambda crawl, ctx: site_checks.site_checks(
        ctx["results"]["pages"], site_checks.load_facts(ctx["db"], ctx["run_id"]),
        ctx["config"].checks)),
    # what each check that was on sees and misses, for the evidence page
    ("check_coverage", lambda crawl, ctx: page_checks.coverage(ctx["config"].checks)),
    ("redirects", lambda crawl, ctx: pages.redirect_entries(crawl)),
    ("summary", lambda crawl, ctx: pages.summary(ctx["results"]["pages"])),
    # also sets run.external_links ("checked" or "unavailable": an outage is not link rot)
    ("broken_links", links.broken_links_section),
    ("broken_links_by_target", lambda crawl, ctx: links.by_target(ctx["results"]["broken_links"])),
    ("link_summary", lambda crawl, ctx: links.summary(crawl, ctx["results"]["broken_links"],
                                                      ctx["config"].allowed_domains)),
    ("documents", lambda crawl, ctx: documents.documents(
        crawl, ctx["db"], ctx["run_id"], ctx["config"].allowed_domains)),
    ("forms", lambda crawl, ctx: forms.forms(crawl, ctx["results"]["pages"],
                                             ctx["config"].allowed_domains)),
    ("orphans", lambda crawl, ctx: orphans.orphans(ctx["results"]["pages"],
                                                   ctx["results"]["forms"])),
    ("sitemap_errors", lambda crawl, ctx: orphans.sitemap_errors(
        crawl, orphans.sitemap_sources(ctx["db"], ctx["run_id"]))),
    # Tasks, letters and score read the pages' violations, broken_links and forms: keep
    # them after the axe and link sections.
    ("tasks", tasks.tasks_section),
    ("tasks_status", tasks.tasks_status),
    ("letters", letters.letters_section),
    # counts for the report and the statement; marks documents on top-task and form pages
    ("document_summary", lambda crawl, ctx: documents.summary(ctx["results"])),
    # plain language of each page's main text (reads tasks; adds `readability` to each task)
    ("readability", readability.readability_section),
    ("score", scoring.score_section),
    # the toegankelijkheidsverklaring: per-criterion evidence (reads axe, checks, documents),
    # the deviations beside it, and the statement page itself
    ("evidence", evidence.evidence_section),
    ("deviations", deviations.deviations_section),
    ("statement", statement.statement_section),
    # third parties and cookies per page, top-task pages first; reads tasks and forms
    ("privacy", privacy.privacy_section_of_run),
    # Keep "changes" (and "kcc", read from it) last: it compares every section above with
    # the previous complete run.
    ("changes", changes.changes_section),
    ("kcc", kcc.kcc_section),
]


def run_entry(run: dict) -> dict:
    return {key: run.get(key) for key in (
        "id", "site", "start_url", "started", "finished", "status", "tool_version",
        "axe_version", "axe_note", "browser", "pages_crawled", "pages_audited", "error")}


def build(db: sqlite_utils.Database, run_id: int, config: SiteConfig) -> dict:
    """The results object of one run."""
    run = db["runs"].get(run_id)
    crawl = crawldata.load(db, run_id, config.start_urls)
    results: dict = {"schema": SCHEMA, "run": run_entry(run), "score": {}}
    context = {"db": db, "run_id": run_id, "config": config, "results": results}
    for key, section in SECTIONS:
        results[key] = section(crawl, context)
    counts = results["run"]
    if counts.get("pages_crawled") is None:
        counts["pages_crawled"] = sum(1 for p in results["pages"] if p["status"] is not None)
    return results


def write(results: dict, out: Path) -> Path:
    path = out / "results.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)
    return path
