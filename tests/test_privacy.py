"""Privacy before consent: third parties, cookies and storage keys per page, and their report.

The first tests are functions over recorded data (no browser). The end-to-end test runs the
real command line twice against tests/privacy_site.py, whose third parties live on
``*.localhost`` host names that Chromium resolves to the same local server.
"""

from __future__ import annotations

import copy
import json
import re
import sqlite3

import pytest

from audits import changes, kcc, privacy
from audits.checks import privacy as recording
from nachtwacht.siteserver import SiteServer
from reports import view_privacy
from reports.render import environment, messages
from tests import privacy_site
from tests.helpers import QUICK_CHECKS, by_url, nachtwacht, results_of
from tests.report_browser import axe_violations, chromium

SITE = ["www.gemeente.nl"]


def test_a_host_belongs_to_the_party_of_its_longest_matching_pattern():
    assert privacy.classify("connect.facebook.net")["category"] == "advertising"
    assert privacy.classify("www.facebook.com")["category"] == "social"
    assert privacy.classify("fonts.gstatic.com")["name"] == "Google Fonts"
    assert privacy.classify("www.youtube-nocookie.com")["category"] == "embed"
    assert privacy.classify("region1.google-analytics.com")["name"] == "Google Analytics"
    assert privacy.classify("tracker.localhost") is None
    assert privacy.classify("notyoutube.com") is None


def test_the_sites_own_subdomains_are_no_third_party():
    assert privacy.own_host("formulieren.gemeente.nl", SITE)
    assert privacy.own_host("gemeente.nl", SITE)
    assert not privacy.own_host("gemeente.nl.cdn-host.com", SITE)
    assert not privacy.own_host("tracker.localhost", ["127.0.0.1"])
    assert privacy.own_host("127.0.0.1", ["127.0.0.1"])


def test_the_shipped_list_is_complete_data():
    seen: set[str] = set()
    for party in privacy.parties():
        assert party["category"] in privacy.CATEGORIES, party["name"]
        assert party["nl"] and party["en"] and party["source"], party["name"]
        for host in party["hosts"]:
            assert host == host.lower() and "/" not in host, host
            assert host not in seen, f"{host} listed twice"
            seen.add(host)


def test_requests_are_summarised_per_host_bounded_and_without_axe_reading_stylesheets(
        monkeypatch):
    monkeypatch.setattr(recording, "MAX_HOSTS", 2)
    requests = ([{"url": "https://cdn.example/a.css", "type": "Stylesheet", "blocked": False},
                 {"url": "https://cdn.example/a.css", "type": "XHR", "blocked": False},
                 {"url": "https://stats.example/p.gif", "type": "Image", "blocked": True},
                 {"url": "https://stats.example/q.gif", "type": "Ping", "blocked": True},
                 {"url": "data:image/png;base64,AA", "type": "Image", "blocked": False}]
                + [{"url": f"https://host{i}.example/", "type": "Script", "blocked": False}
                   for i in range(3)])
    hosts, total, left_out = recording.summarise_requests(requests)
    assert total == 6          # axe's second read of a stylesheet and data: URLs not counted
    assert left_out == 3
    assert hosts == [{"host": "stats.example", "types": ["beacon", "image"], "requests": 2,
                      "blocked": 2},
                     {"host": "cdn.example", "types": ["stylesheet"], "requests": 1,
                      "blocked": 0}]


def test_cookies_are_kept_without_their_values():
    cookies = [{"name": "_ga", "value": "GA1.1.999", "domain": ".gemeente.nl", "path": "/",
                "expires": 1_000_000 + 86400 * 400, "session": False},
               {"name": "sessie", "value": "geheim", "domain": "www.gemeente.nl",
                "session": True, "expires": -1}]
    rows = recording.cookie_rows(cookies, {"_ga": "www.googletagmanager.com"}, 1_000_000)
    assert "GA1.1.999" not in json.dumps(rows) and "geheim" not in json.dumps(rows)
    assert rows[0]["name"] == "_ga" and rows[0]["domain"] == "gemeente.nl"
    assert rows[0]["lifetime_days"] == 400 and rows[0]["script_host"] == "www.googletagmanager.com"
    assert rows[1]["lifetime_days"] is None


def records() -> dict[str, dict]:
    """Two pages as the browser recorded them: a news item and the paspoort page."""
    host = {"types": ["script"], "requests": 1, "blocked": 0}
    return {
        "https://www.gemeente.nl/nieuws/1": {
            "hosts": [{"host": "www.gemeente.nl", **host},
                      {"host": "www.youtube.com", **host, "types": ["frame"]},
                      {"host": "fonts.googleapis.com", **host, "types": ["stylesheet"]}],
            "cookies": [{"name": "YSC", "domain": "youtube.com", "script_host": None}],
            "storage": [], "requests": 3},
        "https://www.gemeente.nl/paspoort": {
            "hosts": [{"host": "fonts.googleapis.com", **host, "types": ["stylesheet"]},
                      {"host": "www.googletagmanager.com", **host, "blocked": 1},
                      {"host": "cdn.onbekend.example", **host}],
            "cookies": [{"name": "_trk", "domain": "gemeente.nl",
                         "script_host": "cdn.onbekend.example"},
                        {"name": "sessie", "domain": "www.gemeente.nl", "script_host": None}],
            "storage": [{"kind": "local", "key": "trk_id"}], "requests": 3},
    }


TASKS = [{"id": "paspoort", "rank": 1, "pages": ["https://www.gemeente.nl/paspoort"]}]
FORMS = [{"page": "https://www.gemeente.nl/contact", "action": "https://forms.example/x",
          "method": "post", "https": True, "third_party": True, "flags": ["third_party"]},
         {"page": "https://www.gemeente.nl/zoeken", "action": "https://www.gemeente.nl/z",
          "method": "get", "https": True, "third_party": False, "flags": []}]


def test_third_parties_on_top_task_pages_come_first_with_the_cookies_they_set():
    section = privacy.privacy_section(records(), SITE, TASKS, FORMS)
    parties = {p["host"]: p for p in section["third_parties"]}
    assert set(parties) == {"www.youtube.com", "fonts.googleapis.com",
                            "www.googletagmanager.com", "cdn.onbekend.example"}
    order = [p["host"] for p in section["third_parties"]]
    # on the paspoort page first, the font on two pages before those on one
    assert order[0] == "fonts.googleapis.com" and order[-1] == "www.youtube.com"
    assert parties["fonts.googleapis.com"]["pages"] == 2
    assert parties["fonts.googleapis.com"]["category"] == "font"
    assert parties["www.googletagmanager.com"]["blocked"] is True
    assert parties["www.googletagmanager.com"]["documented_cookies"] == []  # GTM sets none
    assert parties["fonts.googleapis.com"]["documented_cookies"] == []      # not blocked
    assert parties["www.youtube.com"]["cookies"] == ["YSC"]
    assert parties["cdn.onbekend.example"]["cookies"] == ["_trk"]
    assert parties["cdn.onbekend.example"]["known"] is False
    assert all(p["before_consent"] for p in section["third_parties"])
    first = section["pages"][0]
    assert first["url"].endswith("/paspoort") and first["task"] == "paspoort"
    cookies = {c["name"]: c for c in first["cookies"]}
    assert cookies["_trk"]["third_party"] and cookies["_trk"]["set_by"] == "cdn.onbekend.example"
    assert not cookies["sessie"]["third_party"]
    assert first["storage_keys"] == ["trk_id"]
    assert [f["page"] for f in section["forms"]] == ["https://www.gemeente.nl/contact"]
    assert section["summary"]["task_pages_with_third_parties"] == 1
    only_own = {"https://www.gemeente.nl/over": {
        "hosts": [{"host": "www.gemeente.nl", "types": ["script"], "requests": 3, "blocked": 0}],
        "cookies": [{"name": "sessie", "domain": "www.gemeente.nl", "script_host": None}],
        "storage": [{"kind": "local", "key": "thema"}], "requests": 3}}
    quiet = privacy.privacy_section(only_own, SITE, TASKS, [])
    assert quiet["measured_pages"] == 1 and quiet["pages"] == [] and quiet["third_parties"] == []


def test_a_blocked_service_shows_the_cookies_its_maker_documents_as_not_measured():
    blocked = {"https://www.gemeente.nl/": {
        "hosts": [{"host": "www.google-analytics.com", "types": ["script"], "requests": 2,
                   "blocked": 2}], "cookies": [], "storage": []}}
    results = {"run": {"id": 1, "site": "G", "started": None, "tool_version": "0",
                       "axe_version": None, "browser": None},
               "privacy": privacy.privacy_section(blocked, SITE, [], [])}
    party = results["privacy"]["third_parties"][0]
    assert party["blocked"] and party["cookies"] == [] and "_ga" in party["documented_cookies"]
    text = environment().get_template("privacy.html").render(
        r=results, v={"privacy": view_privacy.privacy(results, "nl"), "nav": []},
        t=messages("nl"), lang="nl", root="", current="privacy")
    assert "Volgens de maker" in text and "<code>_gid</code>" in text


def test_new_third_parties_reach_the_kcc_digest_only_after_a_measured_night():
    tonight = {"run": {"id": 2}, "privacy": privacy.privacy_section(records(), SITE, TASKS, [])}
    unmeasured = {"run": {"id": 1}, "pages": []}
    assert changes.compare(unmeasured, tonight)["new_third_parties"] == []
    before = copy.deepcopy(tonight)
    before["run"]["id"] = 1
    before["privacy"]["third_parties"] = [p for p in before["privacy"]["third_parties"]
                                          if p["host"] != "cdn.onbekend.example"]
    found = changes.compare(before, tonight)["new_third_parties"]
    assert [(p["host"], p["url"]) for p in found] == [
        ("cdn.onbekend.example", "https://www.gemeente.nl/paspoort")]
    digest = kcc.digest({"changes": changes.compare(before, tonight), "forms": []})
    assert digest["counts"]["new_third_parties"] == 1 and not digest["quiet"]


def privacy_page(lang: str) -> str:
    """privacy.html rendered alone from a results object with the privacy section above."""
    results = {"run": {"id": 3, "site": "Gemeente", "started": "2026-03-01T02:00:00+01:00",
                       "tool_version": "0.1.0", "axe_version": "4.10.2", "browser": "Chromium"},
               "privacy": privacy.privacy_section(records(), SITE, TASKS, FORMS)}
    view = {"privacy": view_privacy.privacy(results, lang), "nav": []}
    return environment().get_template("privacy.html").render(
        r=results, v=view, t=messages(lang), lang=lang, root="", current="privacy")


@pytest.mark.parametrize("lang, heading", [("nl", "Lettertypen"), ("en", "Fonts")])
def test_the_privacy_page_lists_parties_by_category_and_says_what_was_not_measured(
        lang, heading):
    text = privacy_page(lang)
    assert heading in text and "Google Fonts" in text and "cdn.onbekend.example" in text
    assert "<code>_trk</code>" in text and "forms.example" in text
    # the top task's page is named before the news item
    assert text.index("/paspoort") < text.index("/nieuws/1")
    assert ("accepteren" if lang == "nl" else "accept") in text


def test_names_copied_from_a_site_are_escaped():
    hostile = records()
    hostile["https://www.gemeente.nl/paspoort"]["cookies"].append(
        {"name": "<script>alert(1)</script>", "domain": "evil.example", "script_host": None})
    results = {"run": {"id": 1, "site": "G", "started": None, "tool_version": "0",
                       "axe_version": None, "browser": None},
               "privacy": privacy.privacy_section(hostile, SITE, TASKS, FORMS)}
    text = environment().get_template("privacy.html").render(
        r=results, v={"privacy": view_privacy.privacy(results, "nl"), "nav": []},
        t=messages("nl"), lang="nl", root="", current="privacy")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>alert" not in text


# ---------------------------------------------------------------- end to end, real browser

@pytest.fixture(scope="module")
def two_nights(tmp_path_factory):
    """Two runs against the privacy site; the second night a map appears on the contact page."""
    out = tmp_path_factory.mktemp("privacy")
    pages = dict(privacy_site.PAGES)
    with SiteServer(routes=privacy_site.routes(pages)) as server:
        config = out / "site.toml"
        config.write_text(privacy_site.config(server) + QUICK_CHECKS, encoding="utf-8")
        first = nachtwacht("run", "--config", config, "--out", out / "run")
        assert first.returncode in (0, 1), first.stderr[-2000:]
        night_one = results_of(out / "run")
        assert night_one["run"]["status"] == "complete", night_one["run"].get("error")
        contacted = privacy_site.hosts_of(server)
        title, body = pages["/contact"]
        pages["/contact"] = (title, body + privacy_site.add("iframe", title="Kaart",
                                                             src="kaart.localhost/video"))
        second = nachtwacht("run", "--config", config, "--out", out / "run")
        assert second.returncode in (0, 1), second.stderr[-2000:]
        yield {"first": night_one, "second": results_of(out / "run"), "origin": server.origin,
               "contacted": contacted, "out": out / "run"}


def test_a_real_site_lists_exactly_its_third_parties_and_their_cookies(two_nights):
    section = two_nights["first"]["privacy"]
    origin = two_nights["origin"]
    parties = {p["host"]: p for p in section["third_parties"]}
    assert set(parties) == privacy_site.THIRD_PARTIES
    pages = by_url(section["pages"], origin)
    assert set(pages["/paspoort"]["hosts"]) == {"fonts-cdn.localhost", "tracker.localhost",
                                                "beacon.localhost"}
    assert set(pages["/nieuws/bericht"]["hosts"]) == {"fonts-cdn.localhost", "embed.localhost",
                                                      "stats-blocked.localhost"}
    assert pages["/"]["hosts"] == ["fonts-cdn.localhost"]
    # the cookies of each page, measured as a first visit (nothing left from other pages)
    cookies = {path: {(c["name"], c["domain"], c["third_party"], c["set_by"])
                      for c in page["cookies"]} for path, page in pages.items()}
    own = ("sessie", "127.0.0.1", False, None)
    assert cookies["/paspoort"] == {own, ("_trk", "127.0.0.1", True, "tracker.localhost"),
                                    ("bcn", "beacon.localhost", True, None)}
    assert cookies["/nieuws/bericht"] == {own, ("emb", "embed.localhost", True, None)}
    assert cookies["/"] == cookies["/contact"] == {own}
    assert pages["/paspoort"]["storage_keys"] == ["trk_id"]
    assert parties["tracker.localhost"]["cookies"] == ["_trk"]
    assert parties["fonts-cdn.localhost"]["types"] == ["font", "stylesheet"]
    assert parties["fonts-cdn.localhost"]["pages"] == 4
    # the top task's third parties first
    assert {p["host"] for p in section["third_parties"][:3]} == {
        "fonts-cdn.localhost", "tracker.localhost", "beacon.localhost"}
    assert [f["page"] for f in section["forms"]] == [origin + "/contact"]


def test_a_blocked_host_is_recorded_as_contacted_but_never_reached(two_nights):
    parties = {p["host"]: p for p in two_nights["first"]["privacy"]["third_parties"]}
    assert parties[privacy_site.BLOCKED]["blocked"] is True
    assert parties["embed.localhost"]["blocked"] is False
    assert privacy_site.BLOCKED not in two_nights["contacted"]
    assert "tracker.localhost" in two_nights["contacted"]


def test_no_cookie_or_storage_value_is_stored(two_nights):
    values = ("1234", "xyz", "v1", "bezoeker-42", "sessie=abc")
    out = two_nights["out"]
    text = (out / "results.json").read_text(encoding="utf-8")
    with sqlite3.connect(out / "nachtwacht.db") as db:
        facts = " ".join(row[0] for row in db.execute(
            "select value from page_facts where name = 'privacy'"))
    assert facts and "trk_id" in facts
    for value in values:
        assert not re.search(rf"\b{re.escape(value)}\b", facts), value
        assert not re.search(rf"[\"=]{re.escape(value)}\b", text), value


def test_the_second_night_names_the_new_third_party_for_the_kcc(two_nights):
    second = two_nights["second"]
    assert [p["host"] for p in second["changes"]["new_third_parties"]] == ["kaart.localhost"]
    assert [p["host"] for p in second["kcc"]["new_third_parties"]] == ["kaart.localhost"]
    report = two_nights["out"] / "report"
    assert "kaart.localhost" in (report / "kcc.html").read_text(encoding="utf-8")
    privacy_page = (report / "privacy.html").read_text(encoding="utf-8")
    for host in privacy_site.THIRD_PARTIES | {"kaart.localhost"}:
        assert host in privacy_page


def test_the_privacy_page_passes_axe_and_runs_nothing(two_nights):
    page = two_nights["out"] / "report" / "privacy.html"
    with chromium() as browser:
        assert axe_violations(browser, [page]) == {}
        assert browser.execute_script("return document.scripts.length") == 0


def test_the_database_shows_hosts_cookies_and_storage_keys_as_plain_rows(two_nights):
    with sqlite3.connect(two_nights["out"] / "nachtwacht.db") as db:
        hosts = {row[0] for row in db.execute(
            "select host from privacy_hosts where run_id = 1 and blocked_requests = requests")}
        cookies = set(db.execute("select name, domain, set_by_script_on from privacy_cookies "
                                 "where run_id = 1 and page like '%/paspoort'"))
        keys = list(db.execute("select page, kind, key from privacy_storage where run_id = 1"))
    assert hosts == {privacy_site.BLOCKED}
    assert cookies == {("_trk", "127.0.0.1", "tracker.localhost"), ("sessie", "127.0.0.1", None),
                       ("bcn", "beacon.localhost", None)}
    assert [(page.rsplit("/", 1)[1], kind, key) for page, kind, key in keys] == [
        ("paspoort", "local", "trk_id")]
