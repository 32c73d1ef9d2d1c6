"""Click depth and the shortest click path, from the crawl's link graph.

A link to a URL that redirects counts as a link to where the redirect lands. Every start
URL is a root (depth 0); only what a visitor follows counts as a click: links, frames and
refreshes, not images, stylesheets or scripts.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from audits.crawldata import CrawlData

CLICK_KINDS = {None, "link", "frame", "refresh"}


@dataclass(frozen=True)
class Step:
    url: str
    text: str       # the link text clicked to get here ("" for the start page)


def shortest_paths(crawl: CrawlData) -> dict[str, list[Step]]:
    """For every page reachable by links from a start URL, the shortest click path from the
    nearest start URL (breadth first from all start URLs at once)."""
    paths: dict[str, list[Step]] = {}
    for start_url in crawl.start_urls:
        start = crawl.final_url(start_url)
        if start is not None and start not in paths:
            paths[start] = [Step(start, "")]
    if not paths:
        return {}
    outgoing: dict[str, list[dict]] = {}
    for link in crawl.links:
        if link.get("kind") in CLICK_KINDS and not link.get("malformed"):
            outgoing.setdefault(link["source"], []).append(link)
    queue = deque(paths)
    while queue:
        url = queue.popleft()
        for link in outgoing.get(url, []):
            target = crawl.final_url(link["target"])
            if target is None or target in paths or target not in crawl.pages:
                continue
            paths[target] = paths[url] + [Step(target, link["text"])]
            queue.append(target)
    return paths


def click_depths(crawl: CrawlData) -> dict[str, int]:
    """Click depth of each page reachable from a start page (0 for each start page)."""
    return {url: len(path) - 1 for url, path in shortest_paths(crawl).items()}
