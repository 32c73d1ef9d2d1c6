"""The contact-centre (KCC) digest: the few changes that make citizens call, in short lists."""

from __future__ import annotations

from collections.abc import Mapping


def broken_forms(forms: list[dict]) -> list[dict]:
    """Forms whose action does not work, or that no page links to."""
    return [f for f in forms if f.get("action_broken") or f.get("orphan")]


def digest(results: Mapping) -> dict:
    """The ``kcc`` section, read from ``changes``, ``forms`` and ``letters`` of the same run."""
    changes = results.get("changes") or {}
    lists = {
        "new_pages": changes.get("new_pages") or [],
        "removed_pages": changes.get("removed_pages") or [],
        "new_forms": changes.get("new_forms") or [],
        "changed_forms": changes.get("changed_forms") or [],
        "removed_forms": changes.get("removed_forms") or [],
        "broken_forms": broken_forms(results.get("forms") or []),
        "tasks_broken": changes.get("tasks_broken") or [],
        "tasks_recovered": changes.get("tasks_recovered") or [],
        "changed_task_pages": changes.get("changed_task_pages") or [],
        "letters_broken": changes.get("letters_broken") or [],
        "letters_recovered": changes.get("letters_recovered") or [],
        "new_third_parties": changes.get("new_third_parties") or [],
        "statement_changed": changes.get("statement_changed") or [],
    }
    return {"previous_run": changes.get("previous_run"),
            "counts": {key: len(items) for key, items in lists.items()},
            "quiet": not any(lists.values()), **lists}


def kcc_section(gathered: object, results: Mapping) -> dict:
    """The results section ``kcc`` (reads ``changes`` and ``forms``)."""
    return digest(results)
