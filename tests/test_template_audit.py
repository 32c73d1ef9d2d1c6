"""Template regions audited once give the findings of a full audit, page for page.

Each site is audited twice in real Chromium: once with every page audited whole
(``template_once = false``), once with the header, menus and footer taken over from the
first page that had the same version of them. Every page's violations, incomplete results,
passes and inapplicable rules must be the same: rule, impact, element count, and per element
its selector, HTML, failure summary and impact, in order.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from audits import regions
from audits.axe import AxeSettings, PageAudit, audit_pages
from bench.sitegen import generate
from nachtwacht.siteserver import SiteServer

REGIONS_JS = Path(regions.__file__).with_name("regions.js").read_text(encoding="utf-8")


def findings(audit: PageAudit) -> dict:
    """What an audit says about a page, as results.json and the report take it."""
    def rules(found, elements=True):
        return [(r.rule, r.impact, r.node_count, r.wcag, r.description, r.help, r.help_url,
                 [(n.target, n.html, n.failure_summary, n.impact) for n in r.nodes]
                 if elements else None) for r in found]
    return {"audited": audit.audited, "error": audit.error, "final_url": audit.final_url,
            "violations": rules(audit.violations), "incomplete": rules(audit.incomplete),
            "passes": rules(audit.passes), "inapplicable": audit.inapplicable}


def both_ways(urls: list[str], browsers: int = 2) -> tuple[dict, dict, int]:
    """Each page's findings audited whole and with regions taken over; regions taken over."""
    whole = {a.url: findings(a) for a in audit_pages(urls, AxeSettings(template_once=False), 1)}
    once = list(audit_pages(urls, AxeSettings(template_once=True), browsers))
    return whole, {a.url: findings(a) for a in once}, sum(a.regions_reused for a in once)


def assert_same(whole: dict, once: dict) -> None:
    assert whole.keys() == once.keys()
    for url, found in whole.items():
        assert once[url] == found, url


def site_urls(server: SiteServer, root: Path) -> list[str]:
    return sorted(server.url("/" + str(index.parent.relative_to(root)) + "/").replace("/./", "/")
                  for index in root.rglob("index.html"))


def test_the_styles_hashed_are_every_style_axe_core_reads():
    """A region's key holds each computed style property axe-core's source reads by name."""
    source = AxeSettings().script_path.with_name("axe.js")
    if not source.is_file():
        pytest.skip(f"the readable axe-core is not installed ({source})")
    read = set(re.findall(r"(?:getComputedStylePropertyValue|getPropertyValue)\(['\"]([a-z-]+)['\"]\)",
                          source.read_text(encoding="utf-8")))
    hashed = set(re.findall(r"'([a-z-]+)'", REGIONS_JS.split("var STYLE = [", 1)[1].split("];", 1)[0]))
    assert read, "no style reads found: the pattern no longer fits axe-core's source"
    assert read <= hashed, sorted(read - hashed)


def test_a_rule_is_taken_over_in_one_group_at_most():
    named = regions.LOCAL + regions.GEOMETRY + regions.SPACING
    assert len(named) == len(set(named))
    for always in ("bypass", "document-title", "duplicate-id-aria", "html-has-lang",
                   "aria-hidden-focus", "frame-title-unique", "meta-viewport"):
        assert always not in named


def test_the_demo_site_gives_the_same_findings(demo_site):
    root = Path(demo_site.root)
    urls = sorted({demo_site.url("/" + str(p.relative_to(root)).removesuffix("index.html"))
                   for p in root.rglob("*.html") if "intern" not in p.parts})
    whole, once, reused = both_ways(urls)
    assert_same(whole, once)
    assert reused > len(urls) // 2   # the header and footer were taken over on most pages


def test_the_bench_site_gives_the_same_findings(tmp_path):
    generate(tmp_path, "__ORIGIN__", "http://127.0.0.2", total=60)
    root = tmp_path / "site"
    with SiteServer(root=root) as server:
        urls = site_urls(server, root)[:60]
        whole, once, reused = both_ways(urls)
    assert_same(whole, once)
    assert reused > len(urls)


# Regions with findings in them, and pages where a region must not be taken over.
HEADER = """<header class="kop"><img src="/logo.png" width="30" height="30">
<a href="/" style="color:#bbb;background:#fff">Home</a> <a href="/a" style="font-size:8px">a</a>
<button class="menu"></button><input id="zoek" type="search">{label}</header>"""
FOOTER = """<footer><a href="/contact"><img src="/x.png"></a> <span style="color:#ccc">Voet</span>
</footer>"""


def templated(main: str, label: str = "") -> str:
    return ("<!doctype html><html lang='nl'><head><meta charset='utf-8'><title>Pagina</title>"
            "<style>.kop{padding:4px} a{margin:2px}</style></head><body>"
            + HEADER.format(label=label) + f"<main><h1>Pagina</h1>{main}</main>" + FOOTER
            + "</body></html>")


def test_regions_with_findings_and_regions_that_may_not_be_taken_over(make_site):
    long = "<p>tekst</p>" * 80
    files = {f"/p{n}/index.html": templated(f"<p>Pagina {n}</p>" + long * (n % 3))
             for n in range(6)}
    # main labels the header's search field: the header's findings depend on main here
    files["/label/index.html"] = templated("<label for='zoek'>Zoeken</label>")
    # an element of main laid over the header: its contrast depends on main here
    files["/over/index.html"] = templated(
        "<div style='position:absolute;top:0;left:0;width:300px;height:40px;background:#000'>"
        "</div>")
    # the same header, with a label of its own: another version
    files["/eigen/index.html"] = templated("", label="<label for='zoek'>Zoek</label>")
    server = make_site(files)
    urls = [server.url(path.removesuffix("index.html")) for path in files]
    whole, once, reused = both_ways(urls, browsers=1)
    assert_same(whole, once)
    assert reused >= 5
    header = [v for v in whole[urls[1]]["violations"] if v[0] in ("image-alt", "button-name")]
    assert header, "the planted header violations are found"
