"""The form inventory: every form, where it posts, whether that works, and its unlabelled fields.

The same form on many pages (a search box in the header) is one form with a page count.
Forms are never submitted: their action was only checked with HEAD or GET.
"plain_http" flags a POST over plain HTTP from an HTTPS page or to a third party; a site
that is all HTTP (the demo on 127.0.0.1) is one problem of the site, not of every form.
"""

from __future__ import annotations

from audits.crawldata import CrawlData
from audits.targets import outcome
from core.urls import on_allowed_domain, page_key, url_scheme

# An action that refuses GET and HEAD (405) exists: it only accepts the form's POST.
ACTION_EXISTS = {405}

# Fields a visitor does not fill in.
NOT_FILLED = frozenset({"hidden", "submit", "button", "reset", "image"})


def is_search_box(form: dict) -> bool:
    """A GET form with at most one field to fill in: a search box (often in every page's
    header), not a form that asks something of the visitor."""
    filled = [f for f in form.get("field_list") or []
              if (f.get("type") or "").lower() not in NOT_FILLED]
    return form.get("method") == "get" and len(filled) <= 1


def form_identity(form: dict) -> tuple:
    """What makes two forms the same form: where and how they post, and their fields."""
    return (form["action"], form["method"],
            tuple((f["tag"], f["type"], f["name"]) for f in form["fields"]))


def action_problem(crawl: CrawlData, action: str) -> tuple[int | None, bool]:
    """The action's status and whether it is broken (error, no answer); unknown is not broken."""
    if url_scheme(action) not in ("http", "https"):     # not a URL: see broken_links
        return None, False
    result = outcome(crawl, page_key(action))
    if result is None:
        return None, False
    return result.status, not result.ok and result.status not in ACTION_EXISTS


def forms(crawl: CrawlData, page_list: list[dict], allowed_domains: list[str]) -> list[dict]:
    """One entry per distinct form, with its pages and flags, in order of first page."""
    orphan_pages = {p["url"] for p in page_list if p["orphan"]}
    # The same form on 100,000 pages (a search box in the header): its first copy and its pages.
    groups: dict[tuple, tuple[dict, set[str]]] = {}
    for form in crawl.forms:
        groups.setdefault(form_identity(form), (form, set()))[1].add(form["page"])
    inventory = []
    for form, on_pages in groups.values():
        pages = sorted(on_pages)
        status, broken = action_problem(crawl, form["action"])
        https = url_scheme(form["action"]) == "https"
        third_party = not on_allowed_domain(form["action"], allowed_domains)
        orphan = all(page in orphan_pages for page in pages)
        fields = [{"name": f["name"], "type": f["type"], "label": f.get("label"),
                   "label_source": f.get("label_source")} for f in form["fields"]]
        flags = [flag for flag, on in (
            ("action_broken", broken), ("orphan", orphan),
            ("plain_http", form["method"] == "post" and not https
             and (third_party or any(page.startswith("https:") for page in pages))),
            ("third_party", third_party)) if on]
        inventory.append({
            "page": pages[0], "pages": pages, "page_count": len(pages),
            "action": form["action"], "action_status": status, "method": form["method"],
            "https": https, "third_party": third_party, "orphan": orphan,
            "action_broken": broken, "fields": len(fields),
            "unlabelled_fields": sum(1 for f in fields if not f["label_source"]),
            "field_list": fields, "flags": flags,
        })
    return sorted(inventory, key=lambda f: (f["page"], f["action"], f["method"]))
