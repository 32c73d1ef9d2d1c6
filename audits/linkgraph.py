"""Click depth and the shortest click path, from the crawl's link graph.

A link to a URL that redirects counts as a link to where the redirect lands.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from audits.crawldata import CrawlData


@dataclass(frozen=True)
class Step:
    url: str
    text: str       # the link text clicked to get here ("" for the start page)


def shortest_paths(crawl: CrawlData) -> dict[str, list[Step]]:
    """For every page reachable by links from the first start URL, the shortest click path."""
    if not crawl.start_urls:
        return {}
    start = crawl.final_url(crawl.start_urls[0])
    if start is None:
        return {}
    outgoing: dict[str, list[dict]] = {}
    for link in crawl.links:
        outgoing.setdefault(link["source"], []).append(link)
    paths = {start: [Step(start, "")]}
    queue = deque([start])
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
    """Click depth of each page reachable from the start page (0 for the start page)."""
    return {url: len(path) - 1 for url, path in shortest_paths(crawl).items()}
