"""Letter and campaign URLs: where they land, through how many redirects, and whether
they are "letter-proof" (easy to type over from paper).

The crawl requests every configured short URL and letter URL and records each 3xx
answer as a page with its ``location``, so resolving is a walk over the crawl's rows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from audits import scoring
from audits.crawldata import CrawlData
from core.urls import has_session_id, page_key

if TYPE_CHECKING:
    from audits.gathered import Gathered

FILE_EXTENSION = re.compile(r"\.[a-z0-9]{2,5}$", re.IGNORECASE)


def resolve(crawl: CrawlData, url: str) -> dict:
    """Follow the redirects the crawl recorded for ``url``; it resolves when it ends in a
    200 page (``ok`` starts out the same; callers narrow it to "and lands where expected").

    ``error`` says why it did not end well: a fetch error (dns, connection, timeout, …),
    "redirect-loop", "too-many-redirects" or "not-fetched" (blocked by robots.txt, or
    beyond the crawl's bounds). Off-site steps are known from the link check.
    """
    walk = crawl.walk(page_key(url))    # through crawled pages and checked off-site URLs
    for step, page in enumerate(walk.rows):
        if page is None:
            return _outcome(url, walk.chain[:step + 1], None, error="not-fetched")
        if page.get("fetch_error"):
            return _outcome(url, walk.chain[:step + 1], None, error=page["fetch_error"])
    status = walk.last.get("status")
    if walk.endless:
        error = "redirect-loop" if walk.end == "loop" else "too-many-redirects"
        return _outcome(url, walk.chain, status, error=error)
    return _outcome(url, walk.chain, status)


def _outcome(url: str, chain: list[str], status: int | None, error: str | None = None) -> dict:
    endless = error in ("redirect-loop", "too-many-redirects")
    resolves = error is None and status == 200
    return {"url": url, "ok": resolves, "resolves": resolves, "status": status,
            "final_url": None if endless else chain[-1],
            "redirects": len(chain) - 1, "chain": chain, "error": error}


def same_page(a: str | None, b: str | None) -> bool:
    """Whether two URLs name the same page (a trailing slash does not matter)."""
    if not a or not b:
        return False
    return page_key(a).rstrip("/") == page_key(b).rstrip("/")


def letter_proof_problems(url: str, max_length: int | None = None) -> list[str]:
    """Why a URL is hard to type over from a letter; empty when it is letter-proof.

    Codes: "too-long", "query-string", "session-id", "upper-case", "file-extension".
    """
    if max_length is None:
        max_length = scoring.weights()["letter_proof"]["max_length"]
    parts = urlsplit(url)
    typed = parts.path + ("?" + parts.query if parts.query else "")
    problems = []
    if len(typed) > max_length:
        problems.append("too-long")
    if parts.query:
        problems.append("query-string")
    if has_session_id(url):
        problems.append("session-id")
    if any(c.isupper() for c in parts.path):
        problems.append("upper-case")
    if FILE_EXTENSION.search(parts.path.rstrip("/").rsplit("/", 1)[-1]):
        problems.append("file-extension")
    return problems


def check(crawl: CrawlData, url: str, printed: str) -> dict:
    """Resolve ``url`` and judge the address as printed (``printed``) for letters."""
    outcome = resolve(crawl, url)
    outcome["letter_proof"] = letter_proof_problems(printed)
    return outcome


def letters_section(gathered: Gathered, results: Mapping) -> list[dict]:
    """One entry per configured letter URL, in configuration order, with its ``state``."""
    config = gathered.config
    entries = []
    for letter in config.letters:
        outcome = check(gathered.crawl, config.absolute(letter.url), letter.url)
        expect = config.absolute(letter.expect) if letter.expect else None
        lands = same_page(outcome["final_url"], expect) if expect else None
        entry = {**outcome, "note": letter.note, "expect": expect, "lands_on_expected": lands,
                 "ok": outcome["ok"] and lands is not False}
        entries.append({**entry, "state": letter_state(entry)})
    return entries


def letter_state(letter: dict) -> str:
    """works, wrong_page (answers, but not where the letter should lead) or broken."""
    if letter.get("ok"):
        return "works"
    if letter.get("status") == 200 and letter.get("lands_on_expected") is False:
        return "wrong_page"
    return "broken"


def short_url_state(short: dict) -> str:
    """A task's short URL: works, wrong_page (answers, but not on the task's page) or broken."""
    if short.get("ok"):
        return "works"
    return "wrong_page" if short.get("resolves") else "broken"
