"""Reflow (WCAG 1.4.10): at 320 CSS px wide, does the page make the reader scroll sideways?

The viewport is set to 320 × 256 CSS px (1280 × 1024 at 400 % zoom) through CDP, the page
is measured, and the viewport restored. The outermost elements that stick out are named,
widest first; when all of them are content that needs two dimensions (data tables, pre,
maps, canvas), WCAG's exception applies and the page passes.
"""

from __future__ import annotations

from typing import ClassVar

from audits.checks.base import CheckContext, CheckResult, Element, PageCheck, read_script

SCRIPT = read_script("reflow.js", "elements.js")
WIDTH, HEIGHT = 320, 256
# Let scripts that lay out on "resize" run before measuring (milliseconds, after two frames).
SETTLE_MS = 30


def set_viewport(driver, width: int, height: int) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


def restore_viewport(driver) -> None:
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def settle(driver, ms: int = SETTLE_MS) -> None:
    """Wait two frames and ``ms`` for the page to react to a new viewport."""
    driver.execute_async_script(
        "var done = arguments[arguments.length - 1], ms = arguments[0];"
        "requestAnimationFrame(function () { requestAnimationFrame(function () {"
        " setTimeout(done, ms); }); });", ms)


class ReflowCheck(PageCheck):
    id = "reflow"
    setting = "reflow"
    version = 1
    criteria: ClassVar = {"reflow": ["1.4.10"]}
    budget = 6.0

    def run(self, driver, context: CheckContext) -> list[CheckResult]:
        set_viewport(driver, WIDTH, HEIGHT)
        try:
            settle(driver)
            seen = driver.execute_script(SCRIPT, {"html": context.html_limit, "nodes": 10})
        finally:
            restore_viewport(driver)
        return [judge(seen)]


def judge(seen: dict) -> CheckResult:
    """The outcome from what reflow.js measured."""
    wcag = ["1.4.10"]
    if not seen["scrolls"]:
        return CheckResult("reflow", wcag, "passed",
                           note=f"no horizontal scrolling at {seen['viewport']} px")
    causes = seen["causes"]
    elements = [Element(c["target"], c["html"], f"{c['width']} px breed, tot {c['right']} px")
                for c in causes]
    if causes and all(c["exempt"] for c in causes):
        return CheckResult("reflow", wcag, "passed", elements=elements,
                           note="scrolls sideways only for content that needs two dimensions "
                                "(table, pre, map): WCAG's exception")
    failing = [e for e, c in zip(elements, causes, strict=True) if not c["exempt"]]
    return CheckResult("reflow", wcag, "failed", elements=failing or elements,
                       note=f"page is {seen['width']} px wide at a {seen['viewport']} px viewport"
                            + ("" if causes else "; the element that causes it was not found"))
