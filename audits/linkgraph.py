"""Click depth and the shortest click path, from the crawl's link graph.

A link to a URL that redirects counts as a link to where the redirect lands. Every start
URL is a root (depth 0); only what a visitor follows counts as a click: links, frames and
refreshes, not images, stylesheets or scripts.

Sized for 100,000 pages: the graph is built in one pass over the links as arrays of page
numbers (a few bytes a link), and each page keeps only the link it was first reached by;
a path is put together when it is asked for.
"""

from __future__ import annotations

from array import array
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from audits.crawldata import CrawlData

CLICK_KINDS = {None, "link", "frame", "refresh"}
UNSEEN, ROOT = -2, -1      # a page's parent: not reached, or a start page


@dataclass(frozen=True)
class Step:
    url: str
    text: str       # the link text clicked to get here ("" for the start page)


class ClickPaths(Mapping[str, list[Step]]):
    """The shortest click path of every reachable page (url -> its steps from a start
    page), in the order the pages were reached."""

    def __init__(self, urls: list[str], ids: dict[str, int], parent: array, text: array,
                 texts: list[str | None], order: array) -> None:
        self.urls, self.ids, self.parent, self.text = urls, ids, parent, text
        self.texts, self.order = texts, order

    def __getitem__(self, url: str) -> list[Step]:
        node = self.ids.get(url)
        if node is None or self.parent[node] == UNSEEN:
            raise KeyError(url)
        steps = []
        while self.parent[node] != ROOT:
            steps.append(Step(self.urls[node], self.texts[self.text[node]]))
            node = self.parent[node]
        steps.append(Step(self.urls[node], ""))
        return steps[::-1]

    def __contains__(self, url: object) -> bool:
        node = self.ids.get(url)    # type: ignore[call-overload]
        return node is not None and self.parent[node] != UNSEEN

    def __iter__(self) -> Iterator[str]:
        return (self.urls[node] for node in self.order)

    def __len__(self) -> int:
        return len(self.order)

    def depth(self, url: str) -> int:
        """Clicks from the nearest start page."""
        node, clicks = self.ids[url], 0
        while self.parent[node] != ROOT:
            node, clicks = self.parent[node], clicks + 1
        return clicks


def shortest_paths(crawl: CrawlData) -> ClickPaths:
    """For every page reachable by links from a start URL, the shortest click path from the
    nearest start URL (breadth first from all start URLs at once)."""
    return crawl.derived("click_paths", lambda: _breadth_first(crawl))


def _breadth_first(crawl: CrawlData) -> ClickPaths:
    starts: list[str] = []
    for start_url in crawl.start_urls:
        start = crawl.final_url(start_url)
        if start is not None and start not in starts:
            starts.append(start)
    urls = list(crawl.pages)
    ids = {url: number for number, url in enumerate(urls)}
    for start in starts:
        if start not in ids:        # never crawled: a root without links
            ids[start] = len(urls)
            urls.append(start)
    parent, text, order = array("i", [UNSEEN]) * len(urls), array("i", [0]) * len(urls), \
        array("i")
    texts: list[str | None] = []
    if not starts:
        return ClickPaths(urls, ids, parent, text, texts, order)
    first, last, targets, link_texts = _graph(crawl, ids, texts)
    queue = deque()
    for start in starts:
        parent[ids[start]] = ROOT
        queue.append(ids[start])
    while queue:
        node = queue.popleft()
        order.append(node)
        for edge in range(first[node], last[node]):
            target = targets[edge]
            if parent[target] == UNSEEN:
                parent[target], text[target] = node, link_texts[edge]
                queue.append(target)
    return ClickPaths(urls, ids, parent, text, texts, order)


def _graph(crawl: CrawlData, ids: dict[str, int], texts: list[str | None]
           ) -> tuple[array, array, array, array]:
    """The click links as arrays: for page number n its links are ``first[n]`` up to
    ``last[n]`` in ``targets`` (the page they land on) and ``link_texts`` (an index into
    ``texts``), in page order. Links to what is no crawled page are left out."""
    sources, targets, link_texts = array("i"), array("i"), array("i")
    lands: dict[str, int] = {}      # link target -> the page number it lands on, -1: none
    text_ids: dict[str | None, int] = {}
    for link in crawl.links:
        if link.get("kind") not in CLICK_KINDS or link.get("malformed"):
            continue
        source = ids.get(link["source"])
        if source is None:
            continue
        target = lands.get(link["target"])
        if target is None:
            final = crawl.final_url(link["target"])
            target = ids[final] if final is not None and final in crawl.pages else -1
            lands[link["target"]] = target
        if target < 0 or target == source:
            continue
        if link["text"] not in text_ids:
            text_ids[link["text"]] = len(texts)
            texts.append(link["text"])
        sources.append(source)
        targets.append(target)
        link_texts.append(text_ids[link["text"]])
    del lands
    size = len(ids)
    first, last = array("i", [0]) * size, array("i", [0]) * size
    grouped, previous = True, -1
    for edge, source in enumerate(sources):
        if source != previous:
            if last[source]:        # its links came in two runs: sort them by page below
                grouped = False
                break
            first[source], previous = edge, source
        last[source] = edge + 1
    if grouped:
        return first, last, targets, link_texts
    return _by_source(sources, targets, link_texts, size)


def _by_source(sources: array, targets: array, link_texts: array,
               size: int) -> tuple[array, array, array, array]:
    """The links ordered by page (stable), for a store that gave a page's links in two runs."""
    count = array("i", [0]) * size
    for source in sources:
        count[source] += 1
    first, last = array("i", [0]) * size, array("i", [0]) * size
    total = 0
    for node in range(size):
        first[node] = last[node] = total
        total += count[node]
    ordered, ordered_texts = array("i", [0]) * total, array("i", [0]) * total
    for edge, source in enumerate(sources):
        ordered[last[source]], ordered_texts[last[source]] = targets[edge], link_texts[edge]
        last[source] += 1
    return first, last, ordered, ordered_texts


def click_depths(crawl: CrawlData) -> dict[str, int]:
    """Click depth of each page reachable from a start page (0 for each start page)."""
    paths = shortest_paths(crawl)
    return {url: paths.depth(url) for url in paths}
