"""Top tasks and letter URLs end to end: a real site on 127.0.0.1 crawled by the real CLI."""

from __future__ import annotations

import pytest

from tests.conftest import page
from tests.helpers import QUICK_CHECKS, nachtwacht, results_of, write_files
from tests.real_site import crawl_only


def links(*pairs: tuple[str, str]) -> str:
    return "<ul>" + "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in pairs) + \
        "</ul>"


SEARCH = '<form action="/zoeken" method="get"><label>Zoeken <input name="q"></label></form>'
SITE = {
    "index.html": page("Home", SEARCH + links(
        ("/burgerzaken/", "Burgerzaken"), ("/afval/", "Afval"),
        ("/burgerzaken/paspoort-aanvragen", "Paspoort aanvragen"), ("/archief/", "Archief"))),
    "burgerzaken/index.html": page("Burgerzaken", SEARCH + links(
        ("/burgerzaken/rijbewijs", "Rijbewijs verlengen"),
        ("/burgerzaken/rijbewijs-oud", "Rijbewijs aanvragen (oud)"),
        ("/nieuwsbrief", "Nieuwsbrief"),
        ("/burgerzaken/meer/", "Meer producten"))),
    "burgerzaken/paspoort-aanvragen.html": page("Paspoort aanvragen", SEARCH + links(
        ("/burgerzaken/paspoort-tarieven", "Tarieven")) +
        '<form action="/formulieren/paspoort" method="post">'
        '<label>Naam <input name="naam"></label><button>Verstuur</button></form>'),
    "burgerzaken/rijbewijs.html": page("Rijbewijs verlengen", SEARCH),
    "burgerzaken/meer/index.html": page("Meer producten", SEARCH + links(
        ("/burgerzaken/meer/uittreksel", "Uittreksel BRP"))),
    "burgerzaken/meer/uittreksel.html": page("Uittreksel aanvragen", SEARCH),
    "afval/index.html": page("Afval", SEARCH + links(
        ("/afval/ophaaldagen", "Wanneer wordt mijn afval opgehaald?"))),
    "afval/ophaaldagen.html": page("Afvalkalender 2026", SEARCH),
    "archief/index.html": page("Archief", SEARCH + links(("/archief/2019/", "2019"))),
    "archief/2019/index.html": page("2019", links(("/archief/2019/regelingen/", "Regelingen"))),
    "archief/2019/regelingen/index.html": page("Regelingen", links(
        ("/archief/2019/regelingen/subsidies/", "Subsidies"))),
    "archief/2019/regelingen/subsidies/index.html": page("Subsidies", links(
        ("/archief/2019/regelingen/subsidies/subsidie-aanvragen", "Subsidie aanvragen"))),
    "archief/2019/regelingen/subsidies/subsidie-aanvragen.html": page("Subsidie aanvragen"),
    "zoeken.html": page("Zoeken"),
    # Only in the sitemap: no page links to it.
    "wonen/boom-kappen.html": page("Boom kappen"),
    "sitemap.xml": '<?xml version="1.0" encoding="UTF-8"?>'
                   '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                   "<url><loc>__ORIGIN__/wonen/boom-kappen</loc></url></urlset>",
    "_redirects.txt": """\
/paspoort /burgerzaken/paspoort-aanvragen 301
/rijbewijs /rb 301
/rb /burgerzaken/rijbewijs 302
/uittreksel /burgerzaken/uittreksel-oud 301
/subsidie /archief/ 301
/Brief/Subsidie-2019.html /archief/2019/regelingen/subsidies/subsidie-aanvragen 301
/lus /lus2 301
/lus2 /lus 301
""",
}

CONFIG = """
[site]
name = "Toptakenstad"

[[task]]
id = "paspoort"
name = "Paspoort aanvragen"
rank = 1
match = ["^/burgerzaken/paspoort"]
keywords = ["paspoort"]
short_url = "/paspoort"
form = "/formulieren/paspoort"

[[task]]
id = "rijbewijs"
name = "Rijbewijs verlengen"
rank = 2
match = ["/rijbewijs"]
keywords = ["rijbewijs"]
short_url = "/rijbewijs"

[[task]]
id = "uittreksel"
name = "Uittreksel BRP aanvragen"
rank = 3
match = ["/uittreksel"]
short_url = "/uittreksel"

[[task]]
id = "afvalkalender"
name = "Afvalkalender bekijken"
rank = 4
match = ["/afvalkalender"]
keywords = ["afvalkalender"]

[[task]]
id = "subsidie"
name = "Subsidie aanvragen"
rank = 5
match = ["/subsidie-aanvragen"]
keywords = ["subsidie aanvragen"]

[[task]]
id = "hondenbelasting"
name = "Hondenbelasting"
rank = 6
match = ["/hondenbelasting"]
keywords = ["hondenbelasting"]

[[task]]
id = "kapvergunning"
name = "Boom kappen"
rank = 7
match = ["/boom-kappen"]

[[letter]]
url = "/paspoort"
expect = "/burgerzaken/paspoort-aanvragen"

[[letter]]
url = "/subsidie"
expect = "/archief/2019/regelingen/subsidies/subsidie-aanvragen"
note = "Brief subsidie: komt op het archief uit"

[[letter]]
url = "/Brief/Subsidie-2019.html?id=3&jsessionid=AB12"
expect = "/archief/2019/regelingen/subsidies/subsidie-aanvragen"

[[letter]]
url = "/lus"

[[letter]]
url = "/bestaat-niet"
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from nachtwacht.siteserver import SiteServer

    root = write_files(tmp_path_factory.mktemp("toptaken"), SITE)
    # A form service on another host ("localhost" is not an allowed domain of 127.0.0.1).
    elsewhere = tmp_path_factory.mktemp("elders")
    (elsewhere / "aanmelden.html").write_text(page("Aanmelden"), encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    config = out / "site.toml"
    with SiteServer(root=elsewhere, host="localhost") as other, SiteServer(root=root) as server:
        external = f"http://localhost:{other.port}/aanmelden"
        with open(root / "_redirects.txt", "a", encoding="utf-8") as redirects:
            redirects.write(f"/aanmelden {external} 302\n")
        config.write_text(CONFIG + f'[[letter]]\nurl = "/aanmelden"\nexpect = "{external}"\n'
                          + QUICK_CHECKS, encoding="utf-8")
        done = nachtwacht("run", server.url("/"), "--config", config, "--out", out)
        assert (out / "results.json").is_file(), done.stderr
        yield server, results_of(out), out


@pytest.fixture(scope="module")
def tasks(run):
    return {t["id"]: t for t in run[1]["tasks"]}


def rel(server, url: str | None) -> str | None:
    return url.removeprefix(server.origin) if url else url


def findings(task: dict, part: str) -> list[tuple]:
    """The (reason, points) of one part of a task's score."""
    return [(f["reason"], f["points"]) for p in task["parts"] if p["part"] == part
            for f in p["findings"]]


def test_tasks_are_listed_by_rank(run):
    assert [t["id"] for t in run[1]["tasks"]] == [
        "paspoort", "rijbewijs", "uittreksel", "afvalkalender", "subsidie", "hondenbelasting",
        "kapvergunning"]


@pytest.mark.parametrize("task_id, depth, path", [
    ("paspoort", 1, ["Home", "Paspoort aanvragen"]),
    ("rijbewijs", 2, ["Home", "Burgerzaken", "Rijbewijs verlengen"]),
    ("uittreksel", 3, ["Home", "Burgerzaken", "Meer producten", "Uittreksel BRP"]),
    ("afvalkalender", 2, ["Home", "Afval", "Wanneer wordt mijn afval opgehaald?"]),
    ("subsidie", 5, ["Home", "Archief", "2019", "Regelingen", "Subsidies", "Subsidie aanvragen"]),
])
def test_click_depth_and_the_link_texts_a_resident_clicks(tasks, task_id, depth, path):
    assert tasks[task_id]["found"] is True
    assert tasks[task_id]["depth"] == depth
    assert tasks[task_id]["click_path"] == path


def test_pages_match_on_url_pattern_or_on_title_keyword(run, tasks):
    server = run[0]
    assert rel(server, tasks["paspoort"]["page"]) == "/burgerzaken/paspoort-aanvragen"
    afval = tasks["afvalkalender"]
    assert [rel(server, u) for u in afval["pages"]] == ["/afval/ophaaldagen"]
    assert afval["matched_by"][afval["page"]] == ["keyword"]


def test_buried_task_loses_points_for_every_click_beyond_two(tasks):
    assert findings(tasks["subsidie"], "findability") == [("clicks", 15)]
    assert findings(tasks["uittreksel"], "findability") == [("clicks", 5)]
    assert findings(tasks["rijbewijs"], "findability") == []


def test_task_page_that_no_link_leads_to(tasks):
    hidden = tasks["kapvergunning"]
    assert hidden["found"] is True and hidden["depth"] is None and hidden["click_path"] == []
    assert findings(hidden, "findability") == [("not-linked", 15)]


def test_missing_task_is_reported_and_scores_lowest(tasks):
    missing = tasks["hondenbelasting"]
    assert missing["found"] is False and missing["pages"] == [] and missing["depth"] is None
    assert missing["score"] == 0
    assert all(t["score"] > 0 for t in tasks.values() if t["found"])


def test_short_url_with_one_redirect(run, tasks):
    short = tasks["paspoort"]["short_url"]
    assert (short["ok"], short["redirects"], short["status"]) == (True, 1, 200)
    assert rel(run[0], short["final_url"]) == "/burgerzaken/paspoort-aanvragen"
    assert findings(tasks["paspoort"], "short_url") == []


def test_short_url_with_two_redirects_works_but_costs_a_little(run, tasks):
    short = tasks["rijbewijs"]["short_url"]
    assert (short["ok"], short["redirects"], short["lands_on_task"]) == (True, 2, True)
    assert [rel(run[0], u) for u in short["chain"]] == ["/rijbewijs", "/rb", "/burgerzaken/rijbewijs"]
    assert findings(tasks["rijbewijs"], "short_url") == [("short-url-redirects", 2)]


def test_broken_short_url(tasks):
    short = tasks["uittreksel"]["short_url"]
    assert (short["ok"], short["status"], short["lands_on_task"]) == (False, 404, False)
    assert findings(tasks["uittreksel"], "short_url") == [("short-url-broken", 15)]


def test_broken_links_on_the_task_page_and_on_its_way_there(run, tasks):
    server = run[0]
    assert [rel(server, b["target"]) for b in tasks["paspoort"]["broken_link_list"]] == [
        "/burgerzaken/paspoort-tarieven"]
    # On the Burgerzaken page only the broken link that leads to the task counts, not the
    # newsletter link next to it.
    assert [rel(server, b["target"]) for b in tasks["rijbewijs"]["broken_link_list"]] == [
        "/burgerzaken/rijbewijs-oud"]
    assert tasks["uittreksel"]["broken_links"] == 0
    on = [f["on"] for t in ("paspoort", "rijbewijs") for p in tasks[t]["parts"]
          if p["part"] == "links" for f in p["findings"]]
    assert on == ["task-page", "click-path"]


def test_task_form_found_with_broken_action_and_search_box_ignored(run, tasks):
    paspoort = tasks["paspoort"]
    assert paspoort["form"]["found"] is True
    assert [(rel(run[0], f["action"]), f["action_broken"]) for f in paspoort["forms"]] == [
        ("/formulieren/paspoort", True)]
    assert findings(paspoort, "form") == [("form-action-broken", 10)]
    assert tasks["rijbewijs"]["forms"] == []


def test_task_score_is_100_minus_the_points_it_lists(tasks):
    for task in tasks.values():
        assert task["score"] == max(0, 100 - sum(p["points"] for p in task["parts"]))
        for part in task["parts"]:
            assert part["points"] == min(part["max"], sum(f["points"] for f in part["findings"]))


def test_letter_url_landing_on_the_wrong_page(run):
    letters = {rel(run[0], entry["url"]): entry for entry in run[1]["letters"]}
    wrong = letters["/subsidie"]
    assert (wrong["ok"], wrong["resolves"], wrong["status"], wrong["lands_on_expected"]) == (
        False, True, 200, False)
    assert rel(run[0], wrong["final_url"]) == "/archief/"
    assert wrong["note"] == "Brief subsidie: komt op het archief uit"
    good = letters["/paspoort"]
    assert (good["ok"], good["redirects"], good["lands_on_expected"]) == (True, 1, True)


def test_letter_url_loop_and_error(run):
    letters = {rel(run[0], entry["url"]): entry for entry in run[1]["letters"]}
    loop = letters["/lus"]
    assert (loop["ok"], loop["error"], loop["final_url"]) == (False, "redirect-loop", None)
    missing = letters["/bestaat-niet"]
    assert (missing["ok"], missing["status"], missing["redirects"]) == (False, 404, 0)


def test_letter_url_to_a_form_service_on_another_domain(run):
    letters = {rel(run[0], entry["url"]): entry for entry in run[1]["letters"]}
    away = letters["/aanmelden"]
    assert (away["ok"], away["status"], away["redirects"]) == (True, 200, 1)
    assert away["final_url"].startswith("http://localhost:")


def test_letter_url_that_works_but_is_not_letter_proof(run):
    letters = {rel(run[0], entry["url"]): entry for entry in run[1]["letters"]}
    ugly = letters["/Brief/Subsidie-2019.html?id=3&jsessionid=AB12"]
    assert ugly["ok"] is True and ugly["lands_on_expected"] is True
    assert ugly["letter_proof"] == [
        "too-long", "query-string", "session-id", "upper-case", "file-extension"]
    assert letters["/paspoort"]["letter_proof"] == []


def test_scores_are_in_results_and_in_the_runs_table(run):
    import sqlite3

    score = run[1]["score"]
    assert score["letters"] == 50.0          # 3 of the 6 letter URLs work
    assert 0 < score["tasks"] < 100
    assert 0 <= score["site"] <= 100
    row = sqlite3.connect(run[2] / "nachtwacht.db").execute(
        "select score_site, score_tasks, score_links from runs").fetchone()
    assert row == (score["site"], score["tasks"], score["links"])


def test_default_list_is_a_sound_list_of_dutch_top_tasks():
    from core.config import default_tasks

    tasks = default_tasks()
    assert 15 <= len(tasks) <= 25
    assert len({t.id for t in tasks}) == len(tasks)
    assert sorted(t.rank for t in tasks) == list(range(1, len(tasks) + 1))
    assert all(t.match and t.keywords and not t.short_url for t in tasks)


def test_default_list_finds_the_top_tasks_of_voorbeeldstad(demo_site, tmp_path):
    # No [[task]]: the shipped default list applies. Finding a task is the crawl's and the
    # analyses' work, so this crawls without the browser (the whole command line without a
    # --config: test_default_list_none_found_means_tasks_not_measured).
    tasks = {t["id"]: t for t in crawl_only(demo_site.url("/"), tmp_path)["tasks"]}
    found = {i: rel(demo_site, t["page"]) for i, t in tasks.items() if t["found"]}
    assert found["paspoort"] == "/burgerzaken/paspoort-aanvragen"
    assert found["afvalkalender"] == "/afval/afvalkalender"
    assert found["verhuizing"] == "/burgerzaken/verhuizing-doorgeven"
    assert found["melding-openbare-ruimte"] == "/melden/melding-openbare-ruimte"
    assert tasks["parkeervergunning"]["click_path"] == [
        "Home", "Parkeren", "Parkeervergunning aanvragen"]
    assert not tasks["evenementenvergunning"]["found"]


def test_default_list_none_found_means_tasks_not_measured(make_site, tmp_path):
    # A site with none of the default top tasks (and no [[task]] of its own).
    server = make_site({"index.html": page("Welkom", links(("/over-ons", "Over ons"))),
                        "over-ons.html": page("Over ons")})
    done = nachtwacht("run", server.url("/"), "--out", tmp_path)
    assert done.returncode == 0, done.stderr
    results = results_of(tmp_path)
    assert results["tasks"] == []
    assert results["tasks_status"] == {"source": "default", "measured": False,
                                       "reason": "default-not-found"}
    assert results["score"]["tasks"] is None and "tasks" in results["score"]["not_measured"]
    assert results["score"]["site"] is not None       # from the parts that were measured
    overview = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert "de pagina is niet gevonden" not in overview     # no 23 'not found' lines
    assert overview.count("Toptaken niet gemeten: geen enkele toptaak uit de standaardlijst") == 1
    assert "[[task]]" in (tmp_path / "report" / "toptaken.html").read_text(encoding="utf-8")


def test_configured_tasks_are_always_measured(run):
    _, results, _ = run
    assert results["tasks_status"] == {"source": "config", "measured": True, "reason": None}
