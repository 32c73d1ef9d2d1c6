"""Orientation (WCAG 1.3.4, ACT rule b33eff): is the page locked to portrait or landscape
by a CSS rotation in an orientation media query?

Only pages with a transform or rotate inside ``@media (orientation: …)`` are looked at
(others are inapplicable): the viewport is set to portrait, then landscape, and an element
whose rotation differs by about 90 degrees between the two fails. Style sheets of another
origin cannot be read, and locks made by scripts are not seen.
"""

from __future__ import annotations

from typing import ClassVar

from audits.checks.base import CheckContext, CheckResult, Element, PageCheck, read_script
from audits.checks.reflow import restore_viewport, set_viewport, settle

SCRIPT = read_script("orientation.js")
PORTRAIT, LANDSCAPE = (800, 1280), (1280, 800)
TOLERANCE = 5  # degrees from a quarter turn


class OrientationCheck(PageCheck):
    id = "orientation"
    setting = "orientation"
    version = 1
    criteria: ClassVar = {"orientation": ["1.3.4"]}
    budget = 4.0

    def run(self, driver, context: CheckContext) -> list[CheckResult]:
        limits = {"html": context.html_limit}
        if not driver.execute_script(SCRIPT, "rules", limits):
            return [CheckResult("orientation", ["1.3.4"], "inapplicable",
                                note="no rotation in an orientation media query")]
        angles = []
        try:
            for width, height in (PORTRAIT, LANDSCAPE):
                set_viewport(driver, width, height)
                settle(driver, 0)
                angles.append(driver.execute_script(SCRIPT, "angles", limits))
        finally:
            restore_viewport(driver)
        return [judge(*angles)]


def judge(portrait: list[dict], landscape: list[dict]) -> CheckResult:
    """Failed when an element turns a quarter between portrait and landscape."""
    locked = []
    for upright, turned in zip(portrait, landscape, strict=False):
        difference = abs(upright["angle"] - turned["angle"]) % 180
        if abs(difference - 90) <= TOLERANCE:
            locked.append(Element(upright["target"], upright["html"],
                                  f"rotation {upright['angle']:.0f}° portrait, "
                                  f"{turned['angle']:.0f}° landscape"))
    if locked:
        return CheckResult("orientation", ["1.3.4"], "failed", locked,
                           note="a CSS rotation turns the page a quarter in one orientation")
    return CheckResult("orientation", ["1.3.4"], "passed",
                       note="orientation media queries do not turn the page a quarter")
