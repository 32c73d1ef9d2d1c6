"""Gathers what the site checks need from each page, in the browser visit: the main
navigation's links in order, a search function, sitemap links and help links.

It reports no outcome of its own; audits/site_checks/ judge these facts over all pages.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import ClassVar

from audits.checks.base import CheckContext, CheckResult, PageCheck, read_script

SCRIPT = read_script("site_facts.js")
WORDS = tomllib.loads((Path(__file__).parents[1] / "site_checks" / "words.toml").read_text("utf-8"))


class SiteFactsCheck(PageCheck):
    id = "site-facts"
    setting = "site"
    version = 1
    criteria: ClassVar = {}
    budget = 2.0

    def run(self, driver, context: CheckContext) -> list[CheckResult]:
        context.facts["structure"] = driver.execute_script(SCRIPT, WORDS)
        return []
