"""Plain language: how hard the main text of a page is to read, and its officialese words.

Pure functions from text to measures: words, sentences, average sentence length, long
sentences, Flesch–Douma (syllables counted as textstat counts Dutch ones: pyphen's Dutch
hyphenation)
and a language level A2/B1/B2/C1 from the bands in ``data/leesbaarheid.toml``. A formula
is an indication of how hard a text is, not a judgement of its writer; the thresholds and
their sources are in docs/checks/readability.md.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pyphen import Pyphen

if TYPE_CHECKING:
    from audits.gathered import Gathered

DATA = Path(__file__).resolve().parent / "data"
WORD = re.compile(r"\w+(?:[-'’.,]\w+)*")
# A sentence ends at . ! ? (or …) before a capital, a digit or an opening quote; "o.a. de"
# and "bijv. een" (an abbreviation before a lower-case word) do not end one.
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(]?[A-ZÀ-Ý0-9])")
TOO_SHORT = "too-short"
OTHER_LANGUAGE = "other-language"     # the page says it is not in Dutch: no Dutch formula

# Dutch syllables as textstat counts them for "nl" (its pyphen branch; a test holds ours to
# textstat's on every word of the demo site): textstat itself is not imported here, since it
# pulls in NLTK (about a second at every start) for English only.
APOSTROPHE = re.compile(r"'(?![tsd]|ve|ll|re)")     # textstat keeps English contractions
PUNCTUATION = re.compile(r"[^\w\s']")


@cache
def settings() -> dict:
    """Thresholds, formula and limits (data/leesbaarheid.toml)."""
    return tomllib.loads((DATA / "leesbaarheid.toml").read_text(encoding="utf-8"))


@cache
def hard_word_list() -> dict[str, str]:
    """Officialese words and phrases with a plainer alternative (data/moeilijke_woorden.toml)."""
    data = tomllib.loads((DATA / "moeilijke_woorden.toml").read_text(encoding="utf-8"))
    return {" ".join(k.lower().split()): v for k, v in data["woorden"].items()}


@cache
def _hard_word_index() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """First word → (the entry's words, the entry), longest entry first."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for entry in hard_word_list():
        tokens = tuple(w.lower() for w in words(entry))
        index.setdefault(tokens[0], []).append((tokens, entry))
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))
    return index


def words(text: str) -> list[str]:
    """The words of a text: letters and digits, with inner hyphens, apostrophes and points."""
    return WORD.findall(text)


def sentences(text: str) -> list[str]:
    """The sentences of a text whose lines are blocks (a heading, a paragraph, a list item)."""
    found = []
    for line in text.split("\n"):
        found += [s.strip() for s in SENTENCE_END.split(line) if s.strip()]
    return found


@lru_cache(maxsize=200_000)
def syllables(word: str) -> int:
    """Syllables of one word: its hyphenation points in Dutch plus one (pyphen, offline),
    after textstat's removal of punctuation."""
    bare = PUNCTUATION.sub("", APOSTROPHE.sub("", word)).lower()
    return max(1, sum(len(_dutch().positions(part)) + 1 for part in bare.split()))


@cache
def _dutch() -> Pyphen:
    """pyphen's Dutch dictionary, read when the first word is counted (not at every start)."""
    return Pyphen(lang="nl")


def flesch_douma(word_count: int, syllable_count: int, sentence_count: int) -> float | None:
    """206.84 − 0.77 × syllables per 100 words − 0.93 × words per sentence (Douma 1960)."""
    if not word_count or not sentence_count:
        return None
    f = settings()["flesch_douma"]
    return round(f["base"] - f["per_100_syllables"] * 100 * syllable_count / word_count
                 - f["per_sentence_word"] * word_count / sentence_count, 1)


def level(score: float | None) -> str | None:
    """The language level (A2, B1, B2, C1) of a Flesch–Douma score: an approximation."""
    if score is None:
        return None
    bands = settings()["level"]
    # below the last band's minimum (a page of only link texts can score -2000) is the hardest
    return next((band["level"] for band in bands if score >= band["min"]), bands[-1]["level"])


def clip(sentence: str) -> str:
    limit = settings()["limits"]["sentence_chars"]
    return sentence if len(sentence) <= limit else sentence[:limit - 1].rstrip() + "…"


def hard_words(prose: list[str]) -> list[dict]:
    """Each officialese word or phrase found (whole words, any case), once, with its
    suggestion, how often it occurs and the first sentence it is in; most frequent first."""
    found: dict[str, dict] = {}
    index, suggestions = _hard_word_index(), hard_word_list()
    for sentence in prose:
        tokens = [w.lower() for w in words(sentence)]
        at = 0
        while at < len(tokens):
            length = 1
            for phrase, entry in index.get(tokens[at], ()):
                if tuple(tokens[at:at + len(phrase)]) == phrase:
                    item = found.setdefault(entry, {"word": entry, "suggestion": suggestions[entry],
                                                    "count": 0, "sentence": clip(sentence)})
                    item["count"] += 1
                    length = len(phrase)
                    break
            at += length
    return sorted(found.values(), key=lambda e: (-e["count"], e["word"]))


def measure(text: str) -> dict:
    """Every measure of one text. Fragments shorter than ``min_sentence_words`` (headings,
    buttons, single words in a list) are not sentences and are left out; a text with fewer
    than ``min_words`` words gets no score and no level, with ``note`` "too-short"."""
    s = settings()
    prose = []
    for sentence in sentences(text):
        tokens = words(sentence)
        if len(tokens) >= s["min_sentence_words"]:
            prose.append((sentence, tokens))
    word_count = sum(len(tokens) for _, tokens in prose)
    syllable_count = sum(syllables(w) for _, tokens in prose for w in tokens)
    long = sorted((p for p in prose if len(p[1]) > s["long_sentence_words"]),
                  key=lambda p: -len(p[1]))
    enough = word_count >= s["min_words"]
    score = flesch_douma(word_count, syllable_count, len(prose)) if enough else None
    limits = s["limits"]
    return {
        "words": word_count, "sentences": len(prose),
        "average_sentence_length": round(word_count / len(prose), 1) if prose else None,
        "syllables_per_word": round(syllable_count / word_count, 2) if word_count else None,
        "flesch_douma": score, "level": level(score),
        "note": None if enough else TOO_SHORT,
        "long_sentences": len(long),
        "long_sentence_list": [{"sentence": clip(sentence), "words": len(tokens)}
                               for sentence, tokens in long[:limits["long_sentences_shown"]]],
        "worst_sentence": clip(long[0][0]) if long else (
            clip(max(prose, key=lambda p: len(p[1]))[0]) if prose else None),
        "hard_words": hard_words([sentence for sentence, _ in prose])[
            :limits["hard_words_shown"]],
    }


def meets_goal(level_name: str | None) -> bool | None:
    """Whether a level is B1 or easier (the government's aim); None when not measured."""
    return None if level_name is None else level_name in settings()["goal"]["levels"]


def task_of(tasks: list[dict]) -> dict[str, str]:
    """Page URL → the id of the most important task it belongs to."""
    owner: dict[str, str] = {}
    for task in sorted(tasks, key=lambda t: (t.get("rank") or 999, t.get("id") or "")):
        for url in task.get("pages") or []:
            owner.setdefault(url, task["id"])
    return owner


def hardest_first(entry: dict) -> tuple:
    """Sort key: lowest Flesch–Douma first, pages without a score last, then by URL."""
    score = entry["flesch_douma"]
    return (score is None, score if score is not None else 0.0, entry["url"])


def dutch(lang: str | None) -> bool:
    """Whether a page's ``lang`` is Dutch (nl, nl-NL, nl-BE …); a page without one is taken
    to be Dutch, as the site is."""
    return not lang or lang.strip().lower().split("-")[0] == "nl"


def measure_pages(texts: Iterable[dict], languages: dict[str, str | None] | None = None
                  ) -> list[dict]:
    """Every page text (``{url, text}`` rows) measured, hardest first. A page whose
    ``languages`` entry is not Dutch gets its counts, but no score or level. Only the
    ``detail_pages`` hardest keep their sentences while the pass goes on (``compact``): a
    100,000-page site's sentences would take most of a night's memory."""
    detail = settings()["limits"]["detail_pages"]
    entries, whole, seen = [], [], set()    # whole: the entries still holding sentences
    for row in texts:
        if row["url"] not in seen:      # a URL requested twice keeps its first text
            seen.add(row["url"])
            entries.append(measure_row(row, languages))
            whole.append(entries[-1])
            if len(whole) >= 2 * detail + 1000:
                whole = _keep_hardest(whole, detail)
    _keep_hardest(whole, detail)
    entries.sort(key=hardest_first)
    return entries


def measure_row(row: dict, languages: dict[str, str | None] | None) -> dict:
    measured = measure(row["text"] or "")
    if not dutch((languages or {}).get(row["url"])):
        measured.update(flesch_douma=None, level=None, note=OTHER_LANGUAGE, hard_words=[])
    return {"url": row["url"], **measured}


def _keep_hardest(whole: list[dict], detail: int) -> list[dict]:
    """The ``detail`` hardest of ``whole``; the others lose their sentences. (A page that
    loses them here has ``detail`` harder pages already: it is not among the hardest.)"""
    whole.sort(key=hardest_first)
    for entry in whole[detail:]:
        compact(entry)
    return whole[:detail]


def compact(entry: dict) -> dict:
    """A page's measures without its sentences: its measures and words stay."""
    entry["long_sentence_list"], entry["worst_sentence"] = [], None
    entry["hard_words"] = [{k: w[k] for k in ("word", "suggestion", "count")}
                           for w in entry["hard_words"]]
    return entry


def with_sentences(measured: list[dict], urls: Iterable[str], texts: Iterable[dict],
                   languages: dict[str, str | None] | None = None) -> dict[str, dict]:
    """URL -> the whole measures of each of ``urls`` (the top-task pages), sentences
    included: as kept for the hardest pages, measured again from ``texts`` for the others
    (the same text gives the same measures)."""
    detail = settings()["limits"]["detail_pages"]
    kept = {e["url"]: e for e in measured[:detail]}
    wanted = {u for u in urls if u not in kept} & {e["url"] for e in measured[detail:]}
    found = {url: kept[url] for url in urls if url in kept}
    for row in texts:
        if row["url"] in wanted:
            wanted.discard(row["url"])
            found[row["url"]] = measure_row(row, languages)
    return found


def page_entries(measured: list[dict], tasks: list[dict],
                 task_pages: Mapping[str, dict] | None = None) -> list[dict]:
    """The results' ``readability``: one entry per measured page (``measure_pages``), in
    its order. Top-task pages (their whole measures in ``task_pages``, ``with_sentences``)
    and the ``detail_pages`` hardest keep their sentences; the others their measures and
    words."""
    owner = task_of(tasks)
    detail = settings()["limits"]["detail_pages"]
    entries = []
    for rank, found in enumerate(measured):
        found = (task_pages or {}).get(found["url"], found)
        entry = {"url": found["url"], "task": owner.get(found["url"]),
                 **{k: v for k, v in found.items() if k != "url"},
                 "meets_goal": meets_goal(found["level"])}
        entry["detail"] = entry["task"] is not None or rank < detail
        if not entry["detail"]:
            compact(entry)
        entries.append(entry)
    return entries


def with_task_readability(tasks: list[dict], measured: list[dict] | None,
                          task_pages: Mapping[str, dict] | None = None) -> list[dict]:
    """The task entries, each with its main page's ``readability`` for the scorecard (whole
    measures from ``task_pages``, ``with_sentences``); as they are when readability was not
    measured (``measured`` None)."""
    if measured is None:
        return tasks
    by_url = {e["url"]: e for e in measured} | dict(task_pages or {})
    return [{**task, "readability": task_summary(task, by_url)} for task in tasks]


def task_summary(task: dict, by_url: dict[str, dict]) -> dict | None:
    """The readability of a task's main page (its best match), for the scorecard; None
    without a measured page."""
    entry = by_url.get(task.get("page") or next(iter(task.get("pages") or []), None))
    if entry is None:
        return None
    return {"url": entry["url"], "level": entry["level"], "flesch_douma": entry["flesch_douma"],
            "meets_goal": meets_goal(entry["level"]), "note": entry["note"],
            "worst_sentence": entry["worst_sentence"], "long_sentences": entry["long_sentences"],
            "hard_words": len(entry["hard_words"])}


def score(entries: list[dict]) -> float | None:
    """The share of measured top-task pages at B1 or easier (all measured pages when no
    task page was measured); None when nothing was measured."""
    measured = [e for e in entries if e["level"] is not None]
    tasks = [e for e in measured if e["task"] is not None]
    counted = tasks or measured
    if not counted:
        return None
    return round(100.0 * sum(1 for e in counted if meets_goal(e["level"])) / len(counted), 1)


def measures_section(gathered: Gathered, results: Mapping) -> list[dict] | None:
    """Every page's main text measured (``measure_pages``), for the ``tasks`` and
    ``readability`` sections; None when the site's ``[checks] readability = false``."""
    if not gathered.config.checks.get("readability", True):
        return None
    return measure_pages(gathered.page_texts, languages_of(gathered))


def languages_of(gathered: Gathered) -> dict[str, str | None]:
    return {url: page.get("lang") for url, page in gathered.crawl.pages.items()}


def task_pages(gathered: Gathered, measured: list[dict] | None,
               tasks: list[dict]) -> dict[str, dict]:
    """URL -> the whole measures (with sentences) of every top-task page."""
    if measured is None:
        return {}
    urls = set(task_of(tasks)) | {t["page"] for t in tasks if t.get("page")}
    return with_sentences(measured, urls, gathered.page_texts, languages_of(gathered))


def readability_section(gathered: Gathered, results: Mapping) -> list[dict] | None:
    """results.json ``readability``: every HTML page with main text, hardest first (reads
    ``readability_measures`` and ``tasks``). None when readability was not measured."""
    measured = results["readability_measures"]
    if measured is None:
        return None
    found = results.get("tasks") or []
    return page_entries(measured, found, task_pages(gathered, measured, found))
