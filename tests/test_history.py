"""The night's figures are stored as columns when a run ends and read back for the trend."""

from __future__ import annotations

import json

from core import store
from nachtwacht import history
from reports import charts
from reports.view import task_trends, trend


def results(violations: list[list[str]], broken: int, tasks: dict[str, float]) -> dict:
    return {"pages": [{"url": "http://a.nl/", "violations": [{"rule": f"r{i}", "wcag": wcag}
                                                              for i, wcag in enumerate(violations)]}],
            "broken_links": [{"source": "s", "target": f"t{i}"} for i in range(broken)],
            "forms": [], "changes": {"new_violations": [{"url": "u", "rule": "r0"}]},
            "tasks": [{"id": task, "name": task, "score": score, "found": True}
                      for task, score in tasks.items()]}


def test_figures_keep_wcag22_only_findings_apart():
    figures = history.figures(results([["1.1.1"], ["2.5.8"], ["1.4.3", "2.5.8"]], 2, {}))
    assert figures["violations"] == 2          # 2.5.8 alone is WCAG 2.2 only
    assert figures["violations_wcag22"] == 1
    assert figures["broken_links"] == 2 and figures["new_violations"] == 1


def test_history_reads_the_stored_figures_and_task_scores(tmp_path):
    db = store.open_db(tmp_path / "nachtwacht.db")
    for night, (found, broken) in enumerate([(3, 4), (2, 1)], start=1):
        run_id = store.start_run(db, "Stad", "http://a.nl/", {}, "0")
        store.finish_run(db, run_id, "complete", score_site=50.0 + night)
        history.record(db, run_id, results([["1.1.1"]] * found, broken,
                                           {"paspoort": 60.0 + night}))
    rows = history.load_history(tmp_path / "nachtwacht.db", "Stad", None)
    assert [(r["violations"], r["broken_links"], r["tasks"]) for r in rows] == [
        (3, 4, {"paspoort": 61.0}), (2, 1, {"paspoort": 62.0})]
    view = trend(rows)
    assert [c["key"] for c in view["charts"]] == ["score", "violations", "broken_links"]
    assert task_trends(rows)["paspoort"]["last"] == 62.0


def test_an_older_database_gets_its_figures_once_from_the_stored_results(tmp_path):
    db = store.open_db(tmp_path / "nachtwacht.db")
    run_id = store.start_run(db, "Stad", "http://a.nl/", {}, "0")
    store.finish_run(db, run_id, "complete", results=json.dumps(results([["1.1.1"]], 5, {})))
    [row] = history.history_rows(db)
    assert row["broken_links"] == 5
    assert db["runs"].get(run_id)["broken_links"] == 5


def test_a_count_axis_ends_on_a_round_number():
    assert [charts.nice_maximum(v) for v in (0, 7, 23, 180, 1000)] == [1, 10, 25, 200, 1000]
    chart = charts.line_chart([(1, 0), (2, 23)])
    assert [g["value"] for g in chart["grid"]] == [0, 12.5, 25]
    assert chart["points"][1]["y"] < chart["points"][0]["y"]     # higher value, higher up
    assert charts.line_chart([(1, 5)]) is None                    # one night is no line
