"""Running the real command line in a subprocess, as an operator would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

NACHTWACHT = [sys.executable, "-m", "nachtwacht.cli"]


def nachtwacht(*args: str, timeout: float = 300, env: dict | None = None
               ) -> subprocess.CompletedProcess:
    """Run ``nachtwacht ARGS`` and return the finished process (text output captured)."""
    return subprocess.run([*NACHTWACHT, *map(str, args)], capture_output=True, text=True, check=False,
                          timeout=timeout, env=env)


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write a test site's ``{path: content}`` files under ``root``; returns ``root``."""
    for name, content in files.items():
        target = root / name.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return root


def results_of(out: Path) -> dict:
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


def by_url(entries: list[dict], origin: str) -> dict[str, dict]:
    """Entries keyed by their path, for readable assertions."""
    return {e["url"].removeprefix(origin): e for e in entries}


# The browser's page checks (reflow, text spacing, keyboard walk, orientation) relayout or walk
# every page and screenshots photograph every finding: a test that is not about them switches
# them off, axe itself stays on (tests/test_checks_*.py, test_page_checks.py and
# test_screenshots.py test them).
QUICK_CHECKS = ("[checks]\nreflow = false\ntext_spacing = false\nkeyboard = false\n"
                "orientation = false\nscreenshots = false\n")


def checks_off(folder: Path) -> Path:
    """A configuration of only ``QUICK_CHECKS``, for ``nachtwacht run START_URL --config``: the
    same site as ``nachtwacht run START_URL`` (name, tasks, bounds) without the page checks."""
    path = Path(folder) / "checks-off.toml"
    if not path.is_file():
        path.write_text(QUICK_CHECKS, encoding="utf-8")
    return path


def quick(folder: Path) -> list[str]:
    """``--config checks-off.toml`` for ``nachtwacht("run", url, *quick(tmp_path), ...)``."""
    return ["--config", str(checks_off(folder))]
