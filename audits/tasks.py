"""Top tasks ("toptaken"): which pages belong to each task, how a resident clicks there,
its short URL, and the accessibility, broken links and form on its journey.

Each part uses what the run has: violations appear when the axe audit ran
(``violations`` on the page entries), broken links and forms when the link check ran
(``broken_links`` and ``forms`` sections). The score comes from audits/scoring.py.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from audits import letters, scoring
from audits.crawldata import CrawlData
from audits.linkgraph import Step, shortest_paths
from core.config import SiteConfig, Task, default_tasks
from core.urls import page_key

if TYPE_CHECKING:
    from audits.gathered import Gathered

HOME = "Home"


@dataclass
class Matcher:
    """How to recognise a task's pages: URL path patterns and title/h1 keywords."""
    patterns: list[re.Pattern]
    keywords: list[str]

    @classmethod
    def of(cls, task: Task) -> Matcher:
        return cls([re.compile(p, re.IGNORECASE) for p in task.match],
                   [k.casefold() for k in task.keywords])

    def path(self, path: str) -> bool:
        return any(p.search(path) for p in self.patterns)

    def url(self, url: str) -> bool:
        return self.path(urlsplit(url).path or "/")

    def text(self, *texts: str | None) -> bool:
        """Whether a keyword occurs in one of the texts (already case-folded)."""
        return any(k in t for t in texts if t for k in self.keywords)


@dataclass
class Site:
    """What every task of one run looks at, gathered once."""
    start: str | None
    paths: dict[str, list[Step]]
    candidates: list[tuple[str, str, str, str]]   # url, path, folded title and h1
    page_entries: dict[str, dict]
    forms: list[dict]
    broken_links: list[dict] | None

    @classmethod
    def of(cls, crawl: CrawlData, results: Mapping) -> Site:
        start = crawl.final_url(page_key(crawl.start_urls[0])) if crawl.start_urls else None
        candidates = [(p["url"], urlsplit(p["url"]).path or "/",
                       (p.get("title") or "").casefold(), (p.get("h1") or "").casefold())
                      for p in crawl.html_pages()]
        return cls(start, shortest_paths(crawl), candidates,
                   {p["url"]: p for p in results.get("pages") or []},
                   results.get("forms") or crawl.forms, results.get("broken_links"))


def matching_pages(site: Site, matcher: Matcher) -> list[dict]:
    """The task's pages, best first: matched on URL and keyword, on URL, on keyword;
    then linked before unlinked, fewer clicks first."""
    found = []
    for url, path, title, h1 in site.candidates:
        by_url = matcher.path(path)
        # The home page names many tasks; it belongs to a task only by its URL.
        by_text = url != site.start and matcher.text(title, h1)
        if by_url or by_text:
            depth = len(site.paths[url]) - 1 if url in site.paths else None
            found.append({"url": url, "by_url": by_url, "by_keyword": by_text, "depth": depth})
    found.sort(key=lambda p: (not (p["by_url"] and p["by_keyword"]), not p["by_url"],
                              p["depth"] is None, p["depth"] or 0, len(p["url"]), p["url"]))
    return found


def click_path(path: list[Step]) -> list[str]:
    """The link texts a resident clicks, starting at the home page."""
    return [HOME] + [step.text for step in path[1:]]


def _journey_links(matcher: Matcher, broken: list[dict], pages: set[str],
                   path: list[Step]) -> list[dict]:
    """Broken links on the task's pages, and those on its click path that lead to the task."""
    on_path = {step.url for step in path} - pages
    return [link for link in broken
            if link["source"] in pages or (link["source"] in on_path and (
                matcher.url(link["target"]) or matcher.text((link.get("text") or "").casefold())))]


def _accessibility(pages: list[str], page_entries: dict[str, dict]) -> tuple[bool, list[dict]]:
    """Whether axe audited any of the pages, and the violated rules with their pages."""
    audited = [page_entries[u] for u in pages if scoring.audited(page_entries.get(u, {}))]
    rules: dict[str, dict] = {}
    impact = scoring.weights()["impact"]
    for page in audited:
        for v in filter(scoring.scored, page["violations"]):
            rule = rules.setdefault(v["rule"], {"rule": v["rule"], "impact": v.get("impact"),
                                                "pages": []})
            if impact.get(v.get("impact"), 0) > impact.get(rule["impact"], 0):
                rule["impact"] = v.get("impact")
            rule["pages"].append(page["url"])
    return bool(audited), sorted(rules.values(), key=lambda r: (
        scoring.IMPACTS.index(r["impact"]) if r["impact"] in scoring.IMPACTS else 9, r["rule"]))


def _forms(task: Task, config: SiteConfig, pages: list[str], all_forms: list[dict],
           start: str | None) -> tuple[dict, list[dict]]:
    """The task's configured form (found or not) and the forms on its pages.

    Forms that are also on the home page (a search box in the header) belong to the
    whole site, not to the task."""
    site_wide = {(f["action"], f.get("method")) for f in all_forms if f["page"] == start}
    configured = config.absolute(task.form) if task.form else None

    def is_configured(form: dict) -> bool:
        return bool(configured) and (letters.same_page(form["action"], configured) or
                                     letters.same_page(form["page"], configured))

    mine = [f for f in all_forms if is_configured(f) or (
        f["page"] in pages and (f["action"], f.get("method")) not in site_wide)]
    forms = [{"page": f["page"], "action": f["action"], "method": f.get("method"),
              "action_broken": f.get("action_broken")} for f in mine]
    return {"configured": configured, "found": any(map(is_configured, mine))}, forms


def task_entry(site: Site, task: Task, config: SiteConfig, crawl: CrawlData) -> dict:
    """Everything found about one task this run, with its score."""
    matcher = Matcher.of(task)
    matched = matching_pages(site, matcher)
    pages = [m["url"] for m in matched]
    main = matched[0] if matched else None
    path = site.paths.get(main["url"], []) if main else []
    measured, rules = _accessibility(pages, site.page_entries)
    broken = site.broken_links
    journey = _journey_links(matcher, broken or [], set(pages), path)
    form, forms = _forms(task, config, pages, site.forms, site.start)
    short = None
    if task.short_url:
        short = letters.check(crawl, config.absolute(task.short_url), task.short_url)
        short["lands_on_task"] = any(letters.same_page(short["final_url"], p) for p in pages)
        short["ok"] = short["ok"] and short["lands_on_task"]
        short["state"] = letters.short_url_state(short)
    entry = {
        "id": task.id, "name": task.name, "rank": task.rank, "found": bool(matched),
        "page": main["url"] if main else None, "pages": pages,
        "matched_by": {m["url"]: [k for k in ("url", "keyword") if m["by_" + k]]
                       for m in matched},
        "depth": main["depth"] if main else None,
        "click_path": click_path(path) if path else [],
        # each step with the broken links on its page that are on the task's journey
        "click_steps": [{"text": s.text, "url": s.url,
                         "broken_links": sum(1 for link in journey if link["source"] == s.url)}
                        for s in path],
        "short_url": short,
        "accessibility_measured": measured,
        "violations": len(rules) if measured else None,
        "violations_by_impact": {i: sum(1 for r in rules if r["impact"] == i)
                                 for i in scoring.IMPACTS} if measured else None,
        "violation_rules": rules,
        "links_measured": broken is not None,
        "broken_links": len(journey) if broken is not None else None,
        "broken_link_list": journey,
        "form": form, "forms": forms,
    }
    entry.update(scoring.task_score(entry))
    return entry


def uses_default_list(config: SiteConfig) -> bool:
    """Whether the site's tasks are the shipped default list (no [[task]] of its own)."""
    return config.tasks == default_tasks()


def tasks_section(gathered: Gathered, results: Mapping) -> list[dict]:
    """One entry per configured top task, by rank.

    None at all when the tasks are the shipped default list and not one of them is found on
    the site: that says the list does not fit the site, not that every task fails; the top
    tasks are then not measured (see ``tasks_status``)."""
    config = gathered.config
    site = Site.of(gathered.crawl, results)
    tasks = sorted(config.tasks, key=lambda t: (t.rank, t.id))
    entries = [task_entry(site, task, config, gathered.crawl) for task in tasks]
    if not any(entry["found"] for entry in entries) and uses_default_list(config):
        return []
    return entries


def tasks_status(gathered: Gathered, results: Mapping) -> dict:
    """Where the task list came from and whether the tasks were measured (and if not, why)."""
    measured = bool(results["tasks"])
    return {"source": "default" if uses_default_list(gathered.config) else "config",
            "measured": measured, "reason": None if measured else "default-not-found"}
