"""A local Selenium Grid (the official server jar, standalone mode) with Debian's chromedriver.

No Selenium Manager and no downloads: the node is told exactly which driver and which
browser binary to use, in a TOML file written next to its log.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Self

from bench.peers import grid_jar
from bench.server import free_port

CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM = "/usr/bin/chromium"

CONFIG = """\
[server]
host = "127.0.0.1"
port = {port}

[node]
detect-drivers = false
selenium-manager = false
max-sessions = {sessions}
override-max-sessions = true
session-timeout = 120

[[node.driver-configuration]]
display-name = "Debian Chromium"
webdriver-executable = "{driver}"
max-sessions = {sessions}
stereotype = '{stereotype}'
"""


def java() -> str | None:
    return shutil.which("java")


def missing() -> str | None:
    """Why a grid cannot be started here, or None when it can."""
    if java() is None:
        return "Java ontbreekt (apt-get install openjdk-17-jre-headless)"
    if grid_jar() is None:
        return "selenium-server jar ontbreekt (python bench/peers.py installeert hem)"
    for path in (CHROMEDRIVER, CHROMIUM):
        if not Path(path).exists():
            return f"{path} ontbreekt"
    return None


# A grid lives for one test or one benchmark: only the quick compiler and a single-threaded
# collector spend less CPU on so short a life than the JVM's defaults (tests/test_grid.py:
# 22.2/23.4 -> 19.5/19.6 CPU-s, 15.8/20.2 -> 14.5/14.6 s).
JAVA_FLAGS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")


class SeleniumGrid:
    """A running Selenium Grid in standalone mode; a context manager. ``url`` is its address."""

    def __init__(self, sessions: int = 4, port: int | None = None):
        self.sessions, self.port = sessions, port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Self:
        self.tmp = Path(tempfile.mkdtemp(prefix="nachtwacht-grid-"))
        stereotype = json.dumps({"browserName": "chrome",
                                 "goog:chromeOptions": {"binary": CHROMIUM}})
        config = self.tmp / "grid.toml"
        config.write_text(CONFIG.format(port=self.port, sessions=self.sessions,
                                        driver=CHROMEDRIVER, stereotype=stereotype))
        self.log = self.tmp / "grid.log"
        env = {**os.environ, "SE_OFFLINE": "true"}
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [java(), *JAVA_FLAGS, "-jar", str(grid_jar()), "standalone", "--config", str(config)],
                stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if self.ready():
                return self
            time.sleep(0.5)
        tail = self.log.read_text(errors="replace")[-2000:]
        self.__exit__()
        raise RuntimeError(f"Selenium Grid werd niet klaar:\n{tail}")

    def ready(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/status", timeout=2) as answer:
                return bool(json.load(answer)["value"]["ready"])
        except (OSError, ValueError, KeyError):
            return False

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)
