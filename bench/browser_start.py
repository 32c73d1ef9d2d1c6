"""What one audit browser costs before and around its pages: start, a few pages, quit.

Every `nachtwacht run` starts its browsers afresh, and the test suite runs nachtwacht some
150 times on sites of a few pages, so there the browser's start is much of the work. This
prints the CPU seconds (the whole machine's, read from /proc/stat: Chromium's processes are
not all our children) of starting Browser, loading PAGES small pages with axe and quitting,
for today's Chromium flags and for each other set of flags in CANDIDATES.

    .venv/bin/python bench/browser_start.py [--rounds 5] [--pages 3] [--only today ...]

Run on a quiet machine: others' CPU counts too.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from unittest import mock

from audits import browser as browser_module
from audits.axe import audit_pages
from audits.axe_settings import AxeSettings
from nachtwacht.siteserver import SiteServer

QUIET_FEATURES = ("--disable-features=Translate,"
                  "OptimizationHints,MediaRouter,DialMediaRouteProvider,"
                  "AutofillServerCommunication,CertificateTransparencyComponentUpdater,"
                  "InterestFeedContentSuggestions,PrivacySandboxSettings4")
TODAY = browser_module.CHROMIUM_ARGS
# Before 2026-12-03: the omnibox's WebUI pop-ups rendered at every start. chromedriver merges
# the lists of several --disable-features, so the old list replaces today's, not follows it.
BEFORE = tuple("--disable-features=IsolateOrigins,site-per-process"
               if flag.startswith("--disable-features=") else flag for flag in TODAY)
CANDIDATES = {
    "today": TODAY,
    "no software gpu": (*TODAY, "--disable-software-rasterizer"),
    "gpu in the browser process": (*TODAY, "--in-process-gpu"),
    "no zygote": (*TODAY, "--no-zygote"),
    "one renderer": (*TODAY, "--renderer-process-limit=1"),
    "old headless": (*TODAY, "--headless=old"),
    "quiet features": (*TODAY, QUIET_FEATURES, "--disable-domain-reliability",
                       "--disable-client-side-phishing-detection", "--metrics-recording-only",
                       "--disable-field-trial-config"),
    "omnibox pop-ups back": BEFORE,
}
# Not a flag: since 2026-12-03 the first tab opens on about:blank instead of the new-tab page
# (a preference, audits/browser.py chrome_options): 2.27 -> 1.69 CPU-s, 1.53 -> 1.14 s, median
# of 7, measured with this script's one_round and chrome_options patched.


def busy_seconds() -> float:
    with open("/proc/stat", encoding="ascii") as stat:
        fields = [int(f) for f in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / 100


def one_round(flags: tuple[str, ...], urls: list[str]) -> tuple[float, float]:
    """One browser with ``flags`` through ``urls`` with all page checks, as a run audits:
    (CPU s, wall s)."""
    started, busy = time.monotonic(), busy_seconds()
    with mock.patch.object(browser_module, "CHROMIUM_ARGS", flags):
        audits = list(audit_pages(urls, AxeSettings(), browsers=1))
    assert all(a.audited for a in audits), [a.error for a in audits]
    return busy_seconds() - busy, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pages", type=int, default=3)
    parser.add_argument("--only", nargs="*", choices=CANDIDATES, default=list(CANDIDATES),
                        help="measure only these candidates")
    args = parser.parse_args()
    candidates = {name: CANDIDATES[name] for name in args.only}
    pages = {f"p{n}.html": f"<!doctype html><html lang='nl'><title>P{n}</title><main><h1>P{n}</h1>"
             f"<p>Tekst {n}</p><img src='x.png'></main></html>" for n in range(args.pages)}
    root = Path(tempfile.mkdtemp(prefix="browser-start-"))
    for name, text in pages.items():
        (root / name).write_text(text, encoding="utf-8")
    with SiteServer(root=root) as server:
        urls = [server.url(f"/p{n}.html") for n in range(args.pages)]
        one_round(TODAY, urls)                               # warm the disk cache
        figures: dict[str, list[tuple[float, float]]] = {name: [] for name in candidates}
        for _ in range(args.rounds):                      # alternating, so drift hits all alike
            for name, flags in candidates.items():
                figures[name].append(one_round(flags, urls))
    print(f"| flags | CPU s (median of {args.rounds}) | wall s |")
    print("|---|---|---|")
    for name, rounds in figures.items():
        print(f"| {name} | {statistics.median(c for c, _ in rounds):.2f} | "
              f"{statistics.median(w for _, w in rounds):.2f} |")


if __name__ == "__main__":
    main()
