"""Scrapy settings for nachtwacht: polite, bounded, GET/HEAD only.

The run overrides a few of these per site (see ``nachtwacht.crawl.crawl_settings``).
"""

from core import __version__

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
NACHTWACHT_MAX_PAGES = 5000     # pages, not responses: see crawler/budget.py
DOWNLOAD_TIMEOUT = 20
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 0
RETRY_TIMES = 1
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Crawl-delay and Retry-After set a per-host minimum delay that AutoThrottle keeps to;
# no random jitter, so a promised delay is a real one.
# robots.txt for every request (Scrapy's own middleware in its place, crawler/robots.py), and an
# unreadable robots.txt of the site closes the site (RFC 9309), after Scrapy's retries (550).
DOWNLOADER_MIDDLEWARES = {"scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
                          "crawler.robots.RobotsMiddleware": 100,
                          "crawler.robots.UnreachableRobotsMiddleware": 540,
                          "crawler.politeness.PolitenessMiddleware": 560,
                          "crawler.access.AccessMiddleware": 580}
DOWNLOAD_DELAY_JITTER = 0
NACHTWACHT_MAX_WAIT = 60

# Every status reaches the spider: a 404 is a finding, not noise.
HTTPERROR_ALLOW_ALL = True

COOKIES_ENABLED = False
# No consoles into the running crawl: Scrapy's telnet console and (since 2.19) its remote
# control HTTP server both run Python code sent to them. Off by setting, and the extensions
# removed, so that a later Scrapy that renames a setting still cannot start them.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
EXTENSIONS = {"scrapy.extensions.telnet.TelnetConsole": None,
              "scrapy.extensions.remote_control.RemoteControl": None,
              "scrapy.extensions.spiderstate.SpiderState": None}   # see DUPEFILTER_CLASS
LOG_LEVEL = "INFO"

SPIDER_MIDDLEWARES = {"crawler.budget.PageBudgetMiddleware": 950,
                      "crawler.documents.PageDocumentMiddleware": 900}
ITEM_PIPELINES = {"crawler.resume.ResumePipeline": 290,    # only on a resumed crawl
                  "crawler.pipelines.StorePipeline": 300}

# A crawl interrupted by a signal or a kill goes on where it stopped (nachtwacht/crawljob.py
# sets JOBDIR per run): Scrapy keeps its queue and duplicate filter there; what the spider
# remembers is rebuilt from the run's stored rows (crawler/resume.py), not from spider.state,
# which Scrapy writes only on a clean stop.
DUPEFILTER_CLASS = "crawler.resume.StoreDupeFilter"
