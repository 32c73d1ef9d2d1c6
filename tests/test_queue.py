"""A region on a real queue: redis-server, two Celery worker processes, three small sites.

The results of the queued runs must be those of running each site by itself.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import page
from tests.helpers import NACHTWACHT, QUICK_CHECKS, nachtwacht

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None,
                                reason="redis-server ontbreekt (apt-get install redis-server)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def broker(tmp_path):
    """A real redis-server on loopback, without persistence; its URL."""
    port = free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                               "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
                              stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def workers(broker, tmp_path):
    """Two worker processes, each running one site at a time; waits until both answer."""
    env = {**os.environ, "NACHTWACHT_BROKER": broker}
    logs = {name: (tmp_path / f"{name}.log").open("wb") for name in ("w1", "w2")}
    procs = [subprocess.Popen([*NACHTWACHT, "worker", "--name", name, "--concurrency", "1"],
                              cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=log)
             for name, log in logs.items()]
    from nachtwacht import queue
    queue.app.conf.broker_url = queue.app.conf.result_backend = broker
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if len(queue.app.control.ping(timeout=1)) >= 2:
            break
    else:
        pytest.fail("de workers antwoorden niet: " + (tmp_path / "w1.log").read_text()[-2000:])
    yield procs
    for proc in procs:
        proc.terminate()
    for proc in procs:
        proc.wait(timeout=30)
    for log in logs.values():
        log.close()


def site_config(folder: Path, name: str, url: str) -> Path:
    path = folder / f"{name.lower()}.toml"
    path.write_text(f'[site]\nname = "{name}"\nstart_urls = ["{url}"]\n'
                    f'allowed_domains = ["127.0.0.1"]\n' + QUICK_CHECKS, encoding="utf-8")
    return path


def findings(out: Path) -> dict:
    """What a run found, without run numbers, clocks and timings."""
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return {
        "pages": sorted((p["url"], p["status"], p.get("title"),
                         tuple(sorted(v["rule"] for v in p.get("violations") or [])))
                        for p in results["pages"]),
        "broken_links": sorted((b["source"], b["target"], b["reason"])
                               for b in results["broken_links"]),
        "score": results["score"],
    }


def test_three_sites_on_two_workers_find_what_single_runs_find(make_site, workers, broker,
                                                               tmp_path):
    sites = {
        "Alfa": make_site({"index.html": page("Alfa", '<a href="/weg">weg</a><a href="/b">b</a>'),
                           "b.html": page("B")}),
        "Beta": make_site({"index.html": page("Beta", '<img src="/x.png">')}),
        "Gamma": make_site({"index.html": page("Gamma", '<a href="/c">c</a>'),
                            "c.html": page("C", '<a href="/niet-er">kapot</a>')}),
    }
    configs = tmp_path / "regio"
    configs.mkdir()
    for name, server in sites.items():
        site_config(configs, name, server.url("/"))

    queued = nachtwacht("queue", configs, "--out", tmp_path / "q", "--broker", broker,
                        "--timeout", "600", cwd=tmp_path, timeout=700)
    assert queued.returncode == 0, queued.stderr
    assert (tmp_path / "q" / "index.html").exists()
    done_by = {line.rsplit(", ", 1)[-1].rstrip(")") for line in queued.stdout.splitlines()
               if " klaar (exitcode" in line}
    assert len(done_by) == 2, queued.stdout     # both workers took a site

    for name in sites:
        single = nachtwacht("run", "--config", configs / f"{name.lower()}.toml",
                            "--out", tmp_path / "s" / name.lower(), cwd=tmp_path)
        assert single.returncode == 0, single.stderr
        assert findings(tmp_path / "q" / name.lower()) == findings(tmp_path / "s" / name.lower())


def test_queue_without_a_broker_is_one_line_and_exit_3(tmp_path):
    site_config(tmp_path, "Alfa", "http://127.0.0.1:9/")
    done = nachtwacht("queue", tmp_path, "--out", tmp_path / "q",
                      "--broker", f"redis://127.0.0.1:{free_port()}/0", timeout=120)
    assert done.returncode == 3
    assert done.stderr.strip().count("\n") == 0
    assert "niet bereikbaar" in done.stderr
