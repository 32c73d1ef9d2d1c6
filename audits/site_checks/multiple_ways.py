"""Multiple ways (WCAG 2.4.5): besides the links between pages, can a page be found by a
search function or a sitemap page?

A search function is a search form or field (``role=search``, ``type=search``, a GET form
whose action or field names search); a sitemap page is a link named or addressed as one
(audits/site_checks/words.toml). Other ways (a table of contents, an A–Z list named
otherwise) are not recognised: a site without either is an indication, not a verdict.
"""

from __future__ import annotations

ID = "multiple-ways"
WCAG = ["2.4.5"]
HEURISTIC = True


def judge(pages: list[dict], facts: dict[str, dict]) -> dict:
    structures = {p["url"]: (facts.get(p["url"], {}).get("structure") or {}) for p in pages}
    structures = {url: s for url, s in structures.items() if s}
    if not structures:
        return {"outcome": "inapplicable", "note": "no page facts gathered"}
    search = sorted(url for url, s in structures.items() if s.get("search"))
    sitemap = sorted({href for s in structures.values() for href in s.get("sitemap") or []})
    known = {p["url"] for p in pages}
    reachable = [href for href in sitemap if href in known]
    if search or reachable:
        ways = []
        if search:
            ways.append(f"a search function on {len(search)} of {len(structures)} pages")
        if reachable:
            ways.append(f"a sitemap page ({reachable[0]})")
        return {"outcome": "passed", "pages": reachable[:1], "note": "; ".join(ways)}
    return {"outcome": "failed", "pages": sitemap[:5],
            "note": "no search function and no reachable sitemap page found"}
