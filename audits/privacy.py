"""Privacy before consent: which third parties the pages contact and which cookies they leave.

Functions over what the audit browser recorded per page (the page fact ``privacy``, see
audits/checks/privacy.py), before anyone clicked anything, so before any consent. A host
is the site's own when it is on an allowed domain or shares its registrable domain
(``www.gemeente.nl`` and ``formulieren.gemeente.nl``); every other host is a third party,
classified with the shipped list core/data/third_parties.toml.
"""

from __future__ import annotations

import fnmatch
import json
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils
import tldextract

from core import store
from core.urls import on_allowed_domain

if TYPE_CHECKING:
    from audits.gathered import Gathered

DATA = Path(__file__).resolve().parents[1] / "core" / "data" / "third_parties.toml"
CATEGORIES = ("analytics", "advertising", "social", "embed", "font", "cdn", "other")
EXAMPLE_PAGES = 10        # pages named per third party besides the top-task pages
# The Public Suffix List as shipped with tldextract: never fetched from the internet.
_SUFFIXES = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@cache
def parties() -> tuple[dict, ...]:
    """The shipped list of known third parties."""
    with open(DATA, "rb") as file:
        return tuple(tomllib.load(file)["party"])


def _matches(host: str, pattern: str) -> bool:
    return host == pattern or host.endswith("." + pattern)


def classify(host: str) -> dict | None:
    """The known party a host belongs to (its longest matching host pattern), or None."""
    best, length = None, 0
    for party in parties():
        for pattern in party["hosts"]:
            if _matches(host, pattern) and len(pattern) > length:
                best, length = party, len(pattern)
    return best


def party_of_cookie(name: str) -> dict | None:
    """The known party that sets a cookie of this name (``_ga_*`` patterns), or None."""
    for party in parties():
        if any(fnmatch.fnmatchcase(name, pattern) for pattern in party.get("cookies") or []):
            return party
    return None


def site_domain(host: str) -> str:
    """The registrable domain of a host ("gemeente.nl"), or the host itself (an IP, localhost)."""
    found = _SUFFIXES(host)
    return f"{found.domain}.{found.suffix}" if found.domain and found.suffix else host


def own_host(host: str, allowed_domains: list[str]) -> bool:
    """Whether the host is the site's own: on an allowed domain or its registrable domain."""
    host = host.lower().strip(".")
    if on_allowed_domain(f"http://{host}/", allowed_domains):
        return True
    return site_domain(host) in {site_domain(d.lower()) for d in allowed_domains}


def load_records(db: sqlite_utils.Database, run_id: int) -> dict[str, dict]:
    """URL -> the recorded ``privacy`` fact of every page audited in this run."""
    return {url: json.loads(value)
            for url, _, value in sorted(store.page_facts(db, run_id, "privacy"))}


def task_pages(tasks: list[dict]) -> dict[str, tuple[int, str]]:
    """Page URL -> (rank, task id) of the most important top task it belongs to."""
    found: dict[str, tuple[int, str]] = {}
    for task in tasks:
        for url in task.get("pages") or []:
            key = (task.get("rank") or 999, task["id"])
            if url not in found or key < found[url]:
                found[url] = key
    return found


def page_cookies(record: dict, allowed_domains: list[str]) -> list[dict]:
    """A page's cookies, each with whether it belongs to a third party, and which one."""
    cookies = []
    for cookie in record.get("cookies") or []:
        domain = cookie["domain"]
        on_own = own_host(domain, allowed_domains)
        script = cookie.get("script_host")
        set_by = script if on_own and script and not own_host(script, allowed_domains) else None
        known = classify(domain) if not on_own else (classify(set_by) if set_by else None)
        known = known or party_of_cookie(cookie["name"])
        cookies.append({
            "name": cookie["name"], "domain": domain,
            "third_party": not on_own or bool(set_by) or (known is not None),
            "set_by": set_by, "party": known["name"] if known else None,
            "lifetime_days": cookie.get("lifetime_days"),
        })
    return cookies


def owner_host(cookie: dict, hosts: list[str]) -> str | None:
    """The contacted third-party host a page's cookie belongs to, when one can be named."""
    if cookie["set_by"]:
        return cookie["set_by"]
    domain = cookie["domain"]
    for host in hosts:
        if _matches(host, domain):
            return host
    if cookie["party"]:
        for host in hosts:
            known = classify(host)
            if known and known["name"] == cookie["party"]:
                return host
    return None


def privacy_section(records: dict[str, dict], allowed_domains: list[str],
                    tasks: list[dict], forms: list[dict]) -> dict:
    """The results section ``privacy``: third parties, pages, and the forms that leak."""
    ranks = task_pages(tasks)

    def page_order(url: str) -> tuple:
        rank, task = ranks.get(url, (10_000, ""))
        return (rank, task, url)

    parties_seen: dict[str, dict] = {}
    pages = []
    for url in sorted(records, key=page_order):
        record = records[url]
        third = [h for h in record.get("hosts") or [] if not own_host(h["host"], allowed_domains)]
        hosts = [h["host"] for h in third]
        cookies = page_cookies(record, allowed_domains)
        for entry in third:
            party = parties_seen.setdefault(entry["host"], _party_entry(entry["host"]))
            party["pages"] += 1
            party["requests"] += entry["requests"]
            party["types"].update(entry["types"])
            party["blocked_everywhere"] &= entry["blocked"] == entry["requests"]
            if url in ranks:
                party["task_pages"].append({"url": url, "task": ranks[url][1]})
                party["rank"] = min(party["rank"], ranks[url][0])
            elif len(party["example_pages"]) < EXAMPLE_PAGES:
                party["example_pages"].append(url)
        for cookie in cookies:
            owner = owner_host(cookie, hosts) if cookie["third_party"] else None
            if owner is None and cookie["third_party"] and not own_host(cookie["domain"],
                                                                        allowed_domains):
                owner = cookie["domain"]
            if owner:
                party = parties_seen.setdefault(owner, _party_entry(owner))
                party["cookies"].add(cookie["name"])
        storage = sorted({item["key"] for item in record.get("storage") or []})
        # Pages with nothing of a third party are counted, not listed: on a big site the
        # site's own session cookie alone would list every page.
        if third or any(c["third_party"] for c in cookies) or record.get("error"):
            pages.append({
                "url": url, "task": ranks[url][1] if url in ranks else None,
                "hosts": hosts, "blocked_hosts": [h["host"] for h in third
                                                  if h["blocked"] == h["requests"]],
                "cookies": cookies, "storage_keys": storage,
                "requests": record.get("requests", 0),
                "hosts_left_out": record.get("hosts_left_out", 0),
                "error": record.get("error"),
            })
    # on the most important top task first, then on the most pages
    ordered = sorted(parties_seen.values(), key=lambda p: (p["rank"], -p["pages"], p["host"]))
    third_parties = [_finish(party) for party in ordered]
    return {
        "measured_pages": len(records),
        "third_parties": third_parties,
        "pages": pages,
        "forms": leaking_forms(forms),
        "summary": summary(third_parties, pages, len(records)),
    }


def _party_entry(host: str) -> dict:
    known = classify(host)
    return {"host": host, "name": known["name"] if known else None,
            "category": known["category"] if known else "other", "known": known is not None,
            "about": {"nl": known["nl"], "en": known["en"]} if known else None,
            "pages": 0, "requests": 0, "types": set(), "cookies": set(),
            "blocked_everywhere": True, "task_pages": [], "example_pages": [], "rank": 10_000,
            "documented": list(known.get("cookies") or []) if known else []}


def _finish(party: dict) -> dict:
    """A third party as results.json has it (the contract's fields first)."""
    blocked = party["blocked_everywhere"] and party["pages"] > 0
    return {"host": party["host"], "category": party["category"], "pages": party["pages"],
            # measured before any click: the cookie banner was never answered
            "before_consent": True, "cookies": sorted(party["cookies"]), "blocked": blocked,
            "name": party["name"], "known": party["known"], "about": party["about"],
            # not loaded, so not seen: the cookies its maker documents (a resident gets them)
            "documented_cookies": party["documented"] if blocked else [],
            "types": sorted(party["types"]), "requests": party["requests"],
            "task_pages": party["task_pages"], "example_pages": party["example_pages"]}


def leaking_forms(forms: list[dict]) -> list[dict]:
    """Forms that send what residents type to a third party, or over plain http."""
    return [{"page": f["page"], "action": f["action"], "method": f["method"],
             "https": f.get("https"), "third_party": bool(f.get("third_party")),
             "plain_http": "plain_http" in (f.get("flags") or []),
             "page_count": f.get("page_count", 1)}
            for f in forms if f.get("third_party") or "plain_http" in (f.get("flags") or [])]


def summary(third_parties: list[dict], pages: list[dict], measured: int) -> dict:
    """Counts for the report's first lines: per category, hosts and pages."""
    by_category = []
    for category in CATEGORIES:
        members = [p for p in third_parties if p["category"] == category]
        if members:
            urls = {page["url"] for page in pages
                    if any(p["host"] in page["hosts"] for p in members)}
            by_category.append({"category": category, "hosts": len(members),
                                "pages": len(urls)})
    return {
        "measured_pages": measured,
        "pages_with_third_parties": sum(1 for p in pages if p["hosts"]),
        "task_pages_with_third_parties": sum(1 for p in pages if p["hosts"] and p["task"]),
        "third_parties": len(third_parties),
        "blocked": sum(1 for p in third_parties if p["blocked"]),
        "third_party_cookies": len({c["name"] for p in pages for c in p["cookies"]
                                    if c["third_party"]}),
        "by_category": by_category,
    }


def new_third_parties(previous: dict | None, current: dict) -> list[dict]:
    """Third parties contacted tonight that the previous run's pages did not contact.

    Empty when the previous run did not measure privacy (else every host would be "new").
    """
    before = (previous or {}).get("privacy") or {}
    if not before.get("measured_pages"):
        return []
    known = {p["host"] for p in before.get("third_parties") or []}
    return [{"host": p["host"], "name": p["name"], "category": p["category"],
             "title": f"{p['name']} ({p['host']})" if p["name"] else p["host"],
             "pages": p["pages"], "blocked": p["blocked"],
             "url": (p["task_pages"][0]["url"] if p["task_pages"] else
                     (p["example_pages"] or [None])[0])}
            for p in (current.get("privacy") or {}).get("third_parties") or []
            if p["host"] not in known]


def privacy_section_of_run(gathered: Gathered, results: Mapping) -> dict | None:
    """The results section ``privacy`` (reads ``tasks`` and ``forms``).

    None when no page was measured (the check is off, or no page was audited).
    """
    if not gathered.privacy:
        return None
    return privacy_section(gathered.privacy, list(gathered.config.allowed_domains),
                           results.get("tasks") or [], results.get("forms") or [])
