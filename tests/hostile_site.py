"""A hostile website, served for real on 127.0.0.1: crawl traps, bad redirects, odd URLs,
odd encodings, huge and broken answers, a busy server, and text that tries to inject script.

Every server started here is kept in ``SERVERS``, so that the end of the session can check the
request log of the whole hostile suite (``unsafe_requests``; tests/conftest.py).
"""

from __future__ import annotations

import itertools
import os
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from nachtwacht.siteserver import Route, SiteServer, send
from tests.helpers import write_files

SERVERS: list[SiteServer] = []
CRAWLER = "nachtwacht/"     # the crawler's User-Agent; the audit's browser has Chromium's
TIMEOUT = 2.5           # the download timeout of the hostile configs: a dropped connection
                        # stays "connection" on a loaded machine (seconds)
BIG_PAGE = 20 * 1024 * 1024
MANY_LINKS = 3000
CHAIN = 30              # redirect hops before the long chain ends
XSS = "<script>document.title='pwned'</script><img src=x onerror=\"alert('x')\"> \"q\" &amp; 'é'"


def page(title: str, body: str = "", head: str = "", lang: str = "nl") -> str:
    return (f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'>{head}"
            f"<title>{title}</title></head><body><main><h1>{title}</h1>{body}</main>"
            "</body></html>")


def links_to(*hrefs: str) -> str:
    return "<ul>" + "".join(f"<li><a href='{h}'>{h}</a></li>" for h in hrefs) + "</ul>"


class Routes(dict):
    """Routes where a key ending in ``*`` serves every path that starts with it.

    Every request is timed (``times``), and a client that hangs up mid-answer (as the
    crawler does on purpose with a huge or slow page) is not an error of the server.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.times: list[tuple[float, str, str]] = []      # when, path, User-Agent

    def crawler_times(self, path: str | None = None) -> list[float]:
        """When the crawler (not the audit's browser) asked for ``path`` (or any route)."""
        return [t for t, p, agent in self.times
                if agent.startswith(CRAWLER) and path in (None, p)]

    def _match(self, path: str) -> str | None:
        if dict.__contains__(self, path):
            return path
        return next((k for k in self if k.endswith("*") and path.startswith(k[:-1])), None)

    def __contains__(self, path) -> bool:
        return self._match(path) is not None

    def __getitem__(self, path) -> Route:
        route = dict.__getitem__(self, self._match(path))

        def timed(h: BaseHTTPRequestHandler) -> None:
            self.times.append((time.monotonic(), h.path, h.headers.get("User-Agent", "")))
            try:
                route(h)
            except (ConnectionError, TimeoutError):
                h.close_connection = True
        return timed


def query(handler: BaseHTTPRequestHandler) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(handler.path).query).items()}


def html(body: str, status: int = 200, **kwargs) -> Route:
    return lambda h: send(h, status, body, **kwargs)


def redirect(target: str, status: int = 302) -> Route:
    return lambda h: send(h, status, b"", headers={"Location": target})


# --- the routes -------------------------------------------------------------------------

def agenda(h: BaseHTTPRequestHandler) -> None:
    """An endless calendar: every month links to the next and the previous one."""
    year, month = map(int, query(h).get("maand", "2026-01").split("-")[:2])
    nxt = f"{year + month // 12}-{month % 12 + 1:02d}"
    prev = f"{year - (month == 1)}-{(month - 2) % 12 + 1:02d}"
    send(h, 200, page(f"Agenda {year}-{month:02d}", links_to(
        f"/agenda?maand={nxt}&weergave=maand", f"/agenda?weergave=maand&maand={prev}",
        f"/agenda?maand={nxt}&utm_source=nieuwsbrief&utm_medium=email#vandaag")))


_session_ids = itertools.count(1000)


def shop(h: BaseHTTPRequestHandler) -> None:
    """Every answer hands out fresh session ids in its links."""
    sid = next(_session_ids)
    send(h, 200, page("Webwinkel", links_to(
        f"/winkel?PHPSESSID={sid}", f"/winkel;jsessionid={sid}A", f"/winkel?sid={sid}&fbclid=x{sid}",
        f"/winkel?gclid={sid}&sessionid={sid}")))


def deeper(h: BaseHTTPRequestHandler) -> None:
    """Ever-deeper paths: each page links one folder further down, relatively."""
    send(h, 200, page("Dieper", "<a href='verder/'>verder</a>"))


def many_links(h: BaseHTTPRequestHandler) -> None:
    send(h, 200, page("Heel veel links",
                      "".join(f"<a href='/veel/{i}'>link {i}</a> " for i in range(MANY_LINKS))))


def chain(h: BaseHTTPRequestHandler) -> None:
    step = int(urlsplit(h.path).path.rsplit("/", 1)[1])
    target = f"/keten/{step + 1}" if step < CHAIN else "/"
    send(h, 301, b"", headers={"Location": target})


def big(h: BaseHTTPRequestHandler) -> None:
    filler = b"<p>" + b"x" * 1000 + b"</p>\n"
    body = b"<!doctype html><html><head><title>Groot</title></head><body>" + \
        filler * (BIG_PAGE // len(filler)) + b"</body></html>"
    send(h, 200, body)


def slow(h: BaseHTTPRequestHandler) -> None:
    time.sleep(TIMEOUT * 3)
    send(h, 200, page("Eindelijk"))


def dropped(h: BaseHTTPRequestHandler) -> None:
    """Closes the connection without an answer."""
    h.close_connection = True
    h.wfile.flush()
    h.connection.close()


def half_answer(h: BaseHTTPRequestHandler) -> None:
    """Promises 10,000 bytes and sends 100, then closes."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", "10000")
    h.end_headers()
    h.wfile.write(b"<html><title>half</title>" + b"x" * 75)
    h.close_connection = True
    h.wfile.flush()
    h.connection.close()


def busy_always(h: BaseHTTPRequestHandler) -> None:
    send(h, 429, page("Te veel verzoeken"), headers={"Retry-After": "1"})


_busy_once: set[str] = set()


def busy_once(h: BaseHTTPRequestHandler) -> None:
    """503 with Retry-After the first time, the page after that."""
    if h.path not in _busy_once:
        _busy_once.add(h.path)
        send(h, 503, page("Even geduld"), headers={"Retry-After": "1"})
    else:
        send(h, 200, page("Weer beschikbaar"))


# A page whose own script tries to send data as soon as it loads (in the audit's browser).
SELF_SENDING = """<form id='f' method='post' action='/verstuur'><input name='a' value='1'></form>
<script>
fetch('/api/opslaan', {method: 'POST', body: 'x=1'}).catch(() => {});
var x = new XMLHttpRequest(); x.open('PUT', '/api/opslaan'); x.send('y');
navigator.sendBeacon && navigator.sendBeacon('/api/baken', 'z');
setTimeout(function () { document.getElementById('f').submit(); }, 50);
</script>"""
CP1252_TITLE = "Café – ‘aanvraag’ € 10"
WEIRD_HREFS = [
    "/pagina met spatie", "/café", "/caf%C3%A9", "/CAF%c3%a9?b=2&a=1", "http://bücher.example/",
    "http://[::1", "http://127.0.0.1:99999/", "http:///geen-host", "ht tp://kapot", "%zz%",
    "/zoek?q=a+b&utm_campaign=x#resultaten", "javascript:alert(1)", "mailto:info@example.org",
    "//{host}/protocol-relatief", "relatief", "../omhoog", "?alleen=query", "#alleen-fragment",
]
FILES = {
    "pagina met spatie.html": page("Spatie"),
    "café.html": page("Café"),
    "protocol-relatief.html": page("Protocol-relatief"),
    "rare/relatief.html": page("Relatief"),
    "omhoog.html": page("Omhoog"),
    "basis/doel.html": page("Doel via base href"),
    "geheim/index.html": page("Geheim"),
    "robots.txt": "User-agent: *\nDisallow: /geheim/\n",
}


def hostile_routes(host: str, foreign_origin: str) -> Routes:
    weird = [h.replace("{host}", host) for h in WEIRD_HREFS]
    home = page("Gemeente Vijandig", links_to(
        "/agenda?maand=2026-01", "/winkel", "/diep/", "/lus-a", "/keten/1",
        "/rare/", "/base", "/cp1252", "/geen-charset", "/groot", "/binair", "/leeg", "/traag",
        "/afgebroken", "/half", "/druk", "/even-druk", "/xss", "/geheim/", "/formulier",
        "/stuurt-zelf",
        foreign_origin + "/buiten"))
    return Routes({
        "/": html(home),
        "/agenda": agenda,
        "/winkel*": shop,
        "/diep/*": deeper,
        "/veel-links": many_links,
        "/veel/*": html(page("Een van velen")),
        "/lus-a": redirect("/lus-b"),
        "/lus-b": redirect("/lus-a"),
        "/keten/*": chain,
        "/rare/": html(page("Rare links", links_to(*weird))),
        "/base": html(page("Base href", "<a href='doel'>doel</a>", head="<base href='/basis/'>")),
        "/cp1252": html(("<html><head><meta charset='windows-1252'><title>" + CP1252_TITLE +
                         "</title></head><body><h1>Caf\u00e9</h1></body></html>").encode("cp1252"),
                        content_type="text/html"),
        "/geen-charset": html(page("Zonder tekenset: ijsjes").replace(
            "<meta charset='utf-8'>", "").encode(), content_type="text/html"),
        "/groot": big,
        "/binair": html(os.urandom(50_000) + b"\x00\x00<a href='/uit-binair'>x</a>"),
        "/leeg": html(b""),
        "/traag": slow,
        "/afgebroken": dropped,
        "/half": half_answer,
        "/druk": busy_always,
        "/even-druk": busy_once,
        "/xss": html(page(XSS.replace("&amp;", "&amp;amp;"), links_to("/x?q=<b>") +
                          f"<a href='/xss-doel'>{XSS}</a>")),
        "/xss-doel": html(page("Doel")),
        "/stuurt-zelf": html(page("Stuurt zelf", SELF_SENDING)),
        "/formulier": html(page("Formulier", "<form method='post' action='/verstuur'>"
                                "<label for='n'>Naam</label><input id='n' name='n'>"
                                "<button>Verstuur</button></form>")),
    })


def foreign_routes() -> Routes:
    """Another site: may be checked, never crawled into."""
    return Routes({"/buiten": html(page("Buiten", links_to("/buiten/verder"))),
                   "/buiten/verder": html(page("Verder"))})


def crawler_paths(server: SiteServer) -> list[str]:
    """Paths the crawler asked for (the audit's browser loads the pages again, as a visitor)."""
    return [r.path for r in list(server.requests)
            if r.headers.get("User-Agent", "").startswith(CRAWLER)]


def unsafe_requests(servers: list[SiteServer]) -> list[str]:
    """What no server should ever have seen: a method besides GET and HEAD, a cookie or
    credentials, a path robots.txt disallows."""
    found = []
    for server in servers:
        for r in list(server.requests):
            sent = sorted(h for h in r.headers if h.lower() in ("cookie", "authorization"))
            if r.method not in ("GET", "HEAD") or sent or r.path.startswith("/geheim"):
                found.append(f"{r.method} {server.origin}{r.path} {' '.join(sent)}".strip())
    return found


def start(root, routes: dict | None = None, host: str = "127.0.0.1") -> SiteServer:
    server = SiteServer(root=root, routes=routes or {}, host=host).start()
    SERVERS.append(server)
    return server


def start_hostile(tmp_path) -> tuple[SiteServer, SiteServer]:
    """The hostile site and a foreign site (on the host name 'localhost') it links to."""
    root = write_files(tmp_path / "hostile", FILES)
    foreign = start(None, foreign_routes(), host="localhost")
    site = SiteServer(root=root, routes={})
    site.start()
    SERVERS.append(site)
    site.routes = hostile_routes(f"127.0.0.1:{site.port}", foreign.origin)
    return site, foreign


def config_text(server: SiteServer, script_timeout: float = 20, **site: object) -> str:
    """A site configuration for a hostile server, with short timeouts and small bounds."""
    values = {"name": "Vijandig", "start_urls": [server.url("/")], "allowed_domains": ["127.0.0.1"],
              "max_pages": 150, "max_depth": 12, "timeout": TIMEOUT, **site}

    def toml(value: object) -> str:
        if isinstance(value, str):
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if isinstance(value, list):
            return "[" + ", ".join(toml(v) for v in value) + "]"
        return str(value).lower() if isinstance(value, bool) else str(value)

    # Short audit limits too: a page too heavy for axe is a bounded "not audited".
    return "[site]\n" + "".join(f"{k} = {toml(v)}\n" for k, v in values.items()) + \
        f"[axe]\npage_timeout = 10\nscript_timeout = {script_timeout:g}\n" + \
        '[[task]]\nid = "agenda"\nname = "Agenda bekijken"\nmatch = ["^/agenda"]\n'
