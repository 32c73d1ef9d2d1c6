"""What counts as a web page: one rule for "is this HTML", used by every layer."""

from __future__ import annotations


def is_html_type(content_type: str | None) -> bool:
    """An HTML (or XHTML) content type; a missing one is not taken for HTML here."""
    return "html" in (content_type or "").lower()


def is_html_page(page: dict) -> bool:
    """A page row or entry that answered 200 with HTML: a page a resident can read."""
    return page.get("status") == 200 and is_html_type(page.get("content_type"))
