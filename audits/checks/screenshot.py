"""A picture of each violation's element in its page, outlined, so an editor recognises the
spot without reading a CSS selector (issue: the morning report).

Taken in the same browser visit as axe: after axe, before the checks that move focus. Bounded:
a few elements per page, a cap per night (toptaak pages always get theirs), each crop at most
MAX_WIDTH × MAX_HEIGHT CSS pixels, JPEG. Files go to the run's screenshot folder under a name
made of the page, the rule and the element, so an unchanged page (whose audit is reused, with
no visit) keeps the pictures of an earlier night.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import ClassVar

from audits.checks.base import CheckContext, CheckResult, PageCheck, read_script

SCRIPT = read_script("screenshot.js")
PER_PAGE = 5          # elements pictured on one page
PER_NIGHT = 200       # pictures of pages that are not toptaak pages, per run
MAX_WIDTH, MAX_HEIGHT, MARGIN = 800, 400, 40
QUALITY = 75


def file_name(url: str, rule: str, target: str) -> str:
    return hashlib.sha256(f"{url}\n{rule}\n{target}".encode()).hexdigest()[:24] + ".jpg"


def clip(box: dict) -> dict:
    """The crop around an element's box: a margin around it, within the page and the size cap."""
    width = min(MAX_WIDTH, box["width"] + 2 * MARGIN)
    height = min(MAX_HEIGHT, box["height"] + 2 * MARGIN)
    x = max(0.0, box["x"] + box["width"] / 2 - width / 2)
    y = max(0.0, box["y"] + min(box["height"], height) / 2 - height / 2)
    x = min(x, max(0.0, box["pageWidth"] - width))
    return {"x": round(x), "y": round(y), "width": round(width), "height": round(height),
            "scale": 1}


class ScreenshotCheck(PageCheck):
    id = "screenshot"
    setting = "screenshots"
    version = 1
    criteria: ClassVar = {}
    budget = 8.0

    def run(self, driver, context: CheckContext) -> list[CheckResult]:
        folder = context.screenshot_dir
        if not folder or not context.violations or not hasattr(driver, "execute_cdp_cmd"):
            return []
        Path(folder).mkdir(parents=True, exist_ok=True)
        taken = []
        for rule, target in context.violations[:PER_PAGE]:
            if " >>> " in target or context.time_left() < 1:
                continue   # inside a frame or shadow DOM: not reachable with one selector
            if not context.priority and not (context.shared and
                                             context.shared.take("screenshot", PER_NIGHT)):
                break
            picture = self.picture(driver, target)
            if picture:
                name = file_name(context.final_url, rule, target)
                (Path(folder) / name).write_bytes(picture)
                taken.append({"rule": rule, "target": target, "file": name})
        if taken:
            context.facts["screenshots"] = taken
        return []

    def picture(self, driver, target: str) -> bytes | None:
        box = driver.execute_script(SCRIPT, target, "mark")
        if not box:
            return None
        try:
            shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
                "format": "jpeg", "quality": QUALITY, "clip": clip(box),
                "captureBeyondViewport": True})
        finally:
            driver.execute_script(SCRIPT, target, "unmark")
        return base64.b64decode(shot["data"])
