"""Incremental re-runs: unchanged pages keep their audit, no browser loads them again."""

from __future__ import annotations

import sqlite3

import pytest

from tests.conftest import page
from tests.helpers import nachtwacht, quick, results_of

PAGES = [f"/dienst-{n}" for n in range(6)]


def browser_loads(server, since: int = 0) -> list[str]:
    """Page paths that Chromium (not the crawler) requested, from request number ``since``."""
    return sorted(r.path for r in server.requests[since:]
                  if "HeadlessChrome" in r.headers.get("User-Agent", "")
                  and r.path.rstrip("/") in ["", *PAGES])


def violations(results: dict) -> dict[str, list[str]]:
    return {p["url"]: sorted(v["rule"] for v in p.get("violations") or [])
            for p in results["pages"]}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from nachtwacht.siteserver import SiteServer

    root = tmp_path_factory.mktemp("incremental")
    links = "".join(f'<a href="{p}">Dienst {p[-1]}</a> ' for p in PAGES)
    (root / "index.html").write_text(page("Home", f"<nav>{links}</nav>"), encoding="utf-8")
    for path in PAGES:
        image = '<img src="/foto.png">' if path.endswith("0") else ""
        (root / f"{path[1:]}.html").write_text(page(f"Dienst {path[-1]}", image),
                                               encoding="utf-8")
    with SiteServer(root=root) as server:
        yield server, root, tmp_path_factory.mktemp("out")


def test_unchanged_rerun_reaudits_nothing_and_keeps_the_findings(site):
    server, root, out = site
    assert nachtwacht("run", server.url("/"), *quick(out), "--out", out).returncode == 0
    assert browser_loads(server) == sorted(["/", *PAGES])
    first = results_of(out)

    mark = len(server.requests)
    again = nachtwacht("run", server.url("/"), *quick(out), "--out", out)
    assert again.returncode == 0, again.stderr
    assert browser_loads(server, mark) == []
    second = results_of(out)
    assert violations(second) == violations(first)
    assert violations(second)[server.url("/dienst-0")] == ["image-alt"]
    assert all(p["audited"] for p in second["pages"])
    assert second["changes"]["new_violations"] == second["changes"]["fixed_violations"] == []
    with sqlite3.connect(out / "nachtwacht.db") as db:
        assert db.execute("select count(*), min(reused_from), max(reused_from) from audits "
                          "where run_id = 2").fetchone() == (7, 1, 1)

    # One page changes: only that page is loaded in the browser again.
    (root / "dienst-3.html").write_text(page("Dienst 3", "<p>Nieuwe openingstijden</p>"),
                                        encoding="utf-8")
    mark = len(server.requests)
    assert nachtwacht("run", server.url("/"), *quick(out), "--out", out).returncode == 0
    assert browser_loads(server, mark) == ["/dienst-3"]

    # --full audits everything again.
    mark = len(server.requests)
    assert nachtwacht("run", server.url("/"), *quick(out), "--out", out,
                      "--full").returncode == 0
    assert browser_loads(server, mark) == sorted(["/", *PAGES])
