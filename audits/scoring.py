"""Scores from 0 to 100: per top task, accessibility, links, letter URLs and the site.

Pure functions over the results object; the weights and thresholds are data
(core/data/scoring.toml) and the formula is explained in docs/scoring.md. Every
task score carries the findings that cost points, so the report can show them.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from audits import readability
from core.pages import is_html_page

if TYPE_CHECKING:
    from audits.gathered import Gathered

WEIGHTS_FILE = Path(__file__).resolve().parents[1] / "core" / "data" / "scoring.toml"
IMPACTS = ("critical", "serious", "moderate", "minor")


@cache
def weights() -> dict:
    """The shipped weights and thresholds."""
    return tomllib.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))


def scored(violation: dict, w: dict | None = None) -> bool:
    """Whether a violation costs points: not when all its WCAG criteria are ones that only
    WCAG 2.2 asks for (not yet the Dutch legal baseline)."""
    criteria = violation.get("wcag") or []
    not_scored = set((w or weights())["baseline"]["not_scored"])
    return not criteria or not set(criteria) <= not_scored


def _part(name: str, limit: float, findings: list[dict]) -> dict:
    """One part of a task score: its findings and their points, capped at ``limit``."""
    return {"part": name, "points": min(limit, sum(f["points"] for f in findings)),
            "max": limit, "findings": findings}


def _findability(task: dict, w: dict) -> dict:
    findings = []
    if task["depth"] is None:
        findings.append({"reason": "not-linked", "points": w["not_linked"]})
    elif task["depth"] > w["free_clicks"]:
        extra = task["depth"] - w["free_clicks"]
        findings.append({"reason": "clicks", "depth": task["depth"], "extra_clicks": extra,
                         "points": extra * w["per_extra_click"]})
    return _part("findability", w["max"], findings)


def _short_url(short: dict, w: dict) -> dict:
    findings = []
    if not (short["status"] == 200 and short["error"] is None):
        findings.append({"reason": "short-url-broken", "status": short["status"],
                         "error": short["error"], "points": w["broken"]})
    elif not short["lands_on_task"]:
        findings.append({"reason": "short-url-elsewhere", "final_url": short["final_url"],
                         "points": w["elsewhere"]})
    extra = short["redirects"] - w["free_redirects"]
    if extra > 0 and short["error"] is None:
        findings.append({"reason": "short-url-redirects", "redirects": short["redirects"],
                         "points": extra * w["per_extra_redirect"]})
    for problem in short["letter_proof"]:
        findings.append({"reason": "short-url-not-letter-proof", "problem": problem,
                         "points": w["not_letter_proof"]})
    return _part("short_url", w["max"], findings)


def _accessibility(task: dict, w: dict, impact: dict) -> dict:
    findings = [{"reason": "violation", "rule": v["rule"], "impact": v["impact"],
                 "pages": len(v["pages"]), "points": impact.get(v["impact"], impact["minor"])}
                for v in task["violation_rules"]]
    return _part("accessibility", w["max"], findings)


def _links(task: dict, w: dict) -> dict:
    # "on": the task's own page, or a page of its click path (the link leads to the task).
    findings = [{"reason": "broken-link", "source": link["source"], "target": link["target"],
                 "text": link.get("text"),
                 "on": "task-page" if link["source"] in task.get("pages", ()) else "click-path",
                 "points": w["per_broken_link"]}
                for link in task["broken_link_list"]]
    return _part("links", w["max"], findings)


def _form(task: dict, w: dict) -> dict:
    findings = []
    form = task["form"]
    if form["configured"] and not form["found"]:
        findings.append({"reason": "form-missing", "form": form["configured"],
                         "points": w["missing"]})
    for found in task["forms"]:
        if found.get("action_broken"):
            findings.append({"reason": "form-action-broken", "page": found["page"],
                             "action": found["action"], "points": w["action_broken"]})
    return _part("form", w["max"], findings)


def task_score(task: dict, w: dict | None = None) -> dict:
    """The score of one task (0–100) with the parts and findings that cost points.

    ``task`` is a task entry of the results (see audits/tasks.py). A task whose page
    is not found scores 0; the caps of the parts add up to less than 100, so a task
    that is found always scores higher.
    """
    w = w or weights()
    tw = w["task"]
    if not task["found"]:
        parts = [_part("found", 100, [{"reason": "not-found", "points": 100}])]
        return {"score": 0.0, "parts": parts, "not_measured": []}
    parts = [_findability(task, tw["findability"])]
    not_measured = []
    if task["short_url"]:
        parts.append(_short_url(task["short_url"], tw["short_url"]))
    if task["accessibility_measured"]:
        parts.append(_accessibility(task, tw["accessibility"], w["impact"]))
    else:
        not_measured.append("accessibility")
    if task["links_measured"]:
        parts.append(_links(task, tw["links"]))
    else:
        not_measured.append("links")
    parts.append(_form(task, tw["form"]))
    score = max(0.0, 100.0 - sum(p["points"] for p in parts))
    return {"score": round(score, 1), "parts": parts, "not_measured": not_measured}


def rank_weight(rank: int, w: dict | None = None) -> float:
    """How heavily a task of this rank counts in the tasks score."""
    return max(rank, 1) ** -(w or weights())["tasks"]["rank_exponent"]


def tasks_score(tasks: list[dict], w: dict | None = None) -> float | None:
    """The rank-weighted mean of the task scores; None without tasks."""
    if not tasks:
        return None
    total = sum(rank_weight(t["rank"], w) for t in tasks)
    return round(sum(rank_weight(t["rank"], w) * t["score"] for t in tasks) / total, 1)


def page_accessibility(violations: list[dict], w: dict | None = None) -> dict:
    """One page's accessibility score: 100 minus the impact weight of each violated rule."""
    impact = (w or weights())["impact"]
    worst: dict[str, str] = {}
    for v in violations:
        if not scored(v, w):
            continue
        if impact.get(v.get("impact"), 0) >= impact.get(worst.get(v["rule"]), 0):
            worst[v["rule"]] = v.get("impact") or "minor"
    points = sum(impact.get(i, impact["minor"]) for i in worst.values())
    return {"score": max(0.0, 100.0 - points), "points": points}


def audited(page: dict) -> bool:
    """Whether axe ran on this page (so its ``violations`` can be trusted)."""
    return "violations" in page and page.get("audited") is not False and \
        page.get("violations") is not None


def accessibility_score(pages: list[dict], w: dict | None = None) -> float | None:
    """The mean page accessibility score over the audited pages; None when none were."""
    scores = [page_accessibility(p["violations"], w)["score"] for p in pages if audited(p)]
    return round(sum(scores) / len(scores), 1) if scores else None


def links_score(pages: list[dict], broken_links: list[dict] | None,
                forms: list[dict] | None = None) -> float | None:
    """The share of HTML pages without a broken link or a form that posts nowhere."""
    if broken_links is None:
        return None
    html = {p["url"] for p in pages if is_html_page(p)}
    if not html:
        return None
    bad = {link["source"] for link in broken_links} | \
        {f["page"] for f in forms or [] if f.get("action_broken")}
    return round(100.0 * len(html - bad) / len(html), 1)


def letters_score(letters: list[dict]) -> float | None:
    """The share of letter URLs that work and land where expected; None without letters."""
    if not letters:
        return None
    return round(100.0 * sum(1 for entry in letters if entry["ok"]) / len(letters), 1)


def site_score(parts: dict[str, float | None], w: dict | None = None) -> float | None:
    """The weighted mean of the measured parts (tasks, accessibility, links, letters)."""
    site_weights = (w or weights())["site"]
    measured = {k: v for k, v in parts.items() if v is not None and site_weights.get(k)}
    if not measured:
        return None
    total = sum(site_weights[k] for k in measured)
    return round(sum(site_weights[k] * v for k, v in measured.items()) / total, 1)


def score_section(gathered: Gathered, results: Mapping) -> dict:
    """The results' ``score``: site, accessibility, links, tasks and letters, with the weights
    (reads ``tasks``, ``pages``, ``broken_links``, ``forms``, ``letters``, ``readability``)."""
    w = weights()
    parts = {
        "tasks": tasks_score(results.get("tasks") or [], w),
        "accessibility": accessibility_score(results.get("pages") or [], w),
        "links": links_score(results.get("pages") or [], results.get("broken_links"),
                             results.get("forms")),
        "letters": letters_score(results.get("letters") or []),
    }
    weight = gathered.config.scoring.get("readability_weight")
    if weight:      # plain language counts only when the site's [scoring] asks for it
        w = {**w, "site": {**w["site"], "readability": weight}}
        parts["readability"] = readability.score(results.get("readability") or [])
    return {"site": site_score(parts, w), **parts,
            "weights": dict(w["site"]),
            "not_measured": sorted(k for k, v in parts.items() if v is None)}
