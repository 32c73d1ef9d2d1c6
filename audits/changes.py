"""What changed since the previous complete run of the same site: a pure comparison
of two results objects (the contract's ``changes`` section)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from audits.privacy import new_third_parties
from audits.statement import statement_changes

if TYPE_CHECKING:
    from audits.gathered import Gathered

EMPTY_KEYS = ("new_pages", "removed_pages", "new_violations", "fixed_violations",
              "new_broken_links", "fixed_broken_links", "new_forms", "removed_forms",
              "changed_forms", "changed_task_pages", "tasks_broken", "tasks_recovered",
              "letters_broken", "letters_recovered", "new_third_parties",
              "statement_changed")


# What ``compare`` reads of the previous night: section -> the fields of each of its items
# (None: the section whole). A 100,000-page night's results are kept whole on disk; in
# memory beside tonight's, only this (``previous_part``).
PREVIOUS_READS: dict[str, tuple[str, ...] | None] = {
    "run": None, "score": None,
    "pages": ("url", "status", "fetch_error", "title", "audited", "violations", "content_hash"),
    "redirects": ("url",), "broken_links": None, "forms": None, "tasks": None,
    "letters": None, "privacy": None, "statement": None}


def previous_part(results: dict) -> dict:
    """The part of a previous night's results that ``compare`` reads; a page's violations
    as their rules."""
    part: dict = {}
    for key, fields in PREVIOUS_READS.items():
        value = results.get(key)
        if fields is not None and value is not None:
            value = [{f: item.get(f) for f in fields if f in item} for item in value]
        part[key] = value
    for page in part.get("pages") or []:
        if page.get("violations"):
            page["violations"] = [{"rule": v["rule"]} for v in page["violations"]]
    return part


def live_pages(results: dict) -> dict[str, dict]:
    """Pages that answered 200, by URL."""
    return {p["url"]: p for p in results.get("pages") or [] if p.get("status") == 200
            and not p.get("fetch_error")}


# Answers that say nothing about whether a page is still there (busy, server trouble).
NO_VERDICT_STATUS = {408, 425, 429}


def answered(results: dict) -> set[str]:
    """URLs that got a verdict in this run: an answer that says whether the page is there.

    A page not asked for, refused (busy, 429, 5xx), timed out or unreachable is unknown
    tonight: not retrieved is not removed.
    """
    urls = {r["url"] for r in results.get("redirects") or []}
    for page in results.get("pages") or []:
        status = page.get("status")
        if page.get("fetch_error") or status is None or status in NO_VERDICT_STATUS \
                or status >= 500:
            continue
        urls.add(page["url"])
    return urls


def violation_keys(results: dict) -> tuple[set[tuple[str, str]], set[str]]:
    """(page URL, rule) of every violation, and the URLs of the pages that were audited."""
    found, audited = set(), set()
    for page in results.get("pages") or []:
        if page.get("audited"):
            audited.add(page["url"])
            found.update((page["url"], v["rule"]) for v in page.get("violations") or [])
    return found, audited


def link_key(link: dict) -> tuple[str, str]:
    return link["source"], link["target"]


def form_key(form: dict) -> tuple[str, str, str]:
    return form["page"], form.get("action") or "", form.get("method") or "get"


def task_ok(task: dict) -> bool:
    """A top task works when its page is found and its short URL (if any) resolves."""
    short = task.get("short_url")
    return bool(task.get("found")) and (not short or bool(short.get("ok")))


def broke_and_recovered(before: list[dict], after: list[dict], key: str, ok) -> tuple[list, list]:
    previous = {item[key]: ok(item) for item in before}
    broke = [item for item in after if not ok(item) and previous.get(item[key]) is True]
    recovered = [item for item in after if ok(item) and previous.get(item[key]) is False]
    return broke, recovered


def compare(previous: dict | None, current: Mapping) -> dict:
    """The ``changes`` section: ``current`` compared with ``previous`` (None on a first run)."""
    changes: dict = {"previous_run": None, "previous_score": None,
                     **{key: [] for key in EMPTY_KEYS}}
    if previous is None:
        return changes
    changes["previous_run"] = previous["run"]["id"]
    changes["previous_score"] = (previous.get("score") or {}).get("site")
    before_pages, after_pages = live_pages(previous), live_pages(current)
    changes["new_pages"] = [{"url": u, "title": after_pages[u].get("title")}
                            for u in sorted(after_pages.keys() - before_pages.keys())]
    retrieved = answered(current)
    changes["removed_pages"] = [{"url": u, "title": before_pages[u].get("title")}
                                for u in sorted(before_pages.keys() - after_pages.keys())
                                if u in retrieved]

    before_found, before_audited = violation_keys(previous)
    after_found, after_audited = violation_keys(current)
    # A page that existed but was not audited last time has unknown findings: nothing is new there.
    unknown = (before_pages.keys() - before_audited) & after_pages.keys()
    changes["new_violations"] = [{"url": u, "rule": r} for u, r in sorted(after_found - before_found)
                                 if u not in unknown]
    # Fixed means: the page is still there, audited again, and the rule no longer fails.
    changes["fixed_violations"] = [{"url": u, "rule": r}
                                   for u, r in sorted(before_found - after_found)
                                   if u in after_audited]

    before_links = {link_key(b) for b in previous.get("broken_links") or []}
    after_links = {link_key(b) for b in current.get("broken_links") or []}
    changes["new_broken_links"] = [b for b in current.get("broken_links") or []
                                   if link_key(b) not in before_links]
    # Fixed means: its page was read again tonight and the link no longer fails. An
    # external link on a night the internet could not be reached is unknown, not fixed.
    outage = (current.get("run") or {}).get("external_links") == "unavailable"
    changes["fixed_broken_links"] = [
        b for b in previous.get("broken_links") or []
        if link_key(b) not in after_links and b["source"] in after_pages
        and not (outage and not b.get("internal") and b.get("reason") != "malformed")]

    before_forms = {form_key(f): f for f in previous.get("forms") or []}
    after_forms = {form_key(f): f for f in current.get("forms") or []}
    changes["new_forms"] = [f for k, f in sorted(after_forms.items()) if k not in before_forms]
    changes["removed_forms"] = [f for k, f in sorted(before_forms.items()) if k not in after_forms]
    changes["changed_forms"] = [
        f for k, f in sorted(after_forms.items()) if k in before_forms and
        (f.get("fields"), bool(f.get("action_broken"))) !=
        (before_forms[k].get("fields"), bool(before_forms[k].get("action_broken")))]

    before_hash = {u: p.get("content_hash") for u, p in before_pages.items()}
    changes["changed_task_pages"] = [
        {"task": task["id"], "name": task.get("name"), "url": url}
        for task in current.get("tasks") or [] for url in task.get("pages") or []
        if url in before_hash and url in after_pages and
        before_hash[url] != after_pages[url].get("content_hash")]

    changes["tasks_broken"], changes["tasks_recovered"] = broke_and_recovered(
        previous.get("tasks") or [], current.get("tasks") or [], "id", task_ok)
    changes["letters_broken"], changes["letters_recovered"] = broke_and_recovered(
        previous.get("letters") or [], current.get("letters") or [], "url",
        lambda letter: bool(letter.get("ok")))
    changes["new_third_parties"] = new_third_parties(previous, current)
    changes["statement_changed"] = statement_changes(previous, current)
    return changes


def changes_section(gathered: Gathered, results: Mapping) -> dict:
    """The results section ``changes``: tonight's sections against the previous complete
    night's results (``gathered.previous``)."""
    return compare(gathered.previous, results)
