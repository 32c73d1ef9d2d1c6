"""An installed nachtwacht carries its data: default toptaken, scoring weights, the demo site."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "nachtwacht", "crawler", "audits", "reports")

# Run from a folder that is not the checkout, against the installed copy only.
CHECK = """
import json, urllib.request
from audits import scoring
from core import config
from nachtwacht import demo
site = config.load(demo.DEMO_CONFIG)
server = demo.demo_server()
try:
    with urllib.request.urlopen(server.url("/paspoort")) as answer:   # _redirects.txt
        landed = answer.url.removeprefix(server.url("/").rstrip("/"))
finally:
    server.stop()
print(json.dumps({"files": [m.__file__ for m in (scoring, config, demo)],
                  "default_tasks": len(config.default_tasks()),
                  "weights": sorted(scoring.weights()), "demo_tasks": len(site.tasks),
                  "demo_pages": len(list(demo.DEMO_SITE.rglob("*.html"))), "landed": landed}))
"""


def data_files(root: Path) -> set[str]:
    """The packages' files that are not Python code (templates, TOML, scripts, the demo site)."""
    return {str(path.relative_to(root)) for package in PACKAGES
            for path in (root / package).rglob("*")
            if path.is_file() and path.suffix != ".py" and "__pycache__" not in path.parts}


def test_an_installed_copy_finds_its_data_from_another_folder(tmp_path):
    # A copy of what a clone has, so that the build leaves nothing behind in the checkout.
    source = tmp_path / "bron"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    for package in PACKAGES:
        shutil.copytree(REPO / package, source / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    target = tmp_path / "geinstalleerd"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-build-isolation", "--target", str(target), str(source)],
                   check=True, capture_output=True, timeout=300)
    assert data_files(source) - data_files(target) == set()    # every data file is installed
    shutil.rmtree(source)                      # only the installed copy is left
    elsewhere = tmp_path / "ergens"
    elsewhere.mkdir()
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=elsewhere, capture_output=True,
                          check=False,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(target)})
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert all(path.startswith(str(target)) for path in found["files"])
    assert found["default_tasks"] >= 20
    assert {"impact", "site", "task", "tasks"} <= set(found["weights"])
    assert found["demo_tasks"] == 10 and found["demo_pages"] >= 40
    assert found["landed"] == "/burgerzaken/paspoort-aanvragen"
