"""The audit browser sees what a resident sees: real Chromium, real local sites on *.localhost.

The site is ``site.localhost``; its stylesheet host, a tracker and another site are separate
servers (Chromium resolves every ``*.localhost`` name to 127.0.0.1 by itself), so each
server's request log shows what the browser asked of it.
"""

from __future__ import annotations

import pytest

from audits.axe import AxeSettings, audit_pages
from audits.browser import Browser, blocked_urls, cdp, default_block
from nachtwacht.siteserver import SiteServer, send
from tests.conftest import page
from tests.helpers import write_files


def named(server: SiteServer, host: str, path: str = "/") -> str:
    return f"http://{host}:{server.port}{path}"


@pytest.fixture(scope="module")
def hosts(tmp_path_factory):
    """The site, its CDN, a tracker, a frame host and another site, each its own server."""
    def folder(files: dict[str, str]):
        return write_files(tmp_path_factory.mktemp("host"), files)

    cdn = SiteServer(root=folder({
        "grijs.css": "p.note { color: #b0b0b0; background: #ffffff; }",
        "donker.css": "p.note { color: #222222 !important; background: #ffffff; }",
    })).start()
    tracker = SiteServer(root=folder({"t.js": "window.tracked = true;", "p.gif": "GIF89a"})).start()
    other = SiteServer(root=folder({
        "index.html": page("Elders", "<p style='color:#ccc'>niet van de gemeente</p>"
                                     "<script>new Image().src = '/teller.gif';</script>"),
        "teller.gif": "GIF89a"})).start()
    frames = SiteServer(root=folder({})).start()
    site = SiteServer(root=folder({})).start()
    css = named(cdn, "cdn.localhost")
    spy = named(tracker, "tracker.localhost")

    def styled(sheet: str, inline: str = ""):
        def route(handler) -> None:
            head = f"<link rel='stylesheet' href='{css}{sheet}'>"
            send(handler, 200, page("Gestyled", f"<p class='note'{inline}>Afvalkalender</p>")
                 .replace("</head>", head + "</head>"))
        return route

    def tracked(handler) -> None:
        body = (f"<script src='{spy}t.js'></script><img src='{spy}p.gif' alt=''>"
                f"<iframe title='kaart' src='{named(frames, 'frames.localhost', '/kaart')}'></iframe>")
        send(handler, 200, page("Met teller", body))

    def framed(handler) -> None:
        send(handler, 200, page("Kaart", f"<script src='{spy}t.js?frame'></script>"))

    def away(handler) -> None:
        send(handler, 302, headers={"Location": named(other, "elders.localhost")})

    def scripted_away(handler) -> None:
        target = named(other, "elders.localhost")
        send(handler, 200, page("Weg", f"<script>location.href = '{target}';</script>"))

    frames.routes["/kaart"] = framed
    site.routes.update({"/grijs": styled("grijs.css"),
                        "/donker": styled("donker.css", " style='color:#c0c0c0'"),
                        "/teller": tracked, "/weg": away, "/scriptweg": scripted_away})
    servers = {"site": site, "cdn": cdn, "tracker": tracker, "other": other, "frames": frames}
    yield servers
    for server in servers.values():
        server.stop()


@pytest.fixture(scope="module")
def audits(hosts):
    site = hosts["site"]
    settings = AxeSettings(page_timeout=15, script_timeout=30, hosts=["site.localhost"],
                           block=["tracker.localhost"])
    urls = [named(site, "site.localhost", path)
            for path in ("/grijs", "/donker", "/teller", "/weg", "/scriptweg")]
    found = {audit.url.rsplit("/", 1)[1]: audit for audit in audit_pages(urls, settings, 1)}
    return found


def rules(audit) -> set[str]:
    return {rule.rule for rule in audit.violations}


def test_a_stylesheet_on_a_cdn_is_applied_before_axe_judges(audits, hosts):
    # grey text only through the CDN stylesheet: a contrast failure
    assert audits["grijs"].audited and "color-contrast" in rules(audits["grijs"])
    # grey inline text made dark by the CDN stylesheet: no failure
    assert audits["donker"].audited and "color-contrast" not in rules(audits["donker"])
    assert {"/grijs.css", "/donker.css"} <= set(hosts["cdn"].paths())


def test_a_blocked_host_is_never_contacted_not_even_from_a_frame(audits, hosts):
    assert audits["teller"].audited
    assert "/kaart" in hosts["frames"].paths()     # the frame itself loads
    assert hosts["tracker"].paths() == []


def test_a_redirect_to_another_host_is_not_audited_as_that_host(audits, hosts):
    for name in ("weg", "scriptweg"):
        audit = audits[name]
        assert audit.audited is False
        assert audit.error.startswith("offsite: ")
        assert "elders.localhost" in audit.error and audit.violations == []
    # the other site's page was stopped before its scripts ran
    assert "/" in hosts["other"].paths() and "/teller.gif" not in hosts["other"].paths()


def test_the_browser_records_every_request_of_a_page_blocked_or_not(hosts):
    browser = Browser.start(site=("site.localhost",), block=("tracker.localhost",))
    try:
        browser.new_page()
        browser.driver.get(named(hosts["site"], "site.localhost", "/teller"))
        requests = browser.requests()
        assert browser.requests() == requests   # asking twice loses nothing
        blocked = {r["url"].split("/")[-1] for r in requests if r["blocked"]}
        assert blocked == {"t.js", "p.gif", "t.js?frame"}
        assert any(r["url"].endswith("/kaart") and not r["blocked"] for r in requests)
        browser.new_page()
        assert browser.requests() == []
    finally:
        browser.close()
    assert hosts["tracker"].paths() == []


def test_the_browser_renders_no_browser_page_nobody_sees():
    """Headless Chromium 156 renders the omnibox's pop-ups and the new-tab page at start unless
    told not to: half the CPU of a browser that audits three pages (bench/browser_start.py)."""
    browser = Browser.start()
    try:
        targets = cdp(browser.driver, "Target.getTargets", {})["targetInfos"]
    finally:
        browser.close()
    assert [(t["type"], t["url"]) for t in targets] == [("page", "about:blank")]


def test_host_patterns_become_url_patterns_for_the_browser():
    assert blocked_urls(["tracker.nl"]) == (
        "http://tracker.nl/*", "http://tracker.nl:*", "https://tracker.nl/*", "https://tracker.nl:*",
        "http://*.tracker.nl/*", "http://*.tracker.nl:*", "https://*.tracker.nl/*",
        "https://*.tracker.nl:*")
    assert blocked_urls(["*.tracker.nl"]) == (
        "http://*.tracker.nl/*", "http://*.tracker.nl:*", "https://*.tracker.nl/*",
        "https://*.tracker.nl:*")


def test_the_shipped_block_list_holds_the_common_analytics_services():
    block = default_block()
    for host in ("siteimproveanalytics.com", "google-analytics.com", "googletagmanager.com",
                 "matomo.cloud", "hotjar.com"):
        assert host in block
    assert all("/" not in host and host == host.strip().lower() for host in block)


def test_with_access_headers_only_the_site_resolves_so_they_never_leave_it(hosts):
    site, cdn = hosts["site"], hosts["cdn"]
    before = len(cdn.requests)
    settings = AxeSettings(page_timeout=15, script_timeout=30, hosts=["site.localhost"],
                           access={"headers": ["X-Sleutel: geheim-42"]})
    [audit] = audit_pages([named(site, "site.localhost", "/grijs")], settings, 1)
    assert audit.audited
    assert any(r.headers.get("X-Sleutel") == "geheim-42" for r in site.requests
               if r.path == "/grijs")
    assert len(cdn.requests) == before     # Chromium would have sent the header there too
