"""When a finished run should make cron or CI fail (exit code 1)."""

from __future__ import annotations


def threshold_problems(results: dict, fail_under: float | None, fail_on_new: bool) -> list[str]:
    """One line per crossed threshold; empty when the run passes."""
    problems = []
    score = (results.get("score") or {}).get("site")
    if fail_under is not None and score is not None and score < fail_under:
        problems.append(f"sitescore {score:.1f} is lager dan {fail_under:g}")
    if fail_on_new:
        # Per finding, not per count: a fix elsewhere does not hide a new problem.
        changes = results.get("changes") or {}
        new_violations = changes.get("new_violations") or []
        new_links = changes.get("new_broken_links") or []
        if new_violations:
            first = new_violations[0]
            problems.append(f"{len(new_violations)} nieuwe toegankelijkheidsfout(en), "
                            f"bijvoorbeeld {first['rule']} op {first['url']}")
        if new_links:
            first = new_links[0]
            problems.append(f"{len(new_links)} nieuwe kapotte link(s), bijvoorbeeld "
                            f"{first['target']} op {first['source']}")
    return problems
