"""Shared fixtures: small real websites served on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from nachtwacht.demo import DEMO_SITE
from nachtwacht.siteserver import Route, SiteServer
from tests import hostile_site
from tests.helpers import write_files

REPO = Path(__file__).resolve().parents[1]


def page(title: str, body: str = "", lang: str = "nl") -> str:
    """A minimal, accessible HTML page around ``body``."""
    lang_attr = f' lang="{lang}"' if lang else ""
    return (
        f"<!doctype html><html{lang_attr}><head><meta charset='utf-8'>"
        f"<title>{title}</title></head><body><main><h1>{title}</h1>{body}</main></body></html>"
    )


@pytest.fixture
def make_site(tmp_path_factory):
    """Start a site from ``{path: content}`` files (and optional routes); stopped after the test."""
    servers: list[SiteServer] = []

    def start(files: dict[str, str | bytes] | None = None,
              routes: dict[str, Route] | None = None) -> SiteServer:
        root = write_files(tmp_path_factory.mktemp("site"), files or {})
        server = SiteServer(root=root, routes=routes or {}).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def demo_site():
    """The embedded Voorbeeldstad site."""
    with SiteServer(root=DEMO_SITE) as server:
        yield server


@pytest.fixture(scope="session", autouse=True)
def hostile_servers_saw_only_safe_requests():
    """Once a session's tests ran: no hostile server of any file (tests/hostile_site.py
    SERVERS) saw anything but GET and HEAD, a cookie, credentials or a disallowed path."""
    yield
    unsafe = hostile_site.unsafe_requests(hostile_site.SERVERS)
    assert not unsafe, unsafe


# ------------------------------------------------------------------ running in parallel
# `make test` runs four files side by side (pytest-xdist, `-n 4 --dist loadfile`): most of a
# test's time is waiting (a subprocess starting, a page loading, a server's delay). A file runs
# whole on one worker, so module fixtures run once as before.
# The longest files start first (by their measured times in a whole `make test` on 2 cores, a
# timeline of each worker: 2026-12-04), so no worker is left with a long file at the end; the
# others follow in their usual order.
SLOW_FIRST = ["test_template_audit.py", "test_hostile_db.py", "test_crawl_resume.py",
              "test_report_scale.py", "test_hostile_crawl.py", "test_nightly.py", "test_axe.py",
              "test_demo.py", "test_hostile_env.py", "test_queue.py", "test_grid.py",
              "test_axe_run.py", "test_report_browser.py", "test_crawl.py", "test_act_rules.py",
              "test_statement.py", "test_privacy.py", "test_hostile_politeness.py",
              "test_tasks.py", "test_sites.py", "test_incremental.py",
              "test_streamed_analyses.py", "test_real_site_changes.py",
              "test_checks_browser.py"]


def pytest_collection_modifyitems(config, items):
    if hasattr(config, "workerinput") or config.getoption("numprocesses", None):
        rank = {name: n for n, name in enumerate(SLOW_FIRST)}
        items.sort(key=lambda item: rank.get(item.path.name, len(rank)))
