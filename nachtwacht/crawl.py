"""Running the Scrapy crawl for one site configuration, in this process."""

from __future__ import annotations

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.spiders.site import SiteSpider
from nachtwacht.config import SiteConfig


def crawl_settings(config: SiteConfig, db_path: str, run_id: int, log_level: str) -> Settings:
    """The project's Scrapy settings with this site's bounds and politeness applied."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    overrides = {
        "NACHTWACHT_DB": db_path,
        "NACHTWACHT_RUN_ID": run_id,
        "CLOSESPIDER_PAGECOUNT": config.max_pages,
        "DEPTH_LIMIT": config.max_depth,
        "CONCURRENT_REQUESTS_PER_DOMAIN": config.concurrency_per_host,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(config.concurrency_per_host),
        "DOWNLOAD_DELAY": config.delay,
        "LOG_LEVEL": log_level,
        "LOG_FORMAT": "%(levelname)s: %(message)s" if log_level == "WARNING" else
        "%(asctime)s [%(name)s] %(levelname)s: %(message)s",
    }
    if config.user_agent:
        overrides["USER_AGENT"] = config.user_agent
    settings.setdict(overrides, priority="cmdline")
    return settings


def config_urls(config: SiteConfig) -> list[str]:
    """Pages the configuration names: top-task short URLs and letter URLs."""
    urls = [config.absolute(t.short_url) for t in config.tasks if t.short_url]
    urls += [config.absolute(letter.url) for letter in config.letters]
    return urls


def crawl(config: SiteConfig, db_path: str, run_id: int, log_level: str = "WARNING") -> dict:
    """Crawl the site into the run's tables; returns Scrapy's stats for the crawl."""
    process = CrawlerProcess(crawl_settings(config, db_path, run_id, log_level))
    crawler = process.create_crawler(SiteSpider)
    process.crawl(crawler, start_urls=config.start_urls, allowed_domains=config.allowed_domains,
                  sitemaps=config.sitemaps, extra_urls=config_urls(config))
    process.start()
    return dict(crawler.stats.get_stats())
