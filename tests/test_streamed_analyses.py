"""The analyses that stream a night's links (audits/crawldata.py, links.py, linkgraph.py)
give the results of the plain in-memory way, and the site's planted problems, on a real
crawl of a generated bench site (bench/sitegen.py).

The reference functions below are the former implementations: every link in a list, a
dict of all (page, target) pairs, an adjacency list of dicts. The streamed ones must agree
with them exactly, also when the store gives a page's links in two runs.
"""

from __future__ import annotations

import socket
import sys
from collections import deque
from pathlib import Path

import pytest

from audits import crawldata, documents, forms, linkgraph, links, pages
from audits.crawldata import CrawlData
from audits.linkgraph import CLICK_KINDS, Step
from audits.targets import outcome
from core import store
from core.urls import on_allowed_domain
from nachtwacht.siteserver import SiteServer
from tests.real_site import config_file, crawl_only

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import sitegen

PAGES = 300
DOMAINS = ["127.0.0.1"]


def free_port_on_both() -> int:
    """A port free on 127.0.0.1 and 127.0.0.2 (the site and its "external" host)."""
    while True:
        with socket.socket() as one, socket.socket() as two:
            one.bind(("127.0.0.1", 0))
            port = one.getsockname()[1]
            try:
                two.bind(("127.0.0.2", port))
            except OSError:
                continue
            return port


@pytest.fixture(scope="module")
def night(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bankstad")
    port = free_port_on_both()
    origin, external = f"http://127.0.0.1:{port}", f"http://127.0.0.2:{port}"
    manifest = sitegen.generate(tmp / "site", origin, external, PAGES)
    with SiteServer(root=tmp / "site" / "site", port=port), \
            SiteServer(root=tmp / "site" / "extern", host="127.0.0.2", port=port):
        config = config_file(tmp / "site.toml", [origin + "/"], allowed_domains=DOMAINS)
        results = crawl_only(config, tmp / "out", timeout=900)
    db = store.open_db(tmp / "out" / "nachtwacht.db")
    run_id = db.execute("select max(id) from runs").fetchone()[0]
    crawl = crawldata.load(db, run_id, [origin + "/"])
    yield {"crawl": crawl, "results": results, "manifest": manifest, "origin": origin,
           "db": db, "run_id": run_id}
    db.close()


# The former implementations, kept here as the reference.

def reference_unique(link_list: list[dict]) -> list[dict]:
    seen: dict[tuple[str, str], dict] = {}
    for link in link_list:
        seen.setdefault((link["source"], links.link_key(link)), link)
    return list(seen.values())


def reference_paths(crawl: CrawlData, link_list: list[dict]) -> dict[str, list[Step]]:
    paths: dict[str, list[Step]] = {}
    for start_url in crawl.start_urls:
        start = crawl.final_url(start_url)
        if start is not None and start not in paths:
            paths[start] = [Step(start, "")]
    outgoing: dict[str, list[dict]] = {}
    for link in link_list:
        if link.get("kind") in CLICK_KINDS and not link.get("malformed"):
            outgoing.setdefault(link["source"], []).append(link)
    queue = deque(paths)
    while queue:
        url = queue.popleft()
        for link in outgoing.get(url, []):
            target = crawl.final_url(link["target"])
            if target is None or target in paths or target not in crawl.pages:
                continue
            paths[target] = paths[url] + [Step(target, link["text"])]
            queue.append(target)
    return paths


def reference_broken(crawl: CrawlData, link_list: list[dict]) -> list[dict]:
    found: dict[tuple[str, str], dict] = {}
    for link in reference_unique(link_list):
        problem = links.link_problem(crawl, link)
        if problem is None:
            continue
        target = links.reported_target(link, problem)
        found.setdefault((link["source"], target), {
            "source": link["source"], "target": target, "kind": links.kind_of(link),
            "text": link["text"], **problem,
            "internal": not link.get("malformed") and on_allowed_domain(link["href"], DOMAINS)})
    return sorted(found.values(), key=lambda b: (b["target"], b["source"]))


def reference_summary(crawl: CrawlData, link_list: list[dict], broken: list[dict]) -> dict:
    unique = [link for link in reference_unique(link_list) if not link.get("malformed")]
    external = {link["target"] for link in unique if not on_allowed_domain(link["target"], DOMAINS)}
    kinds: dict[str, int] = {}
    for link in unique:
        kinds[links.kind_of(link)] = kinds.get(links.kind_of(link), 0) + 1
    return {"kinds": dict(sorted(kinds.items())),
            "links": len(unique) + sum(1 for b in broken if b["reason"] == "malformed"),
            "targets": len({link["target"] for link in unique}),
            "external_targets": len(external),
            "external_checked": sum(1 for url in external if outcome(crawl, url) is not None),
            "broken": len(broken), "broken_targets": len({b["target"] for b in broken})}


def reference_documents(crawl: CrawlData, link_list: list[dict]) -> dict[str, list[str]]:
    found: dict[str, set[str]] = {}
    for link in reference_unique(link_list):
        if link.get("malformed"):
            continue
        result = outcome(crawl, link["target"])
        if documents.document_type(link["target"], result.content_type if result else None):
            found.setdefault(link["target"], set()).add(link["source"])
    return {url: sorted(sources) for url, sources in sorted(found.items())}


def fresh(crawl: CrawlData, link_list=None) -> CrawlData:
    """The same night with nothing computed yet (and, if given, these links)."""
    return CrawlData(start_urls=crawl.start_urls, pages=crawl.pages,
                     links=crawl.links if link_list is None else link_list, forms=crawl.forms,
                     sitemap=crawl.sitemap, sitemap_files=crawl.sitemap_files,
                     checks=crawl.checks)


def test_the_links_are_streamed_from_the_store_not_kept(night):
    crawl = night["crawl"]
    assert isinstance(crawl.links, crawldata.Stream)
    first, second = list(crawl.links), list(crawl.links)
    assert first == second and len(first) > PAGES * 25     # about 33 a page
    assert not isinstance(next(iter(crawl.pages.values())), dict)     # compact rows


def test_streamed_analyses_agree_with_the_in_memory_ones(night):
    crawl = fresh(night["crawl"])
    link_list = list(crawl.links)
    assert list(links.unique_links(crawl)) == reference_unique(link_list)
    paths = linkgraph.shortest_paths(crawl)
    assert dict(paths) == reference_paths(crawl, link_list)
    assert list(paths) == list(reference_paths(crawl, link_list))   # the order reached, too
    assert linkgraph.click_depths(crawl) == {
        url: len(path) - 1 for url, path in reference_paths(crawl, link_list).items()}
    broken = links.broken_links(crawl, DOMAINS)
    assert broken == reference_broken(crawl, link_list)
    assert links.summary(crawl, broken, DOMAINS) == reference_summary(crawl, link_list, broken)
    found = {d["url"]: d["pages"]
             for d in documents.documents(crawl, {}, DOMAINS)}
    assert found == reference_documents(crawl, link_list)


def test_a_page_whose_links_come_in_two_runs_counts_once(night):
    """A store that gives a page's links in two runs (not one after the other) changes
    nothing: the streamed analyses fall back to looking the page up again."""
    crawl = night["crawl"]
    link_list = list(crawl.links)
    middle = len(link_list) // 2
    shuffled = link_list[middle:] + link_list[:middle] + link_list[:40]   # a page split, and repeated
    moved = fresh(crawl, shuffled)
    assert list(links.unique_links(moved)) == reference_unique(shuffled)
    assert dict(linkgraph.shortest_paths(moved)) == reference_paths(moved, shuffled)
    assert links.broken_links(moved, DOMAINS) == reference_broken(moved, shuffled)


def test_the_results_show_the_planted_problems(night):
    results, manifest, origin = night["results"], night["manifest"], night["origin"]
    broken = results["broken_links"]
    internal = [b for b in broken if b["internal"] and b["target"].startswith(origin + "/oud/")]
    assert len(internal) == manifest["broken_internal_links"]
    assert len({b["target"] for b in internal}) == manifest["broken_internal_targets"]
    external = [b for b in broken if not b["internal"]]
    assert len(external) == manifest["external_links"]["broken"]
    orphans = {o["url"].removeprefix(origin) for o in results["orphans"] if o["kind"] == "page"}
    assert orphans == set(manifest["orphans"])
    linked = {d["url"].removeprefix(origin) for d in results["documents"]}
    assert linked and linked <= set(manifest["documents"])
    assert all(p["depth"] is not None for p in results["pages"]
               if p["status"] == 200 and not p["orphan"])


def test_the_results_of_the_night_are_those_of_the_streamed_analyses(night):
    crawl, results = fresh(night["crawl"]), night["results"]
    assert results["broken_links"] == links.broken_links(crawl, DOMAINS)
    assert results["link_summary"] == links.summary(crawl, results["broken_links"], DOMAINS)
    depths = linkgraph.click_depths(crawl)
    assert {p["url"]: p["depth"] for p in results["pages"]} == \
        {p["url"]: depths.get(p["url"]) for p in pages.page_entries(crawl)}
    assert len(results["forms"]) == len(forms.forms(crawl, results["pages"], DOMAINS))
