"""What became of a URL in this run: crawled or checked, through its redirects, to an answer."""

from __future__ import annotations

from dataclasses import dataclass

from audits.crawldata import CrawlData

MAX_REDIRECTS = 20
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


def answer(crawl: CrawlData, url: str) -> dict | None:
    """The recorded answer for one URL: the crawled page, else the check; None if never asked."""
    return crawl.pages.get(url) or crawl.checks.get(url)


def outcome(crawl: CrawlData, url: str) -> Outcome | None:
    """Follow the URL's recorded redirects to its final answer; None when that is unknown.

    Unknown means the URL (or a step of its chain) was never requested (robots.txt, the
    crawl's bounds) or its answer says nothing about it (busy server). Unknown is not broken.
    """
    seen: list[str] = []
    while True:
        row = answer(crawl, url)
        if row is None or row.get("fetch_error") in NO_VERDICT_ERRORS \
                or row.get("status") in NO_VERDICT_STATUS:
            return None
        if url in seen or len(seen) > MAX_REDIRECTS:
            return Outcome(url, row.get("status"), "redirect-loop", None, len(seen))
        if not row.get("location"):
            break
        seen.append(url)
        url = row["location"]
    status, error = row.get("status"), row.get("fetch_error")
    reason = error or ("http" if status is not None and status >= 400 else None)
    return Outcome(url, status, reason, row.get("content_type"), len(seen))
