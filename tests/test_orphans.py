"""Orphans known from an earlier run: a page that lost its last link is still found."""

from __future__ import annotations

from tests.conftest import page
from tests.helpers import nachtwacht, quick, results_of


def test_page_that_lost_its_link_is_an_orphan_found_via_history(make_site, tmp_path):
    site = make_site({
        "index.html": page("Home", '<a href="/a">Afval</a> <a href="/b">Burgerzaken</a>'),
        "a.html": page("Afval"),
        "b.html": page("Burgerzaken"),
    })
    first = nachtwacht("run", site.url("/"), *quick(tmp_path), "--out", tmp_path)
    assert first.returncode in (0, 1), first.stderr[-2000:]
    assert results_of(tmp_path)["orphans"] == []

    (site.root / "index.html").write_text(page("Home", '<a href="/b">Burgerzaken</a>'))
    second = nachtwacht("run", site.url("/"), *quick(tmp_path), "--out", tmp_path)
    assert second.returncode in (0, 1), second.stderr[-2000:]
    orphans = results_of(tmp_path)["orphans"]
    assert [(o["url"], o["kind"], o["found_via"]) for o in orphans] == [
        (site.url("/a"), "page", "history")]
