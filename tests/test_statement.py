"""The statement watched every night: real sites on 127.0.0.1, the real CLI, a real crawl.

Three municipalities: one with a fresh statement linked from every page, one with a
stale status-C statement at an odd address (configured) with a dead research report and a
broken e-mail address, and one without any statement.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from audits.statement import months_before
from tests.conftest import page
from tests.helpers import QUICK_CHECKS, nachtwacht, results_of, write_files

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december"]


def dutch(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def footer(statement: str | None) -> str:
    link = f'<a href="{statement}">Toegankelijkheid</a>' if statement else ""
    return f'<footer><a href="/contact">Contact</a> {link}</footer>'


def site_page(title: str, body: str, statement: str | None = "/toegankelijkheid") -> str:
    return page(title, body + footer(statement))


TODAY = date.today()
FRESH = {
    "index.html": site_page("Gemeente Vers", '<a href="/afval">Afval</a>'),
    "afval.html": site_page("Afval", "<p>De container.</p>"),
    "contact.html": site_page("Contact", "<p>Bel 14 0000.</p>"),
    "rapport.pdf": b"%PDF-1.4\n%%EOF\n",
    "toegankelijkheid.html": site_page("Toegankelijkheidsverklaring", (
        "<p>De status van deze website is: B - voldoet gedeeltelijk</p>"
        f"<p>Deze verklaring is opgesteld op {dutch(TODAY - timedelta(days=40))}.</p>"
        f"<p>Het onderzoek is uitgevoerd op {(TODAY - timedelta(days=60)).strftime('%d-%m-%Y')}."
        ' Lees het <a href="/rapport.pdf">onderzoeksrapport</a>.</p>'
        '<p>Mail ons: <a href="mailto:toegankelijkheid@vers.example.nl">toegankelijkheid@'
        "vers.example.nl</a>, of gebruik het <a href=\"/contact\">contactformulier</a>.</p>")),
}
STALE_UPDATED = months_before(TODAY, 13)
STALE = {
    "index.html": site_page("Gemeente Oud", '<a href="/afval">Afval</a>',
                            "/over-ons/verklaring-digitaal"),
    # this page forgot the footer link
    "afval.html": page("Afval", "<p>De container.</p>"),
    "over-ons/verklaring-digitaal.html": page("Over deze website", (
        "<p>De status van deze website is: C - eerste maatregelen genomen</p>"
        f"<p>Deze verklaring is bijgewerkt op {STALE_UPDATED.strftime('%d-%m-%Y')}.</p>"
        f"<p>Het onderzoek is uitgevoerd in {MONTHS[TODAY.month - 1]} {TODAY.year - 4}:"
        ' zie het <a href="/rapporten/audit-2021.pdf">onderzoeksrapport</a>.</p>'
        '<p>Vragen? <a href="mailto:toegankelijkheid@gemeente">Mail ons</a> of'
        ' <a href="/contact-oud">neem contact op</a>.</p>')),
}
MISSING = {
    "index.html": page("Gemeente Zonder", '<a href="/afval">Afval</a>'),
    "afval.html": page("Afval", "<p>Geen verklaring hier.</p>"),
}


def run(tmp_path_factory, name: str, files: dict, config: str = "", root=None, out=None) -> dict:
    """One nightly run of a site (another night of the same site with ``root`` and ``out``)."""
    from nachtwacht.siteserver import SiteServer

    root = write_files(root or tmp_path_factory.mktemp(name), files)
    out = out or tmp_path_factory.mktemp(f"{name}-out")
    with SiteServer(root=root) as server:
        path = out / "site.toml"
        path.write_text(f'[site]\nname = "{name}"\nstart_urls = ["{server.url("/")}"]\n{config}'
                        + QUICK_CHECKS, encoding="utf-8")
        done = nachtwacht("run", "--config", path, "--out", out)
        assert done.returncode in (0, 1), done.stderr
        return {"results": results_of(out), "origin": server.url("/").rstrip("/"), "out": out,
                "root": root}


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    return run(tmp_path_factory, "vers", FRESH)


@pytest.fixture(scope="module")
def stale(tmp_path_factory):
    return run(tmp_path_factory, "oud", STALE,
               'statement_url = "/over-ons/verklaring-digitaal"\n\n'
               '[[deviation]]\ncriterion = "1.1.1"\ncause = "Oude foto\'s"\n'
               'effect = "Blinde bezoekers missen de foto"\nmeasure = "Alt-teksten"\n'
               'target_date = 2020-01-01\n')


@pytest.fixture(scope="module")
def missing(tmp_path_factory):
    return run(tmp_path_factory, "zonder", MISSING)


def test_a_fresh_statement_linked_from_every_page_has_no_problems(fresh):
    statement = fresh["results"]["statement"]
    assert statement["url"] == fresh["origin"] + "/toegankelijkheid"
    assert statement["found"] is True and statement["how"] == "link"
    assert statement["status"] == "B"
    assert statement["updated"] == (TODAY - timedelta(days=40)).isoformat()
    assert statement["research_date"] == (TODAY - timedelta(days=60)).isoformat()
    assert statement["problems"] == []
    assert [link["ok"] for link in statement["report_links"]] == [True]
    assert statement["emails"] == [{"address": "mailto:toegankelijkheid@vers.example.nl",
                                    "ok": True},
                                   {"address": "toegankelijkheid@vers.example.nl", "ok": True}]


def test_a_stale_statement_is_flagged_for_age_research_status_and_dead_links(stale):
    statement = stale["results"]["statement"]
    assert statement["url"] == stale["origin"] + "/over-ons/verklaring-digitaal"
    assert statement["how"] == "config" and statement["status"] == "C"
    assert statement["updated"] == STALE_UPDATED.isoformat()
    assert statement["problems"] == ["not-linked-everywhere", "older-than-12-months",
                                     "research-older-than-36-months", "report-link-broken",
                                     "contact-link-broken", "email-invalid", "c-becomes-d"]
    assert statement["examples"] == [stale["origin"] + "/afval"]
    broken = [link for link in statement["report_links"] if not link["ok"]]
    assert [link["url"] for link in broken] == [stale["origin"] + "/rapporten/audit-2021.pdf"]
    assert broken[0]["status"] == 404


def test_no_statement_at_all_is_not_found(missing):
    statement = missing["results"]["statement"]
    assert statement["found"] is False and statement["url"] is None
    assert statement["problems"] == ["not-found"]
    assert statement["status"] is None and statement["updated"] is None


def test_deviations_stand_beside_the_findings_and_an_old_target_date_is_flagged(stale):
    deviations = stale["results"]["deviations"]
    assert [d["criterion"] for d in deviations["items"]] == ["1.1.1"]
    assert deviations["items"][0]["overdue"] is True
    assert deviations["overdue"] == 1


def test_the_kcc_digest_tells_the_next_morning_that_the_statement_is_there(missing,
                                                                          tmp_path_factory):
    statement = site_page("Toegankelijkheidsverklaring",
                          f"<p>Opgesteld op {dutch(TODAY - timedelta(days=3))}.</p>")
    night = run(tmp_path_factory, "zonder", {
        "index.html": site_page("Gemeente Zonder", '<a href="/afval">Afval</a>'),
        "afval.html": site_page("Afval", "<p>Nu met verklaring.</p>"),
        "toegankelijkheid.html": statement}, root=missing["root"], out=missing["out"])
    digest = night["results"]["kcc"]
    assert [c["change"] for c in digest["statement_changed"]] == ["found"]
    kcc = (missing["out"] / "report" / "kcc.html").read_text(encoding="utf-8")
    assert "De toegankelijkheidsverklaring" in kcc and "staat weer op de website" in kcc
