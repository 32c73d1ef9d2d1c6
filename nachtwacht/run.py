"""One nightly run against one site: crawl, audit, analyse, store, report."""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import asdict
from pathlib import Path

from audits import axe_stage, crawldata
from audits.browser import BrowserUnavailable
from core import __version__, store
from core.config import SiteConfig
from nachtwacht import crawl, interrupt, results
from reports import render

log = logging.getLogger(__name__)


class RunFailed(Exception):
    """The run could not be done (exit code 3); the message is one line for the operator."""


def start_page_problem(crawl_data: crawldata.CrawlData, start_url: str) -> str | None:
    """Why the start page could not be read, or None when it could."""
    page = crawl_data.pages.get(start_url)
    if page is None:
        return "geen antwoord (geblokkeerd door robots.txt of niet opgevraagd)"
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

    Raises RunFailed when the site cannot be crawled at all; that run is kept as 'failed'.
    """
    out.mkdir(parents=True, exist_ok=True)
    db_path = out / "nachtwacht.db"
    db = store.open_db(db_path)
    settings = {k: v for k, v in asdict(config).items() if k not in ("tasks", "letters")}
    run_id = store.start_run(db, config.name, config.start_urls[0], settings, __version__)
    log_file = None if verbose else str(out / "nachtwacht.log")
    stats = crawl.crawl(config, str(db_path), run_id, log_file)
    interrupt.after_crawl(stats)
    gathered = crawldata.load(db, run_id, config.start_urls)
    problem = start_page_problem(gathered, config.start_urls[0])
    if problem:
        message = f"{config.start_urls[0]} is niet bereikbaar: {problem}"
        store.finish_run(db, run_id, "failed", error=message)
        raise RunFailed(message)
    log.info("Crawl klaar: %s", stats.get("finish_reason"))
    try:
        db["runs"].update(run_id, axe_stage.audit_run(db, run_id, gathered, config, full=full))
    except BrowserUnavailable as error:
        store.finish_run(db, run_id, "failed", error=str(error))
        raise RunFailed(str(error)) from None
    outcome = results.build(db, run_id, config)
    outcome["run"]["status"] = "complete"
    outcome["run"]["finished"] = store.now()
    store.finish_run(db, run_id, "complete", pages_crawled=outcome["run"]["pages_crawled"],
                     results=json.dumps(outcome, ensure_ascii=False),
                     **{f"score_{k}": outcome["score"].get(k)
                        for k in ("site", "accessibility", "links", "tasks")})
    try:
        results.write(outcome, out)
        render.render_report(outcome, out / "report", lang=lang)
    except (OSError, sqlite3.DatabaseError) as error:   # disk full: the run itself is stored
        reason = getattr(error, "strerror", None) or error
        raise RunFailed(f"de controle is bewaard, maar het rapport kon niet worden geschreven "
                        f"in {out} ({reason}); maak het later met "
                        f"'nachtwacht report --out {out}'") from None
    return outcome
