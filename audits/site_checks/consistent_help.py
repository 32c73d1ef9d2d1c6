"""Consistent help (WCAG 3.2.6, WCAG 2.2 only): help (contact details, a contact page, a
chat) repeated on several pages sits in the same place relative to the page each time.

Help links are recognised by their text or address (audits/site_checks/words.toml); a
page's place for help is the part of the page (header, nav, main, aside, footer) of its
first help link. Pages that put it in another part than most pages fail: an indication.
"""

from __future__ import annotations

from collections import Counter

ID = "consistent-help"
WCAG = ["3.2.6"]
HEURISTIC = True


def judge(pages: list[dict], facts: dict[str, dict]) -> dict:
    places = {}
    for page in pages:
        help_links = (facts.get(page["url"], {}).get("structure") or {}).get("help") or []
        outside = [h for h in help_links if h["region"] != "main"]
        if outside:
            places[page["url"]] = (outside[0]["href"], outside[0]["region"])
    if len(places) < 2:
        return {"outcome": "inapplicable", "note": "no help link repeated on two or more pages"}
    usual = Counter(places.values()).most_common(1)[0][0]
    differ = sorted(url for url, place in places.items() if place[0] == usual[0]
                    and place[1] != usual[1])
    if differ:
        return {"outcome": "failed", "pages": differ,
                "groups": [{"help": usual[0], "usual_place": usual[1],
                            "pages": [{"url": u, "place": places[u][1]} for u in differ[:20]]}],
                "note": f"the help link {usual[0]} is in the {usual[1]} on most pages, "
                        f"elsewhere on {len(differ)}"}
    return {"outcome": "passed", "note": f"help in the same place on {len(places)} pages"}
