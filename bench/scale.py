"""A big city on one small machine: nights of nachtwacht against a generated site of N pages.

    .venv/bin/python bench/scale.py --pages 100000 --nights 3 --audit-budget 600

Each night is a real `nachtwacht run` (crawl, link check, documents, the audit within the
night's `time_budget`, results and report) against the site served by nginx. Printed per
night: wall time and CPU, peak memory of the nachtwacht process alone (PSS, without the
browsers), in all and per stage (crawl; documents and audit; results and report: the
stages end at their lines in nachtwacht.log, every sample is in WORK/pss-night-N.tsv) and
of the whole tree, the audit's progress (audited, taken over, left), the database size
and its growth, results.json and the largest report file. The audit of a first night
covers a sample (the budget); its wall time per page gives the extrapolation for a full
first audit.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import measure
import sitegen
from server import Nginx, free_port

WORK = BENCH / ".work" / "scale"
NACHTWACHT = [str(BENCH.parent / ".venv" / "bin" / "nachtwacht")]


def own_memory(pid: int, samples: list[tuple[float, float]], done: threading.Event,
               timeline: Path) -> None:
    """PSS (MB) of the nachtwacht process itself, sampled every half second into ``samples``
    and ``timeline`` (seconds since the start, MB), to see which stage holds the memory."""
    start = time.time()
    with timeline.open("w", encoding="utf-8") as file:
        while not done.is_set():
            _, pss, _ = measure.tree_memory(pid, [pid])
            if pss:
                samples.append((time.time() - start, pss))
                file.write(f"{samples[-1][0]:.1f}\t{pss:.0f}\n")
            done.wait(0.5)


# Log lines that end a stage of the night (nachtwacht.log), and the stage they end.
STAGE_ENDS = (("crawl", re.compile(r"\[nachtwacht\.run\] INFO: Crawl klaar")),
              ("audit", re.compile(r"\[audits\.axe_stage\] INFO: Toegankelijkheid: \d+ pagina")))


def stage_ends(log: Path, since: float) -> dict[str, float]:
    """Seconds after ``since`` (epoch) at which the night's crawl and audit ended."""
    ends: dict[str, float] = {}
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        for stage, pattern in STAGE_ENDS:
            if pattern.search(line):
                moment = datetime.strptime(line[:19], "%Y-%m-%d %H:%M:%S").timestamp()
                if moment >= since - 1:
                    ends[stage] = moment - since
    return ends


def stages(samples: list[tuple[float, float]], ends: dict[str, float],
           wall: float) -> dict[str, dict]:
    """Wall time and peak PSS of the crawl, the audit (with the documents) and the rest
    (results, archive, report)."""
    bounds = [("crawl", 0.0, ends.get("crawl", wall)),
              ("audit", ends.get("crawl", wall), ends.get("audit", wall)),
              ("results", ends.get("audit", wall), wall)]
    return {name: {"wall": round(stop - begin), "peak": round(max(
        (pss for moment, pss in samples if begin <= moment <= stop + 1), default=0))}
        for name, begin, stop in bounds}


def night(config: Path, out: Path, timeline: Path) -> dict:
    began = time.time()
    process = subprocess.Popen([*NACHTWACHT, "run", "--config", str(config), "--out", str(out)],
                               stdout=subprocess.DEVNULL)
    samples: list[tuple[float, float]] = []
    done = threading.Event()
    watcher = threading.Thread(target=own_memory, args=(process.pid, samples, done, timeline),
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
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.time() - began
    done.set()
    watcher.join()
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    report = [p.stat().st_size for p in (out / "report").rglob("*.html")]
    ends = stage_ends(out / "nachtwacht.log", began)
    found = stages(samples, ends, wall)
    progress = results["run"].get("audit_progress") or {}
    audit_wall = found["audit"]["wall"]
    return {"code": os.waitstatus_to_exitcode(status), "wall": wall,
            "cpu": usage.ru_utime + usage.ru_stime,
            "own_pss": max((pss for _, pss in samples), default=0), "tree_pss": tree[0],
            "stages": found, "pages": results["run"]["pages_crawled"], "progress": progress,
            # wall seconds of the audit per page it audited tonight (the night's browsers)
            "audit_s_per_page": audit_wall / progress["audited"] if progress.get("audited")
            else None,
            "db": sum(f.stat().st_size for f in out.glob("nachtwacht.db*")),
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
    print("\n| night | wall (s) | CPU (s) | crawl / audit / results+report (s) | nachtwacht PSS "
          "(MB) | in crawl / audit / results+report (MB) | tree PSS (MB) | pages | audited / "
          "taken over / left | audit s/page | database (MB) | growth | results.json (MB) "
          "| report files | largest file (kB) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for number, row in enumerate(rows, start=1):
        growth = "" if number == 1 else f"{row['db'] / rows[number - 2]['db'] - 1:+.1%}"
        progress, parts = row["progress"], row["stages"]
        cost = f"{row['audit_s_per_page']:.2f}" if row["audit_s_per_page"] else ""
        print(f"| {number} | {row['wall']:.0f} | {row['cpu']:.0f} "
              f"| {' / '.join(str(parts[s]['wall']) for s in ('crawl', 'audit', 'results'))} "
              f"| {row['own_pss']:.0f} "
              f"| {' / '.join(str(parts[s]['peak']) for s in ('crawl', 'audit', 'results'))} "
              f"| {row['tree_pss']:.0f} | {row['pages']} | {progress.get('audited')} / "
              f"{progress.get('reused')} / {progress.get('left')} | {cost} "
              f"| {row['db'] / 1e6:.0f} | {growth} "
              f"| {row['results_json'] / 1e6:.1f} | {row['report_files']} "
              f"| {row['report_largest'] / 1e3:.0f} |")
    first = rows[0]
    if first["audit_s_per_page"]:
        total = sum((first["progress"].get(k) or 0) for k in ("audited", "reused", "left"))
        print(f"\nA full first audit of {total} pages at {first['audit_s_per_page']:.2f} s a "
              f"page ({args.browsers} browsers): {total * first['audit_s_per_page'] / 3600:.1f} "
              f"hours")

if __name__ == "__main__":
    main()
