"""docs/configuratie.md describes every configuration key the model (core/config.py) declares,
as the model declares it (type, bounds, default, meaning), and no other."""

from __future__ import annotations

import re
from pathlib import Path

from core.config import TABLES, doc_row, keys

DOC = Path(__file__).resolve().parents[1] / "docs" / "configuratie.md"
NOT_YET = "nog niet beschikbaar"


def documented() -> dict[str, dict[str, str]]:
    """{table: {key: its table row}} from the doc's "## `[table]`" sections."""
    tables: dict[str, dict[str, str]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"## `\[(\[?\w+\]?)\]`", line)
        if heading:
            name = heading.group(1)
            current = tables.setdefault(f"[{name}]" if name.startswith("[") else name, {})
        elif current is not None and (row := re.match(r"\| `(\w+)` \|", line)):
            current[row.group(1)] = line
    return tables


def test_every_table_of_the_model_has_its_section():
    assert set(documented()) == set(TABLES)


def test_every_key_is_documented_as_the_model_declares_it():
    tables = documented()
    for table, model in TABLES.items():
        for name, key in keys(model).items():
            assert name in tables[table], f"[{table}] {name}: geen regel in {DOC.name}"
            assert tables[table][name] == doc_row(key), \
                f"[{table}] {name}: in {DOC.name} hoort de regel\n{doc_row(key)}"


def test_documented_keys_are_accepted_or_marked_not_yet_available():
    for table, rows in documented().items():
        declared = keys(TABLES[table])
        for key, row in rows.items():
            assert key in declared or NOT_YET in row, (table, key)
            assert not (key in declared and NOT_YET in row), (table, key, "now available")
