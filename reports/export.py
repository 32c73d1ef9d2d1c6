"""``nachtwacht export``: the results of one run as JSON, CSV files or EARL JSON-LD."""

from __future__ import annotations

import json
from pathlib import Path

from audits.earl import earl
from reports.export_csv import write_csv

FORMATS = ("json", "csv", "earl")


def write_json(document: dict, path: Path) -> Path:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)
    return path


def export(results: dict, out: Path, kind: str) -> list[Path]:
    """Write one export of ``results`` into ``out``; returns the files written."""
    run_id = results["run"]["id"]
    if kind == "json":
        return [write_json(results, out / f"results-{run_id}.json")]
    if kind == "csv":
        return write_csv(results, out / f"csv-{run_id}")
    if kind == "earl":
        return [write_json(earl(results), out / f"earl-{run_id}.jsonld")]
    raise ValueError(f"unknown export format {kind!r}")
