"""What does not change is stored once: an unchanged night adds only its own small rows, and
a database of the per-night layout moves into this one without losing a night."""

from __future__ import annotations

import sqlite3

import sqlite_utils

from audits.axe_stage import load_audits
from core import store
from tests.conftest import page
from tests.helpers import nachtwacht, results_of

# Stored once: none of these may grow on a night when nothing changed.
ONCE = ("page_versions", "page_version_forms", "link_sets", "link_set_links", "sitemap_urls",
        "audit_results", "audit_findings", "audit_finding_elements", "audit_passes",
        "audit_check_results", "audit_page_facts", "axe_rules")
# The former per-night tables, now views: (view, its columns without id, run_id and timings)
NIGHT = {"pages": "url, status, location, content_type, size, title, h1, lang, content_hash, "
                  "fetch_error, anchors",
         "links": "source, target, href, text, tag, malformed, kind",
         "forms": "page, action, method, fields",
         "sitemap_entries": "url, sitemap",
         "findings": "url, kind, rule, impact, wcag, wcag22_only, elements",
         "finding_elements": "target, html, failure_summary, impact",
         "passes": "url, rule, elements",
         "check_results": "url, check_id, outcome, elements, note",
         "page_facts": "url, name, value"}


def counts(db: sqlite3.Connection) -> dict[str, int]:
    return {t: db.execute(f"select count(*) from {t}").fetchone()[0] for t in ONCE}


def night_rows(db: sqlite3.Connection, run_id: int) -> dict[str, list]:
    """A night's rows in every view (sorted: the audit order of pages may differ)."""
    return {view: sorted(db.execute(f"select {columns} from {view} where run_id = ?", [run_id]),
                         key=repr) for view, columns in NIGHT.items()}


def findings(results: dict) -> list:
    return [(p["url"], p.get("audited"), [(v["rule"], v["nodes"]) for v in p.get("violations") or []],
             [(c["check"], c["outcome"]) for c in p.get("checks") or []]) for p in results["pages"]]


def test_an_unchanged_night_adds_no_links_pages_texts_or_audit_detail(make_site, tmp_path):
    links = '<a href="/afval">Afval</a> <a href="/paspoort">Paspoort</a> <a href="/weg">Weg</a>'
    server = make_site({
        "index.html": page("Home", f"<nav>{links}</nav><img src='/logo.png'>"),
        "afval.html": page("Afval", "<form action='/zoek'><input name='q'></form>"),
        "paspoort.html": page("Paspoort", f"<nav>{links}</nav>"),
        "vergeten.html": page("Vergeten")})
    (server.root / "sitemap.xml").write_text(
        "<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
        f"<url><loc>{server.url('/vergeten')}</loc></url></urlset>", encoding="utf-8")
    out = tmp_path / "out"
    assert nachtwacht("run", server.url("/"), "--out", out).returncode == 0
    first = results_of(out)
    db = sqlite3.connect(out / "nachtwacht.db")
    stored = counts(db)
    assert stored["link_set_links"] >= 6 and stored["audit_passes"] > 0
    assert stored["audit_findings"] > 0 and stored["page_version_forms"] == 1
    texts = db.execute("select id, url from page_texts where run_id = 1").fetchall()
    assert len(texts) == 4

    again = nachtwacht("run", server.url("/"), "--out", out)
    assert again.returncode == 0, again.stderr
    second = results_of(out)
    assert counts(db) == stored                     # nothing stored again
    assert db.execute("select id, url from page_texts").fetchall() == texts   # moved to night 2
    assert db.execute("select distinct run_id from page_texts").fetchall() == [(2,)]
    assert night_rows(db, 2) == night_rows(db, 1)   # and every night shows all of it
    assert db.execute("select count(*) from audits where run_id = 2 and reused_from = 1"
                      ).fetchone()[0] == len([p for p in second["pages"] if p.get("audited")])
    assert findings(second) == findings(first)
    assert second["broken_links"] == first["broken_links"] != []
    assert [o["url"] for o in second["orphans"]] == [server.url("/vergeten")]


LEGACY = {   # the per-night layout before the store kept things once (table -> columns)
    "pages": {"id": int, "run_id": int, "url": str, "final_url": str, "status": int,
              "location": str, "content_type": str, "response_ms": float, "size": int,
              "title": str, "h1": str, "lang": str, "content_hash": str, "found_via": str,
              "fetch_error": str, "anchors": str},
    "links": {"id": int, "run_id": int, "source": str, "target": str, "href": str, "text": str,
              "tag": str, "malformed": int, "kind": str},
    "forms": {"id": int, "run_id": int, "page": str, "action": str, "method": str, "fields": str},
    "sitemap_entries": {"id": int, "run_id": int, "url": str, "sitemap": str},
    "audits": {"id": int, "run_id": int, "url": str, "final_url": str, "content_hash": str,
               "fingerprint": str, "audited": int, "error": str, "load_ms": int,
               "inject_ms": int, "axe_ms": int, "inapplicable": str, "reused_from": int},
    "findings": {"id": int, "run_id": int, "url": str, "kind": str, "rule": str, "impact": str,
                 "wcag": str, "wcag22_only": int, "tags": str, "description": str, "help": str,
                 "help_url": str, "elements": int},
    "finding_elements": {"id": int, "finding_id": int, "run_id": int, "target": str,
                         "html": str, "failure_summary": str, "impact": str},
    "passes": {"id": int, "run_id": int, "url": str, "rule": str, "impact": str, "wcag": str,
               "wcag22_only": int, "tags": str, "description": str, "help": str,
               "help_url": str, "elements": int},
    "check_results": {"id": int, "run_id": int, "url": str, "check_id": str, "wcag": str,
                      "wcag22_only": int, "outcome": str, "elements": str, "note": str,
                      "heuristic": int, "template": str, "inherited": int, "checks_ms": int},
    "page_facts": {"id": int, "run_id": int, "url": str, "name": str, "value": str},
}


def legacy_night(db: sqlite_utils.Database, run_id: int, reused_from: int | None) -> None:
    """Two pages (one with a missing alt), their links, a form, a sitemap entry and audits."""
    for n, url in enumerate(["https://g.nl/", "https://g.nl/afval"]):
        db["pages"].insert({"run_id": run_id, "url": url, "status": 200, "title": f"Pagina {n}",
                            "response_ms": 10.0 + run_id, "content_hash": f"h{n}",
                            "content_type": "text/html", "anchors": '["top"]'})
        db["links"].insert_all({"run_id": run_id, "source": url, "target": t, "href": t,
                                "text": "Naar " + t, "tag": "a", "kind": "link"}
                               for t in ["https://g.nl/", "https://g.nl/weg"])
        db["audits"].insert({"run_id": run_id, "url": url, "final_url": url,
                             "content_hash": f"h{n}", "fingerprint": "fp", "audited": 1,
                             "load_ms": 100, "inapplicable": '["video-caption"]',
                             "reused_from": reused_from})
        db["passes"].insert({"run_id": run_id, "url": url, "rule": "document-title",
                             "wcag": '["2.4.2"]', "tags": '["wcag2a"]', "elements": 1,
                             "description": "Titel", "help": "Titel", "help_url": "https://x"})
        db["check_results"].insert({"run_id": run_id, "url": url, "check_id": "reflow",
                                    "wcag": '["1.4.10"]', "outcome": "passed", "elements": "[]",
                                    "note": "", "heuristic": 0, "inherited": 0, "checks_ms": 40})
        db["page_facts"].insert({"run_id": run_id, "url": url, "name": "privacy",
                                 "value": '{"hosts": [{"host": "fonts.example"}]}'})
    db["forms"].insert({"run_id": run_id, "page": "https://g.nl/afval", "action": "https://g.nl/z",
                        "method": "get", "fields": '[{"name": "q"}]'})
    db["sitemap_entries"].insert({"run_id": run_id, "url": "https://g.nl/oud",
                                  "sitemap": "https://g.nl/sitemap.xml"})
    finding = db["findings"].insert({"run_id": run_id, "url": "https://g.nl/", "kind": "violation",
                                     "rule": "image-alt", "impact": "critical",
                                     "wcag": '["1.1.1"]', "tags": '["wcag2a"]', "elements": 1,
                                     "description": "Alt", "help": "Alt", "help_url": "https://y"}
                                    ).last_pk
    db["finding_elements"].insert({"finding_id": finding, "run_id": run_id, "target": "img",
                                   "html": "<img>", "failure_summary": "Geen alt",
                                   "impact": "critical"})


def test_a_database_of_the_per_night_layout_moves_in_without_losing_a_night(tmp_path):
    path = tmp_path / "nachtwacht.db"
    old = sqlite_utils.Database(path)
    old["runs"].create({"id": int, "site": str, "status": str}, pk="id")
    for name, columns in LEGACY.items():
        old[name].create(columns, pk="id")
    for run_id, reused_from in [(1, None), (2, 1)]:
        old["runs"].insert({"id": run_id, "site": "Stad", "status": "complete"})
        legacy_night(old, run_id, reused_from)
    before = {run_id: night_rows(old.conn, run_id) for run_id in (1, 2)}
    old.close()

    db = store.open_db(path)
    assert {run_id: night_rows(db.conn, run_id) for run_id in (1, 2)} == before
    assert set(LEGACY) <= set(db.view_names()) and not set(LEGACY) & set(db.table_names())
    # the second night was the first one again, and both pages have the same links: stored
    # once, pointed at by every page of every night
    assert counts(db.conn) | {"page_fetches": db["page_fetches"].count} == {
        "page_versions": 2, "page_version_forms": 1, "link_sets": 1, "link_set_links": 2,
        "sitemap_urls": 1, "audit_results": 2, "audit_findings": 1, "audit_finding_elements": 1,
        "audit_passes": 2, "audit_check_results": 2, "audit_page_facts": 2, "axe_rules": 2,
        "page_fetches": 4}
    audit, meta = load_audits(db, 2)["https://g.nl/"]
    assert meta == {"content_hash": "h0", "fingerprint": "fp", "reused_from": 1}
    assert [(v.rule, v.nodes[0].failure_summary) for v in audit.violations] == [("image-alt", "Geen alt")]
    assert (audit.inapplicable, audit.checks_ms, audit.facts) == (
        ["video-caption"], 40, {"privacy": {"hosts": [{"host": "fonts.example"}]}})
    assert db.execute("select host from privacy_hosts where run_id = 2").fetchall() == [
        ("fonts.example",), ("fonts.example",)]
    db.close()
    again = store.open_db(path)           # once: the next open finds nothing to move
    assert counts(again.conn)["link_set_links"] == 2
    assert again.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert again.execute("pragma foreign_key_check").fetchall() == []
