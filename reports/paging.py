"""Paging of the report's long lists: one list over the files ``base.html``, ``base-2.html``, …

Every long list of the report is cut the same way, so that no file grows with the site and
every item can still be read in the report: each part knows its rows, its place ("pagina 2 van
7", rows 201–400 of 1234) and its pager (previous, next and a few page numbers around the
current one, never all of them). A list that is one section of a bigger page keeps its first
part there (``first="links.html#verweesd"``, where the report linked to it before) and goes
on in files of its own.
"""

from __future__ import annotations

import re

PAGE_SIZE = 200   # rows per file of a long list; keeps each file well under 1 MB
NEARBY = 2        # page numbers shown on either side of the current one


def file_safe(name: str) -> str:
    """A name (a task id, a check, a list key) as part of a file name."""
    return re.sub(r"[^a-z0-9-]+", "-", str(name).lower()).strip("-") or "x"


def file_name(base: str, number: int) -> str:
    """The file of part ``number`` of a list: ``base.html``, then ``base-2.html``, …"""
    return f"{base}.html" if number == 1 else f"{base}-{number}.html"


def numbers(current: int, count: int) -> list[int | None]:
    """The page numbers a pager shows: the first, the last and those near the current one;
    None where numbers are left out."""
    shown = sorted({1, count, *range(max(1, current - NEARBY), min(count, current + NEARBY) + 1)})
    out: list[int | None] = []
    for number in shown:
        if out and number - out[-1] == 2:      # a gap of one number: show it instead
            out.append(number - 1)
        elif out and number - out[-1] > 2:
            out.append(None)
        out.append(number)
    return out


def paged(base: str, items: list, size: int = PAGE_SIZE, first: str | None = None,
          first_size: int | None = None) -> list[dict]:
    """``items`` in parts of ``size`` rows (the first of ``first_size``, in file ``first``
    when given), each with its rows, place and pager; one empty part for an empty list."""
    head = first_size or size
    starts = [0, *range(head, len(items), size)]
    files = [first or file_name(base, 1)] + [file_name(base, n) for n in range(2, len(starts) + 1)]
    count = len(starts)
    parts = []
    for index, start in enumerate(starts):
        rows = items[start:start + (head if index == 0 else size)]
        number = index + 1
        parts.append({
            "file": files[index], "rows": rows, "number": number, "count": count,
            "first": start + 1, "last": start + len(rows), "total": len(items),
            "more": len(items) - start - len(rows),
            "previous": files[index - 1] if index else None,
            "next": files[index + 1] if number < count else None,
            "pager": [{"number": n, "file": files[n - 1] if n else None,
                       "current": n == number, "gap": n is None}
                      for n in numbers(number, count)] if count > 1 else [],
        })
    return parts


def section(kind: str, items: list, host: str, anchor: str, base: str, nav: str,
            first_size: int | None = None, key: str | None = None,
            name: str | None = None) -> dict:
    """A list that is one section of the page ``host`` (at ``#anchor``), where its first part
    stays, and goes on in the files ``base-2.html``, …; ``kind`` names how its rows look
    (templates/lijsten.html), ``nav`` the report page it belongs to, ``key`` and ``name``
    which of its kind it is (a change list, a check, a task)."""
    parts = paged(base, items, first=f"{host}#{anchor}", first_size=first_size)
    return {"kind": kind, "key": key, "name": name, "host": host, "anchor": anchor, "nav": nav,
            "first": parts[0], "parts": parts}
