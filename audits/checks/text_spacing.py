"""Text spacing (WCAG 1.4.12): with WCAG's spacing applied, is text kept small or cut off?

WCAG's values (line height 1.5, paragraph spacing 2 × the font size, letter spacing
0.12 em, word spacing 0.16 em) are added as an !important style sheet, as a reader's
bookmarklet would. Failed: text whose own style attribute keeps a spacing below those
values (ACT rules 24afc2, 9e45ec, 78fd32), or a box that clips its text only with the
new spacing. A box whose text only runs out of its fixed height may overlap what follows:
cant_tell (an indication). The style sheet is removed afterwards.
"""

from __future__ import annotations

from typing import ClassVar

from audits.checks.base import CheckContext, CheckResult, Element, PageCheck, read_script

SCRIPT = read_script("text_spacing.js", "elements.js")
PROPERTY_NL = {"letter-spacing": "letterafstand", "word-spacing": "woordafstand",
               "line-height": "regelhoogte"}


class TextSpacingCheck(PageCheck):
    id = "text-spacing"
    setting = "text_spacing"
    version = 1
    criteria: ClassVar = {"text-spacing": ["1.4.12"]}
    budget = 5.0

    def run(self, driver, context: CheckContext) -> list[CheckResult]:
        limits = {"html": context.html_limit, "nodes": 10, "elements": 20_000}
        try:
            seen = driver.execute_script(SCRIPT, "apply", limits)
        finally:
            driver.execute_script(SCRIPT, "remove", limits)
        return [judge(seen)]


def judge(seen: dict) -> CheckResult:
    """The outcome from what text_spacing.js saw."""
    wcag = ["1.4.12"]
    blocked = [Element(b["target"], b["html"],
                       f"{PROPERTY_NL[b['prop']]} {b['value']} px, nodig {b['needed']} px")
               for b in seen["blocked"]]
    clipped = [Element(c["target"], c["html"], "tekst afgesneden") for c in seen["clipped"]]
    if blocked or clipped:
        parts = []
        if blocked:
            parts.append("a style attribute keeps spacing below WCAG's values (!important)")
        if clipped:
            parts.append("text is cut off with WCAG's spacing")
        return CheckResult("text-spacing", wcag, "failed", elements=blocked + clipped,
                           note="; ".join(parts))
    if seen["spilled"]:
        return CheckResult("text-spacing", wcag, "cant_tell", heuristic=True,
                           elements=[Element(s["target"], s["html"], "tekst loopt uit het vak")
                                     for s in seen["spilled"]],
                           note="text runs out of a fixed-height box: it may overlap")
    if not seen["texts"]:
        return CheckResult("text-spacing", wcag, "inapplicable", note="no visible text")
    return CheckResult("text-spacing", wcag, "passed",
                       note=f"{seen['texts']} text elements, none cut off or kept small")
