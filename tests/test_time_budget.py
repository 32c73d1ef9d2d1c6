"""time_budget: the audit stops in time, the run is complete for what it did, and the next
night goes on where it stopped, taking over the audits of the night before."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import page
from tests.helpers import nachtwacht


def run(config: Path, out: Path) -> dict:
    done = nachtwacht("run", "--config", config, "--out", out)
    assert done.returncode == 0, done.stderr
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


def config(tmp_path: Path, url: str, budget: str) -> Path:
    path = tmp_path / f"site-{len(budget)}.toml"
    path.write_text(f'[site]\nname = "Stad"\nstart_urls = ["{url}"]\n{budget}\n\n'
                    '[[task]]\nid = "paspoort"\nname = "Paspoort"\nmatch = ["/paspoort"]\n\n'
                    # only axe: this test is about the night's time, not the other checks
                    '[checks]\nreflow = false\ntext_spacing = false\nkeyboard = false\n'
                    'orientation = false\nscreenshots = false\nprivacy = false\n',
                    encoding="utf-8")
    return path


def test_a_night_that_runs_out_of_time_is_finished_by_the_next(make_site, tmp_path):
    files = {"index.html": page("Home", '<a href="/paspoort">Paspoort</a>' + "".join(
        f'<a href="/p{n}">Pagina {n}</a>' for n in range(5)))}
    files["paspoort.html"] = page("Paspoort", '<img src="/x.png">')
    files.update({f"p{n}.html": page(f"Pagina {n}", f'<p>{n}</p><img src="/y{n}.png">')
                  for n in range(5)})
    server = make_site(files)
    out = tmp_path / "out"

    first = run(config(tmp_path, server.url("/"), 'time_budget = "1s"'), out)
    progress = first["run"]["audit_progress"]
    assert first["run"]["status"] == "complete"
    assert progress["left"] > 0 and progress["audited"] >= 1 and progress["reused"] == 0
    audited = {p["url"] for p in first["pages"] if p.get("audited")}
    assert any(url.endswith("/paspoort") for url in audited)     # toptaak pages first
    report = (out / "report" / "index.html").read_text(encoding="utf-8")
    assert "nog niet gecontroleerd" in report

    second = run(config(tmp_path, server.url("/"), ""), out)
    assert second["run"]["audit_progress"] == {"audited": progress["left"],
                                               "reused": progress["audited"], "left": 0}
    assert all(p.get("audited") for p in second["pages"] if p["status"] == 200)
    assert second["changes"]["fixed_violations"] == []        # nothing was fixed
    assert "nog niet gecontroleerd" not in (out / "report" / "index.html").read_text("utf-8")
