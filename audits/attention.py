"""What to fix first: the verdicts the report's overview opens with, judged here so that the
report only shows them.

``fix_first``: the axe rules on the legal baseline (WCAG 2.1 AA) with the worst impact,
then on the most pages. ``attention``: broken top tasks (the five most important, then how many more), letter URLs
that do not work, the critical and serious rules among those to fix first, and the broken
links. Functions over earlier sections of the results.
"""

from __future__ import annotations

from collections.abc import Mapping

from audits.letters import letter_state, short_url_state
from core.wcag import wcag22_only

IMPACTS = ("critical", "serious", "moderate", "minor")   # worst first
FIX_FIRST = 5            # rules named to fix first
RULES_IN_ATTENTION = 3   # of those, the critical and serious ones on the overview's list
TASKS_IN_ATTENTION = 5   # top tasks with a problem named one by one; the rest as one line


def impact_rank(impact: str | None) -> int:
    """critical 4 … minor 1; an unknown impact 0."""
    return len(IMPACTS) - IMPACTS.index(impact) if impact in IMPACTS else 0


def rules_worst_first(pages: list[dict]) -> list[dict]:
    """Every violated axe rule with its worst impact, its criteria and the number of pages it
    is on: the worst impact first, then on the most pages, then by name."""
    rules: dict[str, dict] = {}
    for page in pages:
        for finding in page.get("violations") or []:
            rule = rules.setdefault(finding["rule"], {"rule": finding["rule"],
                                                      "impact": finding.get("impact"),
                                                      "wcag": finding.get("wcag") or [],
                                                      "pages": 0})
            rule["pages"] += 1
            if impact_rank(finding.get("impact")) > impact_rank(rule["impact"]):
                rule["impact"] = finding.get("impact")
    return sorted(rules.values(), key=lambda r: (-impact_rank(r["impact"]), -r["pages"],
                                                 r["rule"]))


def fix_first(pages: list[dict]) -> list[dict]:
    """The results' ``fix_first``: {rule, impact, pages} of the legal baseline's worst rules;
    a rule that only WCAG 2.2 asks for (target-size) is never among them."""
    baseline = [rule for rule in rules_worst_first(pages) if not wcag22_only(rule["wcag"])]
    return [{"rule": r["rule"], "impact": r["impact"], "pages": r["pages"]}
            for r in baseline[:FIX_FIRST]]


def task_problem(task: dict) -> str | None:
    """What is wrong with a top task, the worst first: not_found, short_url_elsewhere,
    short_url or broken_links; None when nothing is."""
    if not task.get("found"):
        return "not_found"
    short = task.get("short_url")
    state = short_url_state(short) if short else None
    if state == "wrong_page":
        return "short_url_elsewhere"
    if state == "broken":
        return "short_url"
    if task.get("broken_links"):
        return "broken_links"
    return None


def attention(results: Mapping) -> list[dict]:
    """The results' ``attention`` (reads ``tasks``, ``letters``, ``fix_first`` and
    ``broken_links_by_target``): what needs attention first, in the order to show it."""
    tasks = [{"kind": "task", "id": task["id"], "name": task["name"], "problem": problem}
             for task in sorted(results.get("tasks") or [],
                                key=lambda t: (t.get("rank") or 999, t.get("id") or ""))
             if (problem := task_problem(task))]
    items = tasks[:TASKS_IN_ATTENTION]
    if len(tasks) > TASKS_IN_ATTENTION:     # a first run with the default toptaken
        items.append({"kind": "more_tasks", "count": len(tasks) - TASKS_IN_ATTENTION})
    for letter in results.get("letters") or []:
        state = letter_state(letter)
        if state != "works":
            items.append({"kind": "letter", "url": letter["url"], "state": state})
    items += [{"kind": "rule", "rule": rule["rule"], "impact": rule["impact"]}
              for rule in results.get("fix_first") or []
              if rule["impact"] in ("critical", "serious")][:RULES_IN_ATTENTION]
    targets = results.get("broken_links_by_target") or []
    if targets:
        items.append({"kind": "links", "count": sum(group["count"] for group in targets)})
    return items
