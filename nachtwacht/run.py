"""One nightly run against one site: crawl, audit, analyse, store, report."""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlsplit

from audits import axe_stage, crawldata, document_stage
from audits.browser import BrowserUnavailable
from core import __version__, access, retention, store
from core.config import SiteConfig
from crawler import health
from nachtwacht import crawl, crawljob, history, interrupt, results
from nachtwacht.failures import RunFailed, SiteUnreachable, internal_error
from nachtwacht.progress import RunProgress
from reports import render

log = logging.getLogger(__name__)


# For tests only: makes a run raise an internal error right after its crawl, so that the
# handling of a crash (exit code 4, the run recorded as failed) is tested on a real run.
CRASH_FOR_TESTS = "NACHTWACHT_TEST_INTERNAL_ERROR"


def safe_settings(config: SiteConfig) -> dict:
    """The settings stored with the run: no secrets. The webhook by its host only, ``[access]``
    by the names of its headers, cookies and environment variables (core/access.py)."""
    settings = {k: v for k, v in asdict(config).items()
                if k not in ("tasks", "letters", "webhook_url", "access")}
    settings["webhook_host"] = urlsplit(config.webhook_url).hostname if config.webhook_url else None
    settings["access"] = access.described(config.access)
    return settings


def start_page_problem(crawl_data: crawldata.CrawlData, start_url: str,
                       robots: str | None = None) -> str | None:
    """Why the start page could not be read, or None when it could; ``robots`` says why the
    site's robots.txt could not be read, when it could not."""
    page = crawl_data.pages.get(start_url)
    if page is None:
        return robots or "geen antwoord (geblokkeerd door robots.txt of niet opgevraagd)"
    if page.get("fetch_error"):
        return {"dns": "de naam van de server is onbekend (DNS)",
                "connection": "de verbinding werd geweigerd",
                "timeout": "de server antwoordde niet op tijd"}.get(
                    page["fetch_error"], page["fetch_error"])
    final = crawl_data.final_url(start_url)
    status = crawl_data.pages.get(final, {}).get("status") if final else None
    if status is None or status >= 400:
        return f"de startpagina antwoordt met status {status or 'onbekend'}"
    return None


def run_site(config: SiteConfig, out: Path, lang: str = "nl", full: bool = False,
             verbose: bool = False) -> dict:
    """Run everything for one site into ``out``; returns the results object.

    Raises RunFailed when the site cannot be crawled at all; that run is kept as 'failed',
    as is a run that ends in an unexpected error (which is raised on).
    """
    out.mkdir(parents=True, exist_ok=True)
    db_path = out / "nachtwacht.db"
    db = store.open_db(db_path)
    job = crawljob.open_job(out, db, config.name, crawl.fingerprint(config))
    if job.resume_run:      # the same run goes on: its stored pages are not fetched again
        run_id = job.resume_run
        crawljob.reopen(db, run_id)
    else:
        run_id = store.start_run(db, config.name, config.start_urls[0], safe_settings(config),
                                 __version__)
    if job.note:
        print(f"nachtwacht: {job.note}", flush=True)
    try:
        with RunProgress(db_path, run_id, enabled=False if verbose else None) as progress:
            return _run(db, run_id, config, out, lang, full, verbose, progress, job)
    except (RunFailed, interrupt.Interrupted, KeyboardInterrupt, OSError, sqlite3.Error):
        raise       # recorded where raised, or by the caller (nachtwacht/nightly.py)
    except Exception as error:
        store.finish_run(db, run_id, "failed", error=internal_error(error))
        raise


def _run(db, run_id: int, config: SiteConfig, out: Path, lang: str, full: bool,
         verbose: bool, progress: RunProgress, job: crawljob.CrawlJob) -> dict:
    db_path = out / "nachtwacht.db"
    log_file = None if verbose else str(out / "nachtwacht.log")
    stats = crawl.crawl(config, str(db_path), run_id, log_file, job)
    interrupt.after_crawl(stats)
    if os.environ.get(CRASH_FOR_TESTS):
        raise RuntimeError(f"{CRASH_FOR_TESTS} is gezet")
    gathered = crawldata.load(db, run_id, config.start_urls)
    problem = start_page_problem(gathered, config.start_urls[0], health.robots_problem(stats))
    if problem:
        message = f"{config.start_urls[0]} is niet bereikbaar: {problem}"
        store.finish_run(db, run_id, "failed", error=message)
        raise SiteUnreachable(message)
    log.info("Crawl klaar: %s", stats.get("finish_reason"))
    document_stage.check_documents(db, run_id, db_path)
    progress.audit_started()
    # time_budget is the audit's time tonight: a crawl that takes long cannot starve it
    deadline = time.monotonic() + config.time_budget if config.time_budget else None
    try:
        db["runs"].update(run_id, axe_stage.audit_run(db, run_id, gathered, config, full=full,
                                                      screenshots=out / "screenshots",
                                                      deadline=deadline))
    except BrowserUnavailable as error:
        store.finish_run(db, run_id, "failed", error=str(error))
        raise RunFailed(str(error)) from None
    outcome = results.build(db, run_id, config,
                            previous=results.previous(out, db, config.name, run_id))
    crawl_note = health.crawl_note(stats)   # errors in the crawl: pages or links may be missing
    outcome["run"]["status"] = "incomplete" if crawl_note else "complete"
    outcome["run"]["error"] = crawl_note or outcome["run"].get("error")
    outcome["run"]["finished"] = store.now()
    try:
        results.archive(outcome, out)     # the night's results: the source of the report
    except OSError as error:              # a full disk: the gathered tables are kept
        reason = error.strerror or error
        store.finish_run(db, run_id, "incomplete", error=f"resultaten niet bewaard ({reason})")
        raise RunFailed(f"de resultaten konden niet worden bewaard in {out} ({reason})") from None
    store.finish_run(db, run_id, outcome["run"]["status"], error=outcome["run"]["error"],
                     pages_crawled=outcome["run"]["pages_crawled"],
                     **{f"score_{k}": outcome["score"].get(k)
                        for k in ("site", "accessibility", "links", "tasks")})
    history.record(db, run_id, outcome)
    for pruned in retention.prune(db, config.name, config.keep_nights):
        results.forget(out, pruned)
    try:
        results.write(outcome, out)
        render.render_report(outcome, out / "report", lang=lang,
                             history=history.load_history(db_path, config.name, run_id))
    except (OSError, sqlite3.DatabaseError) as error:   # disk full: the run itself is stored
        reason = getattr(error, "strerror", None) or error
        raise RunFailed(f"de controle is bewaard, maar het rapport kon niet worden geschreven "
                        f"in {out} ({reason}); maak het later met "
                        f"'nachtwacht report --out {out}'") from None
    return outcome
