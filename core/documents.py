"""Documents a resident can download: which URLs are one, and where their facts are kept.

The types and bounds are data (``core/data/documents.toml``). Files themselves never go
into the database: the crawl writes them to a temporary folder per run, the document
stage reads and deletes them and stores facts only.
"""

from __future__ import annotations

import tomllib
from datetime import date
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

DATA = Path(__file__).resolve().parent / "data" / "documents.toml"
MB = 1024 * 1024


@cache
def settings() -> dict:
    """The shipped document data: types, kinds, the scope date and the parsing bounds."""
    with open(DATA, "rb") as file:
        return tomllib.load(file)


def in_scope_after() -> date:
    return settings()["in_scope_after"]


def suffix_type(url: str) -> str | None:
    """The document type a URL's path names by its suffix (``pdf``, ``docx`` …), or None."""
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    suffix = name.rpartition(".")[2].lower() if "." in name else ""
    return settings()["types"].get(suffix)


def document_type(url: str, content_type: str | None = None) -> str | None:
    """The document type by the URL's suffix, else by the Content-Type it answered with."""
    found = suffix_type(url)
    if found or not content_type:
        return found
    ctype = content_type.lower()
    return next((kind for part, kind in settings()["content_types"].items() if part in ctype),
                None)


def kind(doc_type: str | None) -> str | None:
    """The family of a type (word, excel, opendocument …) for the report."""
    return settings()["kinds"].get(doc_type or "")


def document_dir(db_path: str | Path, run_id: int) -> Path:
    """The temporary folder where one run's downloaded documents wait to be checked."""
    return Path(db_path).resolve().parent / "documents-tmp" / str(run_id)


def previous_documents(db, run_id: int) -> dict[str, dict]:
    """The last checked record of each document in an earlier run of the same site.

    Records of files that were too heavy to read are left out: those are fetched and read
    again (a busy machine may have made a good file run out of time).
    """
    if not db["documents"].exists():
        return {}
    rows = db.execute(
        "SELECT d.* FROM documents d JOIN runs r ON r.id = d.run_id "
        "WHERE r.site = (SELECT site FROM runs WHERE id = ?) AND d.run_id < ? "
        # a file that was too heavy to read may have met a busy night: read it again
        "AND d.checked = 1 AND coalesce(d.error, '') != 'too-complex' "
        "ORDER BY d.run_id, d.id", [run_id, run_id])
    columns = [c[0] for c in rows.description]
    return {row["url"]: row for row in (dict(zip(columns, r, strict=True)) for r in rows)}
