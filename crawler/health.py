"""Whether the crawl itself went well: errors in the crawl make the run incomplete.

Read from Scrapy's stats: ``log_count/ERROR`` and ``spider_exceptions/*``. A robots.txt
that could not be fetched (a dead external host) is logged as an error by Scrapy, but
only means that host could not be asked: the link check reports it, it is no fault of
the crawl (``robotstxt/exception_count/*``).
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "core" / "data" / "crawl.toml"


@cache
def texts() -> dict:
    return tomllib.loads(DATA.read_text(encoding="utf-8"))


def crawl_errors(stats: dict) -> int:
    """How many errors the crawl ran into (not counting unreachable robots.txt files)."""
    robots = sum(v for k, v in stats.items() if k.startswith("robotstxt/exception_count/"))
    logged = max(0, stats.get("log_count/ERROR", 0) - robots)
    exceptions = sum(v for k, v in stats.items() if k.startswith("spider_exceptions/"))
    return max(logged, exceptions, stats.get("nachtwacht/parse_errors", 0))


def robots_problem(stats: dict) -> str | None:
    """Why the site's own robots.txt could not be read (crawler/robots.py), in Dutch, or None."""
    if not stats.get("nachtwacht/robots_unreachable"):
        return None
    reason = str(stats.get("nachtwacht/robots_unreachable/reason", ""))
    words = texts()["robots"]
    why = words.get(reason) or (words["status"].format(status=reason.removeprefix("status "))
                                if reason.startswith("status ") else reason)
    return words["problem"].format(why=why, hosts=host_names(
        stats.get("nachtwacht/robots_unreachable/hosts") or [], words))


def host_names(hosts: list[str], words: dict) -> str:
    """'www.gemeente.nl', 'a.nl en b.nl', 'a.nl, b.nl, c.nl en 2 andere'; 'de site' for none."""
    if not hosts:
        return words["the_site"]
    named, rest = hosts[:3], len(hosts) - 3
    if rest > 0:
        return ", ".join(named) + " " + words["and_others"].format(count=rest)
    return named[0] if len(named) == 1 else f"{', '.join(named[:-1])} {words['and']} {named[-1]}"


def crawl_note(stats: dict) -> str | None:
    """One Dutch line saying the crawl is incomplete, or None when it went well."""
    robots = robots_problem(stats)
    if robots:
        return texts()["incomplete"]["robots"].format(problem=robots)
    errors = crawl_errors(stats)
    return texts()["incomplete"]["note"].format(errors=errors) if errors else None
