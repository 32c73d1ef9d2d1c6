"""Findings in the shared template: the same element (selector and HTML) failing the same
rule on many pages is one problem in the site's header, menu or footer, fixed once in the CMS.

A pure function over the page entries; the report shows these once ("in de huisstijl, op
9.812 pagina's") next to the per-page lists.
"""

from __future__ import annotations

MIN_PAGES = 3          # fewer pages than this is a coincidence, not a template
MIN_SHARE = 0.2        # and at least this share of the audited pages


def template_findings(pages: list[dict]) -> list[dict]:
    """Each (rule, element) that fails on many audited pages, the most pages first."""
    audited = [page for page in pages if page.get("audited")]
    needed = max(MIN_PAGES, round(MIN_SHARE * len(audited)))
    seen: dict[tuple[str, str, str], dict] = {}
    for page in audited:
        for finding in page.get("violations") or []:
            for element in finding.get("elements") or []:
                key = (finding["rule"], element.get("target") or "", element.get("html") or "")
                entry = seen.setdefault(key, {
                    "rule": finding["rule"], "impact": finding.get("impact"),
                    "wcag": finding.get("wcag") or [],
                    "wcag22_only": bool(finding.get("wcag22_only")),
                    "target": key[1], "html": key[2], "pages": 0, "example_pages": []})
                if not entry["example_pages"] or entry["example_pages"][-1] != page["url"]:
                    entry["pages"] += 1
                    if len(entry["example_pages"]) < 5:
                        entry["example_pages"].append(page["url"])
    shared = [entry for entry in seen.values() if entry["pages"] >= needed]
    for entry in shared:
        entry["share"] = round(entry["pages"] / len(audited), 3)
    return sorted(shared, key=lambda e: (e["wcag22_only"], -e["pages"], e["rule"], e["target"]))
