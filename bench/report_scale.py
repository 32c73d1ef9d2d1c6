"""Render time and peak memory of the report of a synthetic 100,000-page site.

    .venv/bin/python bench/report_scale.py [--pages 100000] [--out DIR]

The results object is the one of tests/test_report_scale.py (long lists in every section: a
broken footer link on every page, 20,000 orphans, 5,000 documents, privacy on every page, a
page check failing on every tenth page …). Prints the time to build the results (not part of
the report), the render's wall and CPU time, the process's memory before and at its peak
(VmHWM: the high-water mark of RSS), and the report's files: how many, all together, largest.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reports.render import render_report
from tests.test_report_scale import huge_results


def memory_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--out", type=Path, help="keep the report here (default: a temporary folder)")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="nachtwacht-report-bench-"))
    report = out / "report"

    started = time.perf_counter()
    results = huge_results(args.pages)
    built = time.perf_counter() - started
    before = memory_mb("VmRSS")
    cpu, started = cpu_seconds(), time.perf_counter()
    render_report(results, report, history=[])
    wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    peak = memory_mb("VmHWM")

    sizes = sorted(((p.stat().st_size, str(p.relative_to(report))) for p in report.rglob("*.html")),
                   reverse=True)
    print(f"pages in the results           {args.pages:>10,}")
    print(f"building the results (s)       {built:>10.1f}")
    print(f"render, wall (s)               {wall:>10.1f}")
    print(f"render, CPU (s)                {cpu:>10.1f}")
    print(f"memory before render (MB RSS)  {before:>10.0f}")
    print(f"peak memory (MB, VmHWM)        {peak:>10.0f}")
    print(f"report files (.html)           {len(sizes):>10,}")
    print(f"report, all files (MB)         {sum(s for s, _ in sizes) / 1e6:>10.1f}")
    print(f"largest file (kB)              {sizes[0][0] / 1e3:>10.0f}  {sizes[0][1]}")
    print(f"load average (1 min)           {os.getloadavg()[0]:>10.1f}")
    if not args.out:
        shutil.rmtree(out)


if __name__ == "__main__":
    main()
