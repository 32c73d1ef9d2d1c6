"""keep_nights: full detail for the last nights, the summary for ever, and a file that shrinks."""

from __future__ import annotations

import sqlite3

from core import retention, store


def night(db, site: str = "Stad", title: str | None = None) -> int:
    """A night of 200 pages with a finding; each night's pages differ unless ``title`` is given."""
    run_id = store.start_run(db, site, "http://a.nl/", {}, "0")
    with db.atomic():
        for n in range(200):
            store.add_page(db, run_id, {"url": f"http://a.nl/{n}", "status": 200,
                                        "title": title or f"{run_id} " + "x" * 2000,
                                        "links": [{"target": f"http://a.nl/{n + 1}", "text": "verder"}]})
        store.add_audit(db, run_id, "http://a.nl/0", {
            "result": {"content_hash": title or str(run_id), "fingerprint": "fp", "audited": 1},
            "findings": [{"kind": "violation", "rule": "image-alt", "nodes": [{"target": "img"}]}]})
    db["task_scores"].insert({"run_id": run_id, "task": "paspoort", "score": 80.0, "found": 1})
    store.finish_run(db, run_id, "complete", score_site=70.0, results="{}")
    return run_id


def stored(db, table: str) -> int:
    return db.execute(f"select count(*) from {table}").fetchone()[0]


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


def test_what_is_stored_once_stays_while_a_kept_night_points_at_it(tmp_path):
    db = store.open_db(tmp_path / "nachtwacht.db")
    runs = [night(db, title="ongewijzigd") for _ in range(3)]      # three unchanged nights
    assert [stored(db, t) for t in ("page_versions", "link_sets", "audit_results")] == [200, 200, 1]
    assert retention.prune(db, "Stad", keep_nights=1) == runs[:2]
    assert [stored(db, t) for t in ("page_versions", "link_sets", "audit_results")] == [200, 200, 1]
    assert db.execute("select count(*) from links where run_id = ?", [runs[2]]).fetchone()[0] == 200
    assert db.execute("select count(*) from finding_elements where run_id = ?",
                      [runs[2]]).fetchone()[0] == 1
    changed = night(db)                                           # every page changed
    assert retention.prune(db, "Stad", keep_nights=1) == [runs[2]]
    assert stored(db, "page_versions") == stored(db, "link_set_links") == 200
    assert stored(db, "audit_results") == stored(db, "audit_finding_elements") == 1
    assert db.execute("select min(run_id) from pages").fetchone()[0] == changed
    assert stored(db, "axe_rules") == 1
    assert sqlite3.connect(tmp_path / "nachtwacht.db").execute(
        "pragma foreign_key_check").fetchall() == []
