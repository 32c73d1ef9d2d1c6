"""The audit browser sends only GET: the audited page's own scripts may not post to the site.

A page that posts on load (a form submitted by script, fetch or XMLHttpRequest with POST,
a beacon) would otherwise make the nightly audit send data. ``get_only.js`` is installed
through the DevTools protocol to run before any script of every page and frame.
"""

from __future__ import annotations

import logging
from pathlib import Path

from selenium.common.exceptions import WebDriverException

SCRIPT = Path(__file__).with_name("get_only.js").read_text(encoding="utf-8")
log = logging.getLogger(__name__)


def install(driver) -> bool:
    """Install the GET-only guard in this browser; False (with a warning) where it cannot."""
    # The same DevTools endpoint serves a local chromedriver and a Chrome on a Selenium Grid.
    driver.command_executor.add_command("executeCdpCommand", "POST",
                                        "/session/$sessionId/goog/cdp/execute")
    try:
        driver.execute("executeCdpCommand", {"cmd": "Page.addScriptToEvaluateOnNewDocument",
                                             "params": {"source": SCRIPT}})
    except WebDriverException as error:
        log.warning("Kan scripts van pagina's niet beperken tot GET: %s", error.msg)
        return False
    return True
