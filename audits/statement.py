"""The toegankelijkheidsverklaring, every night: found, linked everywhere, recent, its links alive.

Functions over the crawl (pages, links, link checks) and the statement's text that the
spider kept (crawler/statement_text.py, table ``statement_pages``). Patterns and
thresholds are data: core/data/statement.toml. A statement in the national register
(toegankelijkheidsverklaring.nl/register/…) is external: only its status is checked, its
text is not read, so its dates and status are "niet gemeten".
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from audits.crawldata import CrawlData
from audits.links import link_problem, unique_links
from audits.targets import outcome
from core import statement
from core.urls import page_key

if TYPE_CHECKING:
    from audits.gathered import Gathered

# Every problem the check can report, in the order the report lists them.
PROBLEMS = ("not-found", "not-linked-everywhere", "older-than-12-months", "older-than-11-months",
            "no-date", "research-older-than-36-months", "report-link-broken",
            "contact-link-broken", "email-invalid", "c-becomes-d")
EXAMPLES = 10            # pages named that do not link to the statement
EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                   r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$")
EMAIL_IN_TEXT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*")


@cache
def _date_patterns() -> list[tuple[re.Pattern, str]]:
    months = sorted(statement.data()["dates"]["months"], key=len, reverse=True)
    names = "|".join(months)
    return [
        (re.compile(rf"\b(\d{{1,2}})\s+({names})\.?\s+(\d{{4}})\b", re.IGNORECASE), "dmy-words"),
        (re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"), "ymd"),
        (re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b"), "dmy"),
        (re.compile(rf"\b({names})\.?\s+(\d{{4}})\b", re.IGNORECASE), "my-words"),
    ]


def _make_date(kind: str, groups: tuple[str, ...]) -> date | None:
    months = statement.data()["dates"]["months"]
    try:
        if kind == "dmy-words":
            return date(int(groups[2]), months[groups[1].lower()], int(groups[0]))
        if kind == "ymd":
            return date(int(groups[0]), int(groups[1]), int(groups[2]))
        if kind == "dmy":
            return date(int(groups[2]), int(groups[1]), int(groups[0]))
        return date(int(groups[1]), months[groups[0].lower()], 1)   # "maart 2024": the 1st
    except ValueError:      # 31-02-2024 is no date
        return None


def dates_in(text: str) -> list[tuple[date, int, int]]:
    """Every date in a Dutch text ("12 maart 2024", "12-03-2024", "2024-03-12", "maart 2024"),
    with where it stands, in text order."""
    found: list[tuple[date, int, int]] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind in _date_patterns():
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            taken.append(match.span())
            day = _make_date(kind, match.groups())
            if day is not None:
                found.append((day, *match.span()))
    return sorted(found, key=lambda item: item[1])


def read_date(text: str) -> date | None:
    """The first date in a text: 'opgesteld op 12 maart 2024' -> 2024-03-12."""
    found = dates_in(text)
    return found[0][0] if found else None


def _nearest_cue(text: str, start: int, end: int) -> str | None:
    """Which kind of date this is, by the cue word nearest to it in its sentence."""
    settings = statement.data()["dates"]
    window = settings["window"]
    before = text[max(0, start - window):start]
    after = text[end:end + window]
    # A sentence ends at ". " (a date such as 12.03.2024 has no space after its dots).
    before = re.split(r"[.!?]\s", before)[-1]
    after = re.split(r"[.!?]\s", after)[0]
    best: tuple[int, str] | None = None
    for kind in ("updated", "research"):
        for cue in settings[kind]:
            for match in re.finditer(re.escape(cue), before, re.IGNORECASE):
                distance = len(before) - match.end()
                best = min(best or (distance, kind), (distance, kind))
            match = re.search(re.escape(cue), after, re.IGNORECASE)
            if match:
                best = min(best or (match.start(), kind), (match.start(), kind))
    return best[1] if best else None


def statement_dates(text: str, today: date) -> dict[str, date | None]:
    """The statement's last update and its research date: the latest of each kind, not in
    the future (a target date is neither)."""
    latest: dict[str, date | None] = {"updated": None, "research": None}
    for day, start, end in dates_in(text):
        kind = _nearest_cue(text, start, end)
        if kind and day <= today and (latest[kind] is None or day > latest[kind]):
            latest[kind] = day
    return {"updated": latest["updated"], "research_date": latest["research"]}


def read_status(text: str) -> str | None:
    """The status A–D the statement gives itself ("De status van deze website is: C - …")."""
    settings = statement.data()["status"]
    match = re.search(settings["letter"], text, re.IGNORECASE)
    if match:
        return match.group(1).upper()
    found = [(m.start(), letter) for letter, phrase in settings["phrases"].items()
             for m in [re.search(re.escape(phrase), text, re.IGNORECASE)] if m]
    return min(found)[1] if found else None


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (31 March - 1 month = 28/29 February)."""
    month = day.month - 1 - months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def age_problems(updated: date | None, research: date | None, status: str | None,
                 today: date) -> list[str]:
    """older-than-12-months (warned at 11), research-older-than-36-months, c-becomes-d."""
    age = statement.data()["age"]
    problems = []
    if updated and updated < months_before(today, age["stale"]):
        problems.append("older-than-12-months")
    elif updated and updated < months_before(today, age["warn"]):
        problems.append("older-than-11-months")
    if research and research < months_before(today, age["research"]):
        problems.append("research-older-than-36-months")
    if status == "C" and updated and updated < months_before(today, age["status_c"]):
        problems.append("c-becomes-d")
    return problems


def email_ok(href_or_address: str) -> bool:
    """A mailto: link (or a written address) that a mail program can send to."""
    value = href_or_address.strip()
    if value.lower().startswith("mailto:"):
        value = unquote(value[len("mailto:"):].split("?", 1)[0])
    addresses = [a.strip() for a in value.split(",")]
    return bool(addresses) and all(EMAIL.match(a) for a in addresses)


def _links(crawl: CrawlData) -> Iterator[dict]:
    """The night's page links, streamed: a list of them would not fit in memory."""
    return (link for link in unique_links(crawl)
            if link.get("kind") in (None, "link") and not link.get("malformed"))


def find_statement(crawl: CrawlData, configured: str | None) -> dict | None:
    """Where the statement is: the configured URL, else the page linked as
    "toegankelijkheid(sverklaring)" from most pages, else a link to the register."""
    if configured:
        url = page_key(configured)
        return {"url": url, "how": "register" if statement.is_register(url) else "config"}
    named: dict[str, dict] = {}
    for link in _links(crawl):
        rank = statement.link_text_rank(link.get("text"))
        if rank is not None:
            entry = named.setdefault(link["target"], {"rank": rank, "sources": set()})
            entry["rank"] = min(entry["rank"], rank)
            entry["sources"].add(link["source"])
    if named:
        url = min(named, key=lambda u: (named[u]["rank"], -len(named[u]["sources"]), len(u), u))
        return {"url": url, "how": "register" if statement.is_register(url) else "link"}
    register = sorted({link["target"] for link in _links(crawl) if statement.is_register(link["target"])})
    return {"url": register[0], "how": "register"} if register else None


def pages_without_link(crawl: CrawlData, targets: set[str]) -> list[str]:
    """The HTML pages that link to none of ``targets`` (the statement, or its register page)."""
    finals = {crawl.final_url(t) or t for t in targets}
    linking = {link["source"] for link in _links(crawl)
               if link["target"] in targets or (crawl.final_url(link["target"]) in finals)}
    return [page["url"] for page in crawl.html_pages()
            if page["url"] not in linking and (crawl.final_url(page["url"]) or page["url"])
            not in finals]


def _checked_links(crawl: CrawlData, source: str, pattern: str) -> list[dict]:
    """Links on the statement whose text or URL matches ``pattern``, each with its state."""
    found = []
    for link in _links(crawl):
        if link["source"] != source or statement.is_register(link["target"]):
            continue
        if not re.search(pattern, f"{link.get('text') or ''} {urlsplit(link['href']).path}",
                         re.IGNORECASE):
            continue
        problem = link_problem(crawl, link)
        found.append({"url": link["href"], "text": link.get("text"), "ok": problem is None,
                      "status": problem["status"] if problem else None,
                      "reason": problem["reason"] if problem else None})
    return sorted(found, key=lambda item: item["url"])


def _emails(row: dict | None) -> list[dict]:
    if row is None:
        return []
    written = {m.group(0).rstrip(".") for m in EMAIL_IN_TEXT.finditer(row.get("text") or "")}
    linked = [e["href"] for e in json.loads(row.get("emails") or "[]")]
    return [{"address": value, "ok": email_ok(value)}
            for value in sorted(set(linked) | written)]


def judge(crawl: CrawlData, texts: dict[str, dict], configured: str | None,
          today: date) -> dict:
    """The results section ``statement`` (schema in ../shared/CONTRACT.md, plus details)."""
    found = find_statement(crawl, configured)
    empty = {"url": None, "found": False, "how": None, "status": None, "updated": None,
             "research_date": None, "readable": False, "register_url": None,
             "pages_without_link": 0, "examples": [], "report_links": [], "contact_links": [],
             "emails": [], "reason": "no-link", "problems": ["not-found"]}
    if found is None:
        return empty
    url = found["url"]
    result = outcome(crawl, url)
    if result is not None and not result.ok:
        return {**empty, "url": url, "how": found["how"], "reason": "broken"}
    final = result.final_url if result else url
    row = texts.get(final) or texts.get(url)
    register = url if found["how"] == "register" else next(
        (link["target"] for link in _links(crawl)
         if link["source"] == final and statement.is_register(link["target"])), None)
    text = (row or {}).get("text") or ""
    status = read_status(text) if row else None
    dates = statement_dates(text, today) if row else {"updated": None, "research_date": None}
    missing = pages_without_link(crawl, {url, final} | ({register} if register else set()))
    problems = ["not-linked-everywhere"] if missing else []
    problems += age_problems(dates["updated"], dates["research_date"], status, today)
    if row and dates["updated"] is None and register is None:
        problems.append("no-date")
    reports = _checked_links(crawl, final, statement.data()["links"]["report"])
    contacts = _checked_links(crawl, final, statement.data()["links"]["contact"])
    emails = _emails(row)
    if any(not link["ok"] for link in reports):
        problems.append("report-link-broken")
    if any(not link["ok"] for link in contacts):
        problems.append("contact-link-broken")
    if any(not email["ok"] for email in emails):
        problems.append("email-invalid")
    return {
        "url": final, "found": True, "how": found["how"], "status": status,
        "updated": dates["updated"].isoformat() if dates["updated"] else None,
        "research_date": dates["research_date"].isoformat() if dates["research_date"] else None,
        "readable": row is not None, "register_url": register,
        "pages_without_link": len(missing), "examples": missing[:EXAMPLES],
        "report_links": reports, "contact_links": contacts, "emails": emails, "reason": None,
        "problems": sorted(set(problems), key=PROBLEMS.index),
    }


def run_day(run: dict) -> date:
    """The day the run started: the statement's age is measured against the night of the run."""
    try:
        return datetime.fromisoformat(run.get("started") or "").date()
    except ValueError:
        return date.today()


def statement_section(gathered: Gathered, results: Mapping) -> dict:
    """The results section ``statement`` (reads ``run``: the statement's age counts from the
    night of the run)."""
    config = gathered.config
    configured = config.absolute(config.statement_url) if config.statement_url else None
    return judge(gathered.crawl, gathered.statement_pages, configured, run_day(results["run"]))


def statement_changes(previous: dict | None, current: dict) -> list[dict]:
    """What changed in the statement since the previous run, for the KCC digest: found or
    lost, moved, a new status, updated, and problems that are new tonight."""
    before, after = (previous or {}).get("statement"), current.get("statement")
    if not before or not after:
        return []
    url = after.get("url") or before.get("url")
    item = {"statement": True, "url": url, "change": None, "problems": []}
    if before.get("found") != after.get("found"):
        return [{**item, "change": "found" if after.get("found") else "lost"}]
    changes = []
    if after.get("found") and before.get("url") != after.get("url"):
        changes.append({**item, "change": "moved"})
    if before.get("status") != after.get("status") and after.get("status"):
        changes.append({**item, "change": "status", "status": after["status"]})
    if after.get("updated") and before.get("updated") != after.get("updated"):
        changes.append({**item, "change": "updated"})
    new = [p for p in after.get("problems") or [] if p not in (before.get("problems") or [])]
    if new:
        changes.append({**item, "change": "problems", "problems": new})
    return changes
