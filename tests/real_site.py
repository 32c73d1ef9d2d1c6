"""Helpers for the real-site tests (tests/test_real_site_*.py): a crawl without the browser.

``crawl_only`` runs the real Scrapy crawl and the real analyses (results.build, the changes
against the previous night) in a new process (forked from the tests' fork server,
tests/helpers.py), as ``nachtwacht run`` does, but skips the audit browser, so these tests
stay fast. The end-to-end tests use the real command line.
"""

from __future__ import annotations

import json
from pathlib import Path

from core import config as cfg
from core import store
from crawler import health
from nachtwacht import crawl, results
from reports import render
from tests.helpers import forked

REPO = Path(__file__).resolve().parents[1]


def _crawl(source: str, out: Path, report: bool) -> int:
    """In the forked process: the crawl and the analyses of ``nachtwacht run``, no browser."""
    conf = cfg.load(source) if source.endswith(".toml") else cfg.site_from_url(source)
    out.mkdir(parents=True, exist_ok=True)
    db_path = out / "nachtwacht.db"
    db = store.open_db(db_path)
    run_id = store.start_run(db, conf.name, conf.start_urls[0], {}, "test")
    stats = crawl.crawl(conf, str(db_path), run_id, str(out / "crawl.log"))
    outcome = results.build(db, run_id, conf, previous=results.previous(out, db, conf.name, run_id))
    note = health.crawl_note(stats)
    outcome["run"]["status"] = "incomplete" if note else "complete"
    outcome["run"]["error"] = note
    results.archive(outcome, out)
    store.finish_run(db, run_id, outcome["run"]["status"])
    (out / "crawl.json").write_text(json.dumps({"results": outcome, "stats": stats}, default=str))
    if report:
        render.render_report(outcome, out / "report", history=[], lang="nl")
    return 0


def crawl_only(source: str | Path, out: Path, report: bool = False, timeout: float = 180) -> dict:
    """Crawl ``source`` (a start URL or a config file) into ``out``; returns the results."""
    child = forked(_crawl, str(source), Path(out), report, cwd=REPO)
    try:
        code = child.wait(timeout)
    finally:
        if child.returncode is None:
            child.kill()
            child.wait()
    assert code == 0, child.output("stderr")[-3000:]
    return json.loads((Path(out) / "crawl.json").read_text(encoding="utf-8"))["results"]


def config_file(path: Path, start_urls: list[str], **site) -> Path:
    """A site configuration with ``[site]`` keys (lists and numbers written as TOML)."""
    lines = ["[site]", f"start_urls = {json.dumps(start_urls)}"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in site.items()]
    lines += ["", "[[task]]", 'id = "home"', 'name = "Home"', 'match = ["^/$"]']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def paths(entries: list[dict], origin: str, key: str = "url") -> set[str]:
    return {e[key].removeprefix(origin) for e in entries}
