"""Deviations: what the municipality wrote down per failing criterion, beside what we found.

Status B of the statement needs, for every criterion the site fails, its cause, its
effect, the measure taken and a target date (config ``[[deviation]]``). This analysis
puts each deviation beside tonight's findings, flags a target date that has passed,
and lists the failing criteria (legal baseline) that have no deviation yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from audits.statement import run_day
from core import wcag
from core.config import Deviation

if TYPE_CHECKING:
    from audits.gathered import Gathered

FIELDS = ("cause", "effect", "measure", "target_date")


def deviations(items: list[Deviation], failing: list[str], today: date) -> dict:
    """Each deviation with its state; the failing criteria without one."""
    described = {d.criterion for d in items}
    rows = []
    for deviation in sorted(items, key=lambda d: wcag.sort_key(d.criterion)):
        target = date.fromisoformat(deviation.target_date) if deviation.target_date else None
        rows.append({
            "criterion": deviation.criterion, "cause": deviation.cause,
            "effect": deviation.effect, "measure": deviation.measure,
            "target_date": deviation.target_date,
            "overdue": bool(target and target < today),
            "missing_fields": [f for f in FIELDS if not getattr(deviation, f)],
            "still_failing": deviation.criterion in failing,
            "only_in_22": wcag.only_in_22(deviation.criterion),
        })
    return {"items": rows,
            "without_deviation": [n for n in failing if n not in described],
            "overdue": sum(1 for row in rows if row["overdue"]),
            "incomplete": sum(1 for row in rows if row["missing_fields"])}


def deviations_section(gathered: Gathered, results: Mapping) -> dict:
    """The results section ``deviations`` (reads ``evidence`` and ``run``)."""
    return deviations(gathered.config.deviations, results["evidence"]["failing"],
                      run_day(results["run"]))
