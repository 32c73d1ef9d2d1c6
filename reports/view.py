"""The report's view model: every grouping, count and order the templates show.

Built from the results object (and the run history) only; the templates compute nothing,
and nothing here is judged: verdicts such as what to fix first come with the results.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections import defaultdict
from functools import cache
from pathlib import Path

from core import wcag
from reports import view_evidence
from reports.charts import line_chart
from reports.paging import file_safe, paged, section
from reports.view_checks import checks
from reports.view_documents import documents
from reports.view_privacy import privacy
from reports.view_readability import readability

IMPACTS = ("critical", "serious", "moderate", "minor")
IMPACT_RANK = {name: len(IMPACTS) - i for i, name in enumerate(IMPACTS)}
DATA = Path(__file__).resolve().parent / "data"
EXAMPLE_PAGES = 5        # pages named per rule on the criterion overview
SCORE_KEYS = ("site", "tasks", "accessibility", "links", "letters", "readability")


@cache
def rule_texts() -> dict[str, dict]:
    with open(DATA / "rules.toml", "rb") as file:
        return tomllib.load(file)


def explanation(rule: str, finding: dict, lang: str) -> str:
    """A plain explanation of an axe rule: ours where we have one, else axe's help text."""
    return rule_texts().get(rule, {}).get(lang) or finding.get("help") or rule


def fix(rule: str, lang: str) -> str | None:
    """What to do about an axe rule's finding, in plain words (Dutch; None where we have none)."""
    return rule_texts().get(rule, {}).get("fix" if lang == "nl" else f"fix_{lang}")


def page_file(url: str) -> str:
    """The detail file of one page: stable across runs, safe on every file system."""
    return "pagina/" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:16] + ".html"


def rule_base(rule: str, kind: str = "violations") -> str:
    """The detail file of one rule, without '.html' (a long one continues in '-2.html', …)."""
    safe = re.sub(r"[^a-z0-9-]+", "-", rule.lower())
    return f"regel/{'nakijken-' if kind == 'incomplete' else ''}{safe}"


def baseline(findings: list[dict]) -> list[dict]:
    """The findings on the legal baseline (WCAG 2.1 AA): all but those only WCAG 2.2 asks for."""
    return [f for f in findings if not wcag.wcag22_only(f.get("wcag") or [])]


def page_severity(page: dict) -> tuple:
    """Sort key: worst baseline impact first, then most elements, then 2.2-only ones, then URL."""
    findings = page.get("violations") or []
    legal = baseline(findings)
    worst = max((IMPACT_RANK.get(v.get("impact"), 0) for v in legal), default=0)
    return (-worst, -sum(v.get("nodes") or 0 for v in legal), len(legal) - len(findings),
            page["url"])


def worst_impact(findings: list[dict]) -> str | None:
    ranked = [f.get("impact") for f in findings if f.get("impact") in IMPACT_RANK]
    return max(ranked, key=IMPACT_RANK.get) if ranked else None


def rule_groups(pages: list[dict], kind: str, lang: str) -> list[dict]:
    """Per axe rule: impact, criteria, explanation, and the pages and elements it concerns."""
    groups: dict[str, dict] = {}
    for page in pages:
        for finding in page.get(kind) or []:
            rule = finding["rule"]
            group = groups.setdefault(rule, {
                "rule": rule, "impact": finding.get("impact"), "wcag": finding.get("wcag") or [],
                "help": finding.get("help") or rule, "help_url": finding.get("help_url"),
                "explanation": explanation(rule, finding, lang), "fix": fix(rule, lang),
                "kind": kind, "pages": [], "elements": 0})
            group["pages"].append({"url": page["url"], "title": page.get("title"),
                                   "file": page_file(page["url"]),
                                   "elements": finding.get("nodes") or 0})
            group["elements"] += finding.get("nodes") or 0
            if IMPACT_RANK.get(finding.get("impact"), 0) > IMPACT_RANK.get(group["impact"], 0):
                group["impact"] = finding.get("impact")
    ordered = sorted(groups.values(), key=lambda g: (-IMPACT_RANK.get(g["impact"], 0),
                                                     -len(g["pages"]), g["rule"]))
    for group in ordered:
        group["page_count"] = len(group["pages"])
        group["parts"] = paged(rule_base(group["rule"], kind), group["pages"])
        group["file"] = group["parts"][0]["file"]
        group["examples"] = group["pages"][:EXAMPLE_PAGES]
        group["more"] = max(0, len(group["pages"]) - EXAMPLE_PAGES)
        group["wcag_2_2_only"] = bool(group["wcag"]) and all(
            wcag.only_in_22(n) for n in group["wcag"])
    return ordered


def criterion_groups(rules: list[dict], lang: str) -> list[dict]:
    """The rules under each WCAG success criterion they test, in WCAG order."""
    by_number: dict[str, list[dict]] = defaultdict(list)
    for rule in rules:
        for number in rule["wcag"] or [""]:
            by_number[number].append(rule)
    known = wcag.criteria()
    groups = []
    for number in sorted(by_number, key=lambda n: (n == "", wcag.sort_key(n))):
        criterion = known.get(number, {})
        pages = {p["url"] for r in by_number[number] for p in r["pages"]}
        groups.append({
            "number": number, "name": criterion.get(lang, ""), "level": criterion.get("level"),
            "only_in_22": wcag.only_in_22(number), "rules": by_number[number],
            "page_count": len(pages),
            "elements": sum(r["elements"] for r in by_number[number]),
            "anchor": "sc-" + number.replace(".", "-") if number else "sc-overig"})
    return groups


def accessibility(results: dict, lang: str) -> dict | None:
    """Findings by criterion (2.1 baseline and 2.2-only apart), by page, and needs review."""
    pages = results.get("pages") or []
    if not any("violations" in p or "incomplete" in p for p in pages):
        return None
    violations = rule_groups(pages, "violations", lang)
    review = rule_groups(pages, "incomplete", lang)
    criteria = criterion_groups(violations, lang)
    # The legal baseline (WCAG 2.1 AA) apart from what only WCAG 2.2 asks for (target-size)
    baseline = [r for r in violations if not r["wcag_2_2_only"]]
    by_rule = {r["rule"]: r for r in violations}
    with_findings = [p for p in pages if any(not wcag.wcag22_only(f.get("wcag") or [])
                                             for f in p.get("violations") or [])]
    with_22_only = [p for p in pages if any(wcag.wcag22_only(f.get("wcag") or [])
                                            for f in p.get("violations") or [])]

    not_audited = [{"url": p["url"], "title": p.get("title"), "reason": p.get("audit_error")}
                   for p in pages if p.get("audited") is False and p.get("audit_error")]
    return {
        "criteria": [c for c in criteria if not c["only_in_22"]],
        "criteria_22": [c for c in criteria if c["only_in_22"]],
        "rules": violations, "review": review,
        "not_audited": section("not_audited", not_audited, "toegankelijkheid.html",
                               "niet-gecontroleerd", "niet-getest", "accessibility"),
        "counts": {
            "pages_with_findings": len(with_findings),
            "pages_with_22_findings": len(with_22_only),
            "rules": len(baseline),
            "rules_22": len(violations) - len(baseline),
            "elements": sum(r["elements"] for r in baseline),
            "review_rules": len(review),
            "review_pages": sum(1 for p in pages if p.get("incomplete")),
            "by_impact": [{"impact": i, "rules": sum(1 for r in baseline if r["impact"] == i)}
                          for i in IMPACTS],
        },
        # what the results judged to fix first, as this page's rule groups
        "fix_first": [by_rule[r["rule"]] for r in results.get("fix_first") or []
                      if r["rule"] in by_rule],
    }


PICTURES = "schermafbeeldingen"   # the report's folder of pictures of violations


def pictures(results: dict) -> dict[tuple[str, str, str], str]:
    """(page, rule, element selector) -> the report-relative path of its picture."""
    return {(shot["url"], shot["rule"], shot["target"]): f"{PICTURES}/{shot['file']}"
            for shot in results.get("screenshots") or []}


def element(found: dict, picture: str | None = None) -> dict:
    """One element of a finding; axe's own names (target, failureSummary) are accepted too."""
    selector = found.get("selector") or found.get("target")
    if isinstance(selector, list):
        selector = " ".join(str(part) for part in selector)
    return {"selector": selector, "html": found.get("html"), "picture": picture,
            "summary": found.get("summary") or found.get("failure_summary")
            or found.get("failureSummary")}


def page_list(results: dict) -> list[dict]:
    """Every page of the run, the most serious accessibility findings first, then by URL."""
    rows = []
    for page in sorted(results.get("pages") or [], key=page_severity):
        violations = page.get("violations") or []
        legal = baseline(violations)
        has_detail = bool(violations or page.get("incomplete") or page.get("audit_error"))
        rows.append({"url": page["url"], "title": page.get("title"),
                     "file": page_file(page["url"]) if has_detail else None,
                     "status": page.get("status") if page.get("status") is not None
                     else page.get("fetch_error"),
                     "depth": page.get("depth"), "orphan": bool(page.get("orphan")),
                     "audited": page.get("audited"), "worst": worst_impact(legal),
                     "rules": len(legal), "rules_22": len(violations) - len(legal),
                     "elements": sum(v.get("nodes") or 0 for v in legal),
                     "review": len(page.get("incomplete") or [])})
    return rows


def page_details(results: dict, lang: str) -> list[dict]:
    """One detail file per page with findings or a failed audit: every element, per rule."""
    details = []
    shots = pictures(results)
    for page in results.get("pages") or []:
        if not (page.get("violations") or page.get("incomplete") or page.get("audit_error")
                or any(c["outcome"] in ("failed", "cant_tell") for c in page.get("checks") or [])):
            continue

        def findings(kind: str, page: dict = page) -> list[dict]:
            return sorted(({**f, "explanation": explanation(f["rule"], f, lang),
                            "fix": fix(f["rule"], lang),
                            "file": rule_base(f["rule"], kind) + ".html",
                            "elements": [element(e, shots.get((page["url"], f["rule"],
                                                                e.get("target") or "")))
                                         for e in f.get("elements") or []]}
                           for f in page.get(kind) or []),
                          key=lambda f: (-IMPACT_RANK.get(f.get("impact"), 0), f["rule"]))
        details.append({"file": page_file(page["url"]), "page": page,
                        "violations": findings("violations"),
                        "incomplete": findings("incomplete")})
    return details


SOURCES_SHOWN = 20      # pages named under one broken target on the links page
TEMPLATE_SOURCES_SHOWN = 5  # the same link in the template: a few examples are enough
GROUPS_PER_FILE = 50    # broken targets per file of the links page: each names 20 pages,
                        # about 7 kB, so a file stays well under 1 MB (100,000-page bench: 719 kB at 100)
TASK_PAGES_SHOWN = 3    # pages named under a top task on the scorecard


def broken_links(results: dict) -> list[dict] | None:
    """Broken links grouped by target (the target on most pages first), with page titles; a
    target on many pages names SOURCES_SHOWN of them and has files of its own with all its
    pages (a broken link in the footer of 100,000 pages)."""
    if "broken_links" not in results:
        return None
    titles = {p["url"]: p.get("title") for p in results.get("pages") or []}
    groups = []
    for group in results.get("broken_links_by_target") or []:
        sources = [{**source, "title": titles.get(source["source"])}
                   for source in group["sources"]]
        base = "kapot/" + hashlib.sha256(group["target"].encode()).hexdigest()[:16]
        shown = TEMPLATE_SOURCES_SHOWN if group.get("in_template") else SOURCES_SHOWN
        groups.append({**group, "sources": sources[:shown],
                       "more": max(0, len(sources) - shown),
                       "parts": paged(base, sources) if len(sources) > shown else []})
    return groups


def forms(results: dict) -> dict | None:
    if "forms" not in results:
        return None
    items = results["forms"]
    problems = [f for f in items if f["flags"] or f.get("unlabelled_fields")]
    return {"parts": paged("formulieren", items), "count": len(items),
            "with_problems": len(problems),
            "unlabelled": sum(f.get("unlabelled_fields") or 0 for f in items)}


def tasks(results: dict) -> list[dict] | None:
    """The top-task scorecard, most important task first, with the number of deductions."""
    if "tasks" not in results:
        return None
    ordered = sorted(results["tasks"], key=lambda t: (t.get("rank") or 999, t.get("id") or ""))
    return [{**task, "short_url_state": (task.get("short_url") or {}).get("state"),
             "deductions": sum(len(p.get("findings") or []) for p in task.get("parts") or []),
             "page_list": section("task_pages", task.get("pages") or [], "toptaken.html",
                                  f"taak-{task.get('id')}", f"toptaak-{file_safe(task.get('id'))}",
                                  "tasks", TASK_PAGES_SHOWN, task.get("id"), task.get("name"))}
            for task in ordered]


def letters(results: dict) -> list[dict] | None:
    if "letters" not in results:
        return None
    return [{"note": None, "expect": None, "final_url": None, "redirects": None, "status": None,
             **letter} for letter in results["letters"]]


def attention(results: dict, access: dict | None) -> list[dict]:
    """The results' ``attention`` (what to fix first), a rule with its group of the
    accessibility page (explanation, pages, elements, file)."""
    rules = {rule["rule"]: rule for rule in (access or {}).get("rules") or []}
    return [{**rules[item["rule"]], "kind": "rule"} if item["kind"] == "rule" else item
            for item in results.get("attention") or []
            if item["kind"] != "rule" or item["rule"] in rules]


def score_parts(results: dict) -> list[dict]:
    """The parts of the site score with their weights (when the results give them)."""
    score = results.get("score") or {}
    weights = score.get("weights") or {}
    return [{"key": key, "value": score.get(key), "weight": weight,
             "measured": isinstance(score.get(key), (int, float))}
            for key, weight in weights.items()]


def changes(results: dict) -> dict | None:
    found = results.get("changes")
    if found is None:
        return None
    lists = {key: section("changes", [change_item(item) for item in value], "wijzigingen.html",
                          key, f"wijzigingen-{file_safe(key)}", "changes", key=key)
             for key, value in found.items() if isinstance(value, list)}
    return {"previous_run": found.get("previous_run"), "lists": lists,
            "total": sum(len(found[key]) for key in lists),
            "counts": {key: len(found[key]) for key in lists}}


def kcc_lists(results: dict) -> dict | None:
    """The contact centre's lists, each paged from its section of kcc.html on."""
    digest = results.get("kcc")
    if digest is None:
        return None
    return {key: section("kcc", items, "kcc.html", f"kcc-{key}", f"kcc-{file_safe(key)}", "kcc",
                         key=key)
            for key, items in digest.items() if isinstance(items, list)}


CHANGE_FIELDS = ("url", "title", "name", "rule", "source", "target", "text", "page", "action",
                 "note")


def change_item(item: dict | str) -> dict:
    """One changed thing in one shape (pages, findings, links, forms, tasks, letters)."""
    if isinstance(item, str):
        item = {"url": item}
    shaped = {field: item.get(field) for field in CHANGE_FIELDS}
    shaped["name"] = shaped["name"] or item.get("task") or item.get("id")
    return shaped


def scores(results: dict) -> list[dict]:
    score = results.get("score") or {}
    return [{"key": key, "value": score[key], "anchor": f"score-{key}"}
            for key in SCORE_KEYS if isinstance(score.get(key), (int, float))]


TREND_SERIES = (("score", 100), ("violations", None), ("broken_links", None))


def trend(history: list[dict]) -> dict | None:
    """The last complete runs as table rows, and a line chart per figure: the site score
    (0–100), the accessibility findings on the legal baseline and the broken links."""
    runs = [h for h in history if h.get("status") == "complete"][-20:]
    if not runs:
        return None
    charts = []
    for key, maximum in TREND_SERIES:
        chart = line_chart([(h["id"], h.get(key)) for h in runs], maximum)
        if chart:
            charts.append({"key": key, **chart})
    return {"rows": list(reversed(runs)), "charts": charts}


def task_trends(history: list[dict]) -> dict[str, dict]:
    """A small chart of each top task's score over the last complete runs, by task id."""
    runs = [h for h in history if h.get("status") == "complete"][-20:]
    ids = {task for h in runs for task in h.get("tasks") or {}}
    charts = {task: line_chart([(h["id"], (h.get("tasks") or {}).get(task)) for h in runs],
                               100, width=160, height=48, pad=6) for task in ids}
    return {task: chart for task, chart in charts.items() if chart}


def build(results: dict, history: list[dict] | None, lang: str) -> dict:
    """Everything the templates show, computed once."""
    access = accessibility(results, lang)
    view = {
        "scores": scores(results),
        "trend": trend(history or []),
        "task_trends": task_trends(history or []),
        "template_findings": [{**f, "title": explanation(f["rule"], f, lang)}
                              for f in results.get("template_findings") or []],
        "accessibility": access,
        "page_details": page_details(results, lang),
        "page_list": paged("paginas", page_list(results)),
        "broken_links": broken_links(results),
        "orphans": results.get("orphans"),
        "orphan_list": section("orphans", results.get("orphans") or [], "links.html",
                               "verweesd", "weespagina", "links"),
        "sitemap_errors": results.get("sitemap_errors"),
        "sitemap_list": section("sitemap_errors", results.get("sitemap_errors") or [],
                                "links.html", "sitemap", "sitemapfout", "links"),
        "redirects": results.get("redirects"),
        "forms": forms(results),
        "documents": documents(results),
        "privacy": privacy(results, lang),
        "tasks": tasks(results),
        "letters": letters(results),
        "readability": readability(results),
        "changes": changes(results),
        "evidence": view_evidence.evidence(results, history or [], lang),
        "checks": checks(results, lang),
        "kcc": "kcc" in results,
        "kcc_lists": kcc_lists(results),
    }
    pages = results.get("pages") or []
    view["headline"] = {
        "pages": len(pages),
        "pages_with_findings": access["counts"]["pages_with_findings"] if access else 0,
        "pages_with_22_findings": access["counts"]["pages_with_22_findings"] if access else 0,
        "review_pages": access["counts"]["review_pages"] if access else 0,
        "broken_links": len(results.get("broken_links") or []),
        "orphans": sum(1 for o in results.get("orphans") or [] if o.get("kind") == "page"),
        "forms": len(results.get("forms") or []),
    }
    view["attention"] = attention(results, access)
    view["score_parts"] = score_parts(results)
    view["not_measured"] = [key for key in (results.get("score") or {}).get("not_measured") or []
                            if key in SCORE_KEYS]
    # the links page in files of GROUPS_PER_FILE broken targets
    view["link_parts"] = paged("links", view["broken_links"] or [], GROUPS_PER_FILE)
    view["nav"] = navigation(view)
    return view


def navigation(view: dict) -> list[dict]:
    """The report's pages that have something to show, in reading order."""
    pages = [("index.html", "overview", True),
             ("toptaken.html", "tasks", view["tasks"] is not None or view["letters"] is not None),
             ("leesbaarheid.html", "readability", view["readability"] is not None),
             ("toegankelijkheid.html", "accessibility", view["accessibility"] is not None),
             ("paginas.html", "by_page", True),
             ("links.html", "links", view["broken_links"] is not None or
              view["orphans"] is not None or view["sitemap_errors"] is not None),
             ("formulieren.html", "forms", view["forms"] is not None),
             ("documenten.html", "documents", view["documents"] is not None),
             ("privacy.html", "privacy", view["privacy"] is not None),
             ("wijzigingen.html", "changes", view["changes"] is not None),
             ("kcc.html", "kcc", view["kcc"]),
             ("verantwoording.html", "evidence", True)]
    return [{"file": file, "key": key} for file, key, shown in pages if shown]
