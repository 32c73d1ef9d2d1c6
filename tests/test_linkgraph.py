"""Click depth and click paths as pure functions over a small in-memory crawl."""

from audits.crawldata import CrawlData
from audits.linkgraph import click_depths, shortest_paths

H = "http://x/"


def crawl(links: list[tuple[str, str, str]], redirects: dict[str, str] | None = None) -> CrawlData:
    urls = {H + s for s, _, _ in links} | {H + t for _, t, _ in links}
    pages = {u: {"url": u, "status": 200} for u in urls}
    for source, target in (redirects or {}).items():
        pages[H + source] = {"url": H + source, "status": 301, "location": H + target}
    return CrawlData(start_urls=[H], pages=pages,
                     links=[{"source": H + s, "target": H + t, "text": x} for s, t, x in links])


def test_shortest_path_is_found_as_link_texts():
    data = crawl([("", "a", "A"), ("a", "b", "B"), ("b", "c", "C"), ("", "c", "Direct naar C")])
    assert click_depths(data) == {H: 0, H + "a": 1, H + "b": 2, H + "c": 1}
    assert [s.text for s in shortest_paths(data)[H + "b"]] == ["", "A", "B"]


def test_a_link_to_a_redirect_counts_for_where_it_lands():
    data = crawl([("", "kort", "Kort"), ("x", "doel", "Doel")], redirects={"kort": "doel"})
    assert click_depths(data)[H + "doel"] == 1


def test_a_redirect_loop_ends_nowhere():
    data = crawl([("", "a", "A")], redirects={"a": "b", "b": "a"})
    assert data.final_url(H + "a") is None
    assert H + "a" not in click_depths(data)
