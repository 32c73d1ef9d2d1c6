"""Headless Chromium through selenium: start one, find out its version, kill it hard.

Selenium must never reach for the network: the chromedriver path is given
explicitly, so Selenium Manager is never asked to download anything. Each
local browser gets a fresh profile and its own process group, so that a
browser whose page hangs can be killed with everything it started.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass, field

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
)
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


def chrome_options(user_data_dir: str | None, hosts: tuple[str, ...] = ()
                   ) -> webdriver.ChromeOptions:
    """Options for one audit browser: headless, quiet, offline except for ``hosts``.

    Only loopback and ``hosts`` (and their subdomains) resolve, so a nightly
    audit sends no hits to analytics or other third parties.
    """
    options = webdriver.ChromeOptions()
    for argument in CHROMIUM_ARGS:
        options.add_argument(argument)
    if user_data_dir:
        options.add_argument(f"--user-data-dir={user_data_dir}")
    excluded = ["127.0.0.1", "localhost"]
    for host in hosts:
        excluded += [host, f"*.{host}"]
    options.add_argument("--host-resolver-rules=MAP * ~NOTFOUND , "
                         + " , ".join(f"EXCLUDE {host}" for host in excluded))
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
    closed: bool = field(default=False)

    def __post_init__(self) -> None:
        getonly.install(self.driver)     # the page's own scripts may not post to the site
        identify(self.driver)

    @classmethod
    def start(cls, hosts: tuple[str, ...] = (), grid_url: str | None = None,
              command_timeout: float = 120) -> Browser:
        """Start a browser, or raise BrowserUnavailable with one line that says why."""
        if grid_url:
            config = ClientConfig(remote_server_addr=grid_url, timeout=command_timeout)
            try:
                driver = webdriver.Remote(command_executor=grid_url, client_config=config,
                                          options=chrome_options(None, hosts))
            except WebDriverException as error:
                raise BrowserUnavailable(
                    f"geen browser van de Selenium Grid op {grid_url}: {_first_line(error)}"
                ) from None
            return cls(driver)
        folder = tempfile.mkdtemp(prefix="nachtwacht-chromium-")
        options = chrome_options(os.path.join(folder, "profile"), hosts)
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
        return cls(driver, folder, service.process.pid)

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


def identify(driver) -> None:
    """Add nachtwacht to the browser's User-Agent, so the site's operators can tell who visits."""
    with contextlib.suppress(WebDriverException):
        agent = driver.execute_script("return navigator.userAgent")
        driver.execute("executeCdpCommand", {
            "cmd": "Network.setUserAgentOverride",
            "params": {"userAgent": f"{agent} nachtwacht/{__version__}"}})


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
