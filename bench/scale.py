"""A big city on one small machine: nights of nachtwacht against a generated site of N pages.

    .venv/bin/python bench/scale.py --pages 100000 --nights 3 --audit-budget 600

Each night is a real `nachtwacht run` (crawl, link check, documents, the audit within the
night's `time_budget`, results and report) against the site served by nginx. Printed per
night: wall time and CPU, peak memory of the nachtwacht process alone (PSS, without the
browsers; every sample in WORK/pss-night-N.tsv) and of the whole tree, the audit's progress (audited, taken over, left), the
database size, and the largest report file. The audit of a first night covers a sample
(the budget); its per-page cost gives the extrapolation for a full first audit.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import measure
import sitegen
from server import Nginx, free_port

WORK = BENCH / ".work" / "scale"
NACHTWACHT = [str(BENCH.parent / ".venv" / "bin" / "nachtwacht")]


def own_memory(pid: int, peak: list[float], done: threading.Event, timeline: Path) -> None:
    """Peak PSS (MB) of the nachtwacht process itself, sampled every half second; every
    sample goes to ``timeline`` (seconds, MB), to see which stage holds the memory."""
    start = time.perf_counter()
    with timeline.open("w", encoding="utf-8") as samples:
        while not done.is_set():
            _, pss, _ = measure.tree_memory(pid, [pid])
            peak[0] = max(peak[0], pss)
            samples.write(f"{time.perf_counter() - start:.1f}\t{pss:.0f}\n")
            done.wait(0.5)


def night(config: Path, out: Path, timeline: Path) -> dict:
    start = time.perf_counter()
    process = subprocess.Popen([*NACHTWACHT, "run", "--config", str(config), "--out", str(out)],
                               stdout=subprocess.DEVNULL)
    peak, done = [0.0], threading.Event()
    watcher = threading.Thread(target=own_memory, args=(process.pid, peak, done, timeline),
                               daemon=True)
    watcher.start()
    tree = [0.0]

    def tree_watch() -> None:
        while not done.is_set():
            _, pss, _ = measure.tree_memory(process.pid)
            tree[0] = max(tree[0], pss)
            done.wait(1.0)

    tree_thread = threading.Thread(target=tree_watch, daemon=True)
    tree_thread.start()
    code = process.wait()
    done.set()
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    report = [p.stat().st_size for p in (out / "report").rglob("*.html")]
    return {"code": code, "wall": time.perf_counter() - start, "own_pss": peak[0],
            "tree_pss": tree[0], "pages": results["run"]["pages_crawled"],
            "progress": results["run"].get("audit_progress"),
            "db": (out / "nachtwacht.db").stat().st_size,
            "results_json": (out / "results.json").stat().st_size,
            "report_files": len(report), "report_largest": max(report)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--nights", type=int, default=3)
    parser.add_argument("--audit-budget", type=int, default=600,
                        help="time_budget of each night in seconds: the audit's time")
    parser.add_argument("--browsers", type=int, default=2)
    parser.add_argument("--work", type=Path, default=WORK,
                        help="folder for the generated site and the nights (default %(default)s)")
    args = parser.parse_args()
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    origin, external = f"http://127.0.0.1:{port}", f"http://127.0.0.2:{port}"
    began = time.perf_counter()
    sitegen.generate(work / "site", origin, external, args.pages)
    print(f"site of {args.pages} pages generated in {time.perf_counter() - began:.0f} s",
          flush=True)
    config = work / "scale.toml"
    config.write_text(f'[site]\nname = "Grootstad"\nstart_urls = ["{origin}/"]\n'
                      f'allowed_domains = ["127.0.0.1"]\nmax_pages = {args.pages * 2}\n'
                      f'browsers = {args.browsers}\ntime_budget = {args.audit_budget}\n',
                      encoding="utf-8")
    out = work / "out"
    subprocess.run(["rm", "-rf", str(out)], check=True)
    rows = []
    with Nginx(work / "site" / "site", work / "site" / "extern", port):
        for number in range(1, args.nights + 1):
            found = night(config, out, work / f"pss-night-{number}.tsv")
            rows.append(found)
            print(f"night {number}: " + json.dumps(found), flush=True)
    print("\n| night | wall (s) | nachtwacht PSS (MB) | tree PSS (MB) | pages | audited / "
          "taken over / left | database (MB) | growth | results.json (MB) | report files "
          "| largest file (kB) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for number, row in enumerate(rows, start=1):
        growth = "" if number == 1 else f"{row['db'] / rows[number - 2]['db'] - 1:+.0%}"
        progress = row["progress"] or {}
        print(f"| {number} | {row['wall']:.0f} | {row['own_pss']:.0f} | {row['tree_pss']:.0f} "
              f"| {row['pages']} | {progress.get('audited')} / {progress.get('reused')} / "
              f"{progress.get('left')} | {row['db'] / 1e6:.0f} | {growth} "
              f"| {row['results_json'] / 1e6:.1f} | {row['report_files']} "
              f"| {row['report_largest'] / 1e3:.0f} |")


if __name__ == "__main__":
    main()
