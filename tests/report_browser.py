"""A headless Chromium for checking the report itself (fresh profile per browser), and axe-core
over report pages."""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from pathlib import Path

from axe_selenium_python import Axe
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


def axe_violations(driver, pages: list[Path], root: Path | None = None) -> dict[str, list]:
    """axe-core's violations (rule, first targets) of each report page that has any, by name.

    Only violations come back with their elements ("resultTypes"): the thousands of passing
    elements of a long table are counted, not sent through selenium.
    """
    failures = {}
    for page in pages:
        driver.get(page.as_uri())
        axe = Axe(driver)
        axe.inject()
        found = axe.run(options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                 "resultTypes": ["violations"]})
        if found["violations"]:
            name = str(page.relative_to(root)) if root else page.name
            failures[name] = [(v["id"], [n["target"] for n in v["nodes"]][:3])
                              for v in found["violations"]]
    return failures
