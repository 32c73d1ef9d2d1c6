"""The view model of the report's Privacy page: the results' ``privacy`` section, grouped to show.

Third parties by category (in the order of audits.privacy.CATEGORIES), the top-task pages
first, each party's description in the report's language. Nothing is judged here.
"""

from __future__ import annotations

from reports.paging import section

CATEGORIES = ("analytics", "advertising", "social", "embed", "font", "cdn", "other")


def privacy(results: dict, lang: str) -> dict | None:
    """Everything privacy.html shows, or None when the run did not measure privacy."""
    found = results.get("privacy")
    if not found:
        return None
    parties = [{**party, "about_text": (party.get("about") or {}).get(lang),
                "more_pages": max(0, party["pages"] - len(party.get("task_pages") or [])
                                  - len(party.get("example_pages") or []))}
               for party in found.get("third_parties") or []]
    categories = [{"category": category, "parties": members, "count": len(members)}
                  for category in CATEGORIES
                  if (members := [p for p in parties if p["category"] == category])]
    pages = found.get("pages") or []
    with_parties = [p for p in pages if p["hosts"] or any(c["third_party"] for c in p["cookies"])]
    task_pages = [p for p in with_parties if p.get("task")]
    return {
        "summary": found.get("summary") or {},
        "categories": categories,
        "task_pages": _list("privacy_tasks", [_page_row(p) for p in task_pages],
                            "privacy-tasks", "privacy-toptaakpaginas"),
        "pages": _list("privacy_pages", [_page_row(p) for p in with_parties],
                       "privacy-pages", "privacy-paginas"),
        "forms": _list("privacy_forms", found.get("forms") or [], "privacy-forms",
                       "privacy-formulieren"),
        "not_recorded": _list("privacy_errors", [p for p in pages if p.get("error")],
                              "privacy-errors", "privacy-niet-gemeten"),
    }


def _list(kind: str, rows: list, anchor: str, base: str) -> dict:
    """One list of the privacy page, paged from its section of privacy.html on."""
    return section(kind, rows, "privacy.html", anchor, base, "privacy")


def _page_row(page: dict) -> dict:
    third = [c for c in page["cookies"] if c["third_party"]]
    return {"url": page["url"], "task": page.get("task"), "hosts": page["hosts"],
            "blocked_hosts": page.get("blocked_hosts") or [],
            "cookies": third, "own_cookies": [c for c in page["cookies"] if not c["third_party"]],
            "storage_keys": page.get("storage_keys") or [],
            "hosts_left_out": page.get("hosts_left_out") or 0}
