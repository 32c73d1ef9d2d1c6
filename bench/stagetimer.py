"""Run the nachtwacht CLI with timers around its stages and a count of browser round trips.

    python bench/stagetimer.py TIMINGS.json run --config ... --out ...

Wraps (without changing nachtwacht's code) the stage functions that ``nachtwacht.run``
calls, each results section, and every WebDriver command (one HTTP round trip to a
chromedriver or a Grid). Writes the figures as JSON when the process ends.
"""

from __future__ import annotations

import atexit
import dataclasses
import functools
import importlib
import inspect
import json
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# (module, function) pairs looked up at call time by nachtwacht.run; absent ones are skipped.
STAGES = [
    ("nachtwacht.crawl", "crawl", "crawl"),
    ("audits.axe_stage", "audit_run", "audit"),
    ("nachtwacht.results", "build", "results"),
    ("reports.render", "render_report", "report"),
]

timings: dict[str, float] = defaultdict(float)
cpu: dict[str, float] = defaultdict(float)     # this process's CPU seconds per stage
sections: dict[str, float] = defaultdict(float)
commands: dict[str, list] = defaultdict(lambda: [0, 0.0])
lock = threading.Lock()


def _add(record: dict, key: str, start: float) -> None:
    with lock:
        record[key] += time.perf_counter() - start


def _timed(function, record: dict, key: str):
    """``function`` with its time added to ``record[key]``; a generator until it is used up."""
    if inspect.isgeneratorfunction(function):
        @functools.wraps(function)
        def generator(*args, **kwargs):
            start = time.perf_counter()
            try:
                yield from function(*args, **kwargs)
            finally:
                _add(record, key, start)
        return generator

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        start, start_cpu = time.perf_counter(), time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            _add(record, key, start)
            if record is timings:
                cpu[key] += time.process_time() - start_cpu
    return wrapper


def patch() -> None:
    patched = set()
    for module_name, attr, stage in STAGES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        if hasattr(module, attr) and (module_name, attr) not in patched:
            setattr(module, attr, _timed(getattr(module, attr), timings, stage))
            patched.add((module_name, attr))
    from nachtwacht import results
    results.SECTIONS[:] = [dataclasses.replace(s, build=_timed(s.build, sections, s.key))
                           for s in results.SECTIONS]
    from selenium.webdriver.remote.remote_connection import RemoteConnection
    original = RemoteConnection.execute

    def execute(self, command, params):
        start = time.perf_counter()
        try:
            return original(self, command, params)
        finally:
            with lock:
                entry = commands[command]
                entry[0] += 1
                entry[1] += time.perf_counter() - start
    RemoteConnection.execute = execute


def main() -> None:
    out = Path(sys.argv[1])
    started = time.perf_counter()

    def write():
        out.write_text(json.dumps({
            "total": time.perf_counter() - started, "stages": dict(timings),
            "stages_cpu": dict(cpu),
            "sections": dict(sections),
            "webdriver": {k: {"count": v[0], "seconds": round(v[1], 3)}
                          for k, v in sorted(commands.items())},
        }, indent=2))
    atexit.register(write)
    patch()
    from nachtwacht.cli import main as cli_main
    sys.argv = ["nachtwacht", *sys.argv[2:]]
    sys.exit(cli_main())


if __name__ == "__main__":
    main()
