"""The [axe] settings of a site, the axe-core script they choose, and their fingerprint.

The fingerprint covers everything that shapes an audit's result (axe-core with its locale, the
scripts that run it, the browser's major version, the rules and the page checks): an audit
stored under another fingerprint is never reused (audits/axe_stage.py).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import axe_selenium_python

from audits import getonly, regions
from audits.browser import STAY_ON_SITE, BrowserUnavailable
from audits.checks import PageCheck
from core.wcag import DEFAULT_TAGS

BUNDLED_SCRIPT = Path(axe_selenium_python.__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
# The current axe-core, installed from npm by tools/bootstrap.sh into the venv.
INSTALLED_AXE = Path(sys.prefix) / "axe-core" / "node_modules" / "axe-core"
# The audit script, after the template regions it may audit once (regions.js).
RUN_SCRIPT = "\n".join((Path(__file__).parent / name).read_text(encoding="utf-8")
                       for name in ("regions.js", "axe_run.js"))
# Our Dutch texts for axe-core's element summaries, over axe-core's own locales/nl.json.
LOCALE_NL = Path(__file__).parent / "data" / "axe_nl.json"
# Bumped when what an audit stores changes, so older audits are not reused.
RESULT_FORMAT = 1


@dataclass
class AxeSettings:
    """The site config's [axe] table."""

    tags: list[str] = field(default_factory=lambda: list(DEFAULT_TAGS))
    disable: list[str] = field(default_factory=list)  # rule ids not to run
    exclude: list[str] = field(default_factory=list)  # CSS selectors of page parts to skip
    script: str | None = None                         # another axe.min.js
    page_timeout: float = 30.0                        # seconds to load a page
    script_timeout: float = 60.0                      # seconds for axe on one page
    locale: str = "nl"                                # language of axe's element summaries
    hosts: list[str] = field(default_factory=list)    # the site: the top-level page stays on it
    block: list[str] = field(default_factory=list)    # hosts never contacted ([browser] block)
    access: dict = field(default_factory=dict)        # the site config's [access] table
    browser: str = ""                                 # the browser that audits, "Chromium 156.0…"
    max_elements: int = 60_000                        # larger pages are "huge", not audited
    html_limit: int = 500                             # characters of HTML kept per element
    max_nodes: int = 100                              # elements kept per rule and page
    checks: tuple[PageCheck, ...] = ()                # page checks run after axe (audits/checks)
    priority: frozenset[str] = frozenset()            # URLs no check may skip (toptaak pages)
    screenshot_dir: str | None = None                 # pictures of violations (checks/screenshot.py)
    template_once: bool = False                       # a template region's version audited once
                                                      # (off: measured slower, docs/checks/template-once.md)

    @property
    def checks_budget(self) -> float:
        """Seconds the page checks may take on one page, together."""
        return sum(check.budget for check in self.checks)

    @property
    def page_budget(self) -> float:
        """Seconds one page may take in all: loading, axe, then the page checks."""
        return self.page_timeout + self.script_timeout + self.checks_budget

    @property
    def script_path(self) -> Path:
        """The configured axe.min.js, else the installed axe-core, else axe-selenium-python's."""
        if self.script:
            return Path(self.script)
        installed = INSTALLED_AXE / "axe.min.js"
        return installed if installed.is_file() else BUNDLED_SCRIPT

    @property
    def axe_note(self) -> str | None:
        """"bundled" when the older axe-core of axe-selenium-python is used for want of npm's."""
        return "bundled" if self.script_path == BUNDLED_SCRIPT else None

    def source(self) -> str:
        """axe-core as evaluated in every document: the script, then its locale."""
        locale = _locale(self.script_path, self.locale)
        configure = f"\n;axe.configure({{locale: {json.dumps(locale)}}});" if locale else ""
        return _read_script(self.script_path) + configure

    def axe_options(self) -> dict:
        """The options given to axe.run()."""
        options: dict = {
            "runOnly": {"type": "tag", "values": list(self.tags)},
            "resultTypes": ["violations", "incomplete"],
            "reporter": "nachtwacht",
        }
        if self.disable:
            options["rules"] = {rule: {"enabled": False} for rule in self.disable}
        return options

    def fingerprint(self) -> str:
        """A stable hash of everything that shapes an audit's result, axe-core itself included."""
        major = re.search(r"(\d+)\.", self.browser)
        material = {
            "format": RESULT_FORMAT,
            # axe-core with its locale, and the scripts that run it in the page
            "axe": _digest(self.source()),
            "scripts": _digest(RUN_SCRIPT + getonly.SCRIPT + STAY_ON_SITE),
            "browser": major.group(1) if major else self.browser,
            "tags": sorted(self.tags), "disable": sorted(self.disable),
            "exclude": sorted(self.exclude), "hosts": sorted(self.hosts),
            "block": sorted(self.block),
            # hashed: the [access] table may hold literal header values
            "access": _digest(json.dumps(self.access, sort_keys=True, default=str)),
            "html_limit": self.html_limit, "max_nodes": self.max_nodes,
            "max_elements": self.max_elements,
            "checks": sorted(check.fingerprint() for check in self.checks),
            "template_once": regions.GROUPS if self.template_once else False,
        }
        return _digest(json.dumps(material, sort_keys=True))[:16]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@functools.cache
def _locale(script: Path, language: str) -> dict | None:
    """axe-core's locale for ``language`` (next to its script) with our texts over it."""
    if language == "en":
        return None
    locale: dict = {}
    ours = LOCALE_NL if language == "nl" else None
    for path in (script.parent / "locales" / f"{language}.json", ours):
        if path and path.is_file():
            _merge(locale, json.loads(path.read_text(encoding="utf-8")))
    return locale or None


def _merge(into: dict, extra: dict) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


@functools.cache
def _read_script(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise BrowserUnavailable(f"axe-core script not readable: {path} ({error.strerror})") from None


def axe_version(settings: AxeSettings) -> str:
    """The axe-core version of the configured script, from its banner ("4.10.2")."""
    match = re.search(r"axe v(\d[\w.\-]*)", _read_script(settings.script_path)[:500])
    return match.group(1) if match else "unknown"
