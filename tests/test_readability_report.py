"""The Leesbaarheid page and the scorecard's language level, rendered from a results object."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from audits import readability
from reports.render import render_report

FIXTURES = Path(__file__).parent / "fixtures"
TEXTS = tomllib.loads((FIXTURES / "leesbaarheid.toml").read_text(encoding="utf-8"))
PLAIN = " ".join(" ".join(t["tekst"].split()) for t in TEXTS["gewoon"])
OFFICIAL = " ".join(TEXTS["ambtelijk"][3]["tekst"].split())      # kwijtschelding
HOSTILE = "Indien u <script>alert(1)</script> wilt, " + " ".join(["lees"] * 25) + " verder."


def sample() -> dict:
    results = json.loads((FIXTURES / "results_sample.json").read_text(encoding="utf-8"))
    # fields a real run has (results.py sections), should the sample lack them
    results["run"].setdefault("external_links", "checked")
    results.setdefault("tasks_status", {"source": "config", "measured": True, "reason": None})
    return results


def results_with_readability() -> dict:
    results = sample()
    origin = "http://127.0.0.1:8000"
    rows = [{"url": f"{origin}/burgerzaken/paspoort", "text": PLAIN},
            {"url": f"{origin}/afval/grofvuil", "text": OFFICIAL},
            {"url": f"{origin}/zwaar", "text": HOSTILE * 3},
            {"url": f"{origin}/", "text": "Bijna niets."}]
    measured = readability.measure_pages(rows)
    results["tasks"] = readability.with_task_readability(results["tasks"], measured)
    results["readability"] = readability.page_entries(measured, results["tasks"])
    return results


def test_readability_page_lists_pages_hardest_first_with_sentences_and_words(tmp_path):
    report = render_report(results_with_readability(), tmp_path / "report", history=[]).parent
    page = (report / "leesbaarheid.html").read_text(encoding="utf-8")
    listing = page[page.index('id="alle-paginas"'):]
    assert listing.index("/afval/grofvuil</a>") < listing.index("/burgerzaken/paspoort</a>") < \
        listing.index(":8000/</a>")
    assert "indicatie, geen oordeel over de schrijver" in page
    assert "<strong>teneinde</strong> → om" in page
    assert "Teneinde voor kwijtschelding van gemeentelijke belastingen" in page
    assert "te weinig tekst" in page
    assert 'href="leesbaarheid.html"' in (report / "index.html").read_text(encoding="utf-8")


def test_scorecard_shows_each_tasks_level_and_longest_sentence(tmp_path):
    report = render_report(results_with_readability(), tmp_path / "report", history=[]).parent
    card = (report / "toptaken.html").read_text(encoding="utf-8")
    row = card[card.index('id="taak-afval"'):]
    row = row[:row.index("</tr>")]
    assert '<strong class="bad">C1</strong>' in row
    assert "<q>Teneinde voor kwijtschelding" in row
    plain_row = card[card.index('id="taak-paspoort"'):]
    assert '<strong class="good">A2</strong>' in plain_row[:plain_row.index("</tr>")]


def test_page_text_is_escaped_on_the_report(tmp_path):
    report = render_report(results_with_readability(), tmp_path / "report", history=[]).parent
    page = (report / "leesbaarheid.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_english_report_has_the_readability_page_in_english(tmp_path):
    results = results_with_readability()
    report = render_report(results, tmp_path / "report", lang="en", history=[]).parent
    page = (report / "leesbaarheid.html").read_text(encoding="utf-8")
    assert "an indication, not a judgement of the writer" in page
    assert "All pages, hardest first" in page


def test_without_a_readability_section_there_is_no_page_and_the_scorecard_still_renders(
        tmp_path):
    results = sample()
    results.pop("readability", None)
    report = render_report(results, tmp_path / "report", history=[]).parent
    assert not (report / "leesbaarheid.html").exists()
    assert "leesbaarheid.html" not in (report / "index.html").read_text(encoding="utf-8")


def test_axe_finds_nothing_on_the_readability_page_and_the_scorecard(tmp_path):
    from tests.report_browser import axe_violations, chromium

    report = render_report(results_with_readability(), tmp_path / "report", history=[]).parent
    with chromium() as browser:
        assert axe_violations(browser, [report / "leesbaarheid.html", report / "toptaken.html"]) == {}


def test_with_a_readability_weight_the_score_part_is_shown_and_explained(tmp_path):
    results = results_with_readability()
    results["score"]["readability"] = 50.0
    results["score"]["weights"] = {**results["score"].get("weights", {}), "readability": 10}
    report = render_report(results, tmp_path / "report", history=[]).parent
    index = (report / "index.html").read_text(encoding="utf-8")
    assert "uitleg.html#score-readability" in index
    explained = (report / "uitleg.html").read_text(encoding="utf-8")
    assert 'id="score-readability"' in explained and "readability_weight" in explained
