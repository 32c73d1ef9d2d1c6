"""Where the test suite's CPU goes: CPU seconds per test file, Chromium and children included.

    python bench/suite_cpu.py [pytest arguments]     # default: the README's `make test` command

Each pytest-xdist worker is put in a cgroup of its own (cgroup v1 cpuacct, as root) before it
imports the tests, so every process it starts — a forked run, chromedriver, Chromium, a server —
is counted with it, and a worker runs one test at a time. Prints the files by CPU seconds (module
fixtures count with their file), the dearest tests, the busy CPU seconds of the whole machine and the wall time.
A figure, not a test: nothing here fails on a slow machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import pytest

CPUACCT = Path("/sys/fs/cgroup/cpuacct")
OUT = "NACHTWACHT_SUITE_CPU"      # the folder the workers write their figures to
TOP_TESTS = 30


def _usage(group: Path) -> int:
    return int((group / "cpuacct.usage").read_text())


class _PerTest:
    """The pytest plugin of one worker: CPU nanoseconds of its cgroup per test."""

    def __init__(self, group: Path, out: Path) -> None:
        self.group, self.out, self.spent = group, out, defaultdict(int)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item):
        before = _usage(self.group)
        yield
        self.spent[item.nodeid] += _usage(self.group) - before

    def pytest_sessionfinish(self):
        (self.out / f"{self.group.name}.json").write_text(json.dumps(self.spent))


def pytest_configure(config):
    worker = getattr(config, "workerinput", {}).get("workerid")
    if not worker or not os.environ.get(OUT):
        return
    group = CPUACCT / f"nachtwacht-suite-{os.getpid()}"
    group.mkdir(exist_ok=True)
    (group / "cgroup.procs").write_text(str(os.getpid()))
    config.pluginmanager.register(_PerTest(group, Path(os.environ[OUT])), "suite_cpu_worker")


def _busy_seconds() -> float:
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq = map(int, fields[:7])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def main(arguments: list[str]) -> int:
    if not os.access(CPUACCT, os.W_OK):
        print(f"suite_cpu: {CPUACCT} is not writable (needs root and cgroup v1 cpuacct)")
        return 1
    arguments = arguments or ["-n", "4", "--dist", "loadfile", "--no-loadscope-reorder", "-q"]
    repo = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as out:
        busy, started = _busy_seconds(), time.monotonic()
        done = subprocess.run([sys.executable, "-m", "pytest", "-p", "bench.suite_cpu",
                               *arguments], cwd=repo, env={**os.environ, OUT: out}, check=False)
        busy, wall = _busy_seconds() - busy, time.monotonic() - started
        per_test: dict[str, int] = {}
        for figures in Path(out).glob("*.json"):
            per_test.update(json.loads(figures.read_text()))
    for group in CPUACCT.glob("nachtwacht-suite-*"):
        try:
            group.rmdir()
        except OSError:
            pass        # a process still in it (a server left running); the kernel keeps it
    per_file: dict[str, float] = defaultdict(float)
    for nodeid, nanoseconds in per_test.items():
        per_file[nodeid.split("::", 1)[0]] += nanoseconds / 1e9
    print(f"\n{'CPU s':>8}  file")
    for name, seconds in sorted(per_file.items(), key=lambda kv: -kv[1]):
        print(f"{seconds:8.1f}  {name}")
    print(f"{sum(per_file.values()):8.1f}  all test files (the workers' cgroups)")
    print(f"\n{'CPU s':>8}  the {TOP_TESTS} dearest tests")
    for nodeid, nanoseconds in sorted(per_test.items(), key=lambda kv: -kv[1])[:TOP_TESTS]:
        print(f"{nanoseconds / 1e9:8.1f}  {nodeid}")
    print(f"{busy:8.1f}  busy CPU of the whole machine; wall {wall:.0f} s; pytest exit {done.returncode}")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
