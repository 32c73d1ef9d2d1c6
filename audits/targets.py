"""What became of a URL in this run: crawled or checked, through its redirects, to an answer."""

from __future__ import annotations

from dataclasses import dataclass

from audits.crawldata import CrawlData

# Answers that say nothing about the target itself: the server was busy (429, or the
# crawl's "busy" mark), the URL was skipped as a crawl trap, or it was too large to fetch.
NO_VERDICT_ERRORS = {"busy", "crawl-trap", "too-large", "robots"}
NO_VERDICT_STATUS = {429}


@dataclass(frozen=True)
class Outcome:
    final_url: str
    status: int | None          # status of the last answer (None: no answer at all)
    reason: str | None          # None when it works; else http | dns | connection | timeout |
                                # redirect-loop | another fetch error
    content_type: str | None
    redirects: int

    @property
    def ok(self) -> bool:
        return self.reason is None


def outcome(crawl: CrawlData, url: str) -> Outcome | None:
    """Follow the URL's recorded redirects to its final answer; None when that is unknown.

    Unknown means the URL (or a step of its chain) was never requested (robots.txt, the
    crawl's bounds) or its answer says nothing about it (busy server). Unknown is not broken.
    An endless chain (a loop, or more redirects than a browser follows) is a redirect-loop.
    """
    walk = crawl.walk(url)
    if any(row is None or row.get("fetch_error") in NO_VERDICT_ERRORS
           or row.get("status") in NO_VERDICT_STATUS for row in walk.rows):
        return None
    row = walk.last
    if walk.endless:
        return Outcome(walk.chain[-1], row.get("status"), "redirect-loop", None, walk.redirects)
    status, error = row.get("status"), row.get("fetch_error")
    reason = error or ("http" if status is not None and status >= 400 else None)
    return Outcome(walk.chain[-1], status, reason, row.get("content_type"), walk.redirects)
