"""The toegankelijkheidsverklaring's patterns and thresholds as data (core/data/statement.toml).

Shared by the crawler, which keeps the text of pages that look like the statement
(crawler/statement_text.py), and the judging in audits/statement.py.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

DATA = Path(__file__).resolve().parent / "data" / "statement.toml"


@cache
def data() -> dict:
    with open(DATA, "rb") as file:
        return tomllib.load(file)


def link_text_rank(text: str | None) -> int | None:
    """How well a link text names the statement (0 best), None when it does not."""
    for rank, pattern in enumerate(data()["find"]["link_text"]):
        if text and re.search(pattern, text, re.IGNORECASE):
            return rank
    return None


def looks_like_statement(url: str, title: str | None = None, h1: str | None = None) -> bool:
    """A page whose URL path, title or h1 says it is about accessibility."""
    pattern = data()["find"]["page"]
    return any(value and re.search(pattern, value, re.IGNORECASE)
               for value in (urlsplit(url).path, title, h1))


def is_register(url: str) -> bool:
    """A statement in the national register (toegankelijkheidsverklaring.nl/register/…)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    return host == data()["find"]["register_host"] and \
        re.match(data()["find"]["register_path"], parts.path) is not None
