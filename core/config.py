"""Loading and checking the site configuration (TOML).

The accepted keys and their types are data (``SCHEMA``); every error names the
file, the key and, where it can be found, the line.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from core import wcag
from core.urls import start_url as typed_start_url

# Shipped with the package (core/data/), so that an installed nachtwacht finds it too.
DEFAULT_TASKS = Path(__file__).resolve().parent / "data" / "toptaken.toml"

# table name -> {key: type}; "[[name]]" tables are lists of tables.
SCHEMA: dict[str, dict[str, str]] = {
    "site": {
        "name": "str", "start_urls": "list[str]", "allowed_domains": "list[str]",
        "sitemaps": "list[str]", "max_pages": "int", "max_depth": "int",
        "fail_under": "number", "user_agent": "str", "delay": "number",
        "concurrency_per_host": "int", "browsers": "int", "grid_url": "str",
        "timeout": "number", "fail_on_new": "bool", "webhook_url": "str",
        "max_query_variants": "int", "max_document_mb": "number",
        "include": "list[str]", "exclude": "list[str]",   # regexes on the URL path (scope)
        "statement_url": "str",     # the toegankelijkheidsverklaring [found on the site]
        "keep_nights": "int",       # nights with full detail (core/retention.py) [60]
        "time_budget": "duration",  # stop auditing after this long: "6h", "90m" [none]
    },
    "[[task]]": {
        "id": "str", "name": "str", "rank": "int", "match": "list[str]",
        "keywords": "list[str]", "short_url": "str", "form": "str",
    },
    "[[letter]]": {"url": "str", "expect": "str", "note": "str"},
    # what the municipality writes in its statement per failing criterion (audits/deviations.py)
    "[[deviation]]": {"criterion": "str", "cause": "str", "effect": "str", "measure": "str",
                      "target_date": "date"},
    "axe": {
        "tags": "list[str]", "disable": "list[str]", "exclude": "list[str]",
        "script": "str", "page_timeout": "number", "script_timeout": "number",
        "locale": "str",
    },
    # staging sites: values "$NAME" are read from the environment at run time (nachtwacht/access.py)
    "access": {"username": "str", "password_env": "str", "headers": "list[str]",
               "cookies": "list[str]"},
    # extra parts of the site score, off unless given (docs/scoring.md)
    "scoring": {"readability_weight": "number"},
    # the audit browser: hosts it never contacts [the shipped list, audits/data/block.toml]
    "browser": {"block": "list[str]"},
    # the KCC digest by e-mail (nachtwacht/mail.py); the password only from the environment
    "notify": {"email": "list[str]", "smtp_host": "str", "smtp_port": "int", "sender": "str",
               "starttls": "bool", "username_env": "str", "password_env": "str",
               "ca_file": "str", "send_when_quiet": "bool"},
    # the checks beyond axe, each switched on (the default) or off (audits/checks/)
    "checks": {"reflow": "bool", "text_spacing": "bool", "keyboard": "bool", "site": "bool",
               "privacy": "bool", "documents": "bool", "readability": "bool",
               "orientation": "bool", "screenshots": "bool"},
}
REQUIRED = {"[[task]]": ("id", "name"), "[[letter]]": ("url",), "[[deviation]]": ("criterion",)}
# Bounds that keep a crawl finite and polite: a zero here would mean no crawl or no wait.
MINIMUM = {"site.max_pages": 1, "site.max_depth": 0, "site.timeout": 0.1, "site.delay": 0,
           "scoring.readability_weight": 0,
           "site.concurrency_per_host": 1, "site.max_query_variants": 1,
           "site.max_document_mb": 0.001, "site.keep_nights": 1, "site.time_budget": 1}


class ConfigError(Exception):
    """A configuration problem, with a one-line message for the user."""


@dataclass
class Task:
    id: str
    name: str
    rank: int = 99
    match: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    short_url: str | None = None
    form: str | None = None


@dataclass
class Letter:
    url: str
    expect: str | None = None
    note: str | None = None


@dataclass
class Deviation:
    """A deviation from a WCAG criterion as the statement describes it (status B needs them)."""

    criterion: str
    cause: str | None = None
    effect: str | None = None
    measure: str | None = None
    target_date: str | None = None     # ISO date, as the run's settings are stored as JSON


@dataclass
class SiteConfig:
    name: str
    start_urls: list[str]
    allowed_domains: list[str]
    sitemaps: list[str] | None = None
    max_pages: int = 5000
    max_depth: int = 20                # clicks from a start page; 0 = the start pages only
    include: list[str] = field(default_factory=list)   # crawl only paths matching one [all]
    exclude: list[str] = field(default_factory=list)   # and none matching one of these
    statement_url: str | None = None   # the toegankelijkheidsverklaring; None: found by link
    fail_under: float | None = None
    user_agent: str | None = None
    delay: float = 0.0
    concurrency_per_host: int = 4
    timeout: float = 20.0              # seconds to wait for one answer
    max_query_variants: int = 100      # crawl-trap guard: query strings per path
    max_document_mb: float = 25.0      # documents larger than this are not downloaded
    keep_nights: int = 60              # nights with full detail; older runs keep their summary
    time_budget: float | None = None   # seconds the audit may take in one night
    fail_on_new: bool = False
    webhook_url: str | None = None
    browsers: int | None = None
    grid_url: str | None = None
    tasks: list[Task] = field(default_factory=list)
    letters: list[Letter] = field(default_factory=list)
    deviations: list[Deviation] = field(default_factory=list)
    axe: dict = field(default_factory=dict)
    access: dict = field(default_factory=dict)
    scoring: dict = field(default_factory=dict)  # [scoring]: readability_weight
    browser: dict = field(default_factory=dict)  # [browser]: block
    notify: dict = field(default_factory=dict)
    checks: dict = field(default_factory=dict)  # [checks]: name -> on/off, absent = on
    source: str | None = None

    def absolute(self, url: str) -> str:
        """A configured path made absolute against the first start URL."""
        return urljoin(self.start_urls[0], url)

    def with_start_url(self, start_url: str) -> SiteConfig:
        """This configuration pointed at another origin (the demo's free port)."""
        start_url = typed_start_url(start_url)
        host = urlsplit(start_url).hostname or ""
        self.start_urls = [start_url]
        self.allowed_domains = [host]
        return self


def _type_ok(value, kind: str) -> bool:
    if kind == "str":
        return isinstance(value, str)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "list[str]":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "date":
        return isinstance(value, date) and not isinstance(value, datetime)
    if kind == "duration":
        return duration_seconds(value) is not None
    raise ValueError(kind)


DURATION = re.compile(r"\s*(?:(\d+(?:\.\d+)?)\s*h)?\s*(?:(\d+(?:\.\d+)?)\s*m)?"
                      r"\s*(?:(\d+(?:\.\d+)?)\s*s)?\s*", re.IGNORECASE)


def duration_seconds(value) -> float | None:
    """Seconds from a number of seconds or a text such as "6h", "90m", "1h30m"; None if neither."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    match = DURATION.fullmatch(value) if isinstance(value, str) else None
    if not match or not any(match.groups()):
        return None
    hours, minutes, seconds = (float(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


TYPE_NAMES = {"str": "tekst", "int": "geheel getal", "number": "getal",
              "bool": "true of false", "list[str]": "lijst met teksten",
              "date": "datum (zoals 2027-03-01, zonder aanhalingstekens)",
              "duration": "tijdsduur (zoals \"6h\", \"90m\" of een aantal seconden)"}


NAME = re.compile(r"(?P<table>[\w-]+)(?:\[(?P<index>\d+)\])?(?:\.(?P<key>[\w-]+))?")
HEADER = re.compile(r"\s*(\[\[?)\s*([\w.-]+)\s*\]\]?\s*(#.*)?$")


def _line_of(text: str, name: str) -> int | None:
    """The line of ``name`` ("site.max_pages", "task[1].match", "axe") in the TOML text: in its
    own table, so the second [[task]]'s key is not taken for the first's."""
    parts = NAME.fullmatch(name)
    if not parts:
        return None
    table, key = parts["table"], parts["key"]
    index = int(parts["index"]) if parts["index"] is not None else None
    current, seen, first_key = None, {}, None
    for number, line in enumerate(text.splitlines(), start=1):
        header = HEADER.match(line)
        if header:
            brackets, current_name = header[1], header[2]
            position = seen.get(current_name, -1) + 1 if brackets == "[[" else None
            if brackets == "[[":
                seen[current_name] = position
            current = (current_name, position)
            if key is None and current_name == table and index in (None, position):
                return number
            continue
        if key and re.match(rf"\s*{re.escape(key)}\s*=", line):
            first_key = first_key or number
            if current is not None and current[0] == table and index in (None, current[1]):
                return number
        elif key is None and re.match(rf"\s*{re.escape(table)}\s*=", line):
            return number
    return first_key


def _fail(path: str, text: str, key: str, message: str) -> ConfigError:
    line = _line_of(text, key)
    where = f"{path}:{line}" if line else path
    return ConfigError(f"{where}: {key}: {message}")


def _check_table(table: dict, schema: dict[str, str], prefix: str, path: str, text: str) -> None:
    for key, value in table.items():
        name = f"{prefix}.{key}"
        if key not in schema:
            raise _fail(path, text, name, f"onbekende sleutel (bekend: {', '.join(schema)})")
        if not _type_ok(value, schema[key]):
            raise _fail(path, text, name, f"moet een {TYPE_NAMES[schema[key]]} zijn")
        if schema[key] == "duration":
            value = duration_seconds(value)
        if name in MINIMUM and value < MINIMUM[name]:
            raise _fail(path, text, name, f"moet minstens {MINIMUM[name]} zijn")


def _check(data: dict, path: str, text: str) -> None:
    for key, value in data.items():
        if key in SCHEMA:
            if not isinstance(value, dict):
                raise _fail(path, text, key, "moet een tabel [" + key + "] zijn")
            _check_table(value, SCHEMA[key], key, path, text)
        elif f"[[{key}]]" in SCHEMA:
            schema = SCHEMA[f"[[{key}]]"]
            if not isinstance(value, list):
                raise _fail(path, text, key, f"moet een lijst van tabellen [[{key}]] zijn")
            for index, item in enumerate(value):
                _check_table(item, schema, f"{key}[{index}]", path, text)
                for required in REQUIRED.get(f"[[{key}]]", ()):
                    if required not in item:
                        raise _fail(path, text, f"{key}[{index}]",
                                    f"[[{key}]] nummer {index + 1} mist '{required}'")
        else:
            raise _fail(path, text, key, "onbekende tabel of sleutel")


def read_toml(path: Path) -> tuple[dict, str]:
    """Read and check a TOML file; ConfigError names the file and line on failure."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: bestand niet gevonden") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: kan het bestand niet lezen ({error})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"\(at line (\d+), column \d+\)", str(error))
        where = f"{path}:{line.group(1)}" if line else str(path)
        raise ConfigError(f"{where}: geen geldige TOML: {error}") from None
    _check(data, str(path), text)
    return data, text


def _tasks(items: list[dict], path: str, text: str) -> list[Task]:
    tasks = [Task(**item) for item in items]
    for index, task in enumerate(tasks):
        for pattern in task.match:
            try:
                re.compile(pattern)
            except re.error as error:
                raise _fail(path, text, f"task[{index}].match", f"taak '{task.id}': reguliere expressie "
                            f"'{pattern}' klopt niet ({error})") from None
    return tasks


def _deviations(items: list[dict], path: str, text: str) -> list[Deviation]:
    """The [[deviation]] tables; an unknown criterion names its own line."""
    deviations = [Deviation(**{**item, "target_date": item["target_date"].isoformat()}
                            if "target_date" in item else item) for item in items]
    for index, deviation in enumerate(deviations):
        if deviation.criterion not in wcag.criteria():
            raise _fail(path, text, f"deviation[{index}].criterion",
                        f"'{deviation.criterion}' is geen WCAG 2.1/2.2 A- of AA-succescriterium "
                        "(schrijf het als 1.1.1)")
    return deviations


def default_tasks() -> list[Task]:
    """The shipped default list of Dutch municipal top tasks."""
    if not DEFAULT_TASKS.exists():
        return []
    data, text = read_toml(DEFAULT_TASKS)
    return _tasks(data.get("task", []), str(DEFAULT_TASKS), text)


def site_from_url(start_url: str) -> SiteConfig:
    """Everything derived from a start URL alone."""
    start_url = _check_start_url(start_url, "START_URL", "")
    host = urlsplit(start_url).hostname or ""
    return SiteConfig(name=host, start_urls=[start_url], allowed_domains=[host],
                      tasks=default_tasks())


def _check_start_url(url: str, where: str, text: str) -> str:
    """The start URL as typed, made into the start page's URL (see core.urls.start_url)."""
    try:
        key = typed_start_url(url)
        parts = urlsplit(key)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and \
            (parts.port or 0) >= 0
    except ValueError:
        ok = False
    if not ok:
        raise _fail(where, text, "start_urls",
                    f"'{url}' is geen http(s)-adres") if text else ConfigError(
                        f"{where}: '{url}' is geen http(s)-adres")
    return key


def _check_patterns(site: dict, path: str, text: str) -> None:
    """Every ``include`` and ``exclude`` of [site] is a regular expression that compiles."""
    for key in ("include", "exclude"):
        for pattern in site.get(key, []):
            try:
                re.compile(pattern)
            except re.error as error:
                raise _fail(path, text, f"site.{key}", f"reguliere expressie '{pattern}' "
                            f"klopt niet ({error})") from None


def _check_urls(path: str, text: str, site: SiteConfig) -> SiteConfig:
    """Every configured address must be a URL: a typo such as "http://[x" is a configuration
    error here, not a crash in the middle of the night."""
    named = [(f"letter[{i}].{key}", getattr(letter, key)) for i, letter in enumerate(site.letters)
             for key in ("url", "expect")]
    named += [(f"task[{i}].{key}", getattr(task, key)) for i, task in enumerate(site.tasks)
              for key in ("short_url", "form")]
    named += [("site.statement_url", site.statement_url)]
    named += [("site.sitemaps", url) for url in site.sitemaps or []]
    for key, url in named:
        try:
            if url:
                site.absolute(url)
        except ValueError as error:
            raise _fail(path, text, key, f"'{url}' is geen geldig adres ({error})") from None
    return site


def load(path: Path | str, start_url: str | None = None) -> SiteConfig:
    """Load a site configuration file, optionally with the start URL given on the command line."""
    path = Path(path)
    data, text = read_toml(path)
    site = dict(data.get("site", {}))
    if "time_budget" in site:
        site["time_budget"] = duration_seconds(site["time_budget"])
    if start_url:
        site["start_urls"] = [start_url]
    start_urls = site.get("start_urls") or []
    if not start_urls:
        raise _fail(str(path), text, "site.start_urls", "ontbreekt (of geef een START_URL op)")
    start_urls = site["start_urls"] = [_check_start_url(url, str(path), text)
                                       for url in start_urls]
    _check_patterns(site, str(path), text)
    site.setdefault("allowed_domains",
                    sorted({urlsplit(u).hostname for u in start_urls if urlsplit(u).hostname}))
    site.setdefault("name", urlsplit(start_urls[0]).hostname)
    if "task" in data:
        if not data["task"]:
            raise _fail(str(path), text, "task", "de lijst met toptaken is leeg")
        tasks = _tasks(data["task"], str(path), text)
    else:
        tasks = default_tasks()
    letters = [Letter(**item) for item in data.get("letter", [])]
    deviations = _deviations(data.get("deviation", []), str(path), text)
    conf = SiteConfig(**site, tasks=tasks, letters=letters, deviations=deviations,
                      axe=data.get("axe", {}),
                      access=data.get("access", {}),
                      scoring=data.get("scoring", {}), browser=data.get("browser", {}),
                      notify=data.get("notify", {}),
                      checks=data.get("checks", {}),
                      source=str(path))
    return _check_urls(str(path), text, conf)
