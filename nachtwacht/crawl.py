"""Running the Scrapy crawl for one site configuration, in this process."""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from audits import orphans
from core.config import SiteConfig
from crawler.spiders.site import SiteSpider


def crawl_settings(config: SiteConfig, db_path: str, run_id: int,
                   log_file: str | None) -> Settings:
    """The project's Scrapy settings with this site's bounds and politeness applied.

    The crawl log goes to ``log_file`` (the operator's record of the night); without
    one, to standard error.
    """
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    overrides = {
        "NACHTWACHT_DB": db_path,
        "NACHTWACHT_RUN_ID": run_id,
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
        "LOG_LEVEL": "INFO",
        "LOG_FILE": log_file,
        "LOG_FILE_APPEND": True,
    }
    if config.user_agent:
        overrides["USER_AGENT"] = config.user_agent
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


def crawl(config: SiteConfig, db_path: str, run_id: int, log_file: str | None = None) -> dict:
    """Crawl the site into the run's tables; returns Scrapy's stats for the crawl."""
    process = CrawlerProcess(crawl_settings(config, db_path, run_id, log_file))
    crawler = process.create_crawler(SiteSpider)
    process.crawl(crawler, start_urls=config.start_urls, allowed_domains=config.allowed_domains,
                  sitemaps=config.sitemaps, extra_urls=config_urls(config),
                  include=config.include, exclude=config.exclude, max_depth=config.max_depth,
                  history_urls=same_origins(orphans.previously_seen(db_path, config.name, run_id),
                                            config.start_urls))
    process.start()
    return dict(crawler.stats.get_stats())
