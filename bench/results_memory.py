"""The results step of one stored night, built again with this code: its wall time, CPU and
peak memory, without the crawl and the audit (which bench/scale.py measures in whole nights).

    .venv/bin/python bench/results_memory.py OUT [--run N] [--report]

Works on a copy of OUT's database (the night's own rows are read, the copy's page texts of
earlier nights are dropped as a real night would); tomorrow's changes read what OUT/runs/
keeps of the previous night. Prints the peak RSS of this process (the high-water mark of the
kernel, ru_maxrss), and its PSS sampled every half second.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core import store
from core.config import load
from nachtwacht import results
from reports.render import render_report


def pss_mb() -> float:
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--run", type=int, help="the night (default: the last)")
    parser.add_argument("--report", action="store_true", help="render the report as well")
    parser.add_argument("--config", type=Path, help="the site's configuration (default: "
                        "OUT/../scale.toml, as bench/scale.py writes it)")
    args = parser.parse_args()
    config = load(args.config or args.out.parent / "scale.toml")
    with tempfile.TemporaryDirectory(prefix="results-memory-") as work:
        copy = Path(work) / "nachtwacht.db"
        with sqlite3.connect(args.out / "nachtwacht.db") as source, sqlite3.connect(copy) as to:
            source.backup(to)
        db = store.open_db(copy)
        run_id = args.run or db.execute("select max(id) from runs").fetchone()[0]
        peak, done = [pss_mb()], threading.Event()

        def sample() -> None:
            while not done.wait(0.5):
                peak[0] = max(peak[0], pss_mb())

        watcher = threading.Thread(target=sample, daemon=True)
        watcher.start()
        before, began, cpu = pss_mb(), time.perf_counter(), time.process_time()
        previous = results.previous(args.out, db, config.name, run_id)
        loaded = pss_mb()
        built = results.build(db, run_id, config, previous=previous)
        wall, cpu = time.perf_counter() - began, time.process_time() - cpu
        built_peak = peak[0]
        if args.report:
            began_report = time.perf_counter()
            render_report(built, Path(work) / "report", history=[])
            print(f"report rendered in {time.perf_counter() - began_report:.0f} s")
        done.set()
        watcher.join()
        print(f"night {run_id}: {len(built['pages'])} pages; results built in {wall:.0f} s "
              f"({cpu:.0f} CPU-s); PSS {before:.0f} MB before, {loaded:.0f} MB with the "
              f"previous night read, peak {built_peak:.0f} MB (with the report {peak[0]:.0f} MB); peak RSS "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
