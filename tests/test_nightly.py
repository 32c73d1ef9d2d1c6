"""Nightly operation end to end: no overlapping runs, interrupted and killed runs, history."""

from __future__ import annotations

import signal
import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from nachtwacht.siteserver import send
from tests.conftest import page
from tests.helpers import QUICK_CHECKS, Started, nachtwacht, quick, start

SLOW_PAGES = 12


def slow_page(handler) -> None:
    time.sleep(0.4)
    send(handler, 200, page("Langzaam"))


@pytest.fixture
def slow_site(make_site, tmp_path):
    """A site whose pages each take 0.4 s, crawled one request at a time."""
    links = "".join(f'<a href="/langzaam/{n}">Pagina {n}</a> ' for n in range(SLOW_PAGES))
    server = make_site({"index.html": page("Home", f"<nav>{links}</nav>")},
                       routes={f"/langzaam/{n}": slow_page for n in range(SLOW_PAGES)})
    config = tmp_path / "site.toml"
    config.write_text(f'[site]\nname = "Traag"\nstart_urls = ["{server.url("/")}"]\n'
                      "concurrency_per_host = 1\n" + QUICK_CHECKS, encoding="utf-8")
    return server, config


def start_run(config, out) -> Started:
    return start("run", "--config", config, "--out", out)


def wait_for_crawl(server, timeout: float = 60) -> None:
    """Until the crawl has fetched at least two of the slow pages."""
    deadline = time.monotonic() + timeout
    while sum("/langzaam/" in p for p in server.paths()) < 2:
        assert time.monotonic() < deadline, "the crawl did not start"
        time.sleep(0.05)


def runs(out) -> list[tuple]:
    with sqlite3.connect(out / "nachtwacht.db") as db:
        return db.execute("select id, status, error from runs order by id").fetchall()


def test_a_second_run_on_the_same_out_is_refused_at_once(make_site, tmp_path):
    # The first run's crawl is held at /vast until the second has answered: "at once" is
    # "while the first still runs", not a number of seconds (a busy machine starts slowly).
    gate, asked = threading.Event(), threading.Event()

    def held(handler) -> None:
        asked.set()
        gate.wait(120)
        send(handler, 200, page("Eindelijk"))

    server = make_site({"index.html": page("Home", '<a href="/vast">Vast</a>')},
                       routes={"/vast": held})
    config = tmp_path / "site.toml"
    config.write_text(f'[site]\nname = "Traag"\nstart_urls = ["{server.url("/")}"]\n'
                      "concurrency_per_host = 1\ntimeout = 120\n" + QUICK_CHECKS,
                      encoding="utf-8")
    out = tmp_path / "out"
    first = start_run(config, out)
    assert asked.wait(60), "the crawl did not start"
    try:
        second = nachtwacht("run", "--config", config, "--out", out, timeout=60)
        assert first.poll() is None         # refused while the first still runs
    finally:
        gate.set()
    assert second.returncode == 3
    assert "er loopt al een controle" in second.stderr
    assert f"proces {first.pid}" in second.stderr
    assert "Traceback" not in second.stderr
    assert first.wait(timeout=120) == 0, first.stderr
    assert [(run_id, status) for run_id, status, _ in runs(out)] == [(1, "complete")]


def test_sigterm_mid_crawl_records_the_run_as_incomplete(slow_site, tmp_path):
    server, config = slow_site
    out = tmp_path / "out"
    run = start_run(config, out)
    wait_for_crawl(server)
    run.send_signal(signal.SIGTERM)
    assert run.wait(timeout=60) == 3
    stderr = run.stderr.read()
    assert "onderbroken" in stderr and "onvolledig" in stderr
    assert "Traceback" not in stderr
    assert runs(out) == [(1, "incomplete", "onderbroken (SIGTERM/SIGINT tijdens het crawlen)")]
    # The lock went with the process: the next run may start, goes on with the interrupted
    # crawl (tests/test_crawl_resume.py) and is complete.
    again = nachtwacht("run", "--config", config, "--out", out)
    assert again.returncode == 0, again.stderr
    assert runs(out) == [(1, "complete", None)]


def table_rows(out, run_id: int) -> dict[str, list]:
    with sqlite3.connect(out / "nachtwacht.db") as db:
        return {table: db.execute(f"select * from {table} where run_id = ? order by id",
                                  [run_id]).fetchall()
                for table in ("pages", "links", "forms", "sitemap_entries")} | {
            "run": db.execute("select * from runs where id = ?", [run_id]).fetchall()}


def test_sigkill_mid_crawl_leaves_the_history_intact(slow_site, tmp_path):
    server, config = slow_site
    out = tmp_path / "out"
    assert nachtwacht("run", "--config", config, "--out", out).returncode == 0
    first_run = table_rows(out, 1)

    server.requests.clear()
    killed = start_run(config, out)
    wait_for_crawl(server)
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=30)
    assert runs(out)[1][1] == "running"     # nobody could record it: the process is gone
    db = sqlite3.connect(out / "nachtwacht.db")     # killed last night: not resumed tonight
    db.execute("update runs set started = ? where id = 2",
               [(datetime.now(UTC) - timedelta(hours=13)).isoformat(timespec="seconds")])
    db.commit()
    db.close()

    good = nachtwacht("run", "--config", config, "--out", out)
    assert good.returncode == 0, good.stderr
    assert runs(out) == [(1, "complete", None),
                         (2, "incomplete", "afgebroken: het proces bestond niet meer"),
                         (3, "complete", None)]
    with sqlite3.connect(out / "nachtwacht.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert table_rows(out, 1) == first_run
    # The good run compares with the last complete run, not with the killed one.
    history = nachtwacht("history", "--out", out)
    assert history.returncode == 0
    lines = history.stdout.splitlines()
    assert "afgebroken: het proces bestond niet meer" in history.stdout
    assert [line.split()[:3] for line in lines if line.split()[0].isdigit()] == [
        ["1", runs_started(out, 1), "complete"], ["2", runs_started(out, 2), "incomplete"],
        ["3", runs_started(out, 3), "complete"]]


def runs_started(out, run_id: int) -> str:
    with sqlite3.connect(out / "nachtwacht.db") as db:
        return db.execute("select started from runs where id = ?", [run_id]).fetchone()[0]


def slow_image(handler) -> None:
    time.sleep(3)
    send(handler, 200, b"GIF89a", content_type="image/gif")


def test_sigterm_during_the_browser_audit_records_the_run_as_incomplete(make_site, tmp_path):
    image = '<img src="/traag.gif" alt="">'
    server = make_site({"index.html": page("Home", "".join(
        f'<a href="/p{n}">Pagina {n}</a> ' for n in range(6)) + image),
        **{f"p{n}.html": page(f"Pagina {n}", image) for n in range(6)}},
        routes={"/traag.gif": slow_image})
    out = tmp_path / "out"
    run = start("run", server.url("/"), *quick(tmp_path), "--out", out)
    deadline = time.monotonic() + 120
    while not any("HeadlessChrome" in r.headers.get("User-Agent", "") for r in server.requests):
        assert time.monotonic() < deadline and run.poll() is None, "no browser audit started"
        time.sleep(0.05)
    run.send_signal(signal.SIGTERM)
    assert run.wait(timeout=60) == 3
    stderr = run.stderr.read()
    assert "onvolledig" in stderr and "Traceback" not in stderr
    assert runs(out) == [(1, "incomplete", "onderbroken (SIGTERM)")]


def test_an_internal_error_is_exit_4_with_the_run_failed_and_the_traceback_in_the_log(
        make_site, tmp_path):
    # NACHTWACHT_TEST_INTERNAL_ERROR (nachtwacht/run.py, for tests only) raises right after
    # the crawl, as a bug in an analysis would.
    server = make_site({"index.html": page("Home")})
    out = tmp_path / "out"
    done = nachtwacht("run", server.url("/"), "--out", out, timeout=120,
                      extra_env={"NACHTWACHT_TEST_INTERNAL_ERROR": "1"})
    assert done.returncode == 4
    error = "interne fout in nachtwacht (RuntimeError: NACHTWACHT_TEST_INTERNAL_ERROR is gezet)"
    assert done.stderr.strip() == f"nachtwacht: {error}; details in {out / 'nachtwacht.log'}"
    assert runs(out) == [(1, "failed", error)]
    log = (out / "nachtwacht.log").read_text(encoding="utf-8")
    assert "Traceback (most recent call last):" in log and 'raise RuntimeError(' in log
    assert not (out / "results.json").exists()
    # A failed run is history, not a comparison point: the next night runs normally.
    assert nachtwacht("history", "--out", out).returncode == 0
