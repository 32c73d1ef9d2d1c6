"""The audit on a real Selenium Grid (the official server jar, standalone mode).

The grid runs Debian's chromedriver and Chromium; nachtwacht is pointed at it with
``grid_url`` and several browsers, and must find exactly what local browsers find.
Skipped when Java or the jar is missing (`.ci/run` installs the jar).
"""

from __future__ import annotations

import json
import threading
import urllib.request

import pytest

from bench import grid
from tests.conftest import page
from tests.helpers import nachtwacht, results_of

SESSIONS = 3

pytestmark = pytest.mark.skipif(grid.missing() is not None,
                                reason=f"geen Selenium Grid: {grid.missing()}")


@pytest.fixture(scope="module")
def selenium_grid():
    """A Selenium Grid on a free port of 127.0.0.1, ready for SESSIONS Chromium sessions."""
    with grid.SeleniumGrid(sessions=SESSIONS) as running:
        yield running


class BusySlots:
    """Polls the grid's /status while a run goes on; ``peak`` is the most sessions at once."""

    def __init__(self, url: str):
        self.url, self.peak, self.stop = url, 0, threading.Event()
        self.thread = threading.Thread(target=self.poll, daemon=True)

    def poll(self):
        while not self.stop.wait(0.2):
            try:
                with urllib.request.urlopen(self.url + "/status", timeout=2) as answer:
                    nodes = json.load(answer)["value"]["nodes"]
            except (OSError, ValueError, KeyError):
                continue
            busy = sum(1 for node in nodes for slot in node["slots"] if slot.get("session"))
            self.peak = max(self.peak, busy)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def site_pages() -> dict[str, str]:
    """Twelve pages, most with a planted violation, all linked from the home page."""
    files = {}
    links = "".join(f'<li><a href="/p{n}.html">Pagina {n}</a></li>' for n in range(12))
    files["index.html"] = page("Home", f"<ul>{links}</ul>")
    for n in range(12):
        kind = n % 4
        body = {0: '<img src="/x.png">',                               # image-alt
                1: '<input type="text" name="postcode">',               # label
                2: '<a href="/"><img src="/x.png" alt=""></a>',         # link-name
                3: "<p>Niets mis.</p>"}[kind]
        files[f"p{n}.html"] = page(f"Pagina {n}", body)
    return files


def findings(out) -> dict[str, list[tuple[str, int]]]:
    """Per page path: (rule, nodes) of every violation."""
    return {p["url"].split("/", 3)[3]: sorted((v["rule"], v["nodes"]) for v in p["violations"])
            for p in results_of(out)["pages"] if p.get("audited")}


def config(tmp_path, origin: str, name: str, extra: str) -> str:
    path = tmp_path / f"{name}.toml"
    path.write_text(f'[site]\nname = "Grid"\nstart_urls = ["{origin}/"]\n'
                    f'allowed_domains = ["127.0.0.1"]\n{extra}', encoding="utf-8")
    return str(path)


def test_audit_on_the_grid_finds_what_local_browsers_find(selenium_grid, make_site, tmp_path):
    site = make_site(site_pages())
    local = nachtwacht("run", "--config", config(tmp_path, site.origin, "local", "browsers = 2\n"),
                       "--out", tmp_path / "local")
    assert local.returncode in (0, 1), local.stderr
    on_grid = config(tmp_path, site.origin, "grid",
                     f'browsers = {SESSIONS}\ngrid_url = "{selenium_grid.url}"\n')
    with BusySlots(selenium_grid.url) as slots:
        remote = nachtwacht("run", "--config", on_grid, "--out", tmp_path / "grid")
    assert remote.returncode in (0, 1), remote.stderr

    expected = findings(tmp_path / "local")
    assert len(expected) == 13
    assert sum(1 for found in expected.values() if found) >= 9
    assert findings(tmp_path / "grid") == expected
    assert slots.peak >= 2, "the grid never ran two sessions at once"
    assert results_of(tmp_path / "grid")["run"]["pages_audited"] == 13
