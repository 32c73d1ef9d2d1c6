"""Our checks against the W3C ACT rules' own test cases (w3c/wcag-act-rules, testcases.json).

The pages below are derived from those test cases (their markup, shortened to the part that
decides; the sentence and link targets changed): text spacing 24afc2, 9e45ec, 78fd32, focus
visible oj04fd, orientation b33eff. An ACT "failed" must be failed by our check, an ACT
"passed" or "inapplicable" must not be. The agreement figures are in docs/checks/act-agreement.md.
"""

from __future__ import annotations

import pytest

from audits.axe import AxeSettings, audit_pages
from audits.checks.keyboard import KeyboardCheck
from audits.checks.orientation import OrientationCheck
from audits.checks.text_spacing import TextSpacingCheck
from nachtwacht.siteserver import SiteServer
from tests.helpers import write_files

TEXT = "Het speelgoed bracht herinneringen terug aan een regenachtige dag in het bos."
RULE_CHECK = {"24afc2": "text-spacing", "9e45ec": "text-spacing", "78fd32": "text-spacing",
              "oj04fd": "focus-visible", "b33eff": "orientation"}


def spacing_cases(rule: str, prop: str, good: str, bad: str) -> list[tuple]:
    """The cases 24afc2 and 9e45ec share (letter and word spacing), in their order."""
    p = f"<p style='{{}}'>{TEXT}</p>"
    return [
        (rule, "passed 1", "passed", "", p.format(f"{prop}: {good}em !important")),
        (rule, "passed 2", "passed", "p { font-size: 25px }",
         p.format(f"{prop}: {3 if prop == 'letter-spacing' else 4}px !important")),
        (rule, "passed 3", "passed", "", p.format(f"{prop}: {bad}em !important; {prop}: {good}em !important")),
        (rule, "passed 4", "passed", "", p.format(f"{prop}: {good}em !important; {prop}: {bad}em")),
        (rule, "passed 5", "passed", "",
         f"<div style='font-size: 16px; {prop}: 2px !important'><p style='font-size: 10px'>{TEXT}</p></div>"),
        (rule, "passed 6", "passed", "",
         f"<div style='{prop}: {bad}em !important'><p style='{prop}: {good}em !important'>{TEXT}</p></div>"),
        (rule, "failed 1", "failed", "", p.format(f"{prop}: {bad}em !important")),
        (rule, "failed 2", "failed", "p { font-size: 20px }", p.format(f"{prop}: 2px !important")),
        (rule, "failed 3", "failed", "", p.format(f"{prop}: normal !important")),
        (rule, "failed 4", "failed", "", p.format(f"{prop}: initial !important")),
        (rule, "inapplicable 1", "inapplicable", "",
         f"<svg xmlns='http://www.w3.org/2000/svg'><text y='20' style='{prop}: {bad}em'>ACT</text></svg>"),
        (rule, "inapplicable 2", "inapplicable", "", f"<div style='{prop}: {bad}em !important'></div>"),
        (rule, "inapplicable 3", "inapplicable", "", p.format(f"display: none; {prop}: {bad}em !important")),
        (rule, "inapplicable 4", "inapplicable", "",
         p.format(f"position: absolute; top: -999em; {prop}: {bad}em !important")),
        (rule, "inapplicable 5", "inapplicable", "", p.format("width: 60%")),
        (rule, "inapplicable 6", "inapplicable", f"p {{ {prop}: {bad}em !important }}",
         p.format(f"{prop}: {good}em")),
        (rule, "inapplicable 7", "inapplicable", "", p.format(f"{prop}: {bad}em")),
        (rule, "inapplicable 8", "inapplicable", "",
         f"<p style='{prop}: {bad}em'><span style='{prop}: inherit !important'>{TEXT}</span></p>"),
        (rule, "inapplicable 9", "inapplicable", "",
         f"<p style='{prop}: {bad}em'><span style='{prop}: unset !important'>{TEXT}</span></p>"),
    ]


def line_height_cases() -> list[tuple]:
    p = f"<p style='{{}}; max-width: 200px'>{TEXT}</p>"
    lh = "line-height"
    return [
        ("78fd32", "passed 1", "passed", "", p.format(f"{lh}: 2em !important")),
        ("78fd32", "passed 2", "passed", "p { font-size: 20px }", p.format(f"{lh}: 30px !important")),
        ("78fd32", "passed 3", "passed", "p { font-size: 16px }", p.format(f"{lh}: 160% !important")),
        ("78fd32", "passed 4", "passed", "", p.format(f"{lh}: 1.6 !important")),
        ("78fd32", "passed 5", "passed", "", p.format(f"{lh}: 1em !important; {lh}: 2em !important")),
        ("78fd32", "passed 6", "passed", "", p.format(f"{lh}: 2em !important; {lh}: 1em")),
        ("78fd32", "passed 7", "passed", "",
         (f"<div style='font-size: 16px; {lh}: 15px !important'>"
         f"<p style='font-size: 10px; max-width: 200px'>{TEXT}</p></div>")),
        ("78fd32", "passed 8", "passed", "",
         (f"<div style='{lh}: 1em !important'><p style='{lh}: 1.5em !important; max-width: 200px'>"
         f"{TEXT}</p></div>")),
        ("78fd32", "failed 1", "failed", "", p.format(f"{lh}: 1em !important")),
        ("78fd32", "failed 2", "failed", "p { font-size: 20px }", p.format(f"{lh}: 20px !important")),
        ("78fd32", "failed 3", "failed", "p { font-size: 16px }", p.format(f"{lh}: 120% !important")),
        ("78fd32", "failed 4", "failed", "", p.format(f"{lh}: 1.2 !important")),
        ("78fd32", "failed 5", "failed", "", p.format(f"{lh}: normal !important")),
        ("78fd32", "failed 6", "failed", "", p.format(f"{lh}: initial !important")),
        ("78fd32", "inapplicable 1", "inapplicable", "",
         f"<svg xmlns='http://www.w3.org/2000/svg'><text y='20' style='{lh}: 1.2em'>ACT</text></svg>"),
        ("78fd32", "inapplicable 2", "inapplicable", "", f"<div style='{lh}: 0.1em !important'></div>"),
        ("78fd32", "inapplicable 3", "inapplicable", "", p.format(f"display: none; {lh}: 1em !important")),
        ("78fd32", "inapplicable 4", "inapplicable", "",
         p.format(f"position: absolute; top: -999em; {lh}: 1em !important")),
        ("78fd32", "inapplicable 5", "inapplicable", "",
         f"<div style='overflow-x: scroll'><p style='{lh}: 1em !important; width: 1000px'>{TEXT}</p></div>"),
        ("78fd32", "inapplicable 6", "inapplicable", "", p.format("width: 60%")),
        ("78fd32", "inapplicable 7", "inapplicable", f"p {{ {lh}: 1.2em !important }}",
         p.format(f"{lh}: 2em")),
        ("78fd32", "inapplicable 8", "inapplicable", "", p.format(f"{lh}: 1.2em")),
        ("78fd32", "inapplicable 9", "inapplicable", "",
         (f"<p style='{lh}: 1.2em'><span style='{lh}: inherit !important; display: block; "
         f"max-width: 200px'>{TEXT}</span></p>")),
        ("78fd32", "inapplicable 10", "inapplicable", "",
         (f"<p style='{lh}: 1.2em'><span style='{lh}: unset !important; display: block; "
         f"max-width: 200px'>{TEXT}</span></p>")),
    ]


NO_FOCUS = ".no-focus-default:focus { outline: none } .indicator { display: inline-block; " \
           "width: 1em; height: 1em } .solid.active { background-color: navy } " \
           ".border.active { border: medium solid navy }"
TOGGLE = "<script>function toggle(id) { document.getElementById(id).classList.toggle('active') }</script>"


def indicator(link: str, ids: tuple[str, str]) -> str:
    both = f"toggle('{ids[0]}'); toggle('{ids[1]}')"
    return f"<a id='{link}' class='no-focus-default' onfocus=\"{both}\" onblur=\"{both}\" href='/{link}'>{link}</a>"


FOCUS_CASES = [
    ("oj04fd", "passed 1", "passed", "", "<a href='/act'>ACT rules</a>"),
    ("oj04fd", "passed 2", "passed", "", "<span tabindex='0'>ACT rules</span>"),
    ("oj04fd", "passed 3", "passed", NO_FOCUS,
     TOGGLE + "<span id='indicator' class='border'><a class='no-focus-default' "
     "onfocus=\"toggle('indicator')\" onblur=\"toggle('indicator')\" href='/act'>ACT rules</a></span>"),
    ("oj04fd", "passed 4", "passed", NO_FOCUS,
     TOGGLE + "<span id='i-act' class='indicator solid'></span>" + indicator("act", ("i-act", "i-wcag"))
     + "<span id='i-wcag' class='indicator solid'></span>" + indicator("wcag", ("i-wcag", "i-w3c"))
     + "<span id='i-w3c' class='indicator solid'></span>" + indicator("w3c", ("i-w3c", "i-end"))
     + "<span id='i-end' class='indicator solid'></span>"),
    ("oj04fd", "failed 1", "failed", NO_FOCUS, "<a class='no-focus-default' href='/act'>ACT rules</a>"),
    ("oj04fd", "inapplicable 1", "inapplicable", "", "<span>ACT rules</span>"),
    ("oj04fd", "inapplicable 2", "inapplicable", "",
     "<a tabindex='-1' href='/act'>ACT rules</a><a tabindex='-1' href='/wcag'>WCAG</a>"),
]

ORIENTATION_CASES = [
    ("b33eff", "passed 1", "passed", "@media (orientation: portrait) { html { transform: rotateZ(1turn) } }",
     "<main>Inhoud</main>"),
    ("b33eff", "passed 2", "passed", ("@media (orientation: portrait) { html { transform: "
     "matrix(1, -1.22465e-15, 1.22465e-15, 1, 0, 0) } }"), "<main>Inhoud</main>"),
    ("b33eff", "passed 3", "passed", "@media (orientation: portrait) { html { rotate: 0turn } }",
     "<main>Inhoud</main>"),
    ("b33eff", "failed 1", "failed", ("@media (orientation: portrait) { html { transform: "
     "rotate(1.5708rad); width: min(100vw, 100vh); height: min(100vw, 100vh) } }"), "Inhoud"),
    ("b33eff", "failed 2", "failed", ("@media (orientation: landscape) { body { transform: "
     "matrix3d(0, -1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1) } }"), "Inhoud"),
    ("b33eff", "failed 3", "failed", ("body { transform: rotate(2.5deg); padding: 2rem; "
     "width: min(100vw, 100vh); height: min(100vw, 100vh) } @media (orientation: landscape) "
     "{ body { transform: rotate(92.5deg); position: absolute; right: 0 } }"), "Inhoud"),
    ("b33eff", "failed 4", "failed", ("@media (orientation: portrait) { html { rotate: 90deg; "
     "width: min(100vw, 100vh); height: min(100vw, 100vh) } }"), "Inhoud"),
    ("b33eff", "inapplicable 1", "inapplicable", "", "Een pagina zonder stijl"),
    ("b33eff", "inapplicable 2", "inapplicable", ("html { font-size: 22px } "
     "@media (min-width: 30em) { font-size: 100% }"), "Inhoud"),
    ("b33eff", "inapplicable 3", "inapplicable", ("@media (orientation: landscape) { body { "
     "transform: rotateZ(0, 0, 1, 270deg) } }"), "<main>Inhoud</main>", "display: none"),
    ("b33eff", "inapplicable 4", "inapplicable", ("body { transform: rotate(90deg); width: "
     "calc(min(100vw, 100vh) - 2rem); height: calc(min(100vw, 100vh) - 2rem); padding: 1rem }"),
     "<main>Inhoud</main>"),
    ("b33eff", "inapplicable 5", "inapplicable", ("@media (orientation: portrait) { body { "
     "transform: translateX(100px) } }"), "<main>Inhoud</main>"),
]

CASES = [*spacing_cases("24afc2", "letter-spacing", "0.15", "0.1"),
         *spacing_cases("9e45ec", "word-spacing", "0.2", "0.1"),
         *line_height_cases(), *FOCUS_CASES, *ORIENTATION_CASES]


def html(case: tuple) -> str:
    style, body = case[3], case[4]
    body_style = f" style='{case[5]}'" if len(case) > 5 else ""
    return (f"<!doctype html><html lang='nl'><head><meta charset='utf-8'><title>{case[0]} "
            f"{case[1]}</title><style>{style}</style></head><body{body_style}>{body}</body></html>")


def name(case: tuple) -> str:
    return f"{case[0]}-{case[1].replace(' ', '-')}"


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict[str, str]:
    root = write_files(tmp_path_factory.mktemp("act"), {f"{name(c)}.html": html(c) for c in CASES})
    settings = AxeSettings(page_timeout=20, script_timeout=30,
                           checks=(OrientationCheck(), TextSpacingCheck(), KeyboardCheck()))
    found = {}
    with SiteServer(root=root) as server:
        for audit in audit_pages([server.url(f"/{name(c)}") for c in CASES], settings, 2):
            found[audit.url.rsplit("/", 1)[-1]] = {r.check: r.outcome for r in audit.checks}
    return {name(c): found[name(c)][RULE_CHECK[c[0]]] for c in CASES}


def agreement(outcomes: dict[str, str]) -> dict[str, dict[str, int]]:
    """Per rule: cases, those whose failed/not-failed verdict agrees, and exact outcome matches."""
    table: dict[str, dict[str, int]] = {}
    for case in CASES:
        ours, expected = outcomes[name(case)], case[2]
        row = table.setdefault(case[0], {"cases": 0, "agree": 0, "exact": 0})
        row["cases"] += 1
        row["agree"] += (ours == "failed") == (expected == "failed")
        row["exact"] += ours == expected
    return table


@pytest.mark.parametrize("case", CASES, ids=name)
def test_our_check_agrees_with_the_act_test_case(outcomes, case):
    ours, expected = outcomes[name(case)], case[2]
    assert (ours == "failed") == (expected == "failed"), f"ACT says {expected}, we say {ours}"


def test_agreement_figures(outcomes, capsys):
    table = agreement(outcomes)
    with capsys.disabled():
        for rule, row in table.items():
            print(f"\n{rule}: {row['agree']}/{row['cases']} agree on failed or not, "
                  f"{row['exact']}/{row['cases']} same outcome")
    assert sum(r["cases"] for r in table.values()) == len(CASES)
