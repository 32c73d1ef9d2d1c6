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
