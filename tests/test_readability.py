"""Plain language: the measures, the level and the officialese words of a text (pure functions),
and the main text of a page (crawler/text.py). No network, no browser."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textstat.textstat import textstatistics

from audits import gathered, readability
from audits.gathered import Gathered
from audits.scoring import score_section
from core import store
from core.config import ConfigError, SiteConfig, load
from crawler.text import MAX_CHARS, main_text

TEXTS = tomllib.loads((Path(__file__).parent / "fixtures" / "leesbaarheid.toml")
                      .read_text(encoding="utf-8"))
LEVELS = ["A2", "B1", "B2", "C1"]


def text_of(kind: str) -> list[tuple[str, str]]:
    return [(t["onderwerp"], " ".join(t["tekst"].split())) for t in TEXTS[kind]]


# --- validation: the level orders texts the way people do --------------------------------

def test_every_plain_text_scores_easier_than_every_officialese_text():
    plain = {topic: readability.measure(text) for topic, text in text_of("gewoon")}
    official = {topic: readability.measure(text) for topic, text in text_of("ambtelijk")}
    assert len(plain) >= 4 and len(official) >= 4
    assert min(m["flesch_douma"] for m in plain.values()) > \
        max(m["flesch_douma"] for m in official.values())
    assert max(LEVELS.index(m["level"]) for m in plain.values()) < \
        min(LEVELS.index(m["level"]) for m in official.values())


def test_ordinary_web_texts_fall_between_plain_and_officialese():
    def scores(kind: str) -> list[float]:
        return [readability.measure(text)["flesch_douma"] for _, text in text_of(kind)]
    plain, ordinary, official = scores("gewoon"), scores("gemiddeld"), scores("ambtelijk")
    assert min(plain) > max(ordinary) and min(ordinary) > max(official)
    for topic, text in text_of("gemiddeld"):
        assert readability.measure(text)["level"] in ("A2", "B1", "B2"), topic


def test_plain_texts_meet_the_b1_goal_and_officialese_does_not():
    for topic, text in text_of("gewoon"):
        assert readability.meets_goal(readability.measure(text)["level"]), topic
    for topic, text in text_of("ambtelijk"):
        measured = readability.measure(text)
        assert not readability.meets_goal(measured["level"]), topic
        assert measured["long_sentences"] >= 1, topic
        assert measured["hard_words"], topic


def test_same_topic_written_plainly_scores_higher():
    plain, official = dict(text_of("gewoon")), dict(text_of("ambtelijk"))
    for topic in plain.keys() & official.keys():
        assert readability.measure(plain[topic])["flesch_douma"] > \
            readability.measure(official[topic])["flesch_douma"] + 30, topic


# --- the formula and the level ---------------------------------------------------------------

def test_flesch_douma_is_textstats_dutch_flesch():
    text = ("De gemeente haalt het afval op maandag op. Zet de container op tijd buiten. "
            "Wij legen de bak in de ochtend. Is de bak vergeten? Bel dan met de gemeente.")
    dutch = textstatistics()
    dutch.set_lang("nl")
    words = readability.words(text)
    ours = readability.flesch_douma(len(words), sum(map(readability.syllables, words)),
                                    len(readability.sentences(text)))
    assert ours == pytest.approx(dutch.flesch_reading_ease(text), abs=0.1)
    assert readability.measure(text + " " + text)["flesch_douma"] == ours


def test_syllables_are_textstats_dutch_syllables_on_every_word_of_the_demo_site():
    """Ours count as textstat counts for "nl" (textstat is the reference here; nachtwacht
    itself does not import it, for NLTK's start-up cost)."""
    dutch = textstatistics()
    dutch.set_lang("nl")
    site = Path(__file__).resolve().parents[1] / "nachtwacht" / "voorbeeldstad" / "site"
    texts = [main_text(page.read_text(encoding="utf-8"))[0] for page in site.rglob("*.html")]
    texts += [text for kind in ("gewoon", "ambtelijk") for _, text in text_of(kind)]
    found = {w for text in texts for w in readability.words(text)}
    found |= {"e-mail", "o.a.", "12,50", "’s-Hertogenbosch", "zo'n", "don't", "Wmo-loket"}
    assert len(found) > 800
    differ = {w: (readability.syllables(w), max(1, dutch.syllable_count(w.lower())))
              for w in found if readability.syllables(w) != max(1, dutch.syllable_count(w.lower()))}
    assert differ == {}


def test_dutch_syllables_come_from_hyphenation_offline():
    assert readability.syllables("gemeente") == 3
    assert readability.syllables("paspoort") == 2
    assert readability.syllables("aanvragen") == 3
    assert readability.syllables("legitimatiebewijs") == 7


@pytest.mark.parametrize("score, level", [
    (95.0, "A2"), (70.0, "A2"), (69.9, "B1"), (60.0, "B1"), (59.9, "B2"), (45.0, "B2"),
    (44.9, "C1"), (-40.0, "C1"), (None, None)])
def test_level_bands_come_from_the_data_file(score, level):
    assert readability.level(score) == level


def test_bands_run_from_easy_to_hard():
    bands = readability.settings()["level"]
    assert [b["level"] for b in bands] == LEVELS
    assert [b["min"] for b in bands] == sorted((b["min"] for b in bands), reverse=True)


# --- sentences, words, fragments ------------------------------------------------------------

def test_abbreviations_before_a_lower_case_word_do_not_end_a_sentence():
    assert readability.sentences("U kunt o.a. een paspoort aanvragen. Dat kan bijv. online! "
                                 "Daarna komt u langs.") == [
        "U kunt o.a. een paspoort aanvragen.", "Dat kan bijv. online!", "Daarna komt u langs."]


def test_each_line_is_its_own_sentence_and_short_fragments_do_not_count():
    text = "Paspoort\nKosten\nU betaalt de kosten aan de balie\n€ 84,70\nU kunt pinnen."
    measured = readability.measure(text)
    assert measured["sentences"] == 2          # the headings and the price are fragments
    assert measured["words"] == 10


def test_too_little_text_gets_no_level_but_a_note():
    measured = readability.measure("Maak een afspraak. Neem een pasfoto mee.")
    assert measured["level"] is None and measured["flesch_douma"] is None
    assert measured["note"] == "too-short" and measured["words"] == 7


def test_long_sentences_are_counted_and_shown_longest_first():
    short = "Dit is een korte zin met maar acht woorden."
    long_21 = " ".join(["woord"] * 20) + " einde."
    long_30 = " ".join(["langer"] * 29) + " einde."
    measured = readability.measure("\n".join([short, long_21, short, long_30, short] * 2))
    assert measured["long_sentences"] == 4
    assert [s["words"] for s in measured["long_sentence_list"]] == [30, 30, 21, 21]
    assert measured["worst_sentence"] == long_30


# --- officialese words ------------------------------------------------------------------------

def test_the_word_list_has_over_a_hundred_words_each_with_a_plainer_one():
    words = readability.hard_word_list()
    assert len(words) >= 100
    assert words["indien"] == "als" and words["ingevolge"] == "volgens"
    assert words["verstrekken"] == "geven" and words["teneinde"] == "om"
    assert words["legitimatiebewijs"].startswith("identiteitsbewijs")
    assert all(suggestion.strip() for suggestion in words.values())


def test_every_word_on_the_list_is_found_in_a_sentence():
    for word in readability.hard_word_list():
        found = readability.hard_words([f"Dit is {word.upper()} in een zin."])
        assert [w["word"] for w in found] == [word], word


def test_hard_words_are_found_with_their_suggestion_and_sentence():
    text = ("Indien u verhuist, moet u dat melden. Wij verstrekken dan een nieuw pasje.\n"
            "Vragen met betrekking tot\nde kosten? Bel ons. U kunt ook een bezwaar indienen. "
            "INDIEN het niet lukt, bel dan.")
    found = {w["word"]: w for w in readability.hard_words(readability.sentences(text))}
    assert set(found) == {"indien", "verstrekken", "met betrekking tot"}
    assert found["indien"]["count"] == 2 and found["indien"]["suggestion"] == "als"
    assert found["indien"]["sentence"] == "Indien u verhuist, moet u dat melden."
    assert found["verstrekken"]["sentence"] == "Wij verstrekken dan een nieuw pasje."


# --- pages, tasks and the score ---------------------------------------------------------------

PLAIN = " ".join(dict(text_of("gewoon")).values())
OFFICIAL = dict(text_of("ambtelijk"))["kwijtschelding"]


def entries_of(rows: list[dict], tasks: list[dict], languages: dict | None = None) -> list[dict]:
    """The readability section's entries of page texts, as a run builds them."""
    measured = readability.measure_pages(rows, languages)
    task_pages = readability.with_sentences(measured, readability.task_of(tasks), rows, languages)
    return readability.page_entries(measured, tasks, task_pages)


def test_pages_come_hardest_first_with_their_task():
    rows = [{"url": "https://g.nl/a", "text": PLAIN}, {"url": "https://g.nl/b", "text": OFFICIAL},
            {"url": "https://g.nl/c", "text": "Te kort."}, {"url": "https://g.nl/a", "text": ""}]
    tasks = [{"id": "afval", "rank": 2, "pages": ["https://g.nl/a", "https://g.nl/b"]},
             {"id": "belasting", "rank": 1, "pages": ["https://g.nl/b"]}]
    entries = entries_of(rows, tasks)
    assert [e["url"] for e in entries] == ["https://g.nl/b", "https://g.nl/a", "https://g.nl/c"]
    assert [e["task"] for e in entries] == ["belasting", "afval", None]
    assert entries[0]["level"] == "C1" and entries[2]["note"] == "too-short"
    assert {"word": "teneinde", "suggestion": "om"} in [
        {k: w[k] for k in ("word", "suggestion")} for w in entries[0]["hard_words"]]


def test_a_page_in_another_language_gets_no_dutch_level():
    rows = [{"url": f"https://g.nl/{lang}", "text": OFFICIAL} for lang in ("nl", "en", "x")]
    entries = entries_of(rows, [], {"https://g.nl/nl": "nl-NL",
                                                  "https://g.nl/en": "en"})
    by_url = {e["url"].rsplit("/", 1)[1]: e for e in entries}
    assert by_url["nl"]["level"] == by_url["x"]["level"] == "C1"
    assert by_url["en"]["level"] is None and by_url["en"]["note"] == "other-language"
    assert by_url["en"]["words"] == by_url["nl"]["words"] and by_url["en"]["hard_words"] == []


def test_only_task_pages_and_the_hardest_keep_their_sentences(monkeypatch):
    limits = {**readability.settings()["limits"], "detail_pages": 1}
    monkeypatch.setitem(readability.settings(), "limits", limits)
    rows = [{"url": f"https://g.nl/{i}", "text": OFFICIAL} for i in range(3)]
    entries = entries_of(rows, [{"id": "t", "rank": 1,
                                               "pages": ["https://g.nl/2"]}])
    kept = {e["url"]: e["detail"] for e in entries}
    assert kept == {"https://g.nl/0": True, "https://g.nl/1": False, "https://g.nl/2": True}
    plain = next(e for e in entries if not e["detail"])
    assert plain["long_sentence_list"] == [] and "sentence" not in plain["hard_words"][0]
    assert plain["worst_sentence"] is None and plain["long_sentences"] == 2
    assert plain["words"] and plain["flesch_douma"] is not None
    # the task page was not among the hardest kept in the pass: measured again, whole
    hardest, task = entries[0], next(e for e in entries if e["url"] == "https://g.nl/2")
    assert task["long_sentence_list"] and task["worst_sentence"]
    assert {k: task[k] for k in ("long_sentence_list", "worst_sentence", "hard_words")} == \
        {k: hardest[k] for k in ("long_sentence_list", "worst_sentence", "hard_words")}


def test_the_pass_keeps_sentences_of_the_hardest_pages_only(monkeypatch):
    """A big site: while its pages are measured, only the detail_pages hardest hold their
    sentences, so memory does not grow with the sentences of every page."""
    limits = {**readability.settings()["limits"], "detail_pages": 3}
    monkeypatch.setitem(readability.settings(), "limits", limits)
    rows = [{"url": f"https://g.nl/{i:04}", "text": OFFICIAL if i % 7 == 0 else PLAIN}
            for i in range(1500)]
    compacted = []
    real_compact = readability.compact
    monkeypatch.setattr(readability, "compact", lambda e: compacted.append(e["url"]) or
                        real_compact(e))
    measured = readability.measure_pages(rows)
    monkeypatch.setattr(readability, "compact", real_compact)
    assert len(compacted) == len(set(compacted)) == 1500 - 3   # each page at most once
    whole = [e for e in measured if e["long_sentence_list"] or e["worst_sentence"]]
    assert [e["url"] for e in whole] == ["https://g.nl/0000", "https://g.nl/0007",
                                         "https://g.nl/0014"]
    assert [e["url"] for e in measured[:3]] == [e["url"] for e in whole]
    assert len(measured) == 1500 and all(e["flesch_douma"] is not None for e in measured)
    # the same measures as one page at a time, apart from the sentences
    alone = readability.measure(rows[700]["text"])
    [again] = [e for e in measured if e["url"] == "https://g.nl/0700"]
    assert {k: v for k, v in again.items() if k != "url"} == readability.compact(dict(alone))


def test_score_is_the_share_of_task_pages_at_b1_or_easier():
    entries = entries_of(
        [{"url": "https://g.nl/a", "text": PLAIN}, {"url": "https://g.nl/b", "text": OFFICIAL},
         {"url": "https://g.nl/c", "text": OFFICIAL}],
        [{"id": "t", "rank": 1, "pages": ["https://g.nl/a", "https://g.nl/b"]}])
    assert readability.score(entries) == 50.0
    assert readability.score(entries_of([{"url": "u", "text": "kort"}], [])) is None


def site_config(**scoring) -> SiteConfig:
    return SiteConfig(name="g", start_urls=["https://g.nl/"], allowed_domains=["g.nl"],
                      scoring=scoring)


def scored(config: SiteConfig) -> dict:
    entries = entries_of([{"url": "https://g.nl/b", "text": OFFICIAL}], [])
    results = {"tasks": [], "pages": [], "letters": [], "readability": entries}
    return score_section(Gathered.of(config), results)


def test_readability_does_not_change_the_site_score_unless_the_config_asks():
    assert "readability" not in scored(site_config())
    assert scored(site_config())["site"] is None
    asked = scored(site_config(readability_weight=10))
    assert asked["readability"] == 0.0 and asked["weights"]["readability"] == 10
    assert asked["site"] == 0.0


def test_readability_weight_is_checked_in_the_config(tmp_path):
    path = tmp_path / "site.toml"
    path.write_text('[site]\nstart_urls = ["https://g.nl/"]\n[scoring]\nreadability_weight = 5\n')
    assert load(path).scoring == {"readability_weight": 5}
    path.write_text('[site]\nstart_urls = ["https://g.nl/"]\n[scoring]\nreadability_weight = -1\n')
    with pytest.raises(ConfigError, match="readability_weight"):
        load(path)


def test_switched_off_in_checks_gives_no_section():
    config = site_config()
    config.checks = {"readability": False}
    found = Gathered.of(config, page_texts=[{"url": "https://g.nl/", "text": PLAIN}])
    assert readability.measures_section(found, {}) is None
    assert readability.readability_section(found, {"readability_measures": None}) is None


def test_a_task_gets_the_readability_of_its_main_page():
    found = Gathered.of(site_config(), page_texts=[{"url": "https://g.nl/b", "text": OFFICIAL}])
    measured = readability.measures_section(found, {})
    task = {"id": "t", "rank": 1, "page": "https://g.nl/b", "pages": ["https://g.nl/b"]}
    [entry] = readability.with_task_readability([task], measured)
    assert entry["readability"]["level"] == "C1" and entry["readability"]["meets_goal"] is False
    assert "readability" not in task            # the task entry given is left as it was
    assert readability.with_task_readability([task], None) == [task]


def test_only_the_newest_nights_texts_are_kept(tmp_path):
    db = store.open_db(tmp_path / "n.db")
    runs = [store.start_run(db, site, "https://g.nl/", {}, "t") for site in ("g", "h", "g")]
    for run in runs:
        db["page_texts"].insert({"run_id": run, "url": "https://g.nl/", "text": PLAIN})
    found = gathered.load(db, runs[2], site_config())
    assert [e["url"] for e in readability.measures_section(found, {})] == ["https://g.nl/"]
    gathered.forget_older_texts(db, runs[2])
    assert sorted(r["run_id"] for r in db["page_texts"].rows) == [runs[1], runs[2]]


# --- the main text of a page ------------------------------------------------------------------

TEMPLATE = ("<header><a href='/'>Gemeente Voorbeeldstad</a><nav><a href='/x'>Menu</a></nav>"
            "</header>{}<footer><p>Stadhuisplein 1</p></footer>")


def test_main_landmark_is_the_text_and_blocks_end_lines():
    html = "<html><body>" + TEMPLATE.format(
        "<main><h1>Paspoort</h1><p>U vraagt het <a href='/a'>hier</a> aan.</p>"
        "<nav>Op deze pagina</nav><ul><li>Pasfoto</li><li>Oud paspoort</li></ul>"
        "<script>var geheim = 1;</script><p hidden>Verborgen</p></main>") + "</body></html>"
    assert main_text(html) == ("Paspoort\nU vraagt het hier aan.\nPasfoto\nOud paspoort",
                               "main", False)


def test_role_main_counts_as_the_main_landmark():
    html = "<body><div>Buiten</div><div role='main'><p>Binnen de hoofdinhoud.</p></div></body>"
    assert main_text(html)[:2] == ("Binnen de hoofdinhoud.", "main")


def test_without_main_the_body_minus_header_nav_footer_and_aside():
    html = "<html><body>" + TEMPLATE.format(
        "<div><p>Een <b>vet</b> woord<!-- cms -->en meer.</p><aside>Zie ook</aside>"
        "<div role='navigation'>Kruimelpad</div><select><option>Kies</option></select>"
        "<p aria-hidden='true'>Icoon</p></div>") + "</body></html>"
    assert main_text(html) == ("Een vet woorden meer.", "body", False)


def test_main_text_is_bounded():
    html = "<main>" + "<p>Een zin van zes woorden hier.</p>" * 2000 + "</main>"
    text, _, truncated = main_text(html)
    assert len(text) == MAX_CHARS and truncated


def test_a_score_below_every_band_is_the_hardest_level():
    assert readability.level(-2500.0) == "C1"
