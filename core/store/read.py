"""Reading a night: its rows in a stable order, streamed."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import sqlite_utils

from core.store.schema import AUDIT_PARTS, LINKS_COLUMNS, LINKS_FROM


def rows(db: sqlite_utils.Database, table: str, run_id: int, order: str = "id") -> list[dict]:
    """All rows of one run in a table (or view), in a stable order."""
    return list(db[table].rows_where("run_id = ?", [run_id], order_by=order))


def run_links(db: sqlite_utils.Database, run_id: int) -> Iterator[dict]:
    """The links the crawl of one run found (source, target, href, text, tag, malformed,
    kind), streamed in a stable order: how they are stored is this module's business."""
    yield from _dicts(db.execute(f"SELECT {LINKS_COLUMNS} FROM {LINKS_FROM} WHERE f.run_id = ? "
                                 "ORDER BY f.id, l.position", [run_id]))


def _dicts(cursor: sqlite3.Cursor) -> Iterator[dict]:
    names = [d[0] for d in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))



def audit_rows(db: sqlite_utils.Database, run_id: int, part: str, where: str = "1",
               params: list | None = None) -> Iterator[dict]:
    """Rows of one part of a night's audits (``audits`` or one of AUDIT_PARTS), in the
    columns of its view, for the audits that match ``where`` (on the columns of ``audits``),
    in the order they were stored."""
    chosen = f"SELECT * FROM audits WHERE run_id = ? AND ({where})"
    if part == "audits":
        sql = f"{chosen} ORDER BY id"
    else:
        columns, joins, order = AUDIT_PARTS[part]
        sql = f"WITH a AS ({chosen}) SELECT {columns} FROM a {joins} ORDER BY a.id, {order}"
    yield from _dicts(db.execute(sql, [run_id, *(params or [])]))


def page_facts(db: sqlite_utils.Database, run_id: int, name: str | None = None
               ) -> Iterator[tuple[str, str, str]]:
    """(url, fact name, value as JSON) of a night's audits, all facts or those named ``name``."""
    where, params = ("name = ?", [name]) if name else ("1", [])
    _, joins, order = AUDIT_PARTS["page_facts"]
    yield from db.execute(f"SELECT a.url, p.name, p.value FROM page_audits AS a {joins} "
                          f"WHERE a.run_id = ? AND {where} ORDER BY a.id, {order}",
                          [run_id, *params])


