"""Broken links, orphans, sitemap errors and documents on a small site with each problem planted.

One real crawl (the CLI in a subprocess) against two real servers on this machine: the
site on 127.0.0.1 and a "third party" on localhost. Precision and recall must be exact:
every planted problem is found, nothing else is.
"""

from __future__ import annotations

import socket

import pytest

from audits.links import by_target
from nachtwacht.siteserver import SiteServer, send
from tests.conftest import page
from tests.helpers import nachtwacht, quick, results_of, write_files

SEARCH = ('<form action="/zoek" method="get" role="search">'
          '<input name="q" aria-label="Zoeken"><button>Zoek</button></form>')


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens: connecting to it is refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def links(*pairs: tuple[str, str]) -> str:
    return "<ul>" + "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in pairs) + \
        "</ul>"


def planted_site(third: str, closed: int) -> dict[str, str]:
    return {
        "index.html": page("Home", SEARCH + links(
            ("/ok", "Werkende pagina"),
            ("/kapot", "Kapotte link"),
            ("/fout", "Serverfout"),
            ("/ok#bestaat", "Goed anker"),
            ("/ok#oud-anker", "Goed anker met name"),
            ("/ok#ontbreekt", "Verkeerd anker"),
            ("http://nergens.invalid/pagina", "Onbekende server"),
            (f"http://127.0.0.1:{closed}/", "Gesloten poort"),
            ("/lus-a", "Rondje"),
            ("/oud", "Verhuisde pagina"),
            (f"{third}/extern-ok", "Externe pagina"),
            (f"{third}/extern-weg", "Verdwenen externe pagina"),
            (f"{third}/alleen-get", "Externe pagina zonder HEAD"),
            ("/docs/gids.pdf", "Gids (pdf)"),
            ("/docs/weg.pdf", "Oude folder (pdf)"),
            ("http://[kapot/", "Misvormde link"),
            ("/contact", "Contact"),
            ("/formulieren", "Formulieren"),
        )),
        "ok.html": page("Werkende pagina", SEARCH + '<h2 id="bestaat">Bestaat</h2>'
                        '<p><a name="oud-anker">Oud anker</a></p>'
                        + links((f"{third}/extern-ok", "Nog eens de externe pagina"))),
        "contact.html": page("Contact", SEARCH
                             + '<a href="#inhoud">Naar de inhoud</a><div id="inhoud"></div>'
                             + links(("mailto:info@voorbeeld.invalid", "Mail ons"),
                                     ("tel:+31201234567", "Bel ons"),
                                     ("javascript:void(0)", "Script"),
                                     ("#", "Leeg anker"),
                                     ("#top", "Naar boven"))
                             + '<a href="/kapot"><img src="/x.png" alt="Kapotte foto"></a>'),
        "formulieren.html": page("Formulieren", SEARCH
            + '<form action="/bestaat-niet" method="get">'
              '<label for="pc">Postcode</label><input id="pc" name="postcode"></form>'
            + f'<form action="{third}/ontvang" method="post"><div>'
              '<label for="naam">Naam</label><input id="naam" name="naam">'
              '<label>E-mail <input type="email" name="email"></label>'
              '<input name="telefoon" aria-label="Telefoon">'
              '<span id="lbl-bsn">BSN</span><input name="bsn" aria-labelledby="lbl-bsn">'
              '<select name="wijk" title="Wijk"><option>Noord</option></select>'
              '<textarea name="toelichting"></textarea>'
              '<label for="iets-anders">Geboortedatum</label><input id="datum" name="datum">'
              '<input type="hidden" name="token" value="x">'
              '<input type="checkbox" id="akkoord" name="akkoord"><label for="akkoord">Akkoord'
              '</label></div><button>Versturen</button></form>'),
        "verborgen.html": page("Verborgen pagina", SEARCH
            + '<form action="/verborgen" method="get"><label>Kenmerk <input name="k"></label>'
              '</form>'),
        "zoek.html": page("Zoeken"),
        "docs/gids.pdf": "%PDF-1.4 gids\n",
        "robots.txt": "User-agent: *\nSitemap: __ORIGIN__/sitemap.xml\n",
        "sitemap.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            "<url><loc>__ORIGIN__/</loc></url><url><loc>__ORIGIN__/ok</loc></url>"
            "<url><loc>__ORIGIN__/verborgen</loc></url>"
            "<url><loc>__ORIGIN__/verdwenen</loc></url></urlset>"),
        "_redirects.txt": "/lus-a /lus-b 302\n/lus-b /lus-a 302\n/oud /ok 301\n",
    }


def third_party_routes() -> dict:
    def head_refused(handler):
        if handler.command == "HEAD":
            send(handler, 405)
        else:
            send(handler, 200, page("Alleen GET"))

    return {
        "/extern-ok": lambda h: send(h, 200, page("Extern", '<a href="/extern-verder">Verder</a>')),
        "/extern-weg": lambda h: send(h, 404, page("Weg")),
        "/alleen-get": head_refused,
        "/ontvang": lambda h: send(h, 405, page("Alleen POST")),
    }


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """The planted site crawled once: (results, site server, third-party server, origin)."""
    third = SiteServer(host="localhost", routes=third_party_routes()).start()
    root = write_files(tmp_path_factory.mktemp("planted"), planted_site(third.origin, closed_port()))
    site = SiteServer(root=root, routes={"/fout": lambda h: send(h, 500, page("Fout"))}).start()
    out = tmp_path_factory.mktemp("out")
    done = nachtwacht("run", site.url("/"), *quick(out), "--out", out)
    try:
        yield results_of(out), site, third, done
    finally:
        site.stop()
        third.stop()


def short(url: str | None, site: SiteServer) -> str | None:
    return url.removeprefix(site.origin) if url else url


def test_every_planted_broken_link_is_found_and_nothing_else(planted):
    results, site, third, _ = planted
    closed = next(b["target"] for b in results["broken_links"] if b["reason"] == "connection")
    found = {(short(b["source"], site), short(b["target"], site), b["reason"], b["status"])
             for b in results["broken_links"]}
    assert found == {
        ("/", "/kapot", "http", 404),
        ("/contact", "/kapot", "http", 404),
        ("/", "/fout", "http", 500),
        ("/", "/ok#ontbreekt", "fragment", 200),
        ("/", "http://nergens.invalid/pagina", "dns", None),
        ("/", short(closed, site), "connection", None),
        ("/", "/lus-a", "redirect-loop", 302),
        ("/", f"{third.origin}/extern-weg", "http", 404),
        ("/", "/docs/weg.pdf", "http", 404),
        ("/", "http://[kapot/", "malformed", None),
        ("/contact", "/x.png", "http", 404),          # the missing image in the link
    }
    assert closed.startswith("http://127.0.0.1:") and closed != site.url("/")
    assert len(results["broken_links"]) == len(found)


def test_broken_link_keeps_its_text_or_the_alt_of_its_image(planted):
    results, site, _, _ = planted
    texts = {(short(b["source"], site), short(b["target"], site)): b["text"]
             for b in results["broken_links"]}
    assert texts[("/", "/kapot")] == "Kapotte link"
    assert texts[("/contact", "/kapot")] == "Kapotte foto"
    assert texts[("/", "/ok#ontbreekt")] == "Verkeerd anker"
    assert texts[("/contact", "/x.png")] == "Kapotte foto"      # an image: its alt


def test_each_broken_link_has_its_kind(planted):
    results, site, _, _ = planted
    kinds = {short(b["target"], site): b["kind"] for b in results["broken_links"]}
    assert kinds["/x.png"] == "image"
    assert {k for t, k in kinds.items() if t != "/x.png"} == {"link"}


def test_broken_links_are_grouped_by_target(planted):
    results, site, _, _ = planted
    groups = results["broken_links_by_target"]
    assert short(groups[0]["target"], site) == "/kapot" and groups[0]["count"] == 2
    assert not [g for g in groups if g["in_template"]]      # 2 pages: no template
    assert sorted(short(s["source"], site) for s in groups[0]["sources"]) == ["/", "/contact"]
    assert sum(g["count"] for g in groups) == len(results["broken_links"])
    assert results["link_summary"]["broken"] == 11
    assert results["link_summary"]["broken_targets"] == 10


def test_external_links_are_checked_once_with_head_and_never_crawled(planted):
    _, _, third, _ = planted
    asked = [(r.method, r.path) for r in third.requests if r.path != "/robots.txt"]
    assert sorted(asked) == sorted([
        ("HEAD", "/extern-ok"),                       # linked from two pages, asked once
        ("HEAD", "/extern-weg"),
        ("HEAD", "/alleen-get"), ("GET", "/alleen-get"),  # HEAD refused: GET instead
        ("HEAD", "/ontvang"), ("GET", "/ontvang"),    # the form's action, never submitted
    ])
    assert "/extern-verder" not in third.paths()


def test_only_get_and_head_reach_any_server(planted):
    _, site, third, _ = planted
    methods = {r.method for r in site.requests + third.requests}
    assert methods <= {"GET", "HEAD"}
    assert site.paths("HEAD")        # the checks did happen
    # the site's own PDF is fetched once to be checked (tests/test_documents.py), not HEAD
    assert site.paths("GET").count("/docs/gids.pdf") == 1 and \
        "/docs/gids.pdf" not in site.paths("HEAD")


def test_orphan_page_and_its_form_are_found_through_the_sitemap(planted):
    results, site, _, _ = planted
    orphans = [(short(o["url"], site), o["kind"], o["found_via"]) for o in results["orphans"]]
    assert orphans == [("/verborgen", "page", "sitemap"), ("/verborgen", "form", "sitemap")]
    page = next(p for p in results["pages"] if short(p["url"], site) == "/verborgen")
    assert page["orphan"] is True and page["depth"] is None


def test_sitemap_entry_that_answers_404_is_a_sitemap_error(planted):
    results, site, _, _ = planted
    assert [(short(e["url"], site), e["status"], e["reason"], short(e["sitemap"], site))
            for e in results["sitemap_errors"]] == [("/verdwenen", 404, "http", "/sitemap.xml")]


def test_documents_are_checked_and_counted_per_page(planted):
    results, site, _, _ = planted
    docs = {short(d["url"], site): (d["type"], d["status"], d["problems"], len(d["pages"]))
            for d in results["documents"]}
    # gids.pdf answers, but is no readable PDF (one line of text): broken, not a broken link
    assert docs == {"/docs/gids.pdf": ("pdf", 200, ["broken"], 1),
                    "/docs/weg.pdf": ("pdf", 404, ["unreachable"], 1)}
    assert [(short(p["page"], site), p["documents"], p["broken"])
            for p in results["document_summary"]["per_page"]] == [("/", 2, 1)]


def test_the_run_itself_succeeds(planted):
    _, _, _, done = planted
    assert done.returncode in (0, 1), done.stderr[-2000:]


def test_form_inventory_flags_exactly_the_planted_forms(planted):
    results, site, third, _ = planted
    forms = {short(f["action"], site): f for f in results["forms"]}
    assert {action: f["flags"] for action, f in forms.items()} == {
        "/zoek": [],
        "/bestaat-niet": ["action_broken"],
        f"{third.origin}/ontvang": ["plain_http", "third_party"],
        "/verborgen": ["orphan"],
    }
    assert forms["/bestaat-niet"]["action_status"] == 404
    assert forms[f"{third.origin}/ontvang"]["action_status"] == 405   # exists, wants POST


def test_the_same_form_on_many_pages_is_one_form_with_a_page_count(planted):
    results, site, _, _ = planted
    search = next(f for f in results["forms"] if short(f["action"], site) == "/zoek")
    assert [short(p, site) for p in search["pages"]] == [
        "/", "/contact", "/formulieren", "/ok", "/verborgen"]
    assert search["page_count"] == 5 and search["method"] == "get"


def test_fields_without_a_label_are_counted(planted):
    results, _, third, _ = planted
    form = next(f for f in results["forms"] if f["action"] == f"{third.origin}/ontvang")
    assert form["fields"] == 8 and form["unlabelled_fields"] == 2
    sources = {f["name"]: f["label_source"] for f in form["field_list"]}
    assert sources == {"naam": "label", "email": "label", "telefoon": "aria-label",
                       "bsn": "aria-labelledby", "wijk": "title", "toelichting": None,
                       "datum": None, "akkoord": "label"}


def test_a_broken_link_on_a_fifth_of_the_fetched_pages_is_probably_in_the_template():
    pages = [{"url": f"https://a.nl/{n}", "status": 200} for n in range(20)] + \
        [{"url": f"https://a.nl/weg-{n}", "status": 404} for n in range(30)]
    def link(n, target):
        return {"source": f"https://a.nl/{n}", "target": target, "status": 404, "reason": "http"}
    broken = [link(n, "https://a.nl/voet") for n in range(4)] + \
        [link(n, "https://a.nl/menu") for n in range(3)]
    groups = {g["target"]: g["in_template"] for g in by_target(broken, pages)}
    # 4 of the 20 answering pages is a fifth: the 404 pages carry no template
    assert groups == {"https://a.nl/voet": True, "https://a.nl/menu": False}
    assert not any(g["in_template"] for g in by_target(broken))     # pages unknown: never
