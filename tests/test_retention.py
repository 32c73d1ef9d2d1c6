"""keep_nights: full detail for the last nights, the summary for ever, and a file that shrinks."""

from __future__ import annotations

import sqlite3

from core import retention, store


def night(db, site: str = "Stad") -> int:
    run_id = store.start_run(db, site, "http://a.nl/", {}, "0")
    db["pages"].insert_all({"run_id": run_id, "url": f"http://a.nl/{n}", "status": 200,
                            "title": "x" * 2000} for n in range(200))
    finding = db["findings"].insert({"run_id": run_id, "url": "http://a.nl/0", "kind": "violation",
                                     "rule": "image-alt"}).last_pk
    db["finding_elements"].insert({"finding_id": finding, "run_id": run_id, "target": "img"})
    db["task_scores"].insert({"run_id": run_id, "task": "paspoort", "score": 80.0, "found": 1})
    store.finish_run(db, run_id, "complete", score_site=70.0, results="{}")
    return run_id


def test_older_nights_keep_their_summary_and_lose_their_detail(tmp_path):
    path = tmp_path / "nachtwacht.db"
    db = store.open_db(path)
    runs = [night(db) for _ in range(4)]
    other = night(db, "Buurgemeente")          # another site's history is not touched
    db.execute("pragma wal_checkpoint(truncate)")
    before = path.stat().st_size
    assert retention.prune(db, "Stad", keep_nights=2) == runs[:2]
    db.execute("pragma wal_checkpoint(truncate)")
    assert path.stat().st_size < before * 0.75
    for run_id in runs[:2]:
        assert db.execute("select count(*) from pages where run_id = ?", [run_id]).fetchone()[0] == 0
        assert db.execute("select count(*) from finding_elements where run_id = ?",
                          [run_id]).fetchone()[0] == 0
        assert db["runs"].get(run_id)["score_site"] == 70.0       # the summary stays
        assert db["runs"].get(run_id)["results"] is None
        assert db.execute("select count(*) from task_scores where run_id = ?",
                          [run_id]).fetchone()[0] == 1
    for run_id in [*runs[2:], other]:
        assert db.execute("select count(*) from pages where run_id = ?", [run_id]).fetchone()[0] == 200
    assert retention.prune(db, "Stad", keep_nights=2) == []      # nothing more to do
    assert sqlite3.connect(path).execute("pragma integrity_check").fetchone()[0] == "ok"


def test_a_new_database_gives_space_back_without_a_full_vacuum(tmp_path):
    db = store.open_db(tmp_path / "nachtwacht.db")
    assert db.execute("pragma auto_vacuum").fetchone()[0] == retention.INCREMENTAL


def test_an_older_database_is_converted_once(tmp_path):
    path = tmp_path / "old.db"
    sqlite3.connect(path).execute("create table runs (id integer primary key)").connection.close()
    db = store.open_db(path)
    assert db.execute("pragma auto_vacuum").fetchone()[0] == 0
    for _ in range(3):
        night(db)
    retention.prune(db, "Stad", keep_nights=1)
    assert db.execute("pragma auto_vacuum").fetchone()[0] == retention.INCREMENTAL
