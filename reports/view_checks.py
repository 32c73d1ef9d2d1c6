"""The view model of the checks beyond axe: the results' ``pages[].checks`` and
``site_checks`` grouped by check (failed, WCAG 2.2-only failed, cant_tell apart) and by page,
with their texts. Nothing is judged here: outcomes come as the results have them.
"""

from __future__ import annotations

from core import wcag
from reports.paging import file_safe, section

SHOWN_PAGES = 20     # pages listed per check on the accessibility page; the rest on its own pages
SHOWN_ELEMENTS = 5   # elements shown per page


def _entry(check: dict) -> dict:
    return {"check": check["check"], "wcag": check.get("wcag") or [],
            "wcag22_only": bool(check.get("wcag22_only")), "heuristic": bool(check.get("heuristic")),
            "pages": [], "page_count": 0}


def checks(results: dict, lang: str) -> dict | None:
    """Everything the reports show of the checks beyond axe, or None when none ran."""
    from reports.view import page_file  # here: reports.view imports this module
    pages = results.get("pages") or []
    site = results.get("site_checks")
    if not any(p.get("checks") for p in pages) and not site:
        return None
    groups: dict[tuple[str, str], dict] = {}
    by_page: dict[str, list[dict]] = {}
    for page in pages:
        for check in page.get("checks") or []:
            if check["outcome"] not in ("failed", "cant_tell"):
                continue
            group = groups.setdefault((check["outcome"], check["check"]), _entry(check))
            group["page_count"] += 1
            item = {"url": page["url"], "title": page.get("title"), "file": page_file(page["url"]),
                    "elements": (check.get("elements") or [])[:SHOWN_ELEMENTS],
                    "inherited_from": check.get("inherited_from"), "note": check.get("note")}
            group["pages"].append(item)
            by_page.setdefault(page["url"], []).append(
                {**_entry(check), "outcome": check["outcome"], **item})
    order = sorted(groups.items(), key=lambda kv: (_first(kv[1]["wcag"]), kv[0][1]))
    for (outcome, check), group in order:
        group["list"] = _pages("check_pages", group["pages"], outcome, check)
    failed = [g for (outcome, _), g in order if outcome == "failed"]
    site_checks = [{**s, "page_count": len(s.get("pages") or []),
                    "list": _pages("site_check_pages",
                                   [{"url": u, "file": page_file(u)} for u in s.get("pages") or []],
                                   s["outcome"], s["check"])}
                   for s in site or [] if s["outcome"] in ("failed", "cant_tell")]
    site_failed = [s for s in site_checks if s["outcome"] == "failed"]
    return {
        "failed": [g for g in failed if not g["wcag22_only"]],
        "failed_22": [g for g in failed if g["wcag22_only"]],
        "review": [g for (outcome, _), g in order if outcome == "cant_tell"],
        "site": [s for s in site_failed if not s.get("wcag22_only")],
        "site_22": [s for s in site_failed if s.get("wcag22_only")],
        "site_review": [s for s in site_checks if s["outcome"] == "cant_tell"],
        "by_page": by_page,
        "coverage": coverage(results, lang),
    }


OUTCOME_FILES = {"failed": "fout", "cant_tell": "nakijken"}   # in the names of their files
LISTS = {"check_pages": ("check", "controle"), "site_check_pages": ("site", "sitecontrole")}


def _pages(kind: str, pages: list[dict], outcome: str, check: str) -> dict:
    """The pages of one check's outcome: SHOWN_PAGES on the accessibility page (its section
    ``#check-failed-reflow``), then paged (``controle-fout-reflow-2.html``, …)."""
    anchor, base = LISTS[kind]
    return section(kind, pages, "toegankelijkheid.html", f"{anchor}-{outcome}-{check}",
                   f"{base}-{OUTCOME_FILES[outcome]}-{file_safe(check)}", "accessibility",
                   first_size=SHOWN_PAGES, key=check)


def coverage(results: dict, lang: str) -> list[dict]:
    """Per WCAG criterion, the checks that partly test it, with what they see and miss."""
    rows: dict[str, dict] = {}
    for entry in results.get("check_coverage") or []:
        for number in entry["criteria"]:
            criterion = wcag.criteria().get(number, {})
            row = rows.setdefault(number, {"number": number,
                                           "name": criterion.get(lang) or criterion.get("en", ""),
                                           "anchor": "sc-" + number.replace(".", "-"),
                                           "wcag22_only": entry["wcag22_only"], "checks": []})
            row["checks"].append({"check": entry["check"], "heuristic": entry["heuristic"],
                                  **entry.get(lang, entry["en"])})
    return [rows[n] for n in sorted(rows, key=wcag.sort_key)]


def _first(numbers: list[str]) -> tuple:
    return wcag.sort_key(numbers[0]) if numbers else (99,)
