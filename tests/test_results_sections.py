"""The results sections: functions of the night's artifacts and of the earlier sections they
name, and nothing else; none changes an earlier one. Fed from a small night in memory."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from audits import attention, earl, evidence
from audits.axe import NodeResult, PageAudit, RuleResult
from audits.checks import CheckResult
from audits.crawldata import CrawlData
from audits.gathered import Gathered
from core.config import Letter, SiteConfig, Task
from nachtwacht import results
from reports import view

SITE = "https://g.nl"


def rule(name: str, impact: str | None, wcag: list[str], nodes: int = 1) -> RuleResult:
    return RuleResult(rule=name, impact=impact, wcag=wcag, tags=[], description=name,
                      help=name, help_url="", node_count=nodes,
                      nodes=[NodeResult(f"#{name}-{i}", "<img>", "", impact)
                             for i in range(nodes)])


def page(url: str, title: str, **row) -> dict:
    return {"url": url, "status": 200, "content_type": "text/html", "title": title, "h1": title,
            "lang": "nl", "content_hash": url, "anchors": "[]", **row}


def night(previous: dict | None = None) -> Gathered:
    """Four pages, a redirect, a broken link, a form, a PDF, a letter and a top task."""
    config = SiteConfig(name="g", start_urls=[f"{SITE}/"], allowed_domains=["g.nl"],
                        tasks=[Task(id="paspoort", name="Paspoort", rank=1, match=["^/paspoort"],
                                    short_url="/pas")],
                        letters=[Letter(url="/brief", expect="/paspoort")])
    crawl = CrawlData(start_urls=config.start_urls)
    crawl.pages = {url: row for url, row in [
        (f"{SITE}/", page(f"{SITE}/", "Home")),
        (f"{SITE}/paspoort", page(f"{SITE}/paspoort", "Paspoort aanvragen")),
        (f"{SITE}/oud", page(f"{SITE}/oud", "Oud", found_via="sitemap")),
        (f"{SITE}/kapot", page(f"{SITE}/kapot", "Weg", status=404)),
        (f"{SITE}/pas", {"url": f"{SITE}/pas", "status": 301, "location": f"{SITE}/paspoort"}),
        (f"{SITE}/brief", {"url": f"{SITE}/brief", "status": 302, "location": f"{SITE}/pas"}),
    ]}
    crawl.links = [
        {"source": f"{SITE}/", "target": f"{SITE}/paspoort", "href": "/paspoort",
         "text": "Paspoort", "tag": "a", "kind": "link"},
        {"source": f"{SITE}/", "target": f"{SITE}/kapot", "href": "/kapot", "text": "Weg",
         "tag": "a", "kind": "link"},
        {"source": f"{SITE}/paspoort", "target": f"{SITE}/folder.pdf", "href": "/folder.pdf",
         "text": "Folder", "tag": "a", "kind": "link"},
    ]
    crawl.forms = [{"page": f"{SITE}/paspoort", "action": "http://formulier.example/aanvraag",
                    "method": "post", "fields": [{"tag": "input", "type": "text", "name": "naam",
                                                  "label": None, "label_source": None}]}]
    crawl.sitemap = {f"{SITE}/oud"}
    crawl.checks = {f"{SITE}/folder.pdf": {"url": f"{SITE}/folder.pdf", "status": 200,
                                           "content_type": "application/pdf"}}
    home = PageAudit(url=f"{SITE}/", final_url=f"{SITE}/", audited=True,
                     violations=[rule("image-alt", "critical", ["1.1.1"]),
                                 rule("target-size", "serious", ["2.5.8"], 3)],
                     passes=[rule("html-has-lang", None, ["3.1.1"])],
                     checks=[CheckResult("reflow", ["1.4.10"], "failed",
                                         [{"target": "table", "html": "<table>"}])])
    task_page = PageAudit(url=f"{SITE}/paspoort", final_url=f"{SITE}/paspoort", audited=True,
                          violations=[rule("color-contrast", "serious", ["1.4.3"], 2)],
                          incomplete=[rule("color-contrast", "serious", ["1.4.3"])],
                          passes=[rule("image-alt", None, ["1.1.1"])],
                          checks=[CheckResult("focus-visible", ["2.4.7"], "passed")])
    old = PageAudit(url=f"{SITE}/oud", final_url=f"{SITE}/oud", audited=False, error="timeout")
    return Gathered.of(
        config, run={"id": 2 if previous else 1, "site": "g", "started": "2026-03-01T02:00:00"},
        crawl=crawl, previous=previous,
        audits={audit.url: (audit, {"reused_from": None}) for audit in (home, task_page, old)},
        documents={f"{SITE}/folder.pdf": {"url": f"{SITE}/folder.pdf", "status": 200,
                                          "tagged": 0, "lang": None, "title": None,
                                          "display_doc_title": 0, "has_text": 1,
                                          "encrypted": 0}},
        page_texts=[{"url": f"{SITE}/paspoort", "text": "U vraagt een paspoort aan bij de "
                                                          "gemeente. Neem een pasfoto mee."}],
        sitemap_sources={f"{SITE}/oud": f"{SITE}/sitemap.xml"})


def watched() -> tuple[list[results.Section], dict[str, tuple[object, str]]]:
    """SECTIONS, each remembering its value as it was built (to compare at the end)."""
    seen: dict[str, tuple[object, str]] = {}

    def watch(section: results.Section) -> results.Section:
        def build(gathered, earlier):
            value = section.build(gathered, earlier)
            seen[section.key] = (value, json.dumps(value, sort_keys=True))
            return value
        return dataclasses.replace(section, build=build)
    return [watch(section) for section in results.SECTIONS], seen


def test_every_section_reads_only_sections_built_before_it():
    built: set[str] = set()
    for section in results.SECTIONS:
        assert section.key not in built, f"{section.key} twice"
        for key in section.reads:
            assert key in built, f"{section.key} reads {key}, which is not built before it"
        built.add(section.key)


def test_a_section_cannot_read_what_it_did_not_name():
    section = results.Section("late", lambda g, r: r.get("pages"), reads=("summary",))
    with pytest.raises(results.UndeclaredRead, match="'late' reads 'pages'"):
        results.assemble(night(), [results.SECTIONS[0], section])


@pytest.mark.parametrize("nights", [1, 2])
def test_no_section_changes_an_earlier_one(nights):
    previous = results.assemble(night()) if nights == 2 else None
    sections, seen = watched()
    results.assemble(night(previous), sections)
    assert set(seen) == {section.key for section in results.SECTIONS}
    changed = [key for key, (value, as_built) in seen.items()
               if json.dumps(value, sort_keys=True) != as_built]
    assert changed == []


def test_the_pages_get_their_audits_and_checks_in_one_step():
    built = results.assemble(night())
    pages = {p["url"].removeprefix(SITE): p for p in built["pages"]}
    assert [v["rule"] for v in pages["/"]["violations"]] == ["image-alt", "target-size"]
    assert [c["check"] for c in pages["/"]["checks"]] == ["reflow"]
    assert pages["/oud"]["audited"] is False and pages["/oud"]["checks"] is None
    assert pages["/kapot"]["audited"] is None and pages["/kapot"]["violations"] is None
    assert built["accessibility"] == {"audited": 2, "not_audited": 1, "reused": 0}
    assert built["page_checks"] == {"reflow": {"failed": 1}, "focus-visible": {"passed": 1}}
    assert list(built)[:4] == ["schema", "run", "score", "pages"]
    assert "readability_measures" not in built
    assert built["run"]["external_links"] == "checked" and built["run"]["pages_crawled"] == 4


def test_the_results_carry_the_verdicts_the_report_shows():
    built = results.assemble(night())
    # posted over plain http from an https page, to another site
    assert [f["flags"] for f in built["forms"]] == [["plain_http", "third_party"]]
    [task] = built["tasks"]
    assert task["short_url"]["state"] == "works"
    assert task["readability"]["url"] == f"{SITE}/paspoort"
    assert built["letters"][0]["state"] == "works"
    # target-size (WCAG 2.2 only) is never to be fixed first; the worst impact comes first
    assert [r["rule"] for r in built["fix_first"]] == ["image-alt", "color-contrast"]
    assert built["attention"] == [{"kind": "rule", "rule": "image-alt", "impact": "critical"},
                                  {"kind": "rule", "rule": "color-contrast", "impact": "serious"},
                                  {"kind": "links", "count": 1}]
    shown = view.build(built, [], "nl")
    assert [item["kind"] for item in shown["attention"]] == [i["kind"] for i in built["attention"]]
    assert [r["rule"] for r in shown["accessibility"]["fix_first"]] == ["image-alt",
                                                                      "color-contrast"]


def test_what_needs_attention_first_puts_tasks_before_letters_rules_and_links():
    found = {"tasks": [{"id": "b", "name": "B", "rank": 2, "found": False},
                       {"id": "a", "name": "A", "rank": 1, "found": True,
                        "short_url": {"ok": False, "resolves": True}}],
             "letters": [{"url": "u", "ok": False, "status": 200, "lands_on_expected": False}],
             "fix_first": [{"rule": "label", "impact": "moderate", "pages": 9}],
             "broken_links_by_target": [{"count": 2}, {"count": 3}]}
    assert attention.attention(found) == [
        {"kind": "task", "id": "a", "name": "A", "problem": "short_url_elsewhere"},
        {"kind": "task", "id": "b", "name": "B", "problem": "not_found"},
        {"kind": "letter", "url": "u", "state": "wrong_page"},
        {"kind": "links", "count": 5}]


def test_many_broken_top_tasks_are_named_five_at_a_time_then_counted():
    tasks = [{"id": f"t{n}", "name": f"Taak {n}", "rank": n + 1, "found": False}
             for n in range(23)]
    items = attention.attention({"tasks": tasks})
    assert [i.get("id") for i in items[:5]] == ["t0", "t1", "t2", "t3", "t4"]
    assert items[5:] == [{"kind": "more_tasks", "count": 18}]


def test_earl_and_the_evidence_give_a_criterion_the_same_outcome():
    built = results.assemble(night())
    on_site = {c["number"]: c["outcome"] for c in built["evidence"]["criteria"]}
    asserted: dict[str, set[str]] = {}
    for item in earl.earl(built)["@graph"][1:]:
        number = item["test"]["title"].split()[0]
        asserted.setdefault(number, set()).add(item["result"]["outcome"])
    # image-alt fails on the home page and passes on the task page: failed, on the site too
    assert asserted["1.1.1"] == {"earl:failed", "earl:passed"} and on_site["1.1.1"] == "failed"
    # a violation beside a 'needs review' of the same rule: failed wins on the page
    assert asserted["1.4.3"] == {"earl:failed"} and on_site["1.4.3"] == "failed"
    assert asserted["2.4.7"] == {"earl:passed"} and on_site["2.4.7"] == "passed"
    # the PDF without a language fails 3.1.1 on the site; EARL speaks of web pages only
    assert asserted["3.1.1"] == {"earl:passed"} and on_site["3.1.1"] == "failed"
    by_documents = {c["number"] for c in built["evidence"]["criteria"] if c["documents"]["failed"]}
    for number, outcomes in asserted.items():
        worst = evidence.worst(o.removeprefix("earl:").replace("cantTell", "cant_tell")
                               for o in outcomes)
        assert number in by_documents or on_site[number] == worst, number


def test_docs_results_names_every_section_in_order_with_what_it_reads():
    """docs/results.md is the reader's map of results.json: one row per section."""
    doc = (Path(__file__).resolve().parents[1] / "docs" / "results.md").read_text(encoding="utf-8")
    rows = [line.split("|")[1:-1] for line in doc.splitlines() if line.startswith("| `")]
    assert [row[0].strip().strip("`") for row in rows] == [s.key for s in results.SECTIONS]
    for row, section in zip(rows, results.SECTIONS, strict=True):
        reads = row[3].strip()
        assert (() if reads == "—" else tuple(r.strip() for r in reads.split(","))) == \
            section.reads, section.key
        assert ("not kept" in row[1]) == (not section.kept), section.key
