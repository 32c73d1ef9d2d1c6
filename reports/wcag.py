"""The WCAG 2.1/2.2 A and AA success criteria as data (reports/data/wcag.toml)."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


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
