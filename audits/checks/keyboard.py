"""The keyboard walk: focus visible (2.4.7), no keyboard trap (2.1.2), skip link (2.4.1) and
focus not obscured (2.4.11, WCAG 2.2 only), from real Tab key presses.

WebDriver actions press Tab in batches (a key event sent by a script never moves focus);
keyboard.js records each element that receives focus: its look focused and unfocused
(outline, border, shadow, background, text decoration… on it, its pseudo-elements, parent,
neighbours and first child, or any change the focus made to the page) and whether other
content covers it entirely. The walk stops at the end of the tab order, at a cycle, or at
its bounds (``MAX_STOPS`` key presses, ``MAX_SECONDS``); a partial walk says so. A cycle
that Escape does not release is a trap.

The walk is made once per page template (the focusable elements outside ``<main>``, breadcrumbs
aside) and on every toptaak page; other pages inherit the walked page's outcome.
"""

from __future__ import annotations

import time
from typing import ClassVar

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from audits.checks.base import CheckContext, CheckResult, Element, PageCheck, read_script

SCRIPT = read_script("keyboard.js", "elements.js")
MAX_STOPS = 120    # Tab presses per page
MAX_SECONDS = 8.0  # seconds of walking per page
BATCH = 10         # Tab presses per WebDriver call
SHOWN = 10         # elements named per finding
CRITERIA = {"focus-visible": ["2.4.7"], "keyboard-trap": ["2.1.2"], "skip-link": ["2.4.1"],
            "focus-obscured": ["2.4.11"]}


class Walk:
    """What one walk through the tab order saw."""

    def __init__(self) -> None:
        self.stops: list[dict] = []     # each focused element once, in tab order
        self.presses = 0
        self.complete = False           # reached the end of the tab order
        self.trap: list[dict] = []      # the elements of a cycle that Escape did not release
        self.released = False           # a cycle that Escape did release
        self.ids: set[int] = set()

    def add(self, entries: list[dict | None], tabbable: int) -> list[dict] | None:
        """Take a batch of stops; returns the cycle when focus came back without leaving."""
        for entry in entries:
            if entry is None:
                if self.stops:
                    self.complete = True
                    return None
                continue
            if entry["id"] in self.ids:
                start = next(i for i, s in enumerate(self.stops) if s["id"] == entry["id"])
                if len(self.ids) >= tabbable:
                    self.complete = True  # it wrapped around having seen every element
                    return None
                return self.stops[start:]
            self.ids.add(entry["id"])
            self.stops.append(entry)
        return None

    @property
    def done(self) -> bool:
        return self.complete or bool(self.trap) or self.released


def press(driver, key: str, times: int = 1) -> None:
    ActionChains(driver).send_keys(key * times).perform()


class KeyboardCheck(PageCheck):
    id = "keyboard"
    setting = "keyboard"
    version = 4
    criteria: ClassVar = CRITERIA
    budget = 12.0

    def run(self, driver, context: CheckContext) -> list[CheckResult]:
        limits = {"html": context.html_limit}
        info = driver.execute_script(SCRIPT, "init", limits)
        if not info["tabbable"]:
            return [CheckResult(check, wcag, "inapplicable", note="nothing to focus with Tab")
                    for check, wcag in CRITERIA.items()]
        template = info["template"]
        first = context.priority or context.shared is None or context.shared.claim(
            "keyboard", template)
        if not first:
            return [CheckResult(check, wcag, "cant_tell", template=template, inherited=True,
                                note="same template as a walked page: its outcome stands")
                    for check, wcag in CRITERIA.items()]
        walk = self.walk(driver, info, min(context.deadline - 3, time.perf_counter() + MAX_SECONDS),
                         limits)
        skip = self.skip_link(driver, info, limits)
        results = judge(walk, info, skip)
        for result in results:
            result.template = template
        return results

    def walk(self, driver, info: dict, deadline: float, limits: dict) -> Walk:
        walk = Walk()
        while walk.presses < MAX_STOPS and time.perf_counter() < deadline and not walk.done:
            press(driver, Keys.TAB, BATCH)
            walk.presses += BATCH
            cycle = walk.add(driver.execute_script(SCRIPT, "collect", limits), info["tabbable"])
            if cycle:
                # Escape should release focus held in a dialog or widget.
                press(driver, Keys.ESCAPE)
                press(driver, Keys.TAB, len(cycle) + 2)
                after = driver.execute_script(SCRIPT, "collect", {**limits, "final": True})
                ids = {stop["id"] for stop in cycle}
                if any(entry is None or entry["id"] not in ids for entry in after):
                    walk.released = True
                else:
                    walk.trap = cycle
        if not walk.done:
            walk.add(driver.execute_script(SCRIPT, "collect", {**limits, "final": True}),
                     info["tabbable"])
        return walk

    def skip_link(self, driver, info: dict, limits: dict) -> bool | None:
        """Enter on the skip link, then Tab: does focus land at or after its target?"""
        skip = info.get("skip")
        if not skip or not skip["target"]:
            return None
        if not driver.execute_script(SCRIPT, "focus", {"selector": skip["selector"]}):
            return None
        press(driver, Keys.ENTER)
        press(driver, Keys.TAB)
        return bool(driver.execute_script(SCRIPT, "skip", {"selector": skip["selector"]})["landed"])


def _elements(stops: list[dict]) -> list[Element]:
    return [Element(s["target"], s["html"]) for s in stops[:SHOWN]]


def judge(walk: Walk, info: dict, skip_landed: bool | None) -> list[CheckResult]:
    """The four outcomes of one walk."""
    partial = "" if walk.complete or walk.trap or walk.released else (
        f"partly walked: {len(walk.stops)} elements in {walk.presses} Tab presses")
    stops = [s for s in walk.stops if not s["frame"]]
    return [_focus_visible(stops, partial), _trap(walk, partial), _skip(info, skip_landed),
            _obscured(stops, partial)]


def _focus_visible(stops: list[dict], partial: str) -> CheckResult:
    wcag = CRITERIA["focus-visible"]
    unchanged = [s for s in stops if s["changed"] is False]
    if unchanged:
        return CheckResult("focus-visible", wcag, "failed", _elements(unchanged), heuristic=True,
                           note=f"{len(unchanged)} of {len(stops)} focused elements look the "
                                "same as unfocused" + (f"; {partial}" if partial else ""))
    if not stops:
        return CheckResult("focus-visible", wcag, "cant_tell", note=partial or "no stops seen")
    unknown = [s for s in stops if s["changed"] is None]
    if partial or unknown:
        return CheckResult("focus-visible", wcag, "cant_tell", _elements(unknown),
                           note=partial or f"{len(unknown)} elements could not be compared")
    return CheckResult("focus-visible", wcag, "passed",
                       note=f"{len(stops)} focused elements, each visibly different")


def _trap(walk: Walk, partial: str) -> CheckResult:
    wcag = CRITERIA["keyboard-trap"]
    if walk.trap:
        return CheckResult("keyboard-trap", wcag, "failed", _elements(walk.trap),
                           note=f"Tab keeps cycling through {len(walk.trap)} elements; "
                                "Escape does not release focus")
    if partial:
        return CheckResult("keyboard-trap", wcag, "cant_tell", note=partial)
    note = "focus cycled, Escape released it" if walk.released else (
        f"Tab reached the end of the page after {len(walk.stops)} elements")
    return CheckResult("keyboard-trap", wcag, "passed", note=note)


def _skip(info: dict, landed: bool | None) -> CheckResult:
    wcag = CRITERIA["skip-link"]
    skip = info.get("skip")
    if skip:
        link = [Element(skip["selector"], skip["html"], skip["href"])]
        if not skip["target"]:
            return CheckResult("skip-link", wcag, "failed", link,
                               note=f"the skip link's target {skip['href']} does not exist")
        if landed is False:
            return CheckResult("skip-link", wcag, "failed", link,
                               note="after the skip link, Tab does not continue at its target")
        return CheckResult("skip-link", wcag, "passed", link, note="skip link works")
    if info["main"]:
        return CheckResult("skip-link", wcag, "passed",
                           note="no skip link; a main landmark marks where the content starts")
    return CheckResult("skip-link", wcag, "cant_tell", heuristic=True,
                       note="no skip link and no main landmark: check the headings")


def _obscured(stops: list[dict], partial: str) -> CheckResult:
    wcag = CRITERIA["focus-obscured"]
    hidden = [s for s in stops if s["obscured"]]
    if hidden:
        return CheckResult("focus-obscured", wcag, "failed", _elements(hidden), heuristic=True,
                           note=f"{len(hidden)} focused elements entirely covered by other content")
    if partial or not stops:
        return CheckResult("focus-obscured", wcag, "cant_tell", note=partial or "no stops seen")
    return CheckResult("focus-obscured", wcag, "passed",
                       note=f"{len(stops)} focused elements, none entirely covered")
