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


def results_of(out: Path) -> dict:
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


def by_url(entries: list[dict], origin: str) -> dict[str, dict]:
    """Entries keyed by their path, for readable assertions."""
    return {e["url"].removeprefix(origin): e for e in entries}
