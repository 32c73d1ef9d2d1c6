"""The checks beyond axe in a real run: results.json's pages[].checks, site_checks and
check_coverage, the report's sections, and [checks] switches."""

from __future__ import annotations

import shutil

import pytest

from tests.helpers import nachtwacht, results_of, write_files

NAV = "<nav><a href='/afval'>Afval</a> <a href='/belasting'>Belasting</a> <a href='/contact'>Contact</a></nav>"
SWAPPED = "<nav><a href='/belasting'>Belasting</a> <a href='/afval'>Afval</a> <a href='/contact'>Contact</a></nav>"


def page(title: str, body: str, nav: str = NAV) -> str:
    return (f"<!doctype html><html lang='nl'><head><meta charset='utf-8'><title>{title}</title>"
            f"</head><body><header>{nav}</header><main><h1>{title}</h1>{body}</main></body></html>")


SITE = {
    "index.html": page("Gemeente", "<p>Welkom</p>"),
    "afval.html": page("Gemeente", "<p>Afval ophalen</p><div style='width:900px'>Breed</div>"),
    "belasting.html": page("Belasting", "<p>Belasting betalen</p>", SWAPPED),
    "contact.html": page("Contact", "<p>Bel ons</p>"),
}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from nachtwacht.siteserver import SiteServer

    root = write_files(tmp_path_factory.mktemp("site"), SITE)
    out = tmp_path_factory.mktemp("out")
    with SiteServer(root=root) as server:
        done = nachtwacht("run", server.url("/"), "--out", str(out))
        assert done.returncode in (0, 1), done.stderr
        results = results_of(out)
        shutil.copytree(out / "report", out / "first-report")
        config = out / "site.toml"
        config.write_text(f"[site]\nstart_urls = ['{server.url('/')}']\n[checks]\n"
                          "reflow = false\nsite = false\n", encoding="utf-8")
        again = nachtwacht("run", "--config", str(config), "--out", str(out))
        assert again.returncode in (0, 1), again.stderr
        yield server, out, results, results_of(out)


def checks_of(results: dict, server, path: str) -> dict[str, dict]:
    entry = next(p for p in results["pages"] if p["url"] == server.url(path))
    return {c["check"]: c for c in entry["checks"]}


def test_every_audited_page_has_its_checks(run):
    server, _, results, _ = run
    wide = checks_of(results, server, "/afval")
    assert wide["reflow"]["outcome"] == "failed"
    assert wide["reflow"]["elements"][0]["target"] == "body > main > div"
    assert checks_of(results, server, "/contact")["reflow"]["outcome"] == "passed"
    # Pages of one template are walked once; the others take its outcome and say from where
    # (/belasting's menu differs: another template, walked itself).
    walks = {p: checks_of(results, server, p)["focus-visible"]
             for p in ("/", "/afval", "/belasting", "/contact")}
    inherited = [w for w in walks.values() if w["inherited_from"]]
    assert inherited and walks["/belasting"]["inherited_from"] is None
    assert all(w["inherited_from"] != server.url("/belasting") for w in inherited)
    assert all(w["outcome"] == "passed" for w in walks.values())


def test_site_checks_over_all_pages(run):
    server, _, results, _ = run
    site = {s["check"]: s for s in results["site_checks"]}
    assert site["page-title-unique"]["outcome"] == "failed"
    assert set(site["page-title-unique"]["pages"]) == {server.url("/"), server.url("/afval")}
    assert site["consistent-navigation"]["outcome"] == "failed"
    assert site["consistent-navigation"]["pages"] == [server.url("/belasting")]
    assert site["multiple-ways"]["outcome"] == "failed" and site["multiple-ways"]["heuristic"]
    assert {c["check"] for c in results["check_coverage"]} >= {"reflow", "focus-visible",
                                                               "consistent-help"}


def test_the_report_shows_the_checks_by_check_by_page_and_on_the_evidence_page(run):
    _, out, _, _ = run
    report = out / "first-report"
    access = (report / "toegankelijkheid.html").read_text(encoding="utf-8")
    assert "Meer dan axe: eigen controles" in access
    assert "Inzoomen tot 320 pixels" in access and "Menu steeds in dezelfde volgorde" in access
    assert "indicatie: zelf nakijken" in access
    evidence = (report / "verantwoording.html").read_text(encoding="utf-8")
    assert "Deels automatisch getest door de eigen controles" in evidence
    assert any("Inzoomen tot 320 pixels" in f.read_text(encoding="utf-8")
               for f in (report / "pagina").glob("*.html"))


def test_checks_switched_off_are_not_run(run):
    server, _, _, second = run
    wide = checks_of(second, server, "/afval")
    assert "reflow" not in wide and "text-spacing" in wide
    assert second["site_checks"] == []
    assert "reflow" not in {c["check"] for c in second["check_coverage"]}
