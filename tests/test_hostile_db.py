"""The history database under stress: readers during a run, and runs killed at random moments."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import hostile_site as hs
from tests.helpers import Started, nachtwacht, quick, start

KILLS = int(os.environ.get("NACHTWACHT_KILLS", "10"))
CHECK_EVERY = 3         # a whole run to the end after every 3rd kill: bounded time on 2 cores

READER = """
import sqlite3, sys, time
db, stop, reads, errors = sys.argv[1], sys.argv[2], 0, []
import pathlib
while not pathlib.Path(stop).exists():
    try:
        with sqlite3.connect(db, timeout=30) as conn:
            conn.execute("select count(*) from pages").fetchone()
            conn.execute("select id, status from runs").fetchall()
        reads += 1
    except sqlite3.Error as error:
        errors.append(str(error))
    time.sleep(0.01)
print(reads, len(errors), errors[:3])
"""


@pytest.fixture
def small_site(make_site):
    """A dozen pages, each answered a little slowly, so a run lasts a few seconds."""
    def slowish(handler):
        time.sleep(0.05)
        hs.send(handler, 200, hs.page("Langzaam", hs.links_to("/")))
    files = {"index.html": hs.page("Home", hs.links_to(*[f"/p{i}" for i in range(12)]))}
    server = make_site(files, routes={f"/p{i}": slowish for i in range(12)})
    hs.SERVERS.append(server)
    return server


def integrity(out: Path) -> str:
    with sqlite3.connect(out / "nachtwacht.db", timeout=30) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


def statuses(out: Path) -> list[str]:
    with sqlite3.connect(out / "nachtwacht.db", timeout=30) as db:
        return [s for (s,) in db.execute("select status from runs order by id")]


def start_run(url: str, out: Path) -> Started:
    return start("run", url, *quick(out.parent), "--out", out)


def test_two_readers_while_a_run_writes(small_site, tmp_path):
    out = tmp_path / "out"
    assert nachtwacht("run", small_site.url("/"), *quick(out.parent), "--out", out).returncode == 0
    stop = tmp_path / "stop"
    readers = [subprocess.Popen([sys.executable, "-c", READER, str(out / "nachtwacht.db"),
                                 str(stop)], stdout=subprocess.PIPE, text=True)
               for _ in range(2)]
    writer = nachtwacht("run", small_site.url("/"), *quick(out.parent), "--out", out)
    history = nachtwacht("history", "--out", out)
    stop.touch()
    for reader in readers:
        reads, errors, examples = reader.communicate(timeout=60)[0].split(maxsplit=2)
        assert int(errors) == 0, examples
        assert int(reads) > 10
    assert writer.returncode == 0, writer.stderr
    assert history.returncode == 0
    assert statuses(out) == ["complete", "complete"]
    assert integrity(out) == "ok"


def test_runs_killed_at_random_moments_never_damage_the_history(small_site, tmp_path):
    out = tmp_path / "out"
    started = time.monotonic()
    assert nachtwacht("run", small_site.url("/"), *quick(out.parent), "--out", out).returncode == 0
    full_run = time.monotonic() - started
    # One moment in each of KILLS equal slices of a whole run, at random within its slice
    # (reproducible): every stage is hit, with fewer kills than uniform moments would need.
    rng = random.Random(9)
    moments = []
    for kill in range(1, KILLS + 1):
        run = start_run(small_site.url("/"), out)
        moment = 0.1 + (kill - 1 + rng.random()) * (full_run - 0.1) / KILLS
        time.sleep(moment)
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=30)
        moments.append(round(moment, 2))
        assert integrity(out) == "ok", moments
        if kill % CHECK_EVERY and kill != KILLS:
            continue
        after = nachtwacht("run", small_site.url("/"), *quick(out.parent), "--out", out)
        assert after.returncode == 0, (moments, after.stderr)
        assert integrity(out) == "ok", moments
        assert statuses(out)[-1] == "complete"
    runs = statuses(out)
    assert "running" not in runs                     # killed runs are recorded, not left open
    assert runs.count("complete") >= 1 + len(range(CHECK_EVERY, KILLS + 1, CHECK_EVERY))
    # some kills did land mid-run: a killed audit leaves the run incomplete, a killed crawl
    # goes on in the next run (nachtwacht/crawljob.py)
    log = (out / "nachtwacht.log").read_text(encoding="utf-8")
    assert "incomplete" in runs or "gaat verder:" in log
    assert set(runs) <= {"complete", "incomplete"}
