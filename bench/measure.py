"""Wall time and peak memory of a command and its whole process tree (browsers included).

The machine is shared: CPU seconds are reported beside wall time, since they depend
less on what else runs at the same moment.

Memory is sampled from /proc every 0.5 s: the sum of RSS over the tree (counts shared
pages once per process, so it overstates) and the sum of PSS (shares shared pages out,
the honest figure for "how much memory does this need").
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Measured:
    wall: float
    peak_rss_mb: float
    peak_pss_mb: float
    peak_processes: int
    returncode: int
    cpu: float = 0.0          # user + system seconds of the tree (reaped descendants)
    load: float = 0.0         # 1-minute load average at the end: others on the machine


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2:].split()
        tree.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return tree


def tree_pids(root: int) -> list[int]:
    """``root`` and all its descendants."""
    tree, pids, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(tree.get(pid, []))
    return pids


TICKS = os.sysconf("SC_CLK_TCK")


def tree_cpu(pids: list[int], seen: dict[tuple[int, int], float]) -> None:
    """Record each process's CPU seconds so far in ``seen`` (keyed by pid and start time).

    Browsers killed by their driver are reaped by init, not by our child, so the
    child's rusage misses them: their CPU is read from /proc while they live.
    """
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2:].split()
        seen[(pid, int(fields[19]))] = (int(fields[11]) + int(fields[12])) / TICKS


def tree_memory(root: int, pids: list[int] | None = None) -> tuple[float, float, int]:
    """(RSS sum, PSS sum) in MB, and the number of processes, of the tree under ``root``."""
    rss = pss = 0
    pids = pids if pids is not None else tree_pids(root)
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            continue
    return rss / 1024, pss / 1024, len(pids)


def run(command: list[str], interval: float = 0.5, **kwargs) -> Measured:
    """Run ``command`` to the end, sampling its tree's memory."""
    start = time.perf_counter()
    process = subprocess.Popen(command, **kwargs)
    peaks = [0.0, 0.0, 0]
    cpu: dict[tuple[int, int], float] = {}
    done = threading.Event()

    def sample():
        while not done.is_set():
            pids = tree_pids(process.pid)
            tree_cpu(pids, cpu)
            rss, pss, count = tree_memory(process.pid, pids)
            peaks[0], peaks[1] = max(peaks[0], rss), max(peaks[1], pss)
            peaks[2] = max(peaks[2], count)
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    return Measured(wall, round(peaks[0]), round(peaks[1]), peaks[2], process.returncode,
                    max(usage.ru_utime + usage.ru_stime, sum(cpu.values())),
                    os.getloadavg()[0])
