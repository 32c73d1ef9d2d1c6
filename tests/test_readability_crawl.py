"""Readability end to end: a real site on 127.0.0.1, the real CLI, the main text of each page
gathered by the crawl, measured into results.json, shown on the report."""

from __future__ import annotations

import sqlite3
import tomllib
from pathlib import Path

import pytest

from tests.helpers import QUICK_CHECKS, by_url, nachtwacht, results_of, write_files

TEXTS = tomllib.loads((Path(__file__).parent / "fixtures" / "leesbaarheid.toml")
                      .read_text(encoding="utf-8"))
PLAIN = " ".join(TEXTS["gewoon"][0]["tekst"].split())          # paspoort, plainly
OFFICIAL = " ".join(TEXTS["ambtelijk"][3]["tekst"].split())    # kwijtschelding, ambtelijk

# The template is full of officialese; none of it may count for the pages.
HEADER = ("<header><p>Indien u ons wilt bereiken, derhalve teneinde contact ingevolge de "
          "regels.</p><nav><a href='/'>Home</a> <a href='/paspoort'>Paspoort</a> "
          "<a href='/kwijtschelding'>Kwijtschelding</a> <a href='/kort'>Kort</a> "
          "<a href='/zonder-main'>Nieuws</a></nav></header>")
FOOTER = "<footer><p>Alvorens u belt, gelieve derhalve het formulier te raadplegen.</p></footer>"


def page(title: str, content: str, main: bool = True) -> str:
    body = f"<main><h1>{title}</h1>{content}</main>" if main else \
        f"<div class='inhoud'><h1>{title}</h1>{content}</div>"
    return (f"<!doctype html><html lang='nl'><head><meta charset='utf-8'><title>{title}</title>"
            f"</head><body>{HEADER}{body}{FOOTER}</body></html>")


SITE = {
    "index.html": page("Gemeente Voorbeeldstad", "<p>Welkom.</p>"),
    "paspoort.html": page("Paspoort aanvragen", f"<p>{PLAIN}</p>"),
    "kwijtschelding.html": page("Kwijtschelding aanvragen", f"<p>{OFFICIAL}</p>"),
    "kort.html": page("Kort", "<p>Hier staat bijna niets.</p>"),
    "zonder-main.html": page("Nieuws", f"<p>{PLAIN}</p><aside>Indien derhalve</aside>",
                             main=False),
}
CONFIG = """
[site]
name = "Leesbaar"
start_urls = ["{origin}/"]

[[task]]
id = "paspoort"
name = "Paspoort aanvragen"
rank = 1
match = ["^/paspoort"]

[[task]]
id = "kwijtschelding"
name = "Kwijtschelding aanvragen"
rank = 2
match = ["^/kwijtschelding"]
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from nachtwacht.siteserver import SiteServer

    root = write_files(tmp_path_factory.mktemp("leesbaar"), SITE)
    out = tmp_path_factory.mktemp("out")
    with SiteServer(root=root) as server:
        config = out / "site.toml"
        config.write_text(CONFIG.format(origin=server.origin) + QUICK_CHECKS, encoding="utf-8")
        done = nachtwacht("run", "--config", config, "--out", out)
        yield server, out, done


def test_every_html_page_is_measured_hardest_first(run):
    server, out, done = run
    assert done.returncode in (0, 1), done.stderr
    entries = results_of(out)["readability"]
    assert [e["url"].removeprefix(server.origin) for e in entries] == [
        "/kwijtschelding", "/paspoort", "/zonder-main", "/", "/kort"]
    pages = by_url(entries, server.origin)
    assert pages["/kwijtschelding"]["level"] == "C1"
    assert pages["/kwijtschelding"]["task"] == "kwijtschelding"
    assert pages["/paspoort"]["level"] in ("A2", "B1") and pages["/paspoort"]["task"] == "paspoort"
    assert pages["/kort"]["level"] is None and pages["/kort"]["note"] == "too-short"
    for field in ("words", "sentences", "flesch_douma", "long_sentences", "hard_words"):
        assert field in pages["/kwijtschelding"]


def test_the_template_is_not_the_text(run):
    server, out, _ = run
    pages = by_url(results_of(out)["readability"], server.origin)
    assert pages["/paspoort"]["hard_words"] == []
    assert pages["/zonder-main"]["hard_words"] == []          # header, nav, footer, aside out
    assert pages["/zonder-main"]["words"] == pages["/paspoort"]["words"]
    words = {w["word"] for w in pages["/kwijtschelding"]["hard_words"]}
    assert {"teneinde", "middels", "alsmede"} <= words and "derhalve" not in words
    with sqlite3.connect(out / "nachtwacht.db") as db:
        sources = dict(db.execute("SELECT url, source FROM page_texts"))
    assert sources[server.url("/zonder-main")] == "body"
    assert sources[server.url("/paspoort")] == "main"


def test_scorecard_and_readability_page_show_it(run):
    _, out, _ = run
    results = results_of(out)
    task = {t["id"]: t for t in results["tasks"]}["kwijtschelding"]
    assert task["readability"]["level"] == "C1"
    assert task["readability"]["worst_sentence"].startswith("Teneinde voor kwijtschelding")
    card = (out / "report" / "toptaken.html").read_text(encoding="utf-8")
    assert "<q>Teneinde voor kwijtschelding" in card
    page = (out / "report" / "leesbaarheid.html").read_text(encoding="utf-8")
    assert "<strong>teneinde</strong> → om" in page


def test_the_site_score_is_untouched_without_the_config_asking(run):
    _, out, _ = run
    score = results_of(out)["score"]
    assert "readability" not in score and "readability" not in score["weights"]
