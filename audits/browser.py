"""Headless Chromium through selenium: start one, find out its version, kill it hard.

Selenium must never reach for the network: the chromedriver path is given
explicitly, so Selenium Manager is never asked to download anything. Each
local browser gets a fresh profile and its own process group, so that a
browser whose page hangs can be killed with everything it started.

The browser loads a page as a resident's browser does, stylesheets, fonts, scripts and
frames from any host, except the hosts of the block list (analytics), which it never
contacts. Every request a page makes, blocked or not, is in the browser's network log.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import urllib3
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.client_config import ClientConfig

from audits import getonly
from core import __version__

FIX = "apt-get install chromium chromium-driver"
# The real binary first: /usr/bin/chromium is Debian's shell wrapper, which also
# loads extensions and Google API keys that an audit has no use for.
CHROMIUM_PATHS = ("/usr/lib/chromium/chromium", "/usr/bin/chromium",
                  "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMEDRIVER_PATHS = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")
# What headless Chromium 156 renders at every start for nobody, about half of what a browser
# that audits three pages costs (bench/browser_start.py): the omnibox's pop-ups (features off)
# and the new-tab page (the first tab opens on about:blank; chromedriver drops a URL argument).
UNSEEN_FEATURES = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup", "WebUIOmniboxFullPopup")
START_ON_BLANK = {"session.restore_on_startup": 4, "session.startup_urls": ["about:blank"]}
CHROMIUM_ARGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--disable-default-apps", "--no-first-run",
    "--no-default-browser-check", "--mute-audio", "--hide-scrollbars",
    # window.open() and pop-ups fail instead of opening tabs nobody closes
    "--block-new-web-contents",
    "--window-size=1280,1024",
    # no crash reporter: its handler process would outlive a killed browser
    "--disable-crash-reporter", "--disable-breakpad",
    # Frames from other hosts in the page's own process: the block list and the network
    # log of the page's DevTools session then cover them too. One --disable-features: a second
    # would replace this one where Chromium is started without chromedriver.
    "--disable-site-isolation-trials",
    "--disable-features=" + ",".join(("IsolateOrigins", "site-per-process", *UNSEEN_FEATURES)),
)
# The hosts blocked unless [browser] block says otherwise (analytics, session recording, ads).
DEFAULT_BLOCK = Path(__file__).parent / "data" / "block.toml"
# Runs before every document: a top-level page on another host is stopped at once.
STAY_ON_SITE = Path(__file__).with_name("stay_on_site.js").read_text(encoding="utf-8")
# Selenium Manager stays silent and offline even if some code path asks for it.
os.environ.setdefault("SE_AVOID_STATS", "true")
os.environ.setdefault("SE_OFFLINE", "true")


class BrowserUnavailable(Exception):
    """The browser cannot be started; ``str()`` is one line that says how to fix it."""


def chromium_path() -> str:
    """The Chromium binary: $NACHTWACHT_CHROMIUM or the first one installed."""
    return _find("NACHTWACHT_CHROMIUM", CHROMIUM_PATHS, "Chromium")


def chromedriver_path() -> str:
    """The chromedriver binary: $NACHTWACHT_CHROMEDRIVER or the first one installed."""
    return _find("NACHTWACHT_CHROMEDRIVER", CHROMEDRIVER_PATHS, "chromedriver")


def _find(variable: str, candidates: tuple[str, ...], name: str) -> str:
    wanted = os.environ.get(variable)
    for path in ([wanted] if wanted else candidates):
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    where = wanted or " of ".join(candidates[:2])
    raise BrowserUnavailable(f"{name} niet gevonden ({where}); installeer het met: {FIX}")


def browser_version(grid_url: str | None = None) -> str:
    """The browser that audits, e.g. "Chromium 156.0.8078.108"."""
    if grid_url:
        browser = Browser.start(grid_url=grid_url)
        try:
            caps = browser.driver.capabilities
            return f"{caps.get('browserName', 'chrome')} {caps.get('browserVersion', '?')}"
        finally:
            browser.close()
    try:
        out = subprocess.run([chromium_path(), "--version"], capture_output=True, text=True,
                             timeout=30, check=False).stdout
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BrowserUnavailable(f"Chromium start niet ({error}); installeer het opnieuw: {FIX}") from None
    # "Chromium 156.0.8078.108 built on Debian GNU/Linux 12 (bookworm)"
    return " ".join(out.split()[:2]) or "Chromium"


def chrome_options(user_data_dir: str | None, only_hosts: tuple[str, ...] = ()
                   ) -> webdriver.ChromeOptions:
    """Options for one audit browser: headless, quiet, with a network log.

    With ``only_hosts``, nothing but loopback and those hosts (and their subdomains)
    resolves: for a protected site, whose headers Chromium would send to every host.
    """
    options = webdriver.ChromeOptions()
    for argument in CHROMIUM_ARGS:
        options.add_argument(argument)
    if user_data_dir:
        options.add_argument(f"--user-data-dir={user_data_dir}")
    if only_hosts:
        excluded = ["127.0.0.1", "localhost"]
        for host in only_hosts:
            excluded += [host, f"*.{host}"]
        options.add_argument("--host-resolver-rules=MAP * ~NOTFOUND , "
                             + " , ".join(f"EXCLUDE {host}" for host in excluded))
    # The requests of each page (read by Browser.requests), without the page events.
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    options.add_experimental_option("perfLoggingPrefs", {"enableNetwork": True,
                                                         "enablePage": False})
    # Third-party cookies accepted, as a resident's Chrome does (a fresh profile refuses them).
    options.add_experimental_option("prefs", {"profile.cookie_controls_mode": 0,
                                              **START_ON_BLANK})
    # "normal": wait for the load event, so scripts that build the page have run.
    options.page_load_strategy = "normal"
    # A dialog is dismissed and reported on the next command, never left open.
    options.unhandled_prompt_behavior = "dismiss and notify"
    return options


@dataclass
class Browser:
    """One running browser; local (with a process group) or on a Selenium Grid."""

    driver: webdriver.Remote
    folder: str | None = None  # profile and launchers of a local browser, removed on close
    process_group: int | None = None
    site: tuple[str, ...] = ()     # the allowed domains: the top-level page stays on them
    blocked: tuple[str, ...] = ()  # URL patterns never requested (Network.setBlockedURLs)
    closed: bool = field(default=False)
    _requests: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        getonly.install(self.driver)     # the page's own scripts may not post to the site
        identify(self.driver)
        if self.site:
            stay_on_site(self.driver, self.site)
        if self.blocked:
            cdp(self.driver, "Network.enable", {})
            cdp(self.driver, "Network.setBlockedURLs", {"urls": list(self.blocked)})

    @classmethod
    def start(cls, site: tuple[str, ...] = (), block: tuple[str, ...] = (),
              only_site: bool = False, grid_url: str | None = None,
              command_timeout: float = 120) -> Browser:
        """Start a browser, or raise BrowserUnavailable with one line that says why.

        ``site``: the allowed domains; ``block``: host patterns never contacted;
        ``only_site``: resolve nothing but ``site`` (a protected site's headers stay on it).
        """
        only_hosts = site if only_site else ()
        kept = {"site": site, "blocked": blocked_urls(block)}
        if grid_url:
            config = ClientConfig(remote_server_addr=grid_url, timeout=command_timeout)
            try:
                driver = webdriver.Remote(command_executor=grid_url, client_config=config,
                                          options=chrome_options(None, only_hosts))
            except WebDriverException as error:
                raise BrowserUnavailable(
                    f"geen browser van de Selenium Grid op {grid_url}: {_first_line(error)}"
                ) from None
            return cls(driver, **kept)
        folder = tempfile.mkdtemp(prefix="nachtwacht-chromium-")
        options = chrome_options(os.path.join(folder, "profile"), only_hosts)
        options.binary_location = _bound(chromium_path(), folder)
        service = Service(executable_path=_bound(chromedriver_path(), folder),
                          popen_kw={"start_new_session": True})
        try:
            driver = webdriver.Chrome(service=service, options=options)
        except WebDriverException as error:
            shutil.rmtree(folder, ignore_errors=True)
            raise BrowserUnavailable(
                f"Chromium start niet ({_first_line(error)}); installeer het met: {FIX}"
            ) from None
        driver.command_executor.client_config.timeout = command_timeout
        return cls(driver, folder, service.process.pid, **kept)

    def new_page(self) -> None:
        """Forget the requests of the page before (call before loading the next one)."""
        self.requests()
        self._requests = []

    def requests(self) -> list[dict]:
        """The web requests of the current page: ``{"url", "type", "blocked"}``, in order.

        Read from the network log, which each call empties; calling twice is harmless.
        """
        try:
            entries = self.driver.execute("getLog", {"type": "performance"})["value"]
        except (WebDriverException, KeyError):
            return self._requests
        by_id: dict[str, dict] = {}
        for entry in entries:
            message = json.loads(entry["message"])["message"]
            params = message.get("params") or {}
            if message.get("method") == "Network.requestWillBeSent" and \
                    params["request"]["url"].startswith(("http:", "https:")):
                request = {"url": params["request"]["url"], "type": params.get("type"),
                           "blocked": False}
                by_id[params["requestId"]] = request
                self._requests.append(request)
            elif message.get("method") == "Network.loadingFailed" and params.get(
                    "blockedReason") == "inspector" and params.get("requestId") in by_id:
                by_id[params["requestId"]]["blocked"] = True
        return self._requests

    def kill(self) -> None:
        """Kill the browser and its driver at once; a blocked selenium call then fails."""
        if self.process_group is not None:
            try:
                os.killpg(self.process_group, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def close(self, force: bool = False) -> None:
        """Quit politely (or, with ``force``, just kill), then remove the profile.

        A browser with a wedged page takes seconds to quit; killing it takes none.
        """
        if self.closed:
            return
        self.closed = True
        if not force or self.process_group is None:
            # a dead browser cannot quit; it is killed below
            with contextlib.suppress(WebDriverException, OSError, urllib3.exceptions.HTTPError):
                self.driver.quit()
        self.kill()
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)


def default_block() -> list[str]:
    """The shipped list of hosts the audit browser never contacts."""
    with open(DEFAULT_BLOCK, "rb") as file:
        return list(tomllib.load(file)["hosts"])


def cdp(driver, command: str, params: dict) -> dict:
    """One DevTools command, on a local chromedriver and on a Selenium Grid alike."""
    return driver.execute("executeCdpCommand", {"cmd": command, "params": params})["value"]


def blocked_urls(hosts: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """URL patterns for Network.setBlockedURLs from host patterns.

    "tracker.nl" blocks that host and its subdomains; "*.tracker.nl" only the subdomains.
    """
    patterns: list[str] = []
    for host in hosts:
        host = host.strip().lower().rstrip(".")
        names = [host] if host.startswith("*.") else [host, f"*.{host}"]
        patterns += [f"{scheme}://{name}{end}" for name in names
                     for scheme in ("http", "https") for end in ("/*", ":*")]
    return tuple(patterns)


def stay_on_site(driver, site: tuple[str, ...]) -> None:
    """Stop a top-level page on another host before its scripts run (its own HTML came)."""
    source = STAY_ON_SITE.replace("SITE_HOSTS", json.dumps([h.lower() for h in site]))
    with contextlib.suppress(WebDriverException):
        cdp(driver, "Page.addScriptToEvaluateOnNewDocument", {"source": source})


def identify(driver) -> None:
    """Add nachtwacht to the browser's User-Agent, so the site's operators can tell who visits."""
    with contextlib.suppress(WebDriverException):
        agent = driver.execute_script("return navigator.userAgent")
        cdp(driver, "Network.setUserAgentOverride",
            {"userAgent": f"{agent} nachtwacht/{__version__}"})


def _bound(program: str, folder: str) -> str:
    """``program`` behind a launcher that makes it die with its parent.

    chromedriver dies with nachtwacht and Chromium with chromedriver, so a run that is
    killed (SIGKILL, OOM) leaves no browser behind. Without setpriv: ``program`` itself.
    """
    setpriv = shutil.which("setpriv")
    if not setpriv:
        return program
    launcher = os.path.join(folder, os.path.basename(program))
    with open(launcher, "w", encoding="utf-8") as file:
        file.write(f'#!/bin/sh\nexec {setpriv} --pdeathsig KILL {program} "$@"\n')
    os.chmod(launcher, 0o755)
    return launcher if os.access(launcher, os.X_OK) else program  # a noexec /tmp


def _first_line(error: BaseException) -> str:
    text = getattr(error, "msg", None) or str(error)
    return (text.strip().splitlines() or [type(error).__name__])[0][:300]
