"""Privacy recording in the audit browser: what a page contacts and stores before any click.

A page check (audits/checks/base.py) that gathers, in the same visit as axe and without
loading anything again: every host the page and its frames asked the browser for (the
browser's network log, ``CheckContext.requests``) with the kinds of resources and whether
the block list (``[browser] block``) stopped them; every cookie in the browser after the
page settled (name, domain, lifetime, and the host of the script that set it through
``document.cookie``); the names of the page's localStorage and sessionStorage keys.
Values are never read into nachtwacht. It leaves them as the page fact ``privacy``;
judging (which host is a third party, and what it is) is audits/privacy.py.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from selenium.common.exceptions import WebDriverException

from audits.browser import cdp
from audits.checks.base import CheckContext, CheckResult, PageCheck, read_script

COOKIE_SCRIPT = read_script("privacy_cookies.js")
# Bounds per page: a page that fires thousands of requests is summarised per host.
MAX_HOSTS = 100
MAX_COOKIES = 200
MAX_KEYS = 100
# The browser's resource types, as the report names them.
TYPES = {"Document": "frame", "Stylesheet": "stylesheet", "Image": "image", "Media": "media",
         "Font": "font", "Script": "script", "XHR": "xhr", "Fetch": "fetch", "Ping": "beacon",
         "EventSource": "eventsource", "WebSocket": "websocket", "Manifest": "manifest",
         "Prefetch": "prefetch", "TextTrack": "media"}
# The names of the page's storage keys and of the cookies scripts set; then the storage is
# emptied, so that the next page of the site starts as a first visit (one round trip in all).
STORAGE_KEYS_SCRIPT = """
const most = arguments[0];
const names = (kind) => {
  try { const keys = Object.keys(window[kind]).slice(0, most); window[kind].clear(); return keys; }
  catch (error) { return []; }
};
return {local: names("localStorage"), session: names("sessionStorage"),
        cookies: (window.__nachtwachtCookies || []).slice(0, 500)};
"""


@dataclass
class PrivacyRecord:
    """What one page contacted and left behind, names only."""

    hosts: list[dict] = field(default_factory=list)    # host, types, requests, blocked
    cookies: list[dict] = field(default_factory=list)  # name, domain, lifetime_days, script_host…
    storage: list[dict] = field(default_factory=list)  # kind (local|session), key
    requests: int = 0           # every request the page made, the page itself included
    hosts_left_out: int = 0     # hosts beyond MAX_HOSTS, counted in ``requests`` only
    error: str | None = None    # why (part of) the recording failed


class PrivacyCheck(PageCheck):
    """Records third-party hosts, cookies and storage keys as the page fact ``privacy``."""

    id = "privacy"
    setting = "privacy"
    version = 1
    budget = 5.0   # not a WCAG check: no outcomes (``criteria`` stays empty), only facts

    def prepare(self, driver) -> None:
        """Once per browser: note which script sets which cookie, in every new document.

        Without DevTools the check still records, without the cookies' setters; it never
        keeps a browser from auditing.
        """
        with contextlib.suppress(WebDriverException):
            cdp(driver, "Page.addScriptToEvaluateOnNewDocument", {"source": COOKIE_SCRIPT})

    def before_load(self, driver) -> None:
        """Forget the previous page's cookies, so that each page is measured as a first visit."""
        with contextlib.suppress(WebDriverException):
            cdp(driver, "Network.clearBrowserCookies", {})

    def run(self, driver, context: CheckContext) -> list[CheckResult]:
        context.facts["privacy"] = asdict(record(driver, context))
        return []


def record(driver, context: CheckContext) -> PrivacyRecord:
    """Everything the page contacted since it began loading, and the cookies and keys it left."""
    result = PrivacyRecord()
    try:
        if context.requests is None:
            result.error = "network log: not available in this browser"
        else:
            result.hosts, result.requests, result.hosts_left_out = summarise_requests(
                context.requests())
        found = driver.execute_script(STORAGE_KEYS_SCRIPT, MAX_KEYS) or {}
        setters = script_hosts(found.get("cookies") or [])
        result.cookies = cookie_rows(_cookies(driver), setters, time.time())
        result.storage = ([{"kind": "local", "key": key} for key in found.get("local") or []]
                          + [{"kind": "session", "key": key} for key in found.get("session") or []])
    except WebDriverException as error:
        result.error = (getattr(error, "msg", None) or str(error)).strip().split("\n")[0][:200]
    return result


def summarise_requests(requests: list[dict]) -> tuple[list[dict], int, int]:
    """Per host: resource types, requests and blocked requests; the total; hosts left out.

    ``requests`` are the browser's (audits/browser.py ``Browser.requests``): ``{"url",
    "type", "blocked"}``. Hosts are ordered by number of requests, then name; at most
    MAX_HOSTS are kept.
    """
    hosts: dict[str, dict] = {}
    total = 0
    stylesheets = {r.get("url") for r in requests if r.get("type") == "Stylesheet"}
    for request in requests:
        if request.get("type") in ("XHR", "Fetch") and request.get("url") in stylesheets:
            continue  # axe-core reading a stylesheet of the page again, not the page itself
        parts = urlsplit(request.get("url") or "")
        host = (parts.hostname or "").lower()
        if not host or parts.scheme not in ("http", "https", "ws", "wss"):
            continue  # data:, blob: and the like leave the browser for no host
        total += 1
        entry = hosts.setdefault(host, {"host": host, "types": set(), "requests": 0,
                                        "blocked": 0})
        entry["requests"] += 1
        entry["blocked"] += int(bool(request.get("blocked")))
        entry["types"].add(TYPES.get(request.get("type") or "", "other"))
    ordered = sorted(hosts.values(), key=lambda h: (-h["requests"], h["host"]))
    kept = [{**h, "types": sorted(h["types"])} for h in ordered[:MAX_HOSTS]]
    return kept, total, max(0, len(ordered) - MAX_HOSTS)


def script_hosts(assignments: list) -> dict[str, str]:
    """Cookie name -> host of the (last) script that set it through document.cookie."""
    found = {}
    for name, script in assignments:
        host = urlsplit(script or "").hostname
        if name and host:
            found[str(name)] = host.lower()
    return found


def cookie_rows(cookies: list[dict], setters: dict[str, str], now: float) -> list[dict]:
    """The browser's cookies as rows without values: name, domain, lifetime, who set it."""
    rows = []
    for cookie in sorted(cookies, key=lambda c: (c.get("domain") or "", c.get("name") or "")):
        session = bool(cookie.get("session")) or (cookie.get("expires") or -1) <= 0
        lifetime = None if session else round((cookie["expires"] - now) / 86400, 1)
        rows.append({"name": cookie.get("name") or "", "domain": (cookie.get("domain") or "")
                     .lstrip(".").lower(), "path": cookie.get("path") or "/",
                     "lifetime_days": lifetime, "http_only": bool(cookie.get("httpOnly")),
                     "secure": bool(cookie.get("secure")),
                     "same_site": cookie.get("sameSite"),
                     "script_host": setters.get(cookie.get("name") or "")})
    return rows[:MAX_COOKIES]


def _cookies(driver) -> list[dict]:
    try:
        return cdp(driver, "Storage.getCookies", {}).get("cookies") or []
    except WebDriverException:
        return cdp(driver, "Network.getAllCookies", {}).get("cookies") or []
