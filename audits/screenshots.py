"""The results section ``screenshots``: the pictures the browser visit took of violations
(audits/checks/screenshot.py), per page, rule and element."""

from __future__ import annotations


def screenshots(facts: dict[str, dict]) -> list[dict]:
    """Every picture of the run: {url, rule, target, file}, in a stable order."""
    return sorted(({"url": url, **shot} for url, page in facts.items()
                   for shot in page.get("screenshots") or []),
                  key=lambda shot: (shot["url"], shot["rule"], shot["target"]))
