"""Building the results object (schema "nachtwacht/results/1") from what a run gathered.

Each section is a function over the run's data; the report and the exports only render it.
"""

from __future__ import annotations

import gzip
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
    screenshots,
    site_checks,
    statement,
    tasks,
    template_findings,
)
from core.config import SiteConfig

SCHEMA = "nachtwacht/results/1"
ARCHIVE = "runs"     # OUT/runs/<id>.json.gz: each night's results, pruned with keep_nights

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
    # the same element failing on many pages: one problem in the template, fixed once
    ("template_findings", lambda crawl, ctx: template_findings.template_findings(
        ctx["results"]["pages"])),
    # pictures of violations, taken in the browser visit: files in OUT/screenshots/
    ("screenshots", lambda crawl, ctx: screenshots.screenshots(
        site_checks.load_facts(ctx["db"], ctx["run_id"]))),
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
    # plain language of each page's main text (reads tasks; adds `readability` to each task)
    ("readability", readability.readability_section),
    # counts for the report and the statement; marks documents on top-task and form pages
    ("document_summary", lambda crawl, ctx: documents.summary(ctx["results"])),
    ("score", scoring.score_section),
    # third parties and cookies per page, top-task pages first; reads tasks and forms
    ("privacy", privacy.privacy_section_of_run),
    # the toegankelijkheidsverklaring: per-criterion evidence (reads axe, checks, documents),
    # the deviations beside it, and the statement page itself
    ("evidence", evidence.evidence_section),
    ("deviations", deviations.deviations_section),
    ("statement", statement.statement_section),
    # Keep "changes" (and "kcc", read from it) last: it compares every section above with
    # the previous complete run.
    ("changes", changes.changes_section),
    ("kcc", kcc.kcc_section),
]


def run_entry(run: dict) -> dict:
    entry = {key: run.get(key) for key in (
        "id", "site", "start_url", "started", "finished", "status", "tool_version",
        "axe_version", "axe_note", "browser", "pages_crawled", "pages_audited", "error")}
    entry["audit_progress"] = json.loads(run["audit_progress"]) if run.get("audit_progress") else None
    return entry


def build(db: sqlite_utils.Database, run_id: int, config: SiteConfig,
          previous: dict | None = None) -> dict:
    """The results object of one run; ``previous`` is the results of the site's previous
    complete run (for the changes since then), None on a first run."""
    run = db["runs"].get(run_id)
    crawl = crawldata.load(db, run_id, config.start_urls)
    results: dict = {"schema": SCHEMA, "run": run_entry(run), "score": {}}
    context = {"db": db, "run_id": run_id, "config": config, "results": results,
               "previous": previous}
    for key, section in SECTIONS:
        results[key] = section(crawl, context)
    counts = results["run"]
    if counts.get("pages_crawled") is None:
        counts["pages_crawled"] = sum(1 for p in results["pages"] if p["status"] is not None)
    return results


def write(results: dict, out: Path) -> Path:
    """The latest run's results.json (the archive of nights keeps every run's: ``archive``)."""
    path = out / "results.json"
    tmp = path.with_suffix(".json.tmp")
    # Written as it is encoded: json.dumps with an indent holds millions of pieces at once
    # (1.6 GB for the 200 MB of a 100,000-page site).
    with tmp.open("w", encoding="utf-8") as file:
        json.dump(results, file, ensure_ascii=False, indent=2)
    tmp.replace(path)
    return path


def archive_path(out: Path, run_id: int) -> Path:
    return out / ARCHIVE / f"{run_id}.json.gz"


def archive(results: dict, out: Path) -> Path:
    """Keep a night's results (gzipped) for 'report --run N' and tomorrow's changes."""
    path = archive_path(out, results["run"]["id"])
    path.parent.mkdir(exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8") as file:
        json.dump(results, file, ensure_ascii=False)
    tmp.replace(path)
    return path


def stored(out: Path, db: sqlite_utils.Database, run_id: int) -> dict | None:
    """The results of run ``run_id``: from the archive, or from the ``results`` column where
    an older nachtwacht kept them in the database."""
    path = archive_path(out, run_id)
    if path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as file:
            return json.load(file)
    row = db.execute("select results from runs where id = ?", [run_id]).fetchone()
    return json.loads(row[0]) if row and row[0] else None


def previous(out: Path, db: sqlite_utils.Database, site: str, before: int) -> dict | None:
    """The results of ``site``'s last complete run before run ``before`` that still has them."""
    for (run_id,) in db.execute("select id from runs where site = ? and status = 'complete' "
                                "and id < ? order by id desc", [site, before]).fetchall():
        found = stored(out, db, run_id)
        if found is not None:
            return found
    return None
