"""Shared fixtures: small real websites served on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from nachtwacht.demo import DEMO_SITE
from nachtwacht.siteserver import Route, SiteServer
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
