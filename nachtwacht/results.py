"""Building the results object (schema "nachtwacht/results/1") from what a run gathered.

The night's artifacts are loaded once (audits/gathered.py); each section is a function of
those artifacts and of the earlier sections it names in ``reads``, and nothing else: it gets
no database handle, and it reads no section it did not name (``Earlier``). A section builds
its own value and changes no earlier one. The report and the exports only render the result.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from audits import (
    accessibility,
    attention,
    changes,
    deviations,
    documents,
    evidence,
    forms,
    gathered,
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
from audits.gathered import Gathered
from core.config import SiteConfig

SCHEMA = "nachtwacht/results/1"
ARCHIVE = "runs"     # OUT/runs/<id>.json.gz: each night's results, pruned with keep_nights


@dataclass(frozen=True)
class Section:
    """One key of the results: ``build(gathered, earlier)`` gives its value, where
    ``earlier`` holds the sections named in ``reads`` (each built before this one)."""

    key: str
    build: Callable[[Gathered, Mapping], object]
    reads: tuple[str, ...] = ()
    kept: bool = True       # False: a step later sections read, not written to results.json
    derived: bool = False   # built from the sections it reads alone: a stored night lacking
                            # it gets it when read back (``upgraded``)


class UndeclaredRead(LookupError):
    """A section read a key it did not name in ``reads``."""


class Earlier(Mapping):
    """The sections built so far, as one section sees them: only those it reads."""

    def __init__(self, built: Mapping, section: Section) -> None:
        self._built, self._section = built, section

    def __getitem__(self, key: str) -> object:
        if key not in self._section.reads:
            raise UndeclaredRead(f"section {self._section.key!r} reads {key!r}, "
                                 f"which it does not name in its reads")
        return self._built[key]

    def __iter__(self) -> Iterator[str]:
        return (key for key in self._section.reads if key in self._built)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def run_entry(g: Gathered, earlier: Mapping) -> dict:
    """The results' ``run``: the night's row, whether external links could be checked (an
    outage is not link rot), and the pages crawled."""
    run = g.run
    entry = {key: run.get(key) for key in (
        "id", "site", "start_url", "started", "finished", "status", "tool_version",
        "axe_version", "axe_note", "browser", "pages_crawled", "pages_audited", "error")}
    entry["audit_progress"] = json.loads(run["audit_progress"]) if run.get("audit_progress") else None
    entry["external_links"], entry["external_links_note"] = links.external_availability(
        g.crawl, g.config.allowed_domains)
    if entry["pages_crawled"] is None:
        entry["pages_crawled"] = sum(1 for p in earlier["pages"] if p["status"] is not None)
    return entry


def _tasks(g: Gathered, earlier: Mapping) -> list[dict]:
    found, measured = tasks.tasks_section(g, earlier), earlier["readability_measures"]
    return readability.with_task_readability(found, measured,
                                             readability.task_pages(g, measured, found))


def _documents(g: Gathered, earlier: Mapping) -> list[dict]:
    found = documents.documents(g.crawl, g.documents, g.config.allowed_domains)
    return documents.on_tasks_and_forms(found, earlier["tasks"] or [], earlier["forms"] or [])


SECTIONS: list[Section] = [
    # every crawled page with its audit and page checks, in one step
    Section("pages", lambda g, r: accessibility.pages_section(g.crawl, g.audits)),
    Section("run", run_entry, reads=("pages",)),
    Section("accessibility", lambda g, r: accessibility.counts(g.audits)),
    Section("page_checks", lambda g, r: page_checks.counts(r["pages"]), reads=("pages",)),
    Section("site_checks", lambda g, r: site_checks.site_checks(
        r["pages"], g.facts, g.config.checks), reads=("pages",)),
    # what each check that was on sees and misses, for the evidence page
    Section("check_coverage", lambda g, r: page_checks.coverage(g.config.checks)),
    # the same element failing on many pages: one problem in the template, fixed once
    Section("template_findings", lambda g, r: template_findings.template_findings(r["pages"]),
            reads=("pages",)),
    # pictures of violations, taken in the browser visit: files in OUT/screenshots/
    Section("screenshots", lambda g, r: screenshots.screenshots(g.facts)),
    Section("redirects", lambda g, r: pages.redirect_entries(g.crawl)),
    Section("summary", lambda g, r: pages.summary(r["pages"]), reads=("pages",)),
    Section("broken_links", links.broken_links_section, reads=("run",)),
    Section("broken_links_by_target",
            lambda g, r: links.by_target(r["broken_links"], r["pages"]),
            reads=("broken_links", "pages")),
    Section("link_summary", lambda g, r: links.summary(g.crawl, r["broken_links"],
                                                       g.config.allowed_domains),
            reads=("broken_links",)),
    Section("forms", lambda g, r: forms.forms(g.crawl, r["pages"], g.config.allowed_domains),
            reads=("pages",)),
    Section("orphans", lambda g, r: orphans.orphans(r["pages"], r["forms"]),
            reads=("pages", "forms")),
    Section("sitemap_errors", lambda g, r: orphans.sitemap_errors(g.crawl, g.sitemap_sources)),
    # plain language of each page's main text, measured once for tasks and readability
    Section("readability_measures", readability.measures_section, kept=False),
    Section("tasks", _tasks, reads=("pages", "forms", "broken_links", "readability_measures")),
    Section("tasks_status", tasks.tasks_status, reads=("tasks",)),
    Section("letters", letters.letters_section),
    Section("readability", readability.readability_section,
            reads=("readability_measures", "tasks")),
    # every linked document, marked when it is on a top-task page or a page with a form
    Section("documents", _documents, reads=("tasks", "forms")),
    Section("document_summary", lambda g, r: documents.summary(r["documents"]),
            reads=("documents",)),
    Section("score", scoring.score_section,
            reads=("tasks", "pages", "broken_links", "forms", "letters", "readability")),
    # third parties and cookies per page, top-task pages first
    Section("privacy", privacy.privacy_section_of_run, reads=("tasks", "forms")),
    # the toegankelijkheidsverklaring: per-criterion evidence, the deviations beside it, and
    # the statement page itself
    Section("evidence", evidence.evidence_section,
            reads=("pages", "site_checks", "documents", "run")),
    Section("deviations", deviations.deviations_section, reads=("evidence", "run")),
    Section("statement", statement.statement_section, reads=("run",)),
    # what the overview asks to fix first
    Section("fix_first", lambda g, r: attention.fix_first(r["pages"]), reads=("pages",),
            derived=True),
    Section("attention", lambda g, r: attention.attention(r), derived=True,
            reads=("tasks", "letters", "fix_first", "broken_links_by_target")),
    # tonight against the previous complete night, and the contact centre's digest of it
    Section("changes", changes.changes_section,
            reads=("pages", "redirects", "broken_links", "forms", "tasks", "letters",
                   "privacy", "statement", "run")),
    Section("kcc", kcc.kcc_section, reads=("changes", "forms")),
]


def assemble(found: Gathered, sections: list[Section] | None = None) -> dict:
    """The results object of one night's artifacts: each section in turn."""
    built: dict = {}
    for section in SECTIONS if sections is None else sections:
        built[section.key] = section.build(found, Earlier(built, section))
    kept = {section.key for section in SECTIONS if section.kept}
    results: dict = {"schema": SCHEMA, "run": None, "score": None}   # first in results.json
    results.update((key, value) for key, value in built.items() if key in kept)
    return results


def build(db: sqlite_utils.Database, run_id: int, config: SiteConfig,
          previous: dict | None = None) -> dict:
    """The results object of one run; ``previous`` is the results of the site's previous
    complete run (for the changes since then), None on a first run. The page texts of the
    site's earlier runs are dropped: the results keep what was measured of them."""
    results = assemble(gathered.load(db, run_id, config, previous))
    gathered.forget_older_texts(db, run_id)
    return results


def upgraded(results: dict) -> dict:
    """A night's results as kept by an older nachtwacht, with what the report now reads from
    them: the derived sections, the state of each letter and short URL."""
    for letter in results.get("letters") or []:
        letter.setdefault("state", letters.letter_state(letter))
    for task in results.get("tasks") or []:
        if task.get("short_url"):
            task["short_url"].setdefault("state", letters.short_url_state(task["short_url"]))
    for section in SECTIONS:
        if section.derived and section.key not in results:
            results[section.key] = section.build(None, Earlier(results, section))
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


def compared_path(out: Path, run_id: int) -> Path:
    """Beside a night's archive: the part of it tomorrow's changes compare with."""
    return out / ARCHIVE / f"{run_id}.changes.json.gz"


def archive(results: dict, out: Path) -> Path:
    """Keep a night's results (gzipped) for 'report --run N', and beside them the part that
    tomorrow's changes compare with (``changes.previous_part``: a 100,000-page night's whole
    results take 600 MB to read back, that part a quarter)."""
    path = archive_path(out, results["run"]["id"])
    path.parent.mkdir(exist_ok=True)
    for target, document in ((path, results),
                             (compared_path(out, results["run"]["id"]),
                              changes.previous_part(results))):
        tmp = target.with_suffix(".tmp")
        with gzip.open(tmp, "wt", encoding="utf-8") as file:
            json.dump(document, file, ensure_ascii=False)
        tmp.replace(target)
    return path


def forget(out: Path, run_id: int) -> None:
    """A pruned night's archive files (keep_nights)."""
    for path in (archive_path(out, run_id), compared_path(out, run_id)):
        path.unlink(missing_ok=True)


def stored(out: Path, db: sqlite_utils.Database, run_id: int) -> dict | None:
    """The results of run ``run_id``: from the archive, or from the ``results`` column where
    an older nachtwacht kept them in the database."""
    path = archive_path(out, run_id)
    if path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as file:
            return upgraded(json.load(file))
    row = db.execute("select results from runs where id = ?", [run_id]).fetchone()
    return upgraded(json.loads(row[0])) if row and row[0] else None


def previous(out: Path, db: sqlite_utils.Database, site: str, before: int) -> dict | None:
    """What the ``changes`` section reads of the results of ``site``'s last complete run
    before run ``before`` that still has them (``changes.previous_part``)."""
    for (run_id,) in db.execute("select id from runs where site = ? and status = 'complete' "
                                "and id < ? order by id desc", [site, before]).fetchall():
        compared = compared_path(out, run_id)
        if compared.exists():
            with gzip.open(compared, "rt", encoding="utf-8") as file:
                return json.load(file)
        found = stored(out, db, run_id)     # kept by an older nachtwacht: the whole results
        if found is not None:
            return changes.previous_part(found)
    return None
