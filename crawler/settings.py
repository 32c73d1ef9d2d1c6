"""Scrapy settings for nachtwacht: polite, bounded, GET/HEAD only.

The run overrides a few of these per site (see ``nachtwacht.crawl.crawl_settings``).
"""

from nachtwacht import __version__

BOT_NAME = "nachtwacht"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = f"nachtwacht/{__version__} (toegankelijkheidsmonitor voor gemeentesites)"
ROBOTSTXT_OBEY = True

# Politeness: few requests per host at once, adapting to how fast the server answers.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.05
AUTOTHROTTLE_MAX_DELAY = 30
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0

# Bounds against runaway crawls and hostile pages.
DEPTH_LIMIT = 20
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"
CLOSESPIDER_PAGECOUNT = 5000
DOWNLOAD_TIMEOUT = 20
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 0
RETRY_TIMES = 1

# Every status reaches the spider: a 404 is a finding, not noise.
HTTPERROR_ALLOW_ALL = True

COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"

ITEM_PIPELINES = {"crawler.pipelines.StorePipeline": 300}
