"""Changes since the previous complete run: two real runs against a site that changes."""

from __future__ import annotations

import gzip
import json

import pytest

from audits import changes
from audits.changes import compare
from tests.conftest import page
from tests.helpers import QUICK_CHECKS, nachtwacht, results_of


def nav(*paths: str) -> str:
    return "<nav>" + " ".join(f'<a href="{p}">{p.strip("/") or "home"}</a>' for p in paths) + "</nav>"


BEFORE = {
    "index.html": page("Home", nav("/afval", "/oud", "/contact", "/nieuws")),
    "afval.html": page("Afval", '<img src="/bak.png">'),            # image-alt
    "oud.html": page("Oud"),
    "contact.html": page("Contact"),
    "nieuws.html": page("Nieuws"),
}
AFTER = {
    "index.html": page("Home", nav("/afval", "/nieuw", "/contact", "/nieuws")),
    "afval.html": page("Afval", '<img src="/bak.png" alt="Afvalbak">'),
    "nieuw.html": page("Nieuw"),
    "contact.html": page("Contact", '<form action="/contact/verstuur" method="post">'
                         '<label for="n">Naam</label><input id="n" name="naam"></form>'),
    "nieuws.html": page("Nieuws", nav("/verdwenen-bericht")),
}


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    from nachtwacht.siteserver import SiteServer

    root = tmp_path_factory.mktemp("changing")
    out = tmp_path_factory.mktemp("out")

    def publish(files: dict[str, str]) -> None:
        for old in root.glob("*.html"):
            old.unlink()
        for name, content in files.items():
            (root / name).write_text(content, encoding="utf-8")

    publish(BEFORE)
    with SiteServer(root=root) as server:
        config = out.parent / "changing.toml"
        config.write_text(
            f'[site]\nname = "Wisselstad"\nstart_urls = ["{server.url("/")}"]\n'
            '[[task]]\nid = "afval"\nname = "Afval"\nrank = 1\nmatch = ["^/afval"]\n'
            + QUICK_CHECKS, encoding="utf-8")
        first = nachtwacht("run", "--config", config, "--out", out)
        assert first.returncode == 0, first.stderr
        first_results = results_of(out)
        publish(AFTER)
        second = nachtwacht("run", "--config", config, "--out", out, "--fail-on-new")
        yield server, out, first_results, results_of(out), second


def test_the_first_run_has_no_previous_run(two_runs):
    _, _, first, _, _ = two_runs
    assert first["changes"]["previous_run"] is None
    assert first["changes"]["previous_score"] is None
    assert all(value == [] for key, value in first["changes"].items()
               if key not in ("previous_run", "previous_score"))


def test_changes_since_the_previous_run_are_exact(two_runs):
    server, _, first, second, _ = two_runs
    changes, url = second["changes"], server.url
    assert changes["previous_run"] == first["run"]["id"]
    assert changes["new_pages"] == [{"url": url("/nieuw"), "title": "Nieuw"}]
    assert changes["removed_pages"] == [{"url": url("/oud"), "title": "Oud"}]
    assert changes["new_violations"] == []
    assert changes["fixed_violations"] == [{"url": url("/afval"), "rule": "image-alt"}]
    assert [(b["source"], b["target"], b["status"]) for b in changes["new_broken_links"]] == [
        (url("/nieuws"), url("/verdwenen-bericht"), 404)]
    assert changes["fixed_broken_links"] == []
    assert [(f["page"], f["action"], f["method"]) for f in changes["new_forms"]] == [
        (url("/contact"), url("/contact/verstuur"), "post")]
    assert changes["removed_forms"] == [] and changes["changed_forms"] == []
    assert changes["changed_task_pages"] == [{"task": "afval", "name": "Afval",
                                              "url": url("/afval")}]


def test_the_part_of_the_previous_night_kept_in_memory_gives_the_same_changes(two_runs):
    _, _, first, second, _ = two_runs
    part = changes.previous_part(first)
    assert set(part) < set(first) and "readability" not in part
    assert len(json.dumps(part)) < len(json.dumps(first)) / 2
    assert compare(part, second) == compare(first, second) == second["changes"]
    # the night keeps that part beside its archive, and tomorrow reads only that
    _, out, *_ = two_runs
    with gzip.open(out / "runs" / f"{first['run']['id']}.changes.json.gz", "rt") as file:
        assert json.load(file) == json.loads(json.dumps(part))


def test_a_night_kept_by_an_older_nachtwacht_is_compared_from_its_whole_results(tmp_path):
    from core import store
    from nachtwacht import results as results_module
    db = store.open_db(tmp_path / "nachtwacht.db")
    run_id = store.start_run(db, "Stad", "https://g.nl/", {}, "0")
    store.finish_run(db, run_id, "complete")
    night = {"run": {"id": run_id}, "pages": [{"url": "https://g.nl/", "status": 200,
                                               "violations": [{"rule": "image-alt", "nodes": 2}],
                                               "passes": [{"rule": "list"}]}],
             "readability": [{"url": "https://g.nl/"}]}
    (tmp_path / "runs").mkdir()
    with gzip.open(tmp_path / "runs" / f"{run_id}.json.gz", "wt") as file:
        json.dump(night, file)          # no .changes.json.gz beside it
    found = results_module.previous(tmp_path, db, "Stad", run_id + 1)
    assert found == changes.previous_part(night)
    assert found["pages"][0]["violations"] == [{"rule": "image-alt"}] and "readability" not in found


def test_fail_on_new_exits_1_for_a_new_broken_link(two_runs):
    *_, second = two_runs
    assert second.returncode == 1
    assert "1 nieuwe kapotte link(s)" in second.stderr
    assert "verdwenen-bericht" in second.stderr


def test_the_contact_centre_digest_lists_what_they_need(two_runs):
    server, out, _, second, _ = two_runs
    assert second["kcc"]["counts"]["new_forms"] == 1
    assert second["kcc"]["counts"]["removed_pages"] == 1
    digest = (out / "report" / "kcc.html").read_text(encoding="utf-8")
    assert "Nieuwe formulieren (1)" in digest
    assert server.url("/contact/verstuur") in digest
    assert "Verdwenen pagina&#39;s (1)" in digest or "Verdwenen pagina's (1)" in digest


def test_history_lists_both_runs_with_their_counts(two_runs):
    _, out, _, _, _ = two_runs
    done = nachtwacht("history", "--out", out)
    assert done.returncode == 0
    lines = [line.split() for line in done.stdout.splitlines()[1:]]
    assert [line[0] for line in lines] == ["1", "2"]
    assert [line[2] for line in lines] == ["complete", "complete"]


def results(pages: list[dict], **sections) -> dict:
    return {"run": {"id": sections.pop("run_id", 1)}, "pages": pages, **sections}


def audited(url: str, *rules: str) -> dict:
    return {"url": url, "status": 200, "audited": True,
            "violations": [{"rule": rule} for rule in rules]}


def test_a_page_not_audited_last_time_brings_no_new_violations():
    before = results([{"url": "/a", "status": 200, "audited": False, "violations": []}])
    after = results([audited("/a", "image-alt")], run_id=2)
    assert compare(before, after)["new_violations"] == []


def test_a_page_not_audited_now_fixes_nothing():
    before = results([audited("/a", "image-alt")])
    after = results([{"url": "/a", "status": 200, "audited": False, "violations": []}], run_id=2)
    assert compare(before, after)["fixed_violations"] == []


def test_a_fix_and_a_new_problem_do_not_cancel_out():
    before = results([audited("/a", "image-alt"), audited("/b")])
    after = results([audited("/a"), audited("/b", "label")], run_id=2)
    changes = compare(before, after)
    assert changes["new_violations"] == [{"url": "/b", "rule": "label"}]
    assert changes["fixed_violations"] == [{"url": "/a", "rule": "image-alt"}]


def test_tasks_and_letters_that_broke_or_recovered():
    before = results([], tasks=[{"id": "paspoort", "found": True, "short_url": {"ok": True}},
                                {"id": "afval", "found": False}],
                     letters=[{"url": "/brief", "ok": True}])
    after = results([], run_id=2,
                    tasks=[{"id": "paspoort", "found": True, "short_url": {"ok": False}},
                           {"id": "afval", "found": True}],
                    letters=[{"url": "/brief", "ok": False}])
    changes = compare(before, after)
    assert [t["id"] for t in changes["tasks_broken"]] == ["paspoort"]
    assert [t["id"] for t in changes["tasks_recovered"]] == ["afval"]
    assert [letter["url"] for letter in changes["letters_broken"]] == ["/brief"]
