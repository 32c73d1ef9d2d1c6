"""An outage is not link rot: when many distinct external hosts were tried and none answered,
the external links are not judged (``run.external_links = "unavailable"``); one dead domain
among live ones is still a broken link.

The "internet" is a handful of real servers on other loopback addresses (127.0.0.2 …):
stopped, they refuse connections as a firewalled machine's outside world would.
"""

from __future__ import annotations

import socket

from audits import links as link_audit
from nachtwacht.siteserver import SiteServer, send
from tests.conftest import page
from tests.helpers import write_files
from tests.real_site import crawl_only

HOSTS = [f"127.0.0.{n}" for n in range(2, 2 + link_audit.settings()["outage"]["min_hosts"] + 1)]


def free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def external_site(host: str, port: int) -> SiteServer:
    return SiteServer(host=host, port=port, routes={
        "/": lambda h: send(h, 200, page("Extern")),
        "/verdwenen": lambda h: send(h, 404, page("Weg"))}).start()


def home(externals: list[str]) -> str:
    return page("Home", "".join(f'<p><a href="{u}">Externe link {i}</a></p>'
                                for i, u in enumerate(externals))
                + '<p><a href="/kapot">Kapot intern</a></p>'
                + '<img src="/img/weg.png" alt="Weg">')


def start_site(tmp_path, externals: list[str]) -> SiteServer:
    return SiteServer(root=write_files(tmp_path / "site", {"index.html": home(externals)})).start()


def test_no_external_host_answering_is_an_outage_not_broken_links(tmp_path):
    externals = [f"http://{h}:{free_port(h)}/" for h in HOSTS]     # nothing listens there
    site = start_site(tmp_path, externals)
    try:
        results = crawl_only(site.url("/"), tmp_path / "out")
    finally:
        site.stop()
    run = results["run"]
    assert run["status"] == "complete"              # dead links are findings, not crawl errors
    assert run["external_links"] == "unavailable"
    assert "niet worden gecontroleerd" in run["external_links_note"]
    assert {b["target"].removeprefix(site.origin) for b in results["broken_links"]} == {
        "/kapot", "/img/weg.png"}                   # the site's own problems still count
    assert results["link_summary"]["external_checked"] == 0


def test_one_dead_domain_among_live_ones_is_broken(tmp_path):
    ports = {h: free_port(h) for h in HOSTS}
    dead = HOSTS[0]
    live = [external_site(h, ports[h]) for h in HOSTS[1:]]
    externals = [f"http://{h}:{ports[h]}/" for h in HOSTS]
    site = start_site(tmp_path, externals)
    try:
        results = crawl_only(site.url("/"), tmp_path / "out")
    finally:
        site.stop()
        for server in live:
            server.stop()
    assert results["run"]["external_links"] == "checked"
    assert results["run"]["external_links_note"] is None
    external = [(b["target"], b["reason"]) for b in results["broken_links"]
                if not b["target"].startswith(site.origin)]
    assert external == [(f"http://{dead}:{ports[dead]}/", "connection")]


def test_a_night_without_internet_changes_nothing_about_external_links(tmp_path):
    ports = {h: free_port(h) for h in HOSTS}
    externals = [f"http://{h}:{ports[h]}/" for h in HOSTS[1:]] + \
        [f"http://{HOSTS[0]}:{ports[HOSTS[0]]}/verdwenen"]
    site = SiteServer(root=write_files(tmp_path / "site", {"index.html": home(externals)}),
                      port=free_port("127.0.0.1")).start()
    out = tmp_path / "out"
    live = [external_site(h, ports[h]) for h in HOSTS]
    try:
        first = crawl_only(site.url("/"), out)
    finally:
        for server in live:
            server.stop()
    try:
        second = crawl_only(site.url("/"), out)         # the same site, no internet
    finally:
        site.stop()
    dead_link = f"http://{HOSTS[0]}:{ports[HOSTS[0]]}/verdwenen"
    assert dead_link in {b["target"] for b in first["broken_links"]}
    assert second["run"]["external_links"] == "unavailable"
    changes = second["changes"]
    assert changes["previous_run"] == first["run"]["id"]
    assert changes["new_broken_links"] == []
    assert changes["fixed_broken_links"] == []      # unknown tonight, not fixed
    assert changes["removed_pages"] == []
