"""What the tests' fork server imports once (tests/helpers.py): what a `nachtwacht run` imports.

Beyond nachtwacht's own modules, Scrapy loads its middlewares, extensions and download handlers
by name when a crawl starts, and selenium its Chrome driver when a browser starts: about 0.8 CPU-s
a run, loaded here once. Never the Twisted reactor: each run installs its own, and one installed
here would share its epoll file with every forked run.
"""

from __future__ import annotations

import contextlib
import importlib
import sys

from scrapy.settings import default_settings
from scrapy.utils.misc import load_object

import crawler.settings
import nachtwacht.cli
import nachtwacht.run  # noqa: F401 -- imported for the fork server

LATER = ("selenium.webdriver.chrome.webdriver", "selenium.webdriver.chrome.service",
         "selenium.webdriver.remote.webdriver", "websocket", "smtplib", "email.policy",
         "urllib.robotparser", "queuelib.pqueue", "twisted.web.client",
         "twisted.internet.endpoints", "nachtwacht.nightly", "nachtwacht.mail",
         "nachtwacht.notify", "reports.mail", "crawler.pipelines", "crawler.robots",
         "crawler.budget", "crawler.access")


def _object_paths(settings) -> set[str]:
    """The dotted names of classes in a settings module: its strings, its tables' keys and values."""
    paths: set[str] = set()
    for name in dir(settings):
        value = getattr(settings, name)
        candidates = [*value.keys(), *value.values()] if isinstance(value, dict) else [value]
        paths |= {c for c in candidates if isinstance(c, str) and c.startswith(("scrapy.", "crawler."))
                  and "." in c.rsplit(".", 1)[0]}
    return paths


for path in sorted(_object_paths(default_settings) | _object_paths(crawler.settings)):
    with contextlib.suppress(Exception):      # a name of an optional part (boto, brotli …)
        load_object(path)
for module in LATER:
    importlib.import_module(module)
assert "twisted.internet.reactor" not in sys.modules, "the fork server installed a reactor"
