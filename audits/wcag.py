"""From axe-core's tags to WCAG success criteria.

axe-core tags each rule with the success criteria it tests ("wcag143" is
1.4.3) and with the WCAG version and level that ask for them ("wcag21aa",
"wcag22aa"). The Dutch legal baseline is WCAG 2.1 AA (through EN 301 549);
criteria that only WCAG 2.2 adds are reported apart. The criteria themselves
(level, WCAG version, names) are data: reports/data/wcag.toml.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from reports.wcag import only_in_22, sort_key

# The WCAG 2.x A and AA rules; the default of the site config's [axe] tags.
DEFAULT_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")

_CRITERION_TAG = re.compile(r"^wcag(\d)(\d)(\d{1,2})$")


def criteria_from_tags(tags: Iterable[str]) -> list[str]:
    """The success criteria ("1.4.3") named by axe tags ("wcag143"), in WCAG order."""
    found = set()
    for tag in tags:
        match = _CRITERION_TAG.match(tag)
        if match:
            found.add(".".join(match.groups()))
    return sorted(found, key=sort_key)


def wcag22_only(criteria: Iterable[str]) -> bool:
    """True when the criteria are all new in WCAG 2.2, so beyond the legal baseline (2.1)."""
    numbers = list(criteria)
    return bool(numbers) and all(only_in_22(number) for number in numbers)
