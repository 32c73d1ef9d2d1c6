"""Page titled (WCAG 2.4.2) over the site: pages without a title, and one title on pages
with different content (different content hash), so a reader cannot tell them apart in
tabs, bookmarks and search results. Whether a title describes its page, a person judges.
"""

from __future__ import annotations

ID = "page-title-unique"
WCAG = ["2.4.2"]


def judge(pages: list[dict], facts: dict[str, dict]) -> dict:
    untitled = sorted(p["url"] for p in pages if not (p.get("title") or "").strip())
    by_title: dict[str, dict[str, list[str]]] = {}
    for page in pages:
        title = " ".join((page.get("title") or "").split())
        if title:
            content = page.get("content_hash") or page["url"]
            by_title.setdefault(title.casefold(), {}).setdefault(content, []).append(page["url"])
    groups = [{"title": title, "pages": sorted(u for urls in contents.values() for u in urls)}
              for title, contents in sorted(by_title.items()) if len(contents) > 1]
    if not pages:
        return {"outcome": "inapplicable", "note": "no audited pages"}
    concerned = sorted({*untitled, *(u for g in groups for u in g["pages"])})
    if concerned:
        return {"outcome": "failed", "pages": concerned, "groups": groups, "untitled": untitled,
                "note": f"{len(untitled)} pages without a title, {len(groups)} titles shared by "
                        "pages with different content"}
    return {"outcome": "passed", "note": f"{len(pages)} pages, each with its own title"}
