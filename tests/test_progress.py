"""Progress on a terminal, one line under cron: `nachtwacht run` in a real pseudo-terminal."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

from tests.conftest import page
from tests.helpers import nachtwacht, quick

NACHTWACHT = [sys.executable, "-m", "nachtwacht.cli", "run"]


def site(make_site, pages: int = 12):
    links = "".join(f'<a href="/p{n}">Pagina {n}</a>' for n in range(pages))
    files = {"index.html": page("Home", links)}
    files.update({f"p{n}.html": page(f"Pagina {n}", f"<p>Tekst {n}</p>") for n in range(pages)})
    return make_site(files)


def test_a_terminal_sees_pages_fetched_and_audited(make_site, tmp_path):
    server = site(make_site)
    leader, follower = pty.openpty()
    # the page checks beyond axe off: the progress lines are the same with them
    child = subprocess.Popen([*NACHTWACHT, server.url("/"), *quick(tmp_path),
                              "--out", str(tmp_path / "out")],
                             stdout=follower, stderr=subprocess.PIPE,
                             env={**os.environ, "COLUMNS": "100", "TERM": "xterm"})
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:       # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    assert child.wait(timeout=300) == 0, child.stderr.read()
    text = shown.decode("utf-8", "replace")
    assert "Pagina's ophalen" in text
    assert "Toegankelijkheid" in text
    assert "13/13" in text           # the HTML pages audited, of all to audit
    assert "Rapport:" in text


def test_under_cron_it_prints_one_line(make_site, tmp_path):
    server = site(make_site, pages=2)
    done = nachtwacht("run", server.url("/"), *quick(tmp_path), "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1 and done.stdout.startswith("Rapport: ")
