"""Running the Scrapy crawl for one site configuration, in this process."""

from __future__ import annotations

import hashlib
import json
import logging
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from audits import orphans
from core import __version__
from core.config import SiteConfig
from crawler.spiders.site import SiteSpider
from nachtwacht.crawljob import CrawlJob

log = logging.getLogger(__name__)


def site_settings(config: SiteConfig) -> dict:
    """This site's bounds and politeness as Scrapy settings."""
    overrides = {
        "NACHTWACHT_MAX_PAGES": config.max_pages,
        "DEPTH_LIMIT": 0,   # the spider bounds clicks itself (max_depth 0 = start pages only)
        # A link that does not answer is a finding, not an error of the crawl (crawler/health.py)
        "RETRY_GIVE_UP_LOG_LEVEL": "WARNING",
        "CONCURRENT_REQUESTS_PER_DOMAIN": config.concurrency_per_host,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(config.concurrency_per_host),
        "DOWNLOAD_DELAY": config.delay,
        "DOWNLOAD_TIMEOUT": config.timeout,
        "NACHTWACHT_ACCESS": config.access,     # names of secrets only: see nachtwacht/access.py
        "NACHTWACHT_MAX_QUERY_VARIANTS": config.max_query_variants,
        "NACHTWACHT_MAX_DOCUMENT_MB": config.max_document_mb,
        "NACHTWACHT_DOCUMENTS": config.checks.get("documents", True),   # [checks] documents
        "NACHTWACHT_STATEMENT_URL": config.statement_url and config.absolute(config.statement_url),
    }
    if config.user_agent:
        overrides["USER_AGENT"] = config.user_agent
    return overrides


def crawl_settings(config: SiteConfig, db_path: str, run_id: int, log_file: str | None,
                   job: CrawlJob | None = None) -> Settings:
    """The project's Scrapy settings with this site's bounds and politeness applied.

    The crawl log goes to ``log_file`` (the operator's record of the night); without
    one, to standard error. With a ``job``, the crawl keeps its state in the job folder
    and, when the job resumes an interrupted run, goes on from the run's stored rows.
    """
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    overrides = {
        **site_settings(config),
        "NACHTWACHT_DB": db_path,
        "NACHTWACHT_RUN_ID": run_id,
        "LOG_LEVEL": "INFO",
        "LOG_FILE": log_file,
        "LOG_FILE_APPEND": True,
    }
    if job is not None:
        overrides["JOBDIR"] = str(job.jobdir)
        overrides["NACHTWACHT_RESUME"] = job.resume_run == run_id
    settings.setdict(overrides, priority="cmdline")
    return settings


def config_urls(config: SiteConfig) -> list[str]:
    """Pages the configuration names: top-task short URLs and letter URLs."""
    urls = [config.absolute(t.short_url) for t in config.tasks if t.short_url]
    urls += [config.absolute(letter.url) for letter in config.letters]
    urls += [config.absolute(config.statement_url)] if config.statement_url else []
    return urls


def same_origins(urls: list[str], start_urls: list[str]) -> list[str]:
    """Only the URLs on a start URL's scheme, host and port: an earlier run elsewhere is not this site."""
    origins = {urlsplit(u)[:2] for u in start_urls}
    return [u for u in urls if urlsplit(u)[:2] in origins]


def spider_arguments(config: SiteConfig) -> dict:
    """What the spider is told of the site (besides the pages of an earlier run)."""
    return {"start_urls": config.start_urls, "allowed_domains": config.allowed_domains,
            "sitemaps": config.sitemaps, "extra_urls": config_urls(config),
            "include": config.include, "exclude": config.exclude, "max_depth": config.max_depth}


def fingerprint(config: SiteConfig) -> str:
    """Everything that steers the crawl, as one hash: a crawl is only resumed as the same crawl.

    Not in it: what only the browser, the report or the thresholds use (``--browsers`` after
    running out of memory still resumes).
    """
    steering = [site_settings(config), spider_arguments(config), __version__, scrapy.__version__]
    return hashlib.sha256(json.dumps(steering, sort_keys=True, default=str).encode()).hexdigest()


def crawl(config: SiteConfig, db_path: str, run_id: int, log_file: str | None = None,
          job: CrawlJob | None = None) -> dict:
    """Crawl the site into the run's tables; returns Scrapy's stats for the crawl.

    With a ``job`` (nachtwacht/crawljob.py) the crawl can be resumed after an interruption;
    when it ends by itself, its job folder is removed.
    """
    process = CrawlerProcess(crawl_settings(config, db_path, run_id, log_file, job))
    if job is not None:
        job.begin(run_id)
        if job.note:
            log.info(job.note)      # after CrawlerProcess: Scrapy's logging goes to the log file
    crawler = process.create_crawler(SiteSpider)
    process.crawl(crawler, **spider_arguments(config),
                  history_urls=same_origins(orphans.previously_seen(db_path, config.name, run_id),
                                            config.start_urls))
    process.start()
    stats = dict(crawler.stats.get_stats())
    if job is not None:
        job.end(stats.get("finish_reason"))
    return stats
