"""Exports: CSV for spreadsheets and EARL JSON-LD for the W3C WCAG-EM Report Tool."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from pyld import jsonld

from audits.earl import earl
from reports.export import export

FIXTURE = Path(__file__).parent / "fixtures" / "results_sample.json"
EARL = "http://www.w3.org/ns/earl#"
# WCAG 2.2 criteria are written WCAG22:<id>, as the WCAG-EM Report Tool reads them
WCAG_PREFIXES = ("http://www.w3.org/TR/WCAG21/#", "WCAG22:")


def sample() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def expanded_assertions(document: dict) -> list[dict]:
    """The assertions as a JSON-LD processor reads them (full IRIs, no shortcuts)."""
    nodes = jsonld.expand(document)
    return [n for n in nodes if EARL + "Assertion" in n.get("@type", [])]


def first(node: dict, prop: str):
    return node[prop][0]


def test_earl_has_one_assertion_per_page_and_criterion():
    assertions = expanded_assertions(earl(sample()))
    pairs = [(first(a, EARL + "subject")["@id"], first(a, EARL + "test")["@id"])
             for a in assertions]
    assert len(pairs) == len(set(pairs))
    home = "http://127.0.0.1:8000/"
    outcomes = {(s, t): first(first(a, EARL + "result"), EARL + "outcome")["@id"]
                for a, (s, t) in zip(assertions, pairs)}
    assert outcomes[(home, WCAG_PREFIXES[0] + "non-text-content")] == EARL + "failed"
    assert outcomes[(home, WCAG_PREFIXES[0] + "contrast-minimum")] == EARL + "cantTell"
    paspoort = "http://127.0.0.1:8000/burgerzaken/paspoort"
    assert outcomes[(paspoort, WCAG_PREFIXES[1] + "target-size-minimum")] == EARL + "failed"


def test_earl_assertions_are_automatic_by_nachtwacht_on_pages_never_the_site():
    results = sample()
    audited = {p["url"] for p in results["pages"] if p["audited"]}
    document = earl(results)
    assertions = expanded_assertions(document)
    assert assertions
    assertor = next(n for n in jsonld.expand(document) if EARL + "Assertor" in n.get("@type", []))
    assert "4.10.2" in json.dumps(assertor)
    for assertion in assertions:
        assert first(assertion, EARL + "mode")["@id"] == EARL + "automatic"
        assert first(assertion, EARL + "assertedBy")["@id"] == assertor["@id"]
        assert first(assertion, EARL + "subject")["@id"] in audited
        assert first(assertion, EARL + "test")["@id"].startswith(WCAG_PREFIXES)
        outcome = first(first(assertion, EARL + "result"), EARL + "outcome")["@id"]
        assert outcome in {EARL + o for o in ("failed", "passed", "cantTell", "inapplicable")}


def test_earl_passes_only_per_page_where_axe_reported_them():
    results = sample()
    page = results["pages"][4]
    page["passes"] = [{"rule": "document-title", "wcag": ["2.4.2"], "nodes": 1}]
    assertions = expanded_assertions(earl(results))
    passed = [a for a in assertions
              if first(first(a, EARL + "result"), EARL + "outcome")["@id"] == EARL + "passed"]
    assert [first(a, EARL + "subject")["@id"] for a in passed] == [page["url"]]
    assert "person must evaluate" in json.dumps(passed[0])


def test_csv_export_neutralises_formulas_and_keeps_every_element(tmp_path):
    results = sample()
    results["broken_links"][0]["text"] = "=HYPERLINK(\"http://evil\")"
    files = export(results, tmp_path, "csv")
    assert sorted(f.name for f in files) == ["bevindingen.csv", "formulieren.csv",
                                             "kapotte-links.csv", "toptaken.csv"]
    with open(tmp_path / "csv-3" / "kapotte-links.csv", encoding="utf-8-sig") as file:
        links = list(csv.DictReader(file, delimiter=";"))
    assert links[0]["text"] == "'=HYPERLINK(\"http://evil\")"
    with open(tmp_path / "csv-3" / "bevindingen.csv", encoding="utf-8-sig") as file:
        findings = list(csv.DictReader(file, delimiter=";"))
    contrast = [f for f in findings if f["rule"] == "color-contrast" and f["kind"] == "violation"]
    assert [f["selector"] for f in contrast] == [".tip", ".kosten"]
    assert contrast[1]["summary"] == "Element has insufficient color contrast of 2.3"
    assert {f["kind"] for f in findings} == {"violation", "needs-review"}


def test_json_and_earl_exports_are_files_named_by_run(tmp_path):
    assert export(sample(), tmp_path, "json")[0].name == "results-3.json"
    path = export(sample(), tmp_path, "earl")[0]
    assert path.name == "earl-3.jsonld"
    assert expanded_assertions(json.loads(path.read_text(encoding="utf-8")))
