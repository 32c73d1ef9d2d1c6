"""The report as files: which pages exist, what they say, and that it stays small at scale."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path

import pytest
from jinja2 import UndefinedError

from audits.letters import letter_state
from reports import view, view_evidence
from reports.render import count, environment, href, render_report
from tests.test_statement_evidence import with_evidence

FIXTURE = Path(__file__).parent / "fixtures" / "results_sample.json"


def sample() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_every_section_gets_its_page_and_the_navigation_links_them(tmp_path):
    index = render_report(sample(), tmp_path / "report", history=[])
    report = index.parent
    for name in ("index.html", "toptaken.html", "toegankelijkheid.html", "paginas.html",
                 "links.html", "formulieren.html", "wijzigingen.html", "verantwoording.html",
                 "uitleg.html"):
        assert (report / name).exists(), name
        assert 'href="toegankelijkheid.html"' in read(report / name)
    detail = report / view.page_file("http://127.0.0.1:8000/burgerzaken/paspoort")
    text = read(detail)
    assert ".kosten" in text and "Element has insufficient color contrast of 2.3" in text
    assert 'href="../report.css"' in text


def test_a_run_without_findings_sections_shows_only_overview_and_evidence(tmp_path):
    bare = {key: sample()[key] for key in ("schema", "run", "score", "summary")}
    bare["score"] = {}
    bare["pages"] = [{k: v for k, v in p.items() if k not in ("violations", "incomplete")}
                     for p in sample()["pages"]]
    report = render_report(bare, tmp_path / "report", history=[]).parent
    assert sorted(p.name for p in report.glob("*.html")) == ["index.html", "paginas.html",
                                                              "verantwoording.html"]
    assert "Parkeervergunning" in read(report / "paginas.html")
    assert "Toegankelijkheid" not in read(report / "index.html")


def test_needs_review_is_kept_apart_from_violations():
    access = view.accessibility(sample(), "nl")
    assert "color-contrast" in [r["rule"] for r in access["review"]]
    home = [r for r in access["rules"] if any(p["url"] == "http://127.0.0.1:8000/"
                                              for p in r["pages"])]
    assert [r["rule"] for r in home] == ["image-alt"]
    assert access["counts"]["rules"] == 5 and access["counts"]["rules_22"] == 1   # target-size apart
    assert [c["number"] for c in access["criteria_22"]] == ["2.5.8"]
    assert "2.5.8" not in [c["number"] for c in access["criteria"]]


def test_pages_with_the_most_serious_findings_come_first():
    rows = view.page_list(sample())
    assert [r["worst"] for r in rows][:5] == ["critical", "critical", "serious", "serious", None]
    assert rows[0]["url"].endswith("/afval/grofvuil")   # two critical-or-serious elements
    assert len(rows) == len(sample()["pages"])
    files = {r["url"].rsplit("/", 1)[-1]: r["file"] for r in rows}
    assert files["vergunning"] is None and files["zwaar"] is not None   # no findings; not audited


def test_evidence_marks_every_criterion_and_never_passes_without_axe_passes():
    evidence = view_evidence.evidence(with_evidence(sample()), [], "nl")
    outcomes = {row["number"]: row["outcome"] for row in
                evidence["criteria"] + evidence["criteria_22"]}
    assert len(outcomes) == 56
    assert outcomes["1.1.1"] == "failed"
    assert outcomes["2.4.7"] == "manual"
    assert outcomes["2.4.2"] == "no_findings"
    assert "passed" not in outcomes.values()


def test_english_report_has_english_texts(tmp_path):
    report = render_report(sample(), tmp_path / "report", lang="en", history=[]).parent
    text = read(report / "index.html")
    assert '<html lang="en">' in text and "Skip to content" in text and "Fix first" in text
    assert "Naar de inhoud" not in text


def test_hostile_text_is_escaped_and_script_urls_are_not_links(tmp_path):
    results = sample()
    results["broken_links"][0]["source"] = "javascript:alert(5)"
    report = render_report(results, tmp_path / "report", history=[]).parent
    html = "".join(read(p) for p in report.rglob("*.html"))
    assert "<script>" not in html and "<img src=x" not in html
    assert 'href="javascript:' not in html
    assert href("javascript:alert(1)") == "#" and href("https://x.nl/") == "https://x.nl/"
    assert href(" javascript:x") == "#" and href("data:text/html,x") == "#" and href(None) == "#"
    assert href("HTTP://X.NL/") == "HTTP://X.NL/" and href("httpx://x.nl/") == "#"


def test_rerendering_replaces_the_old_report_completely(tmp_path):
    render_report(sample(), tmp_path / "report", history=[])
    stale = tmp_path / "report" / "pagina" / "oud.html"
    stale.write_text("old", encoding="utf-8")
    render_report(sample(), tmp_path / "report", history=[])
    assert not stale.exists()
    assert not (tmp_path / "report.new").exists() and not (tmp_path / "report.old").exists()


def big_site(pages: int) -> dict:
    """A site of ``pages`` pages, a third of them with two findings of three elements each."""
    results = sample()
    template = results["pages"][1]
    results["pages"] = []
    for n in range(pages):
        page = copy.deepcopy(template)
        page["url"] = f"http://127.0.0.1:8000/pagina-{n}"
        page["title"] = f"Pagina {n}"
        if n % 3:
            page["violations"], page["incomplete"] = [], []
        results["pages"].append(page)
    return results


def test_a_site_of_10000_pages_gives_a_report_of_small_files(tmp_path):
    results = big_site(10_000)
    started = time.perf_counter()
    report = render_report(results, tmp_path / "report", history=[]).parent
    seconds = time.perf_counter() - started
    sizes = {p.name: p.stat().st_size for p in report.rglob("*.html")}
    assert max(sizes.values()) < 600_000, max(sizes.items(), key=lambda kv: kv[1])
    assert (report / "paginas-50.html").exists()            # 10,000 pages, 200 per listing
    assert (report / "regel" / "color-contrast-17.html").exists()
    assert seconds < 120
    # big numbers as a Dutch reader writes them, in the tiles and the pager
    overview = (report / "index.html").read_text(encoding="utf-8")
    assert '<span class="number">10.000</span>' in overview
    assert "van 10.000" in (report / "paginas-50.html").read_text(encoding="utf-8")


def test_counts_are_written_with_a_thousands_separator_in_each_language():
    assert [count(n) for n in (7, 9812, 100000, None)] == ["7", "9.812", "100.000", "–"]
    assert count(9812, "en") == "9,812"


def test_evidence_never_says_no_findings_when_nothing_was_audited():
    results = sample()
    for page in results["pages"]:
        page["audited"], page["violations"], page["incomplete"] = False, [], []
    evidence = view_evidence.evidence(with_evidence(results), [], "nl")
    outcomes = {row["outcome"] for row in evidence["criteria"] + evidence["criteria_22"]}
    assert outcomes == {"untested", "manual"}


def test_a_letter_that_answers_on_the_wrong_page_is_told_apart_from_a_broken_one():
    assert [letter_state(letter) for letter in sample()["letters"]] == ["broken", "works"]
    wrong = {**sample()["letters"][0], "status": 200, "lands_on_expected": False}
    assert letter_state(wrong) == "wrong_page"
    results = sample()
    results["letters"][0]["state"] = "wrong_page"     # the view shows what the results say
    assert view.letters(results)[0]["state"] == "wrong_page"


def test_many_broken_targets_each_on_many_pages_are_paged_into_small_files(tmp_path):
    """A site with 120 broken targets, each on 25 pages: 50 targets a file, every file small."""
    from audits.links import by_target
    from reports.view import GROUPS_PER_FILE

    results = big_site(3000)
    long = "http://127.0.0.1:8000/een/tamelijk/lang/pad/zoals/gemeenten/ze/hebben/pagina-"
    results["pages"] = [{**p, "url": long + str(n), "final_url": long + str(n),
                         "title": f"Een pagina met een gewone lange titel, nummer {n}"}
                        for n, p in enumerate(results["pages"])]
    results["broken_links"] = [
        {"source": long + str(target * 25 + n), "target": f"http://127.0.0.1:8000/weg/{target}",
         "text": "Meer informatie over dit onderwerp", "status": 404, "reason": "http",
         "kind": "link"} for target in range(120) for n in range(25)]
    results["broken_links_by_target"] = by_target(results["broken_links"])
    report = render_report(results, tmp_path / "report", history=[]).parent
    first = (report / "links.html").read_text(encoding="utf-8")
    assert first.count('class="finding" aria-labelledby="doel-') == GROUPS_PER_FILE == 50
    assert (report / "links-3.html").read_text(encoding="utf-8").count(
        'class="finding" aria-labelledby="doel-') == 20
    assert not (report / "links-4.html").exists()
    assert max(p.stat().st_size for p in report.rglob("*.html")) < 500_000


def test_the_overview_names_five_broken_top_tasks_and_counts_the_rest(tmp_path):
    results = sample()
    results["attention"] = [{"kind": "task", "id": f"t{n}", "name": f"Taak {n}",
                             "problem": "not_found"} for n in range(5)]
    results["attention"].append({"kind": "more_tasks", "count": 1184})
    overview = read(render_report(results, tmp_path / "report", history=[]))
    assert overview.count("de pagina is niet gevonden") == 5
    assert "Nog 1.184 toptaken met een probleem" in overview
    assert 'href="toptaken.html">Bekijk alle toptaken</a>' in overview


def test_the_report_environment_looks_up_keys_as_jinja_does():
    env = environment()
    row = {"count": 3, "items": "a key", "page": {"url": "https://x.nl/"}}
    assert env.from_string("{{ r.count }} {{ r.page.url }}").render(r=row) == "3 https://x.nl/"
    # a dict method's name still finds the method first, as in Jinja itself
    assert env.from_string("{% for k, v in r.items() %}{{ k }}{% endfor %}").render(r=row) == \
        "countitemspage"
    with pytest.raises(UndefinedError):
        env.from_string("{{ r.missing }}").render(r=row)


@pytest.mark.parametrize(("count", "lang", "said"), [
    (1, "nl", "1 kapotte link op de website"), (2, "nl", "2 kapotte links op de website"),
    (1, "en", "1 broken link on the website")])
def test_the_overview_counts_broken_links_in_good_grammar(tmp_path, count, lang, said):
    results = sample()
    results["attention"] = [{"kind": "links", "count": count}]
    overview = read(render_report(results, tmp_path / "report", history=[], lang=lang))
    assert f"<strong>{said}</strong>" in overview
