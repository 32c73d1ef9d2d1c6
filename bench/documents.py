"""Benchmark of the documents: PDFs checked per second, and what an unchanged second night costs.

A generated site of a few HTML pages linking to N real PDFs (made with pikepdf: tagged
and untagged, text and image-only, 1 to 40 pages), served by Debian's nginx (which sends
ETag and Last-Modified and answers a conditional GET with 304, like most municipal
servers). Two nights with the real CLI; then the PDF check alone over the same files.

    .venv/bin/python bench/documents.py [--documents 300] [--results FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from audits.pdf_worker import Checker
from bench.server import Nginx, free_port
from tests.pdf_files import make_pdf

PER_PAGE = 25


def page(title: str, body: str) -> str:
    return (f"<!doctype html><html lang='nl'><head><meta charset='utf-8'><title>{title}</title>"
            f"</head><body><main><h1>{title}</h1>{body}</main></body></html>")


def generate(root: Path, count: int) -> None:
    """The site: an index, one page per 25 documents, and the documents."""
    (root / "docs").mkdir(parents=True)
    sections = []
    for start in range(0, count, PER_PAGE):
        links = []
        for n in range(start, min(start + PER_PAGE, count)):
            data = make_pdf(tagged=n % 3 != 0, lang="nl-NL" if n % 4 else None,
                            title=f"Document {n}" if n % 5 else None, text=n % 7 != 0,
                            pages=1 + n % 40, created=f"D:{2012 + n % 14}0301")
            (root / "docs" / f"document-{n}.pdf").write_bytes(data)
            links.append(f'<li><a href="/docs/document-{n}.pdf">Document {n}</a></li>')
        name = f"lijst-{start // PER_PAGE}"
        (root / f"{name}.html").write_text(page(name, "<ul>" + "".join(links) + "</ul>"),
                                           encoding="utf-8")
        sections.append(f'<li><a href="/{name}.html">{name}</a></li>')
    (root / "robots.txt").write_text("User-agent: *\n", encoding="utf-8")
    (root / "index.html").write_text(page("Documenten", "<ul>" + "".join(sections) + "</ul>"),
                                     encoding="utf-8")


def children_cpu() -> float:
    """CPU seconds of the finished child processes (and theirs): a figure a busy machine
    does not inflate the way it does wall time."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def night(config: Path, out: Path) -> dict:
    """One run with the CLI: its wall time, the document stage's log line, what was fetched."""
    started, cpu = time.monotonic(), children_cpu()
    done = subprocess.run([str(REPO / ".venv/bin/nachtwacht"), "run", "--config", str(config),
                           "--out", str(out)], capture_output=True, text=True, check=False)
    seconds, cpu = time.monotonic() - started, children_cpu() - cpu
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr[-2000:])
    log = (out / "nachtwacht.log").read_text(encoding="utf-8")
    stage = re.findall(r"Documenten: (\d+) gecontroleerd, (\d+) ongewijzigd, (\d+) onleesbaar "
                       r"\(([\d.]+) s\)", log)[-1]
    received = re.findall(r"'downloader/response_bytes': (\d+)", log)[-1]
    with sqlite3.connect(out / "nachtwacht.db") as db:
        run_id = db.execute("SELECT max(id) FROM runs").fetchone()[0]
        statuses = dict(db.execute("SELECT status, count(*) FROM link_checks WHERE run_id = ? "
                                   "AND url LIKE '%.pdf' GROUP BY status", [run_id]))
    return {"seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1), "checked": int(stage[0]), "reused": int(stage[1]),
            "unreadable": int(stage[2]), "stage_seconds": float(stage[3]),
            "response_bytes": int(received), "statuses": statuses}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--results", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nachtwacht-docbench-") as tmp:
        work = Path(tmp)
        work.chmod(0o755)       # nginx's workers run as www-data
        generate(work / "site", args.documents)
        (work / "extern").mkdir()
        pdf_bytes = sum(f.stat().st_size for f in (work / "site" / "docs").iterdir())
        with Nginx(work / "site", work / "extern", free_port()) as server:
            origin = f"http://127.0.0.1:{server.port}"
            config = work / "site.toml"
            config.write_text(f'[site]\nname = "Documentenbank"\nstart_urls = ["{origin}/"]\n',
                              encoding="utf-8")
            first = night(config, work / "out")
            second = night(config, work / "out")
        files = sorted((work / "site" / "docs").iterdir())
        started, cpu = time.monotonic(), children_cpu()
        with Checker() as checker:
            for file in files:
                checker.check(file)
        check_seconds, check_cpu = time.monotonic() - started, children_cpu() - cpu
    figures = {
        "documents": args.documents, "pdf_megabytes": round(pdf_bytes / 1e6, 1),
        "first_night": first, "second_night": second,
        "check_only_seconds": round(check_seconds, 2),
        "pdfs_checked_per_second": round(args.documents / check_seconds, 1),
        "check_only_cpu_seconds": round(check_cpu, 2),
        "pdfs_checked_per_cpu_second": round(args.documents / check_cpu, 1),
        "load_average": round(os.getloadavg()[0], 1),
        "first_night_stage_pdfs_per_second": round(first["checked"] / first["stage_seconds"], 1)
        if first["stage_seconds"] else None,
        "second_night_bytes_vs_first": round(second["response_bytes"] / first["response_bytes"],
                                             4),
        "second_night_stage_seconds_vs_first": round(second["stage_seconds"]
                                                     / first["stage_seconds"], 4),
    }
    text = json.dumps(figures, indent=2)
    print(text)
    if args.results:
        args.results.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
