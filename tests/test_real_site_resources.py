"""Every resource a page uses is checked, once per URL, and each broken one is reported with
its kind (and an image with its alt), on a real local site and a second host (localhost).

Also: the URL checked is the URL in the page (%E9 and %FF requested as written), a link
without a host or to a file: is malformed, and one target written two ways is one link.
"""

from __future__ import annotations

import pytest

from nachtwacht.siteserver import SiteServer
from tests.conftest import page
from tests.helpers import write_files
from tests.real_site import crawl_only

HEAD_EXTRA = ('<link rel="stylesheet" href="/css/weg.css"><link rel="Stylesheet" href="/css/ok.css">'
              '<link rel="icon" href="/geen-icoon.png"><script src="/js/weg.js"></script>'
              '<meta http-equiv="refresh" content="600; url=/verhuisd">')


def site_files(other: str) -> dict[str, str]:
    home = page("Home", (
        '<img src="/img/plattegrond.png" alt="Plattegrond van het centrum">'
        '<img src="/img/ok.png" alt="Logo" srcset="/img/ok.png 1x, /img/groot-weg.png 2x">'
        '<picture><source srcset="/img/weg.webp"><img src="/img/ok.png" alt="Foto"></picture>'
        '<iframe src="/kaart-weg" title="Kaart van de wijk"></iframe>'
        '<video src="/media/film-weg.mp4" poster="/img/poster-weg.jpg">'
        '<source src="/media/film-weg.webm"><track src="/media/ondertitels-weg.vtt"></video>'
        '<audio src="/media/ok.mp3"></audio><object data="/media/weg.svg"></object>'
        '<p><a href="/tweede">Tweede pagina</a> <a href="/caf%E9">Café</a> '
        '<a href="/zoek?q=%FF">Zoek</a> <a href="/a%20b">spatie</a> <a href="/a b">spatie 2</a>'
        f' <a href="{other}/weg">extern</a> <a href="{other.upper()}/weg">EXTERN</a>'
        ' <a href="http://">leeg adres</a> <a href="file:///c:/Brief.doc">brief</a>'
        ' <a href="https:">alleen schema</a></p>'))
    return {
        "index.html": home.replace("</head>", HEAD_EXTRA + "</head>"),
        # the same missing image on a second page: asked once, reported for both pages
        "tweede.html": page("Tweede", '<img src="/img/plattegrond.png" alt="Kaartje">'),
        "css/ok.css": "body { color: #000 }",
        "img/ok.png": "png",
        "media/ok.mp3": "mp3",
    }


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    other = SiteServer(host="localhost").start()
    root = write_files(tmp_path_factory.mktemp("res"), site_files(other.origin))
    site = SiteServer(root=root).start()
    results = crawl_only(site.url("/"), tmp_path_factory.mktemp("out"))
    yield results, site, other
    site.stop()
    other.stop()


def broken(results: dict, site: SiteServer) -> dict[tuple[str, str], dict]:
    return {(b["source"].removeprefix(site.origin), b["target"].removeprefix(site.origin)): b
            for b in results["broken_links"]}


def test_every_kind_of_resource_is_checked_and_reported_with_its_kind(crawled):
    results, site, _ = crawled
    kinds = {target: b["kind"] for (source, target), b in broken(results, site).items()
             if source == "/"}
    assert {t: k for t, k in kinds.items() if k != "link"} == {
        "/img/plattegrond.png": "image", "/img/groot-weg.png": "image",
        "/img/weg.webp": "image", "/img/poster-weg.jpg": "image",
        "/css/weg.css": "stylesheet", "/js/weg.js": "script", "/kaart-weg": "frame",
        "/media/film-weg.mp4": "media", "/media/film-weg.webm": "media",
        "/media/ondertitels-weg.vtt": "media", "/media/weg.svg": "media",
        "/verhuisd": "refresh",
    }
    ok = {"/css/ok.css", "/img/ok.png", "/media/ok.mp3"}
    assert ok <= set(site.paths("HEAD")) and not ok & set(kinds)
    assert "/geen-icoon.png" not in site.paths()        # only stylesheets among <link>s


def test_an_image_is_reported_with_its_alt_on_each_page_and_asked_once(crawled):
    results, site, _ = crawled
    found = broken(results, site)
    assert found[("/", "/img/plattegrond.png")]["text"] == "Plattegrond van het centrum"
    assert found[("/tweede", "/img/plattegrond.png")]["text"] == "Kaartje"
    assert found[("/", "/kaart-weg")]["text"] == "Kaart van de wijk"
    assert site.paths().count("/img/plattegrond.png") == 1


def test_percent_encodings_are_requested_as_written(crawled):
    results, site, _ = crawled
    assert "/caf%E9" in site.paths() and "/zoek?q=%FF" in site.paths()
    assert not [p for p in site.paths() if "%EF%BF%BD" in p]
    targets = {t for _, t in broken(results, site)}
    assert {"/caf%E9", "/zoek?q=%FF"} <= targets


def test_one_target_written_two_ways_is_one_broken_link(crawled):
    results, site, other = crawled
    found = broken(results, site)
    assert [t for s, t in found if s == "/" and "a%20b" in t] == ["/a%20b"]
    external = [t for s, t in found if s == "/" and t.lower().endswith(f":{other.port}/weg")]
    assert external == [f"{other.origin}/weg"]
    assert other.paths().count("/weg") == 1


def test_links_without_a_host_or_to_a_file_are_malformed(crawled):
    results, site, _ = crawled
    malformed = {t: b["text"] for (s, t), b in broken(results, site).items()
                 if b["reason"] == "malformed"}
    assert malformed == {"http://": "leeg adres", "file:///c:/Brief.doc": "brief",
                         "https:": "alleen schema"}
    home = next(p for p in results["pages"] if p["url"] == site.url("/"))
    assert home["status"] == 200
