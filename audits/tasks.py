"""Top tasks ("toptaken"): which pages belong to each task, how a resident clicks there,
its short URL, and the accessibility, broken links and form on its journey.

Each part uses what the run has: violations appear when the axe audit ran
(``violations`` on the page entries), broken links and forms when the link check ran
(``broken_links`` and ``forms`` sections). The score comes from audits/scoring.py.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from audits import letters, scoring
from audits.crawldata import CrawlData
from audits.linkgraph import Step, shortest_paths
from crawler.parsing import page_key
from nachtwacht.config import SiteConfig, Task

HOME = "Home"


def url_matches(task: Task, url: str) -> bool:
    """Whether the URL's path matches one of the task's patterns."""
    path = urlsplit(url).path or "/"
    return any(re.search(pattern, path, re.IGNORECASE) for pattern in task.match)


def text_matches(task: Task, *texts: str | None) -> bool:
    """Whether one of the task's keywords occurs in one of the texts."""
    folded = [t.casefold() for t in texts if t]
    return any(k.casefold() in t for k in task.keywords for t in folded)


def start_page(crawl: CrawlData) -> str | None:
    """Where the first start URL lands."""
    return crawl.final_url(page_key(crawl.start_urls[0])) if crawl.start_urls else None


def matching_pages(crawl: CrawlData, task: Task, depths: dict[str, int]) -> list[dict]:
    """The task's pages, best first: matched on URL and keyword, on URL, on keyword;
    then linked before unlinked, fewer clicks first."""
    start = start_page(crawl)
    found = []
    for page in crawl.html_pages():
        by_url = url_matches(task, page["url"])
        # The home page names many tasks; it belongs to a task only by its URL.
        by_text = page["url"] != start and text_matches(task, page.get("title"), page.get("h1"))
        if by_url or by_text:
            found.append({"url": page["url"], "by_url": by_url, "by_keyword": by_text,
                          "depth": depths.get(page["url"])})
    found.sort(key=lambda p: (not (p["by_url"] and p["by_keyword"]), not p["by_url"],
                              p["depth"] is None, p["depth"] or 0, len(p["url"]), p["url"]))
    return found


def click_path(path: list[Step]) -> list[str]:
    """The link texts a resident clicks, starting at the home page."""
    return [HOME] + [step.text for step in path[1:]]


def _journey_links(task: Task, broken: list[dict], pages: set[str], path: list[Step]) -> list[dict]:
    """Broken links on the task's pages, and those on its click path that lead to the task."""
    on_path = {step.url for step in path} - pages
    return [link for link in broken
            if link["source"] in pages or (link["source"] in on_path and (
                url_matches(task, link["target"]) or text_matches(task, link.get("text"))))]


def _accessibility(pages: list[str], page_entries: dict[str, dict]) -> tuple[bool, list[dict]]:
    """Whether axe audited any of the pages, and the violated rules with their pages."""
    audited = [page_entries[u] for u in pages if scoring.audited(page_entries.get(u, {}))]
    rules: dict[str, dict] = {}
    impact = scoring.weights()["impact"]
    for page in audited:
        for v in page["violations"]:
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
    mine = [f for f in all_forms if (f["action"], f.get("method")) not in site_wide and (
        f["page"] in pages or (configured and (letters.same_page(f["action"], configured)
                                               or letters.same_page(f["page"], configured))))]
    forms = [{"page": f["page"], "action": f["action"], "method": f.get("method"),
              "action_broken": f.get("action_broken")} for f in mine]
    found = bool(configured) and any(letters.same_page(f["action"], configured) or
                                     letters.same_page(f["page"], configured) for f in mine)
    return {"configured": configured, "found": found}, forms


def task_entry(crawl: CrawlData, task: Task, config: SiteConfig, results: dict,
               paths: dict[str, list[Step]]) -> dict:
    """Everything found about one task this run, with its score."""
    depths = {url: len(path) - 1 for url, path in paths.items()}
    matched = matching_pages(crawl, task, depths)
    pages = [m["url"] for m in matched]
    main = matched[0] if matched else None
    path = paths.get(main["url"], []) if main else []
    page_entries = {p["url"]: p for p in results.get("pages") or []}
    measured, rules = _accessibility(pages, page_entries)
    broken = results.get("broken_links")
    journey = _journey_links(task, broken or [], set(pages), path)
    form, forms = _forms(task, config, pages, results.get("forms") or crawl.forms,
                         start_page(crawl))
    short = None
    if task.short_url:
        short = letters.check(crawl, config.absolute(task.short_url), task.short_url)
        short["lands_on_task"] = any(letters.same_page(short["final_url"], p) for p in pages)
        short["ok"] = short["ok"] and short["lands_on_task"]
    entry = {
        "id": task.id, "name": task.name, "rank": task.rank, "found": bool(matched),
        "page": main["url"] if main else None, "pages": pages,
        "matched_by": {m["url"]: [k for k in ("url", "keyword") if m["by_" + k]]
                       for m in matched},
        "depth": main["depth"] if main else None,
        "click_path": click_path(path) if path else [],
        "click_steps": [{"text": s.text, "url": s.url} for s in path],
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


def tasks_section(crawl: CrawlData, context: dict) -> list[dict]:
    """One entry per configured top task, by rank."""
    config: SiteConfig = context["config"]
    paths = shortest_paths(crawl)
    tasks = sorted(config.tasks, key=lambda t: (t.rank, t.id))
    return [task_entry(crawl, task, config, context["results"], paths) for task in tasks]
