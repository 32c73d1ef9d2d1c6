"""The history database in Datasette: the shipped metadata's Dutch titles and canned queries,
run by real Datasette against the database of a real run."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from core import store
from tests.conftest import page
from tests.helpers import nachtwacht

datasette_app = pytest.importorskip("datasette.app")
METADATA = Path(__file__).resolve().parents[1] / "contrib" / "datasette-metadata.json"


def ask(db_path: Path, path: str) -> list[dict]:
    """GET ``path`` from a Datasette on ``db_path`` with the shipped metadata; its JSON rows."""
    metadata = json.loads(METADATA.read_text(encoding="utf-8"))
    ds = datasette_app.Datasette([str(db_path)], metadata=metadata)
    response = asyncio.run(ds.client.get(path))
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """The database after one real run of a small site with a broken link and a missing alt."""
    from nachtwacht.siteserver import SiteServer
    from tests.helpers import write_files
    root = write_files(tmp_path_factory.mktemp("site"), {
        "index.html": page("Home", '<a href="/weg">Afval ophalen</a><img src="/logo.png">'
                                   '<a href="/paspoort">Paspoort</a>'),
        "paspoort.html": page("Paspoort")})
    out = tmp_path_factory.mktemp("out")
    with SiteServer(root=root) as server:
        done = nachtwacht("run", server.url("/"), "--out", out)
    assert done.returncode == 0, done.stderr
    return out / "nachtwacht.db"


def test_every_described_table_exists_in_the_store():
    described = json.loads(METADATA.read_text(encoding="utf-8"))["databases"]["nachtwacht"]
    assert set(described["tables"]) <= set(store.TABLES) | set(store.VIEWS)
    for table in described["tables"].values():
        assert table["title"] and table["description"]


def test_broken_links_per_page_lists_the_dead_link_with_its_text(history):
    rows = ask(history, "/nachtwacht/kapotte_links_per_pagina.json?_shape=array")
    assert {(Path(row["doel"]).name, row["linktekst"], row["status"]) for row in rows} >= {
        ("weg", "Afval ophalen", 404)}


def test_new_findings_tonight_on_a_first_run_are_all_findings(history):
    rows = ask(history, "/nachtwacht/nieuwe_fouten_vannacht.json?_shape=array")
    per_rule = ask(history, "/nachtwacht/fouten_per_regel.json?_shape=array")
    assert "image-alt" in {row["regel"] for row in rows}
    assert sum(row["paginas"] for row in per_rule) == len(rows)


def test_the_score_history_has_the_run(history):
    [row] = ask(history, "/nachtwacht/verloop.json?_shape=array")
    assert row["status"] == "complete" and row["paginas"] >= 2
