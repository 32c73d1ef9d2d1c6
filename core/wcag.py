"""The WCAG 2.1/2.2 A and AA success criteria as data (core/data/wcag.toml), and axe's tags.

axe-core tags each rule with the success criteria it tests ("wcag143" is
1.4.3) and with the WCAG version and level that ask for them ("wcag21aa",
"wcag22aa"). The Dutch legal baseline is WCAG 2.1 AA (through EN 301 549);
criteria that only WCAG 2.2 adds are reported apart.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
# The WCAG 2.x A and AA rules; the default of the site config's [axe] tags.
DEFAULT_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
_CRITERION_TAG = re.compile(r"^wcag(\d)(\d)(\d{1,2})$")


def slug(english_name: str) -> str:
    """The fragment W3C uses for a criterion: 'Contrast (Minimum)' -> 'contrast-minimum'."""
    return re.sub(r"[^a-z0-9]+", "-", english_name.lower()).strip("-")


def sort_key(number: str) -> tuple[int, ...]:
    """'1.4.10' sorts after '1.4.3'."""
    return tuple(int(part) for part in number.split(".") if part.isdigit())


@cache
def criteria() -> dict[str, dict]:
    """Success criteria by number ('1.1.1'), in WCAG order, each with its W3C slug."""
    with open(DATA / "wcag.toml", "rb") as file:
        rows = tomllib.load(file)["criterion"]
    return {row["number"]: {**row, "slug": slug(row["en"])}
            for row in sorted(rows, key=lambda r: sort_key(r["number"]))}


def only_in_22(number: str) -> bool:
    """A criterion that WCAG 2.2 added: not (yet) part of the Dutch legal baseline."""
    criterion = criteria().get(number)
    return bool(criterion and criterion["since"] == "2.2")


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
