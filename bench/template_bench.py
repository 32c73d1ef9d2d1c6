"""Benchmark of template regions audited once: audit pages/s with and without it.

Serves the generated "Gemeente Bankstad" site (bench/sitegen.py) on 127.0.0.1 and audits
the same pages with ``template_once`` off and on, in alternating chunks so that a busy
machine weighs on both alike (each chunk starts its browsers, as a night does), with axe
alone or with every page check (``--checks``). Prints pages/s, the median milliseconds of
axe per page, how many regions were taken over, and whether both gave the same findings.

With ``--bound`` a third way runs beside them: every page whole, but with the template regions
left out of axe altogether (``[axe] exclude``). Its findings are not those of a full audit; its
pages/s is the most any reuse of the regions' results could reach, since that reuse still
loads every page and runs axe over the rest of it.

    .venv/bin/python bench/template_bench.py [--pages 300] [--browsers 2] [--chunk 50] [--checks]
        [--bound]
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from audits import axe
from audits.axe import AxeSettings, PageAudit, audit_pages
from audits.checks import enabled_checks
from bench.sitegen import generate
from nachtwacht.siteserver import SiteServer

# The template regions of the bench site (bench/sitegen.py): the header with the main menu, the
# breadcrumb, the menu beside the content and the footer.
BENCH_REGIONS = ["header", "body > nav", ".breed > nav", "footer"]


def same(a: PageAudit, b: PageAudit) -> bool:
    def rules(found):
        return [(r.rule, r.impact, r.node_count, [(n.target, n.html, n.failure_summary, n.impact)
                                                   for n in r.nodes]) for r in found]
    return (a.audited, rules(a.violations), rules(a.incomplete), rules(a.passes), a.inapplicable) \
        == (b.audited, rules(b.violations), rules(b.incomplete), rules(b.passes), b.inapplicable)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--browsers", type=int, default=2)
    parser.add_argument("--chunk", type=int, default=50)
    parser.add_argument("--checks", action="store_true", help="with every page check")
    parser.add_argument("--bound", action="store_true",
                        help="also with the template regions left out of axe (the upper bound)")
    args = parser.parse_args()
    base = AxeSettings(checks=enabled_checks({}) if args.checks else ())
    variants = {"whole pages": dataclasses.replace(base, template_once=False),
                "template once": dataclasses.replace(base, template_once=True)}
    if args.bound:
        variants["regions left out"] = dataclasses.replace(base, template_once=False,
                                                           exclude=BENCH_REGIONS)
    with tempfile.TemporaryDirectory(prefix="template-bench-") as work:
        generate(Path(work), "__ORIGIN__", "http://127.0.0.2", total=args.pages)
        root = Path(work) / "site"
        with SiteServer(root=root) as server:
            urls = sorted(server.url("/" + str(index.parent.relative_to(root)) + "/")
                          .replace("/./", "/") for index in root.rglob("index.html"))[:args.pages]
            print(f"{len(urls)} pages, {args.browsers} browsers, chunks of {args.chunk}, "
                  f"{'axe + page checks' if args.checks else 'axe alone'}, "
                  f"axe-core {axe.axe_version(base)}, {axe.browser_version()}")
            seconds = dict.fromkeys(variants, 0.0)
            audits: dict[str, dict[str, PageAudit]] = {name: {} for name in variants}
            for start in range(0, len(urls), args.chunk):
                chunk = urls[start:start + args.chunk]
                for name, settings in variants.items():
                    began = time.perf_counter()
                    for audit in audit_pages(chunk, settings, browsers=args.browsers):
                        audits[name][audit.url] = audit
                    seconds[name] += time.perf_counter() - began
    rates = {}
    for name, found in audits.items():
        done = [a for a in found.values() if a.audited]
        rates[name] = len(found) / seconds[name]
        print(f"  {name:16} {rates[name]:.2f} pages/s ({seconds[name]:.0f} s); median axe "
              f"{statistics.median(a.axe_ms for a in done):.0f} ms, load "
              f"{statistics.median(a.load_ms for a in done):.0f} ms, checks "
              f"{statistics.median(a.checks_ms for a in done):.0f} ms; regions taken over "
              f"{sum(a.regions_reused for a in done)}")
    whole, once = audits["whole pages"], audits["template once"]
    differ = [url for url in whole if not same(whole[url], once[url])]
    print(f"  ratio {rates['template once'] / rates['whole pages']:.2f}x; pages with other "
          f"findings: {len(differ)}" + (f" (first: {differ[0]})" if differ else ""))
    if args.bound:
        print(f"  at most {rates['regions left out'] / rates['whole pages']:.2f}x for any reuse "
              "of the regions' results (every page still loaded, axe over the rest)")


if __name__ == "__main__":
    main()
