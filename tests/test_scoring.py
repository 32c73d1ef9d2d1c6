"""Score properties, as pure functions: bounded, monotone, explainable."""

from __future__ import annotations

import itertools

import pytest

from audits import scoring
from audits.letters import letter_proof_problems

IMPACTS = ["critical", "serious", "moderate", "minor"]


def task(found=True, depth=1, short_url=None, rules=(), broken=0, form_found=True,
         action_broken=False, measured=True) -> dict:
    """A task entry as audits/tasks.py builds it, with only the facts the score reads."""
    return {
        "found": found, "rank": 1, "depth": depth, "short_url": short_url,
        "accessibility_measured": measured, "links_measured": measured,
        "violation_rules": [{"rule": f"regel-{i}", "impact": impact, "pages": ["p"]}
                            for i, impact in enumerate(rules)],
        "broken_link_list": [{"source": "s", "target": f"t{i}", "text": "x"}
                             for i in range(broken)],
        "form": {"configured": "f" if not form_found else None, "found": form_found},
        "forms": [{"page": "p", "action": "a", "action_broken": action_broken}],
    }


def short(status=200, redirects=1, lands=True, error=None, problems=()) -> dict:
    return {"status": status, "redirects": redirects, "lands_on_task": lands, "error": error,
            "final_url": "u", "letter_proof": list(problems)}


def score(entry: dict) -> float:
    return scoring.task_score(entry)["score"]


def test_a_perfect_task_scores_100_and_a_missing_one_0():
    assert score(task()) == 100
    assert score(task(found=False)) == 0


def test_missing_task_scores_lower_than_the_worst_found_task():
    worst = task(depth=None, short_url=short(status=404, problems=["too-long", "upper-case"]),
                 rules=["critical"] * 20, broken=20, form_found=False, action_broken=True)
    assert 0 < score(worst) < 100
    assert score(task(found=False)) < score(worst)


@pytest.mark.parametrize("more", [
    {"rules": ["minor"]}, {"rules": ["critical"]}, {"broken": 1}, {"depth": 1},
])
def test_more_findings_never_score_higher(more):
    # Walk up from a clean task, adding one finding at a time; the score never rises.
    entry = task(depth=0)
    previous = score(entry)
    for _ in range(30):
        if "rules" in more:
            entry["violation_rules"].append(
                {"rule": f"r{len(entry['violation_rules'])}", "impact": more["rules"][0],
                 "pages": ["p"]})
        if "broken" in more:
            entry["broken_link_list"].append({"source": "s", "target": "t", "text": ""})
        if "depth" in more:
            entry["depth"] += 1
        now = score(entry)
        assert now <= previous
        previous = now
    assert previous < 100


def test_worse_impact_never_scores_higher():
    scores = [score(task(rules=[impact])) for impact in IMPACTS]
    assert scores == sorted(scores)
    assert scores[0] < scores[-1]


def test_short_url_findings_cost_points_in_order_of_how_bad_they_are():
    works = score(task(short_url=short()))
    two_hops = score(task(short_url=short(redirects=2)))
    elsewhere = score(task(short_url=short(lands=False)))
    broken = score(task(short_url=short(status=404)))
    assert works == 100
    assert broken < elsewhere < two_hops < works


def test_unmeasured_parts_cost_nothing_and_are_named():
    result = scoring.task_score(task(measured=False))
    assert result["score"] == 100
    assert result["not_measured"] == ["accessibility", "links"]


def test_page_with_more_violations_never_scores_higher():
    for impacts in itertools.product([None, *IMPACTS], repeat=3):
        violations = [{"rule": f"r{i}", "impact": i_} for i, i_ in enumerate(impacts) if i_]
        base = scoring.page_accessibility(violations)["score"]
        more = scoring.page_accessibility(violations + [{"rule": "extra", "impact": "minor"}])
        assert 0 <= more["score"] <= base <= 100


def test_accessibility_score_averages_audited_pages_only():
    pages = [
        {"url": "a", "violations": []},
        {"url": "b", "violations": [{"rule": "image-alt", "impact": "critical"}]},
        {"url": "c", "audited": False, "violations": None},
        {"url": "d"},
    ]
    assert scoring.accessibility_score(pages) == 95.0
    assert scoring.accessibility_score([{"url": "d"}]) is None


def test_links_score_is_the_share_of_pages_without_broken_links():
    pages = [{"url": u, "status": 200, "content_type": "text/html"} for u in "abcd"]
    assert scoring.links_score(pages, []) == 100
    assert scoring.links_score(pages, [{"source": "a"}, {"source": "a"}]) == 75
    assert scoring.links_score(pages, [{"source": "a"}], [{"page": "b", "action_broken": True}]) \
        == 50
    assert scoring.links_score(pages, None) is None


def test_tasks_score_weighs_higher_ranked_tasks_more():
    first_bad = [{"rank": 1, "score": 0}, {"rank": 2, "score": 100}]
    second_bad = [{"rank": 1, "score": 100}, {"rank": 2, "score": 0}]
    assert scoring.tasks_score(first_bad) < scoring.tasks_score(second_bad)
    assert scoring.tasks_score([]) is None


def test_site_score_is_bounded_and_skips_what_was_not_measured():
    assert scoring.site_score({"tasks": 50, "accessibility": None, "links": None,
                               "letters": None}) == 50
    assert scoring.site_score({"tasks": 100, "accessibility": 100, "links": 100,
                               "letters": 100}) == 100
    assert scoring.site_score({"tasks": 0, "accessibility": 0, "links": 0, "letters": 0}) == 0
    assert scoring.site_score({"tasks": None}) is None
    low = scoring.site_score({"tasks": 60, "accessibility": 80, "links": 90, "letters": 100})
    lower = scoring.site_score({"tasks": 60, "accessibility": 70, "links": 90, "letters": 100})
    assert lower < low


@pytest.mark.parametrize("url, problems", [
    ("/paspoort", []),
    ("https://www.voorbeeldstad.nl/kwijtschelding", []),
    ("/belastingen/kwijtschelding-aanvragen", ["too-long"]),
    ("/afval?wijk=3", ["query-string"]),
    ("/paspoort;jsessionid=1a2b", ["session-id"]),
    ("/Paspoort", ["upper-case"]),
    ("/paspoort.html", ["file-extension"]),
    ("/brief.pdf", ["file-extension"]),
])
def test_letter_proof(url, problems):
    assert letter_proof_problems(url) == problems


def test_findings_only_wcag_22_asks_for_cost_no_points():
    target_size = {"rule": "target-size", "impact": "serious", "wcag": ["2.5.8"]}
    contrast = {"rule": "color-contrast", "impact": "serious", "wcag": ["1.4.3"]}
    assert scoring.page_accessibility([target_size])["score"] == 100
    assert scoring.page_accessibility([target_size, contrast])["score"] == 93
    assert scoring.scored({"rule": "x", "impact": "minor", "wcag": ["2.5.8", "2.5.5"]})
