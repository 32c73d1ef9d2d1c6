"""Writing a night: its own small rows, and the stored rows they point at, written only
when no night stored the same content before (keyed by a digest, ``key``)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import sqlite_utils

from core.store.schema import FETCH, LINK, PAGE_VERSION, RULE


def now() -> str:
    return datetime.now(UTC).astimezone().isoformat(timespec="seconds")


def start_run(db: sqlite_utils.Database, site: str, start_url: str, settings: dict,
              tool_version: str) -> int:
    """Record a new run as 'running' and return its id."""
    return db["runs"].insert({
        "site": site, "start_url": start_url, "started": now(), "status": "running",
        "tool_version": tool_version, "settings": json.dumps(settings, sort_keys=True),
    }).last_pk


def finish_run(db: sqlite_utils.Database, run_id: int, status: str, **fields) -> None:
    db["runs"].update(run_id, {"status": status, "finished": now(), **fields})



def add_page(db: sqlite_utils.Database, run_id: int, page: dict) -> None:
    """One page the crawl of ``run_id`` fetched (a crawler PageItem as a dict, with its
    ``links``, ``forms`` and ``anchors``). Its version and links are written only when new."""
    page = dict(page)
    links, forms = page.pop("links", None), page.pop("forms", None)
    unknown = set(page) - set(PAGE_VERSION) - set(FETCH)
    if unknown:
        raise ValueError(f"page fields the store does not know: {sorted(unknown)}")
    if isinstance(page.get("anchors"), list):
        page["anchors"] = json.dumps(page["anchors"])
    form_rows = [{"action": f.get("action"), "method": f.get("method"),
                  "fields": json.dumps(f.get("fields"))} for f in forms or []]
    with db.atomic():
        add_fetch(db, run_id, page, [{c: link.get(c) for c in LINK} for link in links or []],
                   form_rows)


def add_fetch(db: sqlite_utils.Database, run_id: int, page: dict, links: list[dict],
               forms: list[dict]) -> None:
    """A night's row for one page (columns as stored), pointing at its version and links."""
    link_set = None
    if links:
        link_set, new = _once(db, "link_sets", {"links": len(links)}, links)
        if new:
            db.conn.executemany(
                f"INSERT INTO link_set_links (link_set_id, position, {', '.join(LINK)}) "
                f"VALUES ({', '.join('?' * (len(LINK) + 2))})",
                [(link_set, position, *(link[c] for c in LINK))
                 for position, link in enumerate(links)])
    row = {c: page.get(c) for c in PAGE_VERSION} | {"link_set_id": link_set}
    version_id, new = _once(db, "page_versions", row, forms)
    if new:
        for form in forms:
            _insert(db, "page_version_forms", {"page_version_id": version_id, **form})
    _insert(db, "page_fetches", {"run_id": run_id, "page_version_id": version_id,
                                 **{c: page.get(c) for c in FETCH}})


def add_sitemap_entry(db: sqlite_utils.Database, run_id: int, entry: dict) -> None:
    """A <loc> (``url``) the crawl of ``run_id`` read in a ``sitemap``."""
    with db.atomic():
        entry, _ = _once(db, "sitemap_urls", {"url": entry["url"], "sitemap": entry["sitemap"]})
        _insert(db, "sitemap_listings", {"run_id": run_id, "sitemap_url_id": entry})


def add_page_text(db: sqlite_utils.Database, run_id: int, text: dict) -> None:
    """A page's main text (``url``, ``text``, ``source``, ``truncated``) for ``run_id``. An
    earlier night's row with the same text moves to this night: the site's text is not
    written anew every night, and the earlier night no longer needs it."""
    with db.atomic():
        moved = db.execute(
            "UPDATE page_texts SET run_id = ?, source = ?, truncated = ? WHERE id = (SELECT id "
            "FROM page_texts WHERE url = ? AND run_id < ? AND text = ? ORDER BY run_id DESC "
            "LIMIT 1)", [run_id, text.get("source"), text.get("truncated"), text["url"], run_id,
                         text.get("text")]).rowcount
        if not moved:
            _insert(db, "page_texts", {"run_id": run_id, **text})


def add_audit(db: sqlite_utils.Database, run_id: int, url: str, audit: dict,
              reused_from: int | None = None) -> int:
    """A night's audit of ``url``: ``audit`` holds `result` (the columns of audit_results)
    and the lists `findings` (each with its `nodes`), `passes`, `checks` and `facts`, as
    stored. The result is written only when no night stored the same before; returns its id."""
    detail = {part: [_stored(part, row) for row in audit.get(part) or []]
              for part in ("findings", "passes", "checks", "facts")}
    with db.atomic():
        result_id, new = _once(db, "audit_results", _stored("result", audit["result"]), detail)
        if new:
            for finding in detail["findings"]:
                nodes = finding.pop("nodes")
                finding_id = _insert(db, "audit_findings", {
                    "audit_result_id": result_id, "kind": finding["kind"],
                    "rule_id": _rule(db, finding), "impact": finding.get("impact"),
                    "elements": finding.get("elements")})
                db.conn.executemany(
                    "INSERT INTO audit_finding_elements (audit_finding_id, target, html, "
                    "failure_summary, impact) VALUES (?, ?, ?, ?, ?)",
                    [(finding_id, n.get("target"), n.get("html"), n.get("failure_summary"),
                      n.get("impact")) for n in nodes])
            for passed in detail["passes"]:
                _insert(db, "audit_passes", {"audit_result_id": result_id,
                                             "rule_id": _rule(db, passed),
                                             "impact": passed.get("impact"),
                                             "elements": passed.get("elements")})
            for check in detail["checks"]:
                _insert(db, "audit_check_results", {"audit_result_id": result_id, **check})
            for fact in detail["facts"]:
                _insert(db, "audit_page_facts", {"audit_result_id": result_id, **fact})
        _insert(db, "page_audits", {"run_id": run_id, "url": url, "audit_result_id": result_id,
                                    "reused_from": reused_from})
    return result_id


# What an empty value of an audit is stored as, so that an audit read back and stored again
# is the same row (and its digest the same).
EMPTY: dict[str, dict] = {
    "result": {"load_ms": 0, "inject_ms": 0, "axe_ms": 0, "checks_ms": 0, "inapplicable": "[]"},
    "findings": {"description": "", "help": "", "help_url": "", "elements": 0, "wcag": "[]",
                 "tags": "[]"},
    "checks": {"note": "", "wcag": "[]", "elements": "[]"},
}
EMPTY["passes"] = EMPTY["findings"]


def _stored(part: str, row: dict) -> dict:
    empty = EMPTY.get(part, {})
    stored = {c: _sql(v) if v is not None else empty.get(c) for c, v in row.items()
              if c != "nodes"}
    if part == "findings":
        stored["nodes"] = [{c: _sql(v) for c, v in node.items()} for node in row.get("nodes") or []]
    return stored


def _rule(db: sqlite_utils.Database, row: dict) -> int:
    return _once(db, "axe_rules", {c: row.get(c) for c in RULE})[0]


def _once(db: sqlite_utils.Database, table: str, row: dict, detail=None) -> tuple[int, bool]:
    """The id of the stored row with this content (``row`` and its ``detail`` rows), and
    whether it is new: a row the same as one stored before is not written again."""
    row = {column: _sql(value) for column, value in row.items()}
    key = hashlib.sha256(json.dumps([row, detail], sort_keys=True, ensure_ascii=False,
                                    default=str).encode()).hexdigest()[:32]
    found = db.execute(f"SELECT id FROM [{table}] WHERE key = ?", [key]).fetchone()
    if found:
        return found[0], False
    return _insert(db, table, {"key": key, **row}), True


def _insert(db: sqlite_utils.Database, table: str, row: dict) -> int:
    columns = ", ".join(f"[{c}]" for c in row)
    return db.execute(f"INSERT INTO [{table}] ({columns}) VALUES ({', '.join('?' * len(row))})",
                      [_sql(v) for v in row.values()]).lastrowid


def _sql(value):
    """A value as the store keeps it: lists and dicts as JSON (as sqlite-utils writes them)."""
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, default=repr, ensure_ascii=False)
    return int(value) if isinstance(value, bool) else value


