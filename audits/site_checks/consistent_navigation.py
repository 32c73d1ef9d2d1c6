"""Consistent navigation (WCAG 3.2.3): the links of the main navigation, repeated on many
pages, come in the same relative order each time.

The main navigation is the page's ``nav`` with the most links outside ``main`` and the
footer (audits/checks/site_facts.js). The most common link order is the reference; a page
whose shared links come in another order fails. Links added or left out do not count.
"""

from __future__ import annotations

from collections import Counter

ID = "consistent-navigation"
WCAG = ["3.2.3"]


def judge(pages: list[dict], facts: dict[str, dict]) -> dict:
    orders = {}
    for page in pages:
        nav = (facts.get(page["url"], {}).get("structure") or {}).get("nav")
        if nav:
            orders[page["url"]] = [href for href, _ in nav]
    if len(orders) < 2:
        return {"outcome": "inapplicable",
                "note": "no main navigation repeated on two or more pages"}
    reference = Counter(tuple(o) for o in orders.values()).most_common(1)[0][0]
    place = {href: index for index, href in enumerate(reference)}
    differ = []
    for url, order in sorted(orders.items()):
        shared = [href for href in dict.fromkeys(order) if href in place]
        if shared != sorted(shared, key=place.__getitem__):
            differ.append(url)
    if differ:
        return {"outcome": "failed", "pages": differ,
                "groups": [{"reference": list(reference),
                            "pages": [{"url": u, "order": orders[u]} for u in differ[:20]]}],
                "note": f"{len(differ)} of {len(orders)} pages show the main navigation's "
                        "links in another order"}
    return {"outcome": "passed",
            "note": f"the main navigation keeps its order on {len(orders)} pages"}
