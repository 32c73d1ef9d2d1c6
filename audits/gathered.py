"""What one night gathered, loaded once from the store: the artifacts the results sections
judge (after Lighthouse's artifacts). The only place where building the results reads the
database; the sections get a ``Gathered`` and never a database handle.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import sqlite_utils

from audits import crawldata, orphans, privacy
from audits.axe import PageAudit
from audits.axe_stage import load_audits
from audits.crawldata import CrawlData, Stream
from audits.site_checks import load_facts
from core import store
from core.config import SiteConfig


@dataclass(frozen=True)
class Gathered:
    """A night's artifacts: what the crawl, the document stage and the browser stored."""

    config: SiteConfig
    run: dict                                   # the night's row in ``runs``
    crawl: CrawlData                            # pages, links, forms, sitemaps, link checks
    audits: dict[str, tuple[PageAudit, dict]]   # URL -> (axe and page checks, reuse facts)
    facts: dict[str, dict]                      # URL -> the page facts of the browser visit
    privacy: dict[str, dict]                    # URL -> what the page contacted before consent
    documents: dict[str, dict]                  # URL -> the document stage's facts of a file
    statement_pages: dict[str, dict]            # URL -> the statement text the spider kept
    page_texts: Iterable[dict]                  # {url, text} of every page, in URL order
                                                # (a Stream: read anew on every pass)
    sitemap_sources: dict[str, str]             # sitemap entry -> the sitemap that lists it
    previous: dict | None = None                # what changes reads of the previous night

    @classmethod
    def of(cls, config: SiteConfig, **artifacts: object) -> Gathered:
        """Artifacts held in memory (tests, small fixtures): what is not given is empty."""
        empty: dict = {"run": {}, "crawl": CrawlData(start_urls=list(config.start_urls)),
                       "audits": {}, "facts": {}, "privacy": {}, "documents": {},
                       "statement_pages": {}, "page_texts": [], "sitemap_sources": {}}
        return cls(config=config, **{**empty, **artifacts})


def load(db: sqlite_utils.Database, run_id: int, config: SiteConfig,
         previous: dict | None = None) -> Gathered:
    """Everything run ``run_id`` gathered; ``previous`` is what ``changes`` reads of the
    site's previous complete night (``changes.previous_part``; None on a first night)."""
    return Gathered(
        config=config,
        run=db["runs"].get(run_id),
        crawl=crawldata.load(db, run_id, config.start_urls),
        audits=load_audits(db, run_id),
        facts=load_facts(db, run_id),
        privacy=privacy.load_records(db, run_id),
        documents={row["url"]: row for row in store.rows(db, "documents", run_id)}
        if db["documents"].exists() else {},
        statement_pages={row["url"]: row for row in store.rows(db, "statement_pages", run_id)},
        page_texts=Stream(lambda: page_texts(db, run_id)),
        sitemap_sources=orphans.sitemap_sources(db, run_id),
        previous=previous,
    )


def page_texts(db: sqlite_utils.Database, run_id: int) -> Iterator[dict]:
    """The run's page texts, one at a time (the crawl's ``page_texts`` table)."""
    if "page_texts" not in db.table_names():
        return iter(())
    return db["page_texts"].rows_where("run_id = ?", [run_id], order_by="url",
                                       select="url, text")


def forget_older_texts(db: sqlite_utils.Database, run_id: int) -> None:
    """Drop the page texts of the site's earlier runs. A text is needed only while its run's
    results are built (they keep the measures and sentences), so the database holds one
    night of text instead of ``keep_nights`` of them."""
    if "page_texts" not in db.table_names():
        return
    with db.conn:
        db.execute("DELETE FROM page_texts WHERE run_id IN (SELECT id FROM runs WHERE id < ? "
                   "AND site = (SELECT site FROM runs WHERE id = ?))", [run_id, run_id])
