"""Benchmark of the audit stage alone: axe-core in headless Chromium, pages per second.

Serves the generated "Gemeente Bankstad" site (bench/sitegen.py) on 127.0.0.1 and
audits every page with 1 and with 2 browsers (browser start included), then prints
pages per second, the median milliseconds per page and where they go (load, sending
axe-core, axe.run). ``--compare`` also audits the same pages with two alternatives,
interleaved in chunks so that a busy machine weighs on all of them alike:
axe-core sent with every page instead of registered once per browser through CDP,
and axe computing a selector for every passing element (no ``resultTypes``).
``--checks`` audits the pages with axe alone and with axe plus every page check
(audits/checks, as a run has them on by default), in alternating chunks, and prints
the per-page cost of both and their ratio.

    .venv/bin/python bench/axe_bench.py [--pages 300] [--browsers 1,2] [--compare] [--checks]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from audits import axe
from audits.axe import AxeSettings, PageAudit, audit_pages
from audits.checks import enabled_checks
from bench.sitegen import generate
from nachtwacht.siteserver import SiteServer


def audit(urls: list[str], browsers: int, settings: AxeSettings) -> tuple[float, list[PageAudit]]:
    started = time.perf_counter()
    audits = list(audit_pages(urls, settings, browsers=browsers))
    return time.perf_counter() - started, audits


def split(audits: list[PageAudit]) -> str:
    done = [a for a in audits if a.audited]
    if not done:
        return "no page audited"

    def median(values: list[int]) -> float:
        return statistics.median(values)

    total = median([a.load_ms + a.inject_ms + a.axe_ms for a in done])
    return (f"median {total:.0f} ms/page = load {median([a.load_ms for a in done]):.0f}"
            f" + send axe {median([a.inject_ms for a in done]):.0f}"
            f" + axe.run {median([a.axe_ms for a in done]):.0f}"
            f"  ({len(done)}/{len(audits)} audited)")


class ScriptPerPage:
    """The alternative to CDP: selenium sends axe-core with every page."""

    def __enter__(self) -> None:
        self.open = axe._Auditor.open

        def open_without_cdp(auditor) -> None:
            self.open(auditor)
            auditor.registered = False

        axe._Auditor.open = open_without_cdp

    def __exit__(self, *exc) -> None:
        axe._Auditor.open = self.open


class AllSelectors:
    """The alternative to resultTypes: axe builds selectors for every passing element too."""

    def __enter__(self) -> None:
        self.options = AxeSettings.axe_options

        def options(settings) -> dict:
            found = self.options(settings)
            del found["resultTypes"]
            return found

        AxeSettings.axe_options = options

    def __exit__(self, *exc) -> None:
        AxeSettings.axe_options = self.options


class AsShipped:
    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc) -> None:
        pass


VARIANTS: dict[str, Callable] = {
    "as shipped (CDP, resultTypes)": AsShipped,
    "axe-core sent with every page": ScriptPerPage,
    "selectors for all passes": AllSelectors,
}


def compare(urls: list[str], settings: AxeSettings, chunk: int = 25) -> None:
    results: dict[str, list[PageAudit]] = {name: [] for name in VARIANTS}
    for start in range(0, len(urls), chunk):
        for name, variant in VARIANTS.items():
            with variant():
                results[name] += audit(urls[start:start + chunk], 1, settings)[1]
    for name, audits in results.items():
        print(f"  {name:32} {split(audits)}")


def with_checks(urls: list[str], settings: AxeSettings, chunk: int = 25) -> None:
    """Axe alone against axe and every page check, one browser, alternating chunks."""
    checked = AxeSettings(**{**settings.__dict__, "checks": enabled_checks({})})
    runs: dict[str, tuple[float, list[PageAudit]]] = {"axe alone": (0.0, []),
                                                      "axe + page checks": (0.0, [])}
    for start in range(0, len(urls), chunk):
        for name, variant in (("axe alone", settings), ("axe + page checks", checked)):
            seconds, audits = audit(urls[start:start + chunk], 1, variant)
            runs[name] = (runs[name][0] + seconds, runs[name][1] + audits)
    per_page = {}
    for name, (seconds, audits) in runs.items():
        done = [a for a in audits if a.audited]
        per_page[name] = statistics.median(
            [a.load_ms + a.inject_ms + a.axe_ms + a.checks_ms for a in done]) if done else 0
        print(f"  {name:20} {seconds / max(1, len(audits)) * 1000:.0f} ms/page wall clock, "
              f"median {per_page[name]:.0f} ms/page; {split(audits)}")
    audits = runs["axe + page checks"][1]
    walked = [a.checks_ms for a in audits
              if any(r.check == "focus-visible" and not r.inherited for r in a.checks)]
    if walked:
        print(f"  keyboard walked on {len(walked)} of {len(audits)} pages (one per template), "
              f"median checks {statistics.median(walked):.0f} ms there, "
              f"{statistics.median([a.checks_ms for a in audits]):.0f} ms over all pages")
    wall = runs["axe + page checks"][0] / max(runs["axe alone"][0], 1e-9)
    print(f"  ratio: {wall:.2f}x wall clock, "
          f"{per_page['axe + page checks'] / max(per_page['axe alone'], 1):.2f}x median per page")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--browsers", default="1,2")
    parser.add_argument("--compare", action="store_true")
    parser.add_argument("--checks", action="store_true",
                        help="axe alone against axe with every page check")
    args = parser.parse_args()
    settings = AxeSettings()
    with tempfile.TemporaryDirectory(prefix="axe-bench-") as work:
        generate(Path(work), "__ORIGIN__", "http://127.0.0.2", total=args.pages)
        root = Path(work) / "site"
        with SiteServer(root=root) as server:
            urls = sorted(server.url("/" + str(index.parent.relative_to(root)) + "/")
                          .replace("/./", "/") for index in root.rglob("index.html"))
            print(f"{len(urls)} pages, axe-core {axe.axe_version(settings)}, "
                  f"{axe.browser_version()}")
            for browsers in (int(n) for n in args.browsers.split(",") if n):
                seconds, audits = audit(urls, browsers, settings)
                print(f"{browsers} browser(s): {len(audits) / seconds:.2f} pages/s "
                      f"({seconds:.1f} s); {split(audits)}")
            if args.compare:
                print("the same pages with one browser, in alternating chunks:")
                compare(urls, settings)
            if args.checks:
                print("axe alone and with the page checks, one browser, alternating chunks:")
                with_checks(urls, settings)


if __name__ == "__main__":
    main()
