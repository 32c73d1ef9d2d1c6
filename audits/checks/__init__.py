"""The page checks beyond axe-core, run in the same browser visit (see base.py).

Adding a check: a module here with a ``PageCheck`` subclass, its JavaScript beside it,
a doc under docs/checks/, a test, and one line in ``PAGE_CHECKS``.
"""

from __future__ import annotations

from audits.checks.base import (
    OUTCOMES,
    CheckContext,
    CheckResult,
    Element,
    PageCheck,
    SharedState,
)
from audits.checks.keyboard import KeyboardCheck
from audits.checks.orientation import OrientationCheck
from audits.checks.privacy import PrivacyCheck
from audits.checks.reflow import ReflowCheck
from audits.checks.screenshot import ScreenshotCheck
from audits.checks.site_facts import SiteFactsCheck
from audits.checks.text_spacing import TextSpacingCheck

__all__ = ["OUTCOMES", "PAGE_CHECKS", "CheckContext", "CheckResult", "Element", "PageCheck",
           "SharedState", "enabled_checks"]

# In the order they run on a page: checks that only look first, the keyboard (which moves
# focus and scrolls) last.
PAGE_CHECKS: list[type[PageCheck]] = [
    PrivacyCheck,   # first: what the page did before anything was touched
    SiteFactsCheck,
    ScreenshotCheck,  # before the checks that change the layout, zoom or focus
    ReflowCheck,
    OrientationCheck,
    TextSpacingCheck,
    KeyboardCheck,  # last: it moves focus, scrolls and follows the skip link
]


def enabled_checks(switches: dict[str, bool]) -> tuple[PageCheck, ...]:
    """The page checks switched on in the site config's ``[checks]`` (all on by default)."""
    return tuple(check() for check in PAGE_CHECKS if switches.get(check.setting, True))
