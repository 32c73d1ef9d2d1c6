"""The evidence page's view model (verantwoording.html): for the toegankelijkheidsverklaring.

Shapes the results' ``evidence``, ``deviations`` and ``statement`` sections for the
page: the criteria of the legal baseline (WCAG 2.1 A/AA, EN 301 549) and WCAG 2.2's new
ones apart, each with what axe, our own checks and the documents found, its deviation
beside it; the block for the invulassistent; the statement's own state.
"""

from __future__ import annotations

from datetime import date, datetime

from core import wcag
from core.pages import is_html_type

SOURCES = ("axe", "checks", "documents")


def day(value: str | None) -> dict | None:
    """An ISO date (or time) as parts the template writes in words: 1 februari 2026."""
    try:
        moment = date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
    return {"day": moment.day, "month": moment.month, "year": moment.year} if moment else None


def duration(started: str | None, finished: str | None) -> int | None:
    """Minutes between two ISO times (at least 1), or None when unknown."""
    try:
        seconds = (datetime.fromisoformat(finished) - datetime.fromisoformat(started)).total_seconds()
    except (TypeError, ValueError):
        return None
    return max(1, round(seconds / 60))


def criterion_row(entry: dict, deviation: dict | None, lang: str) -> dict:
    """One row of the criteria table: the criterion, its outcome, each source, its deviation."""
    criterion = wcag.criteria()[entry["number"]]
    sources = {key: {**entry[key], "found": bool(entry[key]["failed"] or entry[key]["cant_tell"])}
               for key in SOURCES}
    return {**entry, **sources, "name": criterion.get(lang) or criterion["en"],
            "removed_in": criterion.get("removed_in"), "deviation": deviation,
            "anchor": "sc-" + entry["number"].replace(".", "-")}


def statement_view(statement: dict | None) -> dict | None:
    if statement is None:
        return None
    return {**statement, "updated_day": day(statement.get("updated")),
            "research_day": day(statement.get("research_date")),
            "broken_reports": [link for link in statement.get("report_links") or []
                               if not link["ok"]],
            "broken_contacts": [link for link in statement.get("contact_links") or []
                                if not link["ok"]],
            "bad_emails": [e for e in statement.get("emails") or [] if not e["ok"]]}


def evidence(results: dict, history: list[dict], lang: str) -> dict:
    """Everything the evidence page (and the overview's statement line) shows."""
    found = results.get("evidence") or {"criteria": [], "scope": None, "measured": {}}
    outcomes = found.get("outcomes") or []
    deviations = results.get("deviations")
    if deviations:
        deviations = {**deviations, "items": [{**d, "target_day": day(d.get("target_date"))}
                                              for d in deviations["items"]]}
    by_criterion = {d["criterion"]: d for d in (deviations or {}).get("items") or []}
    rows = [criterion_row(entry, by_criterion.get(entry["number"]), lang)
            for entry in found["criteria"]]
    baseline = [row for row in rows if not row["only_in_22"]]
    coming = [row for row in rows if row["only_in_22"]]
    run = results.get("run") or {}
    pages = results.get("pages") or []
    return {
        "criteria": baseline, "criteria_22": coming, "outcomes": outcomes,
        "tally": {o: sum(1 for row in baseline if row["outcome"] == o) for o in outcomes},
        "failing": [row for row in baseline if row["outcome"] == "failed"],
        "failing_22": [row for row in coming if row["outcome"] == "failed"],
        "scope": found.get("scope"), "deviations": deviations,
        "without_deviation": [row for row in baseline
                              if row["number"] in (deviations or {}).get("without_deviation", [])],
        "statement": statement_view(results.get("statement")),
        "date": day(run.get("finished") or run.get("started")),
        "audited": sum(1 for p in pages if p.get("audited")),
        "not_audited": sum(1 for p in pages if p.get("audited") is False),
        "html_pages": sum(1 for p in pages if is_html_type(p.get("content_type"))),
        "duration": duration(run.get("started"), run.get("finished")),
        "checks_measured": bool((found.get("measured") or {}).get("checks")),
        "documents_measured": bool((found.get("measured") or {}).get("documents")),
        "runs": len([h for h in history if h.get("status") == "complete"]),
    }
