"""The benchmark: nachtwacht against its peers on a synthetic 2,000-page municipal site.

    .venv/bin/python bench/run.py [--pages 2000] [--browsers 2] [--repeats 3] [--pa11y-pages N]

Installs the peers (bench/peers.py) and nginx when missing, generates the site
(bench/sitegen.py), serves it on a free loopback port (bench/server.py), then runs, one
after the other on the same machine: nachtwacht (full run, then re-runs of the unchanged
site), raw Scrapy (the crawl floor), LinkChecker and pa11y-ci. Prints the figures side by
side and writes them to bench/RESULTS.md. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import measure, peers, sitegen
from bench.server import Nginx, free_port

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PYTHON = REPO / ".venv" / "bin" / "python"
WORK = BENCH / ".work"
# The headless flags nachtwacht uses, given to pa11y-ci's Puppeteer as well.
CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run",
                  "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def nachtwacht_tags() -> list[str]:
    """The axe tags nachtwacht runs by default (the same set is given to pa11y-ci)."""
    try:
        from core.wcag import DEFAULT_TAGS
        return list(DEFAULT_TAGS)
    except ImportError:
        return WCAG_TAGS


def run_nachtwacht(config: Path, out: Path, name: str, full: bool) -> dict:
    timings = WORK / f"timings-{name}.json"
    command = [str(PYTHON), str(BENCH / "stagetimer.py"), str(timings), "run",
               "--config", str(config), "--out", str(out)] + (["--full"] if full else [])
    measured = measure.run(command, cwd=REPO, stdout=subprocess.DEVNULL,
                           stderr=(WORK / f"{name}.stderr").open("w"))
    figures = json.loads(timings.read_text()) if timings.exists() else {}
    results = json.loads((out / "results.json").read_text())
    run = results["run"]
    return {"measured": measured, "timings": figures, "run": run,
            "pages": results["pages"], "broken_links": len(results.get("broken_links", [])),
            "violations": sum(len(p.get("violations") or []) for p in results["pages"]),
            "audited": sum(1 for p in results["pages"] if p.get("audited"))}


def run_floor(origin: str) -> dict:
    logfile = WORK / "floor.log"
    logfile.unlink(missing_ok=True)
    measured = measure.run([str(REPO / ".venv" / "bin" / "scrapy"), "runspider",
                            str(BENCH / "floor_spider.py"), "-a", f"start_url={origin}/",
                            "-s", f"LOG_FILE={logfile}"], cwd=WORK)
    text = logfile.read_text()
    return {"measured": measured,
            "pages": int(re.search(r"'downloader/response_count': (\d+)", text)[1]),
            "seconds": float(re.search(r"'elapsed_time_seconds': ([\d.]+)", text)[1])}


def run_linkchecker(origin: str) -> dict:
    rc = WORK / "linkcheckerrc"
    # Our own server sends the "LinkChecker" header, which allows more than 10 requests/s.
    rc.write_text("[checking]\nmaxrequestspersecond=1000\n")
    output = WORK / "linkchecker.txt"
    with output.open("w") as out:
        measured = measure.run([str(peers.LINKCHECKER), "-f", str(rc), "--check-extern",
                                "--no-status", f"{origin}/"], stdout=out,
                               stderr=subprocess.STDOUT, cwd=WORK)
    text = output.read_text()
    summary = re.search(r"(\d+) links? in (\d+) URLs? checked.*?(\d+) errors? found", text, re.DOTALL)
    return {"measured": measured, "links": int(summary[1]) if summary else None,
            "urls": int(summary[2]) if summary else None,
            "errors": int(summary[3]) if summary else None}


def pa11y_rules(tags: list[str]) -> tuple[list[str], list[str]]:
    """(rules to switch on, rules to switch off) so that pa11y's axe runs ``tags`` only.

    pa11y runs the tags wcag2a, wcag21a, wcag2aa, wcag21aa and best-practice.
    """
    script = ("const a=require('axe-core');"
              "console.log(JSON.stringify(a.getRules().map(r=>[r.ruleId,r.tags])))")
    rules = json.loads(subprocess.run(["node", "-e", script], cwd=peers.NODE_PREFIX,
                                      capture_output=True, text=True, check=True).stdout)
    pa11y_tags = {"wcag2a", "wcag21a", "wcag2aa", "wcag21aa", "best-practice"}
    wanted = set(tags)
    on = [rule for rule, rule_tags in rules if wanted & set(rule_tags)
          and not pa11y_tags & set(rule_tags)]
    off = [rule for rule, rule_tags in rules if not wanted & set(rule_tags)
           and pa11y_tags & set(rule_tags)]
    return on, off


def run_pa11y(urls: list[str], browsers: int, tags: list[str]) -> dict:
    on, off = pa11y_rules(tags)
    report = WORK / "pa11y.json"
    report.unlink(missing_ok=True)
    config = {"defaults": {
        "concurrency": browsers, "runners": ["axe"], "standard": "WCAG2AA",
        "rules": on, "ignore": off, "includeWarnings": True, "includeNotices": True,
        "timeout": 60000,
        # pa11y-ci's default (a fresh incognito context per page) loses about one page in
        # five here to "Target.closeTarget: No target with given id"; one context, like
        # nachtwacht's one profile per browser, does not.
        "useIncognitoBrowserContext": False,
        "chromeLaunchConfig": {"executablePath": peers.CHROMIUM, "args": CHROMIUM_FLAGS},
        "reporters": [["json", {"fileName": str(report)}]]}, "urls": urls}
    config_file = WORK / "pa11y-ci.json"
    config_file.write_text(json.dumps(config, indent=1))
    measured = measure.run([str(peers.PA11Y_CI), "--config", str(config_file)],
                           env=peers.npm_env(), cwd=WORK, stdout=subprocess.DEVNULL,
                           stderr=(WORK / "pa11y.stderr").open("w"))
    data = json.loads(report.read_text()) if report.exists() else {}
    found = data.get("results", {})
    failed = {url for url, issues in found.items()
              if any(isinstance(i, dict) and "type" not in i for i in issues)}
    violations = {(url, i["code"]) for url, issues in found.items() for i in issues
                  if isinstance(i, dict) and "code" in i
                  and not i.get("runnerExtras", {}).get("needsFurtherReview")}
    return {"measured": measured, "pages": len(urls), "pages_failed": len(failed),
            "violations": violations, "audited": set(found) - failed}


def same_violations(full: dict, pa11y: dict) -> list:
    """(page, rule) violation pairs on the pages both tools audited: each, and in common."""
    pages = {p["url"]: p for p in full["pages"] if p.get("audited")}
    both = pa11y["audited"] & set(pages)
    ours = {(url, v["rule"]) for url in both for v in pages[url]["violations"]}
    theirs = {pair for pair in pa11y["violations"] if pair[0] in both}
    return [f"violations (page, rule) on the {len(both)} pages both audited",
            len(ours), len(theirs), f"in common: {len(ours & theirs)}"]


def median_run(runs: list[dict]) -> dict | None:
    """The run with the median wall time."""
    if not runs:
        return None
    return sorted(runs, key=lambda r: r["measured"].wall)[len(runs) // 2]


def sample(urls: list[str], count: int) -> list[str]:
    """Every k-th URL: the same spread over the site as the whole list."""
    if count <= 0 or count >= len(urls):
        return urls
    step = len(urls) / count
    return [urls[int(i * step)] for i in range(count)]


def rate(count: float | None, seconds: float | None) -> float | None:
    return count / seconds if count and seconds else None


def fmt(value, digits: int = 1) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"


def table(rows: list[list]) -> str:
    head, *body = rows
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in body]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000, help="size of the site")
    parser.add_argument("--browsers", type=int, default=2, help="browsers for both tools")
    parser.add_argument("--concurrency", type=int, default=None,
                        help="nachtwacht's concurrency_per_host (default: its own, 4)")
    parser.add_argument("--repeats", type=int, default=3, help="re-runs (median taken)")
    parser.add_argument("--pa11y-pages", type=int, default=0,
                        help="pa11y-ci on every k-th audited page, this many (0: all)")
    parser.add_argument("--skip", action="append", default=[],
                        choices=["floor", "linkchecker", "pa11y"])
    parser.add_argument("--results", type=Path, default=BENCH / "RESULTS.md")
    args = parser.parse_args()

    WORK.mkdir(exist_ok=True)
    log("peers installeren (eenmalig)")
    peers.install()
    port = free_port()
    origin, external = f"http://127.0.0.1:{port}", f"http://127.0.0.2:{port}"
    manifest = sitegen.generate(WORK / "site", origin, external, args.pages)
    config = WORK / "bench.toml"
    config.write_text(f'[site]\nname = "Bankstad"\nstart_urls = ["{origin}/"]\n'
                      f'allowed_domains = ["127.0.0.1"]\nmax_pages = {args.pages * 2}\n'
                      f"browsers = {args.browsers}\n"
                      + (f"concurrency_per_host = {args.concurrency}\n"
                         if args.concurrency else ""), encoding="utf-8")
    out = WORK / "nachtwacht-out"
    shutil.rmtree(out, ignore_errors=True)
    with Nginx(WORK / "site" / "site", WORK / "site" / "extern", port):
        log("nachtwacht: volledige run")
        full = run_nachtwacht(config, out, "full", full=True)
        # Re-runs and the crawl peers alternate, so that a busy moment on the shared
        # machine does not fall on one tool only; medians are reported.
        reruns, floors, linkcheckers = [], [], []
        for number in range(args.repeats):
            log(f"nachtwacht: herhaalde run {number + 1}/{args.repeats}")
            reruns.append(run_nachtwacht(config, out, f"rerun{number}", full=False))
            if "floor" not in args.skip:
                log("Scrapy-bodem")
                floors.append(run_floor(origin))
            if "linkchecker" not in args.skip:
                log("LinkChecker")
                linkcheckers.append(run_linkchecker(origin))
        floor, linkchecker, pa11y = median_run(floors), median_run(linkcheckers), None
        audited = [p["url"] for p in full["pages"] if p.get("audited")]
        if "pa11y" not in args.skip and audited:
            urls = sample(audited, args.pa11y_pages)
            log(f"pa11y-ci op {len(urls)} pagina's")
            pa11y = run_pa11y(urls, args.browsers, nachtwacht_tags())
    text = report(args, manifest, full, reruns, floor, linkchecker, pa11y)
    print(text)
    args.results.write_text(text, encoding="utf-8")
    log(f"geschreven: {args.results}")


def report(args, manifest, full, reruns, floor, linkchecker, pa11y) -> str:
    m = full["measured"]
    stages = full["timings"].get("stages", {})
    sections = full["timings"].get("sections", {})
    run = full["run"]
    audit_s = stages.get("audit")
    crawled = run.get("pages_crawled") or len(full["pages"])
    # Every run crawls and checks every link; the re-runs alternate with the peers.
    median_rerun = median_run(reruns) or full
    crawl_s = median_rerun["timings"].get("stages", {}).get("crawl")
    crawl_cpu = median_rerun["timings"].get("stages_cpu", {}).get("crawl")
    link_sections = sum(v for k, v in sections.items() if "link" in k or k == "documents")
    link_s = crawl_s + link_sections if crawl_s else None
    audited = full["audited"]
    rerun_wall = statistics.median(r["measured"].wall for r in reruns) if reruns else None
    rerun_cpu = statistics.median(r["measured"].cpu for r in reruns) if reruns else None
    rows = [["figure", "nachtwacht", "peer", "peer figure", "nachtwacht / peer"]]
    rows.append(["full run: wall time (s)", fmt(m.wall), "", "", ""])
    rows.append(["full run: CPU time, whole tree (s)", fmt(m.cpu), "", "", ""])
    rows.append(["full run: crawl stage wall (s) / audit stage wall (s)",
                 f"{fmt(stages.get('crawl'))} / {fmt(audit_s)}", "", "", ""])
    floor_rate = rate(floor["pages"], floor["seconds"]) if floor else None
    rows.append([f"crawl: pages/s (median of {max(1, len(reruns))} re-runs)",
                 fmt(rate(crawled, crawl_s)), "raw Scrapy",
                 fmt(floor_rate), fmt(ratio(rate(crawled, crawl_s), floor_rate), 2)])
    lc = linkchecker["measured"] if linkchecker else None
    rows.append([("link check: wall time (s), site of " f"{manifest['links']:,} links"),
                 fmt(link_s), "LinkChecker", fmt(lc.wall) if lc else "-",
                 fmt(ratio(link_s, lc.wall), 2) if lc else "-"])
    rows.append(["link check: CPU s (crawl stage / whole LinkChecker)", fmt(crawl_cpu),
                 "LinkChecker", fmt(lc.cpu) if lc else "-",
                 fmt(ratio(crawl_cpu, lc.cpu), 2) if lc else "-"])
    rows.append(["link check: URLs/s", fmt(rate(crawled, link_s)), "LinkChecker",
                 fmt(rate(linkchecker["urls"], lc.wall)) if lc else "-",
                 fmt(ratio(rate(crawled, link_s), rate(linkchecker["urls"], lc.wall)), 2)
                 if lc else "-"])
    pa = pa11y["measured"] if pa11y else None
    audit_rate = rate(audited, audit_s)
    pa_rate = rate(pa11y["pages"], pa.wall) if pa else None
    rows.append([f"accessibility: pages/s ({args.browsers} browsers)", fmt(audit_rate, 2),
                 "pa11y-ci", fmt(pa_rate, 2), fmt(ratio(audit_rate, pa_rate), 2)])
    rows.append(["accessibility: CPU s/page", fmt(m.cpu / audited if audited else None, 3),
                 "pa11y-ci", fmt(pa.cpu / pa11y["pages"], 3) if pa else "-",
                 fmt(ratio(m.cpu / audited, pa.cpu / pa11y["pages"]), 2)
                 if pa and audited else "-"])
    rows.append(["peak memory, PSS (MB)", fmt(m.peak_pss_mb), "pa11y-ci",
                 fmt(pa.peak_pss_mb) if pa else "-", ""])
    rows.append(["peak memory, RSS sum (MB)", fmt(m.peak_rss_mb), "pa11y-ci",
                 fmt(pa.peak_rss_mb) if pa else "-", ""])
    rows.append([f"re-run, unchanged site: wall (s), median of {len(reruns)}", fmt(rerun_wall),
                 "full run", fmt(m.wall), fmt(ratio(rerun_wall, m.wall), 3)])
    rows.append(["re-run: CPU s (median)", fmt(rerun_cpu), "full run", fmt(m.cpu),
                 fmt(ratio(rerun_cpu, m.cpu), 3)])
    found = [["found", "nachtwacht", "peer", "planted"],
             ["pages crawled", crawled, floor["pages"] if floor else "-", manifest["pages"]],
             ["pages audited", audited, pa11y["pages"] if pa11y else "-", ""],
             ["broken links: nachtwacht (page, target); LinkChecker URLs", full["broken_links"],
              linkchecker["errors"] if linkchecker else "-",
              manifest["broken_internal_links"] + manifest["external_links"]["broken"]],
             ["rule violations (page, rule)", full["violations"], "", sum(
                 manifest["violations"].values())],
             ["pages pa11y-ci could not audit (its errors)", "",
              pa11y["pages_failed"] if pa11y else "-", ""]]
    if pa11y:
        found.append(same_violations(full, pa11y))
    stage_rows = [["stage", "seconds"]] + [[k, fmt(v, 2)] for k, v in stages.items()]
    section_rows = [["results section", "seconds"]] + [
        [k, fmt(v, 2)] for k, v in sorted(sections.items(), key=lambda kv: -kv[1])[:8]]
    webdriver = full["timings"].get("webdriver", {})
    trips = sum(v["count"] for v in webdriver.values())
    trip_rows = [["WebDriver command", "count", "seconds"]] + [
        [k, v["count"], fmt(v["seconds"], 1)] for k, v in
        sorted(webdriver.items(), key=lambda kv: -kv[1]["seconds"])]
    rerun_rows = [["re-run", "wall (s)", "CPU (s)", "pages audited"]] + [
        [str(i + 1), fmt(r["measured"].wall), fmt(r["measured"].cpu), r["audited"]]
        for i, r in enumerate(reruns)]
    peers_rows = [["peer", "wall (s)", "CPU (s)", "peak PSS (MB)", "load avg at end"]]
    for name, peer in (("raw Scrapy", floor), ("LinkChecker", linkchecker), ("pa11y-ci", pa11y)):
        if peer:
            pm = peer["measured"]
            peers_rows.append([name, fmt(pm.wall), fmt(pm.cpu), fmt(pm.peak_pss_mb),
                               fmt(pm.load, 1)])
    return "\n\n".join([
        "# Benchmark results",
        (f"Generated by `bench/run.py` on {time.strftime('%Y-%m-%d %H:%M')} "
        f"({os.cpu_count()} cores, shared; 1-minute load average at the end of the full run: "
        f"{m.load:.1f}). Site: {manifest['pages']:,} pages, {manifest['links']:,} links, "
        f"{args.browsers} browsers, pa11y-ci on {pa11y['pages'] if pa11y else 0} pages."),
        table(rows), "## Same work?", table(found), "## Where the time goes (full run)",
        table(stage_rows), table(section_rows),
        (f"Browser round trips: {trips:,} WebDriver commands for {audited:,} audited pages "
        f"({trips / audited if audited else 0:.1f} per page)."), table(trip_rows),
        "## Re-runs", table(rerun_rows), "## Peers", table(peers_rows), ""])


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


if __name__ == "__main__":
    main()
