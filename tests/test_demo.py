"""The README's first command: `nachtwacht demo` finds exactly what Voorbeeldstad plants."""

import csv
from urllib.parse import urlsplit

import pytest

from tests.helpers import nachtwacht, results_of


def path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("#" + parts.fragment if parts.fragment else "") \
        if parts.hostname == "127.0.0.1" else url


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    done = nachtwacht("demo", "--out", out, timeout=600)
    assert done.returncode == 0, done.stderr
    return out, results_of(out)


def test_demo_finds_each_planted_accessibility_error_and_nothing_else(demo):
    _, results = demo
    found = {(path(p["url"]), v["rule"]) for p in results["pages"] for v in p["violations"] or []}
    assert found == {
        ("/privacy", "html-has-lang"), ("/nieuws/park-de-linde-vernieuwd", "image-alt"),
        ("/afval/grofvuil-ophalen", "label"), ("/afval/afvalkalender", "color-contrast"),
        ("/nieuws/", "link-name"), ("/melden/melding-openbare-ruimte", "button-name")}
    assert results["run"]["axe_version"] and results["run"]["pages_audited"] >= 40


def test_demo_finds_the_planted_broken_links_orphan_and_sitemap_error(demo):
    _, results = demo
    assert {(path(b["target"]), b["reason"]) for b in results["broken_links"]} == {
        ("/afval/container-aanvragen", "http"),
        ("/burgerzaken/paspoort-aanvragen#kosten-2025", "fragment"),
        ("https://www.rijksoverheid.invalid/paspoort", "dns")}
    assert {(path(o["url"]), o["kind"]) for o in results["orphans"]} == {
        ("/afval/oud-papier-ophaalrooster", "page"), ("/afval/oud-papier-ophaalrooster", "form")}
    assert [path(e["url"]) for e in results["sitemap_errors"]] == ["/nieuws/oud-bericht-2019"]


def test_demo_flags_the_broken_and_third_party_forms(demo):
    _, results = demo
    flagged = {path(f["action"]): (f["action_broken"], f["third_party"])
               for f in results["forms"] if f["action_broken"] or f["third_party"]}
    assert flagged == {"/formulieren/parkeervergunning-verzenden": (True, False),
                       "http://formulieren.voorbeeld-leverancier.invalid/wmo": (True, True)}


def test_demo_scores_tasks_and_letters(demo):
    _, results = demo
    tasks = {t["id"]: t for t in results["tasks"]}
    assert not tasks["subsidie"]["found"] and tasks["subsidie"]["score"] == 0
    assert tasks["paspoort"]["found"] and tasks["paspoort"]["short_url"]["ok"]
    assert not tasks["parkeervergunning"]["short_url"]["ok"]
    letters = {path(letter["url"]): letter for letter in results["letters"]}
    assert letters["/paspoort"]["ok"]
    assert not letters["/kwijtschelding"]["ok"] and letters["/kwijtschelding"]["resolves"]
    assert 0 < results["score"]["site"] < 100


def test_demo_writes_the_report_pages(demo):
    out, _ = demo
    report = out / "report"
    for page in ("index.html", "toptaken.html", "toegankelijkheid.html", "links.html",
                 "formulieren.html", "verantwoording.html", "kcc.html"):
        assert (report / page).is_file(), page
    assert "Voorbeeldstad" in (report / "index.html").read_text(encoding="utf-8")
    # /kwijtschelding answers, but on the overview: not the same as a dead short URL
    overview = (report / "index.html").read_text(encoding="utf-8")
    assert "het korte adres komt op een andere pagina uit" in overview
    assert "het korte adres werkt niet" in overview       # /parkeervergunning: 404
    # the contact centre sees today's broken forms on the very first run too
    kcc = (report / "kcc.html").read_text(encoding="utf-8")
    assert kcc.count("het verzenden werkt niet") == 2 and "parkeervergunning-aanvragen" in kcc


def test_the_csv_export_of_a_real_run_names_every_element_and_its_fix(demo):
    out, results = demo
    done = nachtwacht("export", "--out", out, "--format", "csv")
    assert done.returncode == 0, done.stderr
    folder = out / f"csv-{results['run']['id']}"
    with open(folder / "bevindingen.csv", encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(file, delimiter=";"))
    violations = [r for r in rows if r["kind"] == "violation"]
    assert {(path(r["page"]), r["rule"]) for r in violations} >= {
        ("/nieuws/park-de-linde-vernieuwd", "image-alt"), ("/afval/grofvuil-ophalen", "label")}
    assert all(r["selector"] and r["html"].startswith("<") and r["summary"] for r in violations)
    image = next(r for r in violations if r["rule"] == "image-alt")
    assert image["html"].startswith("<img")


def test_a_second_demo_compares_page_by_page_with_the_first(demo):
    out, first = demo
    done = nachtwacht("demo", "--out", out, timeout=600)
    assert done.returncode == 0, done.stderr
    second = results_of(out)
    assert [p["url"] for p in second["pages"]] == [p["url"] for p in first["pages"]]
    changes = second["changes"]
    assert changes["previous_run"] == first["run"]["id"]
    assert changes["new_pages"] == changes["removed_pages"] == changes["new_violations"] == []
