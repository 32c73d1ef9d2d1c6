"""axe-core on every page, in a pool of headless browsers that never gets stuck.

Each browser is reused for many pages. axe-core is read once per process and,
where the browser speaks CDP, registered once per browser so Chromium evaluates
it in every new document without selenium sending it again. A page that hangs,
opens dialogs, navigates away or crashes the browser is recorded as not
audited, with a short error; its browser is replaced when it may be wedged.
"""

from __future__ import annotations

import os
import queue
import re
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import urllib3
from selenium.common.exceptions import (
    TimeoutException,
    UnexpectedAlertPresentException,
    WebDriverException,
)

from audits import regions
from audits.axe_settings import RUN_SCRIPT, AxeSettings, axe_version
from audits.browser import Browser, BrowserUnavailable, blocked_urls, browser_version
from audits.checks import CheckContext, CheckResult, SharedState
from core.access import prepare_browser
from core.wcag import criteria_from_tags, wcag22_only

__all__ = [
    "AxeSettings",
    "BrowserUnavailable",
    "NodeResult",
    "PageAudit",
    "RuleResult",
    "audit_pages",
    "axe_version",
    "browser_version",
]

# An audit answers selenium at least this often (milliseconds).
SLICE_MS = 1000
# What selenium raises when the driver's connection is gone (killed or crashed browser).
LOST = (urllib3.exceptions.HTTPError, OSError)
# Seconds past a step's limit (loading, axe, a page check) before the watchdog kills a
# browser that stopped answering.
WATCHDOG_MARGIN = 5
# Pages one browser audits before a fresh one takes over.
FRESH_BROWSER_AFTER = 500


@dataclass
class NodeResult:
    target: str           # CSS selector; parts in iframes or shadow DOM joined by " >>> "
    html: str             # the element's HTML, at most AxeSettings.html_limit characters
    failure_summary: str
    impact: str | None


@dataclass
class RuleResult:
    rule: str
    impact: str | None
    wcag: list[str]       # success criteria, "1.4.3"
    tags: list[str]
    description: str
    help: str
    help_url: str
    node_count: int       # elements found; nodes holds at most AxeSettings.max_nodes of them
    nodes: list[NodeResult]

    @property
    def wcag22_only(self) -> bool:
        """Asked for by WCAG 2.2 only, so beyond the legal baseline."""
        return wcag22_only(self.wcag)


@dataclass
class PageAudit:
    url: str
    final_url: str
    audited: bool
    error: str | None = None  # "timeout: …", "dialog: …", "crash: …", "load: …", "huge: …",
    #                           "offsite: …"
    violations: list[RuleResult] = field(default_factory=list)
    incomplete: list[RuleResult] = field(default_factory=list)  # "needs review"
    passes: list[RuleResult] = field(default_factory=list)       # counted, without elements
    inapplicable: list[str] = field(default_factory=list)
    load_ms: int = 0
    inject_ms: int = 0
    axe_ms: int = 0
    checks: list[CheckResult] = field(default_factory=list)  # the page checks' outcomes
    facts: dict = field(default_factory=dict)                 # what they gathered for site checks
    checks_ms: int = 0
    regions_reused: int = 0  # template regions whose stored results axe's rules took over


def audit_pages(urls: Iterable[str], settings: AxeSettings, browsers: int | None = None,
                grid_url: str | None = None) -> Iterator[PageAudit]:
    """Audit ``urls`` with ``browsers`` parallel browsers; yield each page as it finishes.

    Raises BrowserUnavailable when not even one browser starts.
    """
    count = max(1, browsers or os.cpu_count() or 1)
    shared = SharedState()
    cache = regions.RegionCache(settings.fingerprint()) if settings.template_once else None
    auditors = [_Auditor(settings, grid_url, shared, cache) for _ in range(count)]
    auditors[0].open()  # fails here, before any work is queued
    todo: queue.Queue = queue.Queue(maxsize=count * 2)
    done: queue.Queue = queue.Queue()
    stop = threading.Event()

    def offer(item: str | None) -> bool:
        while not stop.is_set():
            try:
                todo.put(item, timeout=0.5)
                return True
            except queue.Full:
                continue
        return False

    def feed() -> None:
        try:
            for url in urls:
                if not offer(url):
                    return
        finally:
            for _ in range(count):
                offer(None)

    def work(auditor: _Auditor) -> None:
        try:
            while not stop.is_set():
                try:
                    url = todo.get(timeout=0.5)
                except queue.Empty:
                    continue
                if url is None or stop.is_set():
                    return
                try:
                    done.put(auditor.audit(url))
                except BrowserUnavailable as error:
                    done.put(PageAudit(url=url, final_url=url, audited=False,
                                       error=f"browser: {error}"))
                    done.put(error)
                    return
        finally:
            auditor.close()
            done.put(_FINISHED)

    feeder = threading.Thread(target=feed, daemon=True)
    workers = [threading.Thread(target=work, args=(auditor,), daemon=True)
               for auditor in auditors]
    for thread in [feeder, *workers]:
        thread.start()
    running, failure = count, None
    try:
        while running:
            item = done.get()
            if item is _FINISHED:
                running -= 1
            elif isinstance(item, BrowserUnavailable):
                failure = item
            else:
                yield item
        if failure is not None and (feeder.is_alive() or _drain(todo)):
            raise failure  # every browser is gone and pages are left
    finally:
        stop.set()
        _drain(todo)
        for auditor in auditors:
            auditor.kill()
        for thread in workers:
            thread.join(timeout=10)


_FINISHED = object()


class _Watchdog:
    """The last resort when a browser stops answering: it is killed, so the blocked call fails.

    Each step of a page (loading, axe, each page check) has its own limit, so a page that
    hangs in axe is stopped after axe's limit, not after the whole page's budget.
    """

    def __init__(self, kill) -> None:
        self._kill = kill
        self._timer: threading.Timer | None = None
        self.fired: str | None = None  # the error of the step it stopped, on this page

    def step(self, name: str, seconds: float) -> None:
        """Start the next step: ``seconds`` (plus WATCHDOG_MARGIN) from now."""
        self.cancel()
        limit = max(seconds, 0) + WATCHDOG_MARGIN
        error = f"timeout: the page stopped answering during {name} (browser stopped after {limit:g} s)"
        self._timer = threading.Timer(limit, self._fire, args=(error,))
        self._timer.daemon = True
        self._timer.start()

    def _fire(self, error: str) -> None:
        self.fired = error
        self._kill()

    def cancel(self) -> None:
        """The page is done: no step is under way."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def reset(self) -> None:
        self.cancel()
        self.fired = None


def _drain(todo: queue.Queue) -> bool:
    """Empty the queue; True when it held pages (not only the end markers)."""
    pages = False
    while True:
        try:
            pages = todo.get_nowait() is not None or pages
        except queue.Empty:
            return pages


class _Auditor:
    """One browser and the pages it audits, one at a time; replaced when it dies."""

    def __init__(self, settings: AxeSettings, grid_url: str | None,
                 shared: SharedState | None = None,
                 cache: regions.RegionCache | None = None) -> None:
        self.settings = settings
        self.grid_url = grid_url
        self.shared = shared or SharedState()
        self.regions = cache  # template regions audited before, this run (None: off)
        self.source = settings.source()
        self.blocked = blocked_urls(settings.block)  # URL patterns the browser never requests
        self.browser: Browser | None = None
        self.registered = False  # axe-core is evaluated in every new document through CDP
        self.pages = 0
        self.watchdog = _Watchdog(self.kill)

    def open(self) -> None:
        """Start the browser; raises BrowserUnavailable."""
        settings = self.settings
        limit = settings.page_budget + 30
        # A protected site's headers go with every request: then only the site resolves.
        self.browser = Browser.start(site=tuple(settings.hosts), block=tuple(settings.block),
                                     only_site=bool(settings.access), grid_url=self.grid_url,
                                     command_timeout=limit)
        try:
            self._prepare(self.browser.driver)
        except (WebDriverException, *LOST) as error:
            self.close(force=True)
            raise BrowserUnavailable(f"the browser stopped while starting ({error})") from None

    def _prepare(self, driver) -> None:
        settings = self.settings
        driver.set_page_load_timeout(settings.page_timeout)
        # Audits run in slices (see axe_run.js); this bounds one slice, not the audit.
        driver.set_script_timeout(SLICE_MS / 1000 + 2)
        self.registered = False
        if hasattr(driver, "execute_cdp_cmd"):
            prepare_browser(driver, settings.access)  # a protected site's headers and cookies
            try:
                driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                                       {"source": self.source})
                self.registered = True
            except WebDriverException:
                pass  # falls back to sending the script with every page
        for check in settings.checks:
            check.prepare(driver)

    def close(self, force: bool = False) -> None:
        if self.browser is not None:
            self.browser.close(force)
            self.browser = None

    def kill(self) -> None:
        browser = self.browser
        if browser is not None:
            browser.kill()

    def audit(self, url: str) -> PageAudit:
        """Audit one page; never raises for what the page does, only when no browser starts."""
        if self.browser is None:
            self.open()
        self.watchdog.reset()
        try:
            audit, healthy = self._audit(url)
        finally:
            self.watchdog.cancel()
        self.pages += 1
        if not healthy:
            self.close(force=True)  # a new browser starts with the next page
        elif self.pages % FRESH_BROWSER_AFTER == 0:
            self.close()  # long-lived browsers grow; a fresh one costs a second
        elif audit.error and audit.error.startswith("dialog"):
            self._leave()
        return audit

    def _leave(self) -> None:
        """Leave a page that opens dialogs, so that none is left for the next page."""
        for _ in range(3):
            try:
                self.browser.driver.get("about:blank")
                return
            except UnexpectedAlertPresentException:
                continue
            except (WebDriverException, *LOST):
                break
        self.close(force=True)

    def _audit(self, url: str) -> tuple[PageAudit, bool]:
        """The audit and whether the browser is still fit for the next page."""
        driver = self.browser.driver
        settings = self.settings
        started = time.perf_counter()
        load_ms = inject_ms = 0
        final_url = url
        try:
            self.watchdog.step("loading", settings.page_timeout)
            for check in settings.checks:
                check.before_load(driver)
            self.browser.new_page()
            driver.get(url)     # the URL it lands on comes back with axe's result
            load_ms = _ms_since(started)
            self.watchdog.step("axe", settings.script_timeout)
            outcome, inject_ms, axe_ms = self._run_axe(time.perf_counter() + settings.script_timeout)
            if outcome.get("gone"):
                # The page moved on by itself (a script or meta refresh): audit where it
                # landed, within what is left of the page's time.
                deadline = started + settings.page_budget
                self.watchdog.step("axe", deadline - time.perf_counter())
                final_url = self._arrival(final_url, deadline)
                outcome, inject_ms, axe_ms = self._run_axe(deadline)
        except TimeoutException:
            spent = _ms_since(started)
            what = "page did not load" if not load_ms else "axe did not finish"
            limit = settings.page_timeout if not load_ms else settings.script_timeout
            return self._failed(url, final_url, f"timeout: {what} within {limit:g} s",
                                load_ms or spent), False
        except UnexpectedAlertPresentException as error:
            text = (error.alert_text or "").strip().replace("\n", " ")[:200]
            return self._failed(url, final_url, f"dialog: {text!r}", load_ms), True
        except WebDriverException as error:
            message, healthy = _describe(error)
            return self._failed(url, final_url, message, load_ms), healthy
        except LOST as error:  # the browser is gone: it crashed, or the watchdog stopped it
            if self.watchdog.fired:
                message = self.watchdog.fired
            else:
                message = f"crash: lost the browser ({type(error).__name__})"
            return self._failed(url, final_url, message, load_ms), False
        if "offsite" in outcome:
            # Another host is not the site's page: never audited as if it were.
            error = f"offsite: the page led to {outcome['offsite'][:200]}"
            return self._failed(url, outcome["offsite"], error, load_ms), True
        if "huge" in outcome:
            error = f"huge: {outcome['huge']} elements (limit {settings.max_elements})"
            return self._failed(url, final_url, error, load_ms), True
        if "failed" in outcome or "gone" in outcome:
            detail = outcome.get("failed") or "the page kept navigating"
            return self._failed(url, final_url, f"axe: {detail}"[:300], load_ms), True
        audit = PageAudit(
            url=url, final_url=outcome.get("url") or final_url, audited=True,
            violations=_rules(outcome["violations"]), incomplete=_rules(outcome["incomplete"]),
            passes=_rules(outcome["passes"]),
            inapplicable=sorted(outcome["inapplicable"]),
            load_ms=load_ms, inject_ms=inject_ms, axe_ms=axe_ms,
            regions_reused=outcome.get("reused", 0),
        )
        healthy = self._run_checks(audit)
        return audit, healthy

    def _run_checks(self, audit: PageAudit) -> bool:
        """Run the page checks on the loaded page into ``audit``; whether the browser is still fit.

        A check that fails is recorded as cant_tell with the reason; axe's result stays.
        """
        settings = self.settings
        driver = self.browser.driver
        healthy = True
        started = time.perf_counter()
        context = CheckContext(url=audit.url, final_url=audit.final_url, deadline=started,
                               html_limit=settings.html_limit,
                               priority=audit.url in settings.priority, shared=self.shared,
                               facts=audit.facts, requests=self.browser.requests,
                               violations=_pictured(audit.violations),
                               screenshot_dir=settings.screenshot_dir)
        for check in settings.checks:
            if not healthy:
                audit.checks += check.unable("browser: lost during an earlier check")
                continue
            context.deadline = time.perf_counter() + check.budget
            self.watchdog.step(f"the {check.id} check", check.budget)
            try:
                audit.checks += check.run(driver, context)
            except UnexpectedAlertPresentException:
                audit.checks += check.unable("dialog: the page opened a dialog")
                healthy = False
            except TimeoutException:
                audit.checks += check.unable(f"timeout: not done within {check.budget:g} s")
                healthy = False
            except WebDriverException as error:
                message, _ = _describe(error)
                healthy = not message.startswith("crash")  # a script error leaves it fit
                audit.checks += check.unable(message)
            except LOST as error:
                audit.checks += check.unable(self.watchdog.fired or
                                             f"crash: lost the browser ({type(error).__name__})")
                healthy = False
        audit.checks_ms = _ms_since(started)
        return healthy

    def _arrival(self, departed: str, deadline: float) -> str:
        """Wait (until ``deadline``) for the browser to have left ``departed``."""
        driver = self.browser.driver
        while time.perf_counter() < deadline:
            url = driver.execute_script("return document.readyState === 'complete' && location.href")
            if url and url != departed:
                return url
            time.sleep(0.05)
        return driver.current_url

    def _run_axe(self, deadline: float) -> tuple[dict, int, int]:
        """Run axe-core on the loaded page (until ``deadline``), sending it first when CDP did not."""
        driver = self.browser.driver
        inject_ms = 0
        started = time.perf_counter()
        if not self.registered:
            driver.execute_script(self.source)
            inject_ms = _ms_since(started)
        plan = self._plan()
        outcome = self._call("start", plan)
        if outcome.get("missing"):
            # The page hid window.axe, or the CDP registration did not take.
            begun = time.perf_counter()
            driver.execute_script(self.source)
            inject_ms += _ms_since(begun)
            outcome = self._call("start", plan)
        while outcome.get("pending"):
            if time.perf_counter() > deadline:
                raise TimeoutException("axe")
            outcome = self._call("wait")
        if self.regions is not None:
            self.regions.keep(outcome.pop("regions", None) or [])
        return outcome, inject_ms, _ms_since(started) - inject_ms

    def _plan(self) -> dict | None:
        """The page's template regions with what this run stored of them (None when off)."""
        if self.regions is None:
            return None
        found = self._call("regions")
        return self.regions.plan(found.get("regions") or []) if "regions" in found else None

    def _call(self, command: str, plan: dict | None = None) -> dict:
        """One slice of the audit script: its result, {"pending": True} or {"gone": True}."""
        settings = self.settings
        limits = {"elements": settings.max_elements, "html": settings.html_limit,
                  "nodes": settings.max_nodes, "slice": SLICE_MS,
                  "site": [host.lower() for host in settings.hosts]}
        try:
            return self.browser.driver.execute_async_script(
                RUN_SCRIPT, command, settings.axe_options(), list(settings.exclude), limits,
                plan)
        except TimeoutException:
            # Too busy to answer within the slice, or navigating: ask again.
            return {"pending": True}

    def _failed(self, url: str, final_url: str, error: str, load_ms: int) -> PageAudit:
        return PageAudit(url=url, final_url=final_url, audited=False, error=error,
                         load_ms=load_ms)


def _describe(error: WebDriverException) -> tuple[str, bool]:
    """A short error for a failed page, and whether the browser survived it."""
    text = (getattr(error, "msg", None) or str(error)).strip()
    first = (text.splitlines() or [type(error).__name__])[0][:200]
    lowered = text.lower()
    if "net::err_" in lowered:
        code = re.search(r"net::ERR_[A-Z_]+", text, re.IGNORECASE)
        return f"load: {code.group(0) if code else first}", True
    if any(word in lowered for word in ("crash", "not reachable", "disconnected",
                                        "invalid session", "no such window", "connection",
                                        "target window already closed")):
        return f"crash: {first}", False
    return f"browser: {first}", False


def _rules(raw: list[dict]) -> list[RuleResult]:
    return [
        RuleResult(
            rule=rule["id"], impact=rule.get("impact"),
            wcag=criteria_from_tags(rule.get("tags", [])), tags=list(rule.get("tags", [])),
            description=rule.get("description", ""), help=rule.get("help", ""),
            help_url=rule.get("helpUrl", ""), node_count=rule.get("count", 0),
            nodes=[NodeResult(target=node["target"], html=node["html"],
                              failure_summary=node["failureSummary"], impact=node.get("impact"))
                   for node in rule.get("nodes", [])],
        )
        for rule in sorted(raw, key=lambda rule: rule["id"])
    ]


IMPACT_ORDER = ("critical", "serious", "moderate", "minor")


def _pictured(violations: list[RuleResult]) -> list[tuple[str, str]]:
    """Each violated rule with its first element, the legal baseline and the worst first."""
    ranked = sorted((rule for rule in violations if rule.nodes), key=lambda rule: (
        rule.wcag22_only,
        IMPACT_ORDER.index(rule.impact) if rule.impact in IMPACT_ORDER else len(IMPACT_ORDER),
        rule.rule))
    return [(rule.rule, rule.nodes[0].target) for rule in ranked]


def _ms_since(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
