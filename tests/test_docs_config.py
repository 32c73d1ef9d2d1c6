"""docs/configuratie.md describes every configuration key the code accepts, and no other."""

from __future__ import annotations

import re
from pathlib import Path

from core.config import SCHEMA

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


def test_every_key_of_the_schema_is_documented_in_its_section():
    tables = documented()
    assert set(tables) == set(SCHEMA)
    for table, keys in SCHEMA.items():
        missing = set(keys) - set(tables[table])
        assert not missing, (table, missing)


def test_documented_keys_are_accepted_or_marked_not_yet_available():
    for table, rows in documented().items():
        for key, row in rows.items():
            assert key in SCHEMA[table] or NOT_YET in row, (table, key)
            assert not (key in SCHEMA[table] and NOT_YET in row), (table, key, "now available")
