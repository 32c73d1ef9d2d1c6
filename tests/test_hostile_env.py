"""A hostile environment: unreachable sites, an output folder that cannot be written, a full disk.

Each ends in exit code 3 with one line that says what is wrong, and a database that is
still whole (``PRAGMA integrity_check``) with no run left 'running'.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests import hostile_site as hs
from tests.helpers import NACHTWACHT, checks_off, nachtwacht, quick


def one_line_error(done: subprocess.CompletedProcess) -> str:
    """The process failed with exit 3 and a single 'nachtwacht: …' line, no traceback."""
    assert done.returncode == 3, (done.returncode, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nachtwacht: "), done.stderr
    return lines[0]


def database_state(out: Path) -> tuple[str, list[str]]:
    """integrity_check's answer and the status of every run."""
    with sqlite3.connect(out / "nachtwacht.db") as db:
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        statuses = [s for (s,) in db.execute("select status from runs order by id")]
    return integrity, statuses


@pytest.fixture
def small_site(make_site):
    files = {"index.html": hs.page("Home", hs.links_to(*[f"/p{i}" for i in range(6)]))}
    files.update({f"p{i}.html": hs.page(f"Pagina {i}", hs.links_to("/")) for i in range(6)})
    server = make_site(files)
    hs.SERVERS.append(server)
    return server


def test_an_unknown_host_is_exit_3_naming_dns(tmp_path):
    done = nachtwacht("run", "http://nachtwacht-bestaat-niet.invalid/", "--out", tmp_path / "out")
    assert "(DNS)" in one_line_error(done)
    assert database_state(tmp_path / "out") == ("ok", ["failed"])


def test_a_start_page_slower_than_the_timeout_is_exit_3(make_site, tmp_path):
    server = make_site(routes={"/": hs.slow})
    hs.SERVERS.append(server)
    config = tmp_path / "site.toml"
    config.write_text(hs.config_text(server), encoding="utf-8")
    done = nachtwacht("run", "--config", config, "--out", tmp_path / "out")
    assert "niet op tijd" in one_line_error(done)


@pytest.mark.parametrize("out", ["bestand", "bestand/map"])
def test_an_output_folder_that_is_a_file_is_a_clear_error(small_site, tmp_path, out):
    (tmp_path / "bestand").write_text("geen map")
    done = nachtwacht("run", small_site.url("/"), *quick(tmp_path), "--out", tmp_path / out)
    assert str(tmp_path / "bestand") in one_line_error(done)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere: no read-only folder")
def test_a_read_only_output_folder_is_a_clear_error(small_site, tmp_path):
    (tmp_path / "alleen-lezen").mkdir(mode=0o500)
    done = nachtwacht("run", small_site.url("/"), *quick(tmp_path),
                      "--out", tmp_path / "alleen-lezen" / "out")
    assert "alleen-lezen" in one_line_error(done)


def run_with_file_size_limit(url: str, out: Path, limit: int) -> subprocess.CompletedProcess:
    """``nachtwacht run`` in a process that may not write a file beyond ``limit`` bytes."""
    def limit_files():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return subprocess.run([*NACHTWACHT, "run", url, "--config", str(checks_off(out.parent)),
                           "--out", str(out)], capture_output=True,
                          text=True, timeout=120, preexec_fn=limit_files, check=False)


def test_a_file_size_limit_while_writing_leaves_the_database_whole(small_site, tmp_path):
    base = tmp_path / "base"
    assert nachtwacht("run", small_site.url("/"), *quick(tmp_path), "--out", base).returncode == 0
    for kb in (48,):
        out = tmp_path / f"limit-{kb}"
        shutil.copytree(base, out)
        done = run_with_file_size_limit(small_site.url("/"), out, kb * 1024)
        one_line_error(done)
        integrity, statuses = database_state(out)
        # Without room to record the failure, the run may stay 'running' until the next one.
        assert integrity == "ok" and statuses[0] == "complete"
    assert nachtwacht("run", small_site.url("/"), *quick(tmp_path), "--out", out).returncode == 0
    integrity, statuses = database_state(out)
    assert integrity == "ok" and statuses[-1] == "complete" and "running" not in statuses


FULL_DISK_SCRIPT = """
mount -t tmpfs -o size=$1k tmpfs "$2" || exit 99
cp -r "$3"/. "$2"/
"$4" -m nachtwacht.cli run "$5" --config "$6" --out "$2" > "$2.stdout" 2> "$2.stderr"
echo $? > "$2.rc"
cp -r "$2" "$2.left"
"""


def left_state(out: Path) -> dict:
    """What a run left behind: database, results.json and report, as found on disk."""
    results, report = out / "results.json", out / "report" / "index.html"
    integrity, statuses = database_state(out)
    return {"integrity": integrity, "statuses": statuses,
            "results_whole": bool(json.loads(results.read_text())) if results.exists() else None,
            "report_whole": report.read_text().rstrip().endswith("</html>")
            if report.exists() else None}


def folder_kb(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) // 1024


def test_a_full_disk_at_different_moments_leaves_everything_whole(small_site, tmp_path):
    """A real full file system: a tiny tmpfs, mounted in a private user and mount namespace."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare is not installed")
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", f"mount -t tmpfs tmpfs {tmp_path}"],
                           capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("no tmpfs can be mounted here (user namespaces are off)")
    base = tmp_path / "base"
    assert nachtwacht("run", small_site.url("/"), *quick(tmp_path), "--out", base).returncode == 0
    used = folder_kb(base)
    script = tmp_path / "full.sh"
    script.write_text(FULL_DISK_SCRIPT)
    outcomes = []
    # From 'the database cannot grow' to 'the database fits, the report does not'.
    for kb in (used + 40, used + 140):
        mount = tmp_path / f"disk-{kb}"
        mount.mkdir()
        subprocess.run(["unshare", "-rm", "sh", str(script), str(kb), str(mount), str(base),
                        sys.executable, small_site.url("/"), str(checks_off(tmp_path))],
                       timeout=180, check=True,
                       cwd=Path(__file__).resolve().parents[1])
        rc = int(Path(f"{mount}.rc").read_text())
        stderr = Path(f"{mount}.stderr").read_text()
        state = left_state(Path(f"{mount}.left"))
        assert rc in (0, 3) and "Traceback" not in stderr, stderr
        if rc == 3:
            assert len(stderr.strip().splitlines()) == 1, stderr
        assert state["integrity"] == "ok" and state["statuses"][0] == "complete"
        # With no room even to record the failure, the run may stay 'running' until the next.
        assert rc == 3 or "running" not in state["statuses"]
        assert state["results_whole"] is not False and state["report_whole"] is not False
        outcomes.append((kb, rc, stderr.strip()))
    assert any(rc == 3 for _, rc, _ in outcomes), outcomes       # the disk did get full
    after = Path(f"{tmp_path / f'disk-{used + 40}'}.left")
    assert nachtwacht("run", small_site.url("/"), *quick(tmp_path), "--out", after).returncode == 0
    assert database_state(after) == ("ok", [s for s in database_state(after)[1]
                                            if s != "running"])
    assert database_state(after)[1][-1] == "complete"


def test_chromium_that_cannot_start_is_exit_3_with_the_fix(small_site, tmp_path):
    done = nachtwacht("run", small_site.url("/"), *quick(tmp_path), "--out", tmp_path / "out",
                      extra_env={"NACHTWACHT_CHROMIUM": str(tmp_path / "geen-chromium")})
    if done.returncode == 0:
        audited = json.loads((tmp_path / "out" / "results.json").read_text())["run"]
        if not audited.get("pages_audited"):
            pytest.skip("the run has no browser stage yet")
    assert "apt-get install chromium chromium-driver" in one_line_error(done)
