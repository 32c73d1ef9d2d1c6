"""A headless Chromium for checking the report itself (fresh profile per browser)."""

from __future__ import annotations

import tempfile
from contextlib import contextmanager

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from audits.browser import START_ON_BLANK, UNSEEN_FEATURES

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@contextmanager
def chromium(width: int = 1280, height: int = 1000):
    with tempfile.TemporaryDirectory(prefix="nachtwacht-report-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-background-networking", "--disable-component-update",
                         "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                         "--disable-features=" + ",".join(UNSEEN_FEATURES),
                         f"--window-size={width},{height}"):
            options.add_argument(argument)
        options.add_experimental_option("prefs", dict(START_ON_BLANK))   # as the audit browser
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        driver.set_page_load_timeout(30)
        try:
            yield driver
        finally:
            driver.quit()
