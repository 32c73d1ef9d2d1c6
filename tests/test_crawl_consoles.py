"""The crawl opens no door into itself: no telnet console, no remote-control HTTP server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from nachtwacht.siteserver import send
from tests.conftest import page

CRAWL_ONLY = """
import sys
from core import config, store
from nachtwacht import crawl
site = config.site_from_url(sys.argv[1])
db = store.open_db(sys.argv[2])
run_id = store.start_run(db, site.name, site.start_urls[0], {}, "test")
crawl.crawl(site, sys.argv[2], run_id, sys.argv[3])
"""


def listening_ports(pid: int) -> set[int]:
    """The TCP ports process ``pid`` listens on (from /proc, IPv4 and IPv6)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = fd.readlink().name
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:      # 0A: LISTEN
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def test_a_crawl_listens_on_no_port(make_site, tmp_path):
    crawler: dict = {}
    seen: list[set[int]] = []

    def slow_page(handler) -> None:
        # Asked for while the engine runs: the consoles would be listening by now.
        seen.append(listening_ports(crawler["process"].pid))
        send(handler, 200, page("Tweede pagina"))

    server = make_site({"index.html": page("Home", '<a href="/tweede">Tweede</a>')},
                       routes={"/tweede": slow_page})
    log = tmp_path / "crawl.log"
    crawler["process"] = subprocess.Popen(
        [sys.executable, "-c", CRAWL_ONLY, server.url("/"), str(tmp_path / "n.db"), str(log)])
    assert crawler["process"].wait(timeout=120) == 0
    assert seen == [set()]
    text = log.read_text(encoding="utf-8")
    assert "Remote control HTTP server listening" not in text
    assert "Telnet console listening" not in text
