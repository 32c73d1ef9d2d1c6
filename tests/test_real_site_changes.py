"""A night of 429s and server errors is not "removed pages", and a broken link is only fixed
when its page was read again: two real nights against one real local site."""

from __future__ import annotations

from nachtwacht.siteserver import SiteServer, send
from tests.conftest import page
from tests.real_site import crawl_only

NIGHT_1 = {
    "/": page("Home", "".join(f'<a href="/{p}">{p}</a> ' for p in "abcde")),
    "/a": page("A", '<a href="/weg">Kapot op A</a>'),
    "/b": page("B"),
    "/c": page("C"),
    "/d": page("D"),
    "/e": page("E", '<a href="/weg-e">Kapot op E</a>'),
}
# Night 2: A is refused (429), B has a server error, C is really gone, E's link was repaired.
NIGHT_2 = {**NIGHT_1, "/a": 429, "/b": 503, "/c": 404, "/e": page("E", "Gerepareerd")}


def start(night: dict) -> tuple[SiteServer, dict]:
    state = {"night": night}

    def answer(handler):
        body = state["night"].get(handler.path.split("?")[0], 404)
        if isinstance(body, int):
            send(handler, body, page(str(body)))
        else:
            send(handler, 200, body)

    routes = {path: answer for path in [*NIGHT_1, "/weg", "/weg-e"]}
    return SiteServer(routes=routes).start(), state


def test_pages_not_got_tonight_are_not_removed_and_their_links_not_fixed(tmp_path):
    site, state = start(NIGHT_1)
    try:
        first = crawl_only(site.url("/"), tmp_path / "out")
        state["night"] = NIGHT_2
        second = crawl_only(site.url("/"), tmp_path / "out")
    finally:
        site.stop()
    short = site.origin
    assert {(b["source"].removeprefix(short), b["target"].removeprefix(short))
            for b in first["broken_links"]} == {("/a", "/weg"), ("/e", "/weg-e")}
    statuses = {p["url"].removeprefix(short): (p["status"], p["fetch_error"])
                for p in second["pages"]}
    assert statuses["/a"] == (429, "busy") and statuses["/b"][0] == 503
    changes = second["changes"]
    assert changes["previous_run"] == first["run"]["id"]
    assert [p["url"].removeprefix(short) for p in changes["removed_pages"]] == ["/c"]
    assert [(b["source"].removeprefix(short), b["target"].removeprefix(short))
            for b in changes["fixed_broken_links"]] == [("/e", "/weg-e")]
    # links to the page that is gone, and to the one with a server error, did break tonight
    assert {(b["target"].removeprefix(short), b["status"]) for b in changes["new_broken_links"]} \
        == {("/b", 503), ("/c", 404)}
    assert [p["url"].removeprefix(short) for p in second["kcc"]["removed_pages"]] == ["/c"]
