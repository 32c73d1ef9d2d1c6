"""Crawl-trap guards: URLs a crawler could follow forever (endless calendars, ever-deeper paths).

Max pages and max depth bound every crawl; these guards stop a trap long before those
bounds are used up, so the rest of the site still gets its turn. A URL that trips a guard
is recorded as skipped ("crawl-trap"), not crawled.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2000


class TrapGuard:
    """Remembers the URLs it was asked about and says which ones look like a trap."""

    def __init__(self, max_query_variants: int = 100, max_segment_repeats: int = 3):
        self.max_query_variants = max_query_variants
        self.max_segment_repeats = max_segment_repeats
        self.variants: dict[str, set[str]] = {}

    def reason(self, url: str) -> str | None:
        """Why following ``url`` would be a trap, or None when it is fine."""
        if len(url) > MAX_URL_LENGTH:
            return "url-too-long"
        parts = urlsplit(url)
        segments = [s for s in parts.path.split("/") if s]
        if segments and max(Counter(segments).values()) > self.max_segment_repeats:
            return "repeating-path"
        if parts.query:
            seen = self.variants.setdefault(f"{parts.netloc}{parts.path}", set())
            if parts.query not in seen and len(seen) >= self.max_query_variants:
                return "query-variants"
            seen.add(parts.query)
        return None
