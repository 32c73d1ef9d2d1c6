"""Evidence per criterion, the invulassistent block, the overview line and the KCC digest line."""

from __future__ import annotations

import copy
import json
import re
from html import unescape
from pathlib import Path

from audits import evidence
from audits.gathered import Gathered
from audits.kcc import digest
from audits.statement import statement_changes
from core.config import site_from_url
from reports import kcc as kcc_texts
from reports import view
from reports.mail import item_line
from reports.render import environment, messages

FIXTURE = Path(__file__).parent / "fixtures" / "results_sample.json"
STATEMENT = {"url": "http://127.0.0.1:8000/toegankelijkheid", "found": True, "how": "link",
             "status": "C", "updated": "2025-11-01", "research_date": None, "readable": True,
             "register_url": None, "pages_without_link": 1,
             "examples": ["http://127.0.0.1:8000/afval"], "report_links": [],
             "contact_links": [], "emails": [], "reason": None,
             "problems": ["not-linked-everywhere", "older-than-12-months", "c-becomes-d"]}


def sample() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def by_number(results: dict) -> dict[str, dict]:
    return {row["number"]: row for row in evidence.criteria(results)}


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_there_are_50_baseline_criteria_and_the_22_ones_apart():
    rows = evidence.criteria(sample())
    assert sum(1 for r in rows if not r["only_in_22"]) == 50
    assert [r["number"] for r in rows if r["only_in_22"]] == [
        "2.4.11", "2.5.7", "2.5.8", "3.2.6", "3.3.7", "3.3.8"]


def test_axe_findings_fail_a_criterion_and_nothing_of_ours_looking_is_manual():
    rows = by_number(sample())
    assert rows["1.1.1"]["outcome"] == "failed" and "image-alt" in rows["1.1.1"]["axe"]["items"]
    assert rows["1.2.1"]["outcome"] == "manual"      # no axe rule, no check, no document
    assert rows["2.5.8"]["outcome"] == "failed" and rows["2.5.8"]["only_in_22"]


def test_own_checks_move_a_criterion_out_of_manual_and_say_when_they_are_heuristic():
    results = sample()
    page = results["pages"][0]
    page["checks"] = [{"check": "reflow", "wcag": ["1.4.10"], "outcome": "failed",
                       "heuristic": True},
                      {"check": "keyboard-trap", "wcag": ["2.1.2"], "outcome": "passed"}]
    results["site_checks"] = [{"check": "multiple-ways", "wcag": ["2.4.5"],
                               "outcome": "cant_tell", "pages": [page["url"]]}]
    rows = by_number(results)
    assert rows["1.4.10"]["outcome"] == "failed" and rows["1.4.10"]["checks"]["heuristic"]
    assert rows["2.1.2"]["outcome"] == "passed"
    assert rows["2.4.5"]["outcome"] == "cant_tell"
    assert rows["1.2.1"]["outcome"] == "manual"


def test_documents_in_scope_with_problems_fail_their_criteria_out_of_scope_ones_do_not():
    results = sample()
    results["documents"] = [
        {"url": "http://127.0.0.1:8000/oud.pdf", "in_scope": False, "problems": ["no-lang"]},
        {"url": "http://127.0.0.1:8000/nieuw.pdf", "in_scope": True, "problems": ["untagged"]}]
    rows = by_number(results)
    assert rows["1.3.1"]["documents"]["failed"] == 1
    assert rows["1.3.1"]["documents"]["items"] == ["untagged"]
    assert rows["3.1.1"]["documents"]["failed"] == 0


def with_evidence(results: dict) -> dict:
    """The results with their ``evidence`` section, as a run builds it."""
    config = site_from_url("http://127.0.0.1:8000/")
    results["evidence"] = evidence.evidence_section(Gathered.of(config), results)
    return results


def render_evidence(results: dict, lang: str = "nl") -> str:
    v = view.build(with_evidence(results), [], lang)
    return environment().get_template("verantwoording.html").render(
        r=results, v=v, t=messages(lang), lang=lang, root="", current="evidence")


def test_the_invulassistent_block_names_type_tools_and_failing_criteria_in_plain_words():
    results = sample()
    html = render_evidence(results)
    block = text_of(html[html.index('<pre class="copy-block">'):html.index("</pre>")])
    assert "Soort onderzoek: test met een automatisch testinstrument" in block
    assert "nachtwacht 0.1.0, axe-core 4.10.2" in block
    assert "1.1.1 Niet-tekstuele content" in block and "4.1.2 Naam, rol, waarde" in block
    assert "geen onderzoek volgens WCAG-EM en geen basis voor status A of B" in block
    baseline = block[:block.index("Alleen in WCAG 2.2")]
    assert "2.5.8" not in baseline and "2.5.8" in block


def test_the_evidence_page_says_not_measured_where_checks_and_documents_did_not_run():
    html = render_evidence(sample())

    def row(number: str) -> str:
        start = html[html.index(f'id="sc-{number.replace(".", "-")}"'):]
        return text_of(start[:start.index("</tr>")])
    assert row("1.3.1").count("niet gemeten") == 2      # own checks and documents look here
    assert row("1.4.10").count("niet gemeten") == 1     # documents never look at reflow


def test_the_statement_in_full_on_the_evidence_page_with_deviations_beside_findings():
    results = sample()
    results["statement"] = STATEMENT
    results["deviations"] = {"items": [{"criterion": "1.1.1", "cause": "Oude foto's",
                                        "effect": "Blinden missen de foto", "measure": "Alt",
                                        "target_date": "2026-01-01", "overdue": True,
                                        "missing_fields": [], "still_failing": True,
                                        "only_in_22": False}],
                             "without_deviation": ["1.4.3"], "overdue": 1, "incomplete": 0}
    text = text_of(render_evidence(results))
    assert "Status volgens de verklaring C" in text
    assert "Laatst opgesteld of bijgewerkt 1 november 2025" in text
    assert "Een status C geldt maar 6 maanden" in text
    assert "1 januari 2026: streefdatum voorbij" in text
    assert "Criteria met fouten zonder beschreven afwijking" in text and "1.4.3 Contrast" in text


def test_the_overview_shows_the_statement_in_one_line():
    results = sample()
    results["statement"] = STATEMENT
    v = view.build(with_evidence(results), [], "nl")
    source = (Path(__file__).parents[1] / "reports" / "templates" / "index.html").read_text(
        encoding="utf-8")
    line = next(line for line in source.splitlines() if "statement-line" in line)
    html = environment().from_string(line).render(v=v, t=messages("nl"))
    assert text_of(html) == ("Toegankelijkheidsverklaring: niet vanaf elke pagina gelinkt; "
                             "ouder dan 12 maanden; status C wordt D. Bekijk de verklaring")
    assert 'href="verantwoording.html#verklaring"' in html


def test_the_kcc_digest_tells_when_the_statement_changed():
    before = {"statement": {**STATEMENT, "status": "B", "problems": ["not-linked-everywhere"]}}
    after = {"statement": STATEMENT}
    changes = statement_changes(before, after)
    assert [c["change"] for c in changes] == ["status", "problems"]
    assert changes[1]["problems"] == ["older-than-12-months", "c-becomes-d"]
    lost = statement_changes(before, {"statement": {**STATEMENT, "found": False}})
    assert [c["change"] for c in lost] == ["lost"]
    assert statement_changes(before, copy.deepcopy(before)) == []
    kcc = digest({"changes": {"previous_run": 2, "statement_changed": changes}})
    assert kcc["counts"]["statement_changed"] == 2 and not kcc["quiet"]
    line = item_line(changes[1], kcc_texts.texts("nl"))
    assert line == ("http://127.0.0.1:8000/toegankelijkheid heeft een nieuw probleem: "
                    "ouder dan 12 maanden; status C wordt D")


def test_a_statement_not_read_tonight_says_not_measured_and_why():
    results = sample()
    results["statement"] = {**STATEMENT, "readable": False, "status": None, "updated": None,
                            "problems": []}
    assert "niet gemeten (de pagina is vannacht niet gelezen" in text_of(render_evidence(results))
    results["statement"]["how"] = "register"
    assert "niet gemeten (de verklaring staat in het register" in \
        text_of(render_evidence(results))
