"""A small municipal site whose pages contact third parties on other host names.

Chromium resolves every ``*.localhost`` name to loopback, so one server on 127.0.0.1 plays the
site and its third parties: the host a request was sent to is in its Host header. Known
exactly, so the tests can say what the privacy part must list:

- every page: a web font from ``fonts-cdn.localhost`` (stylesheet and font file), and the
  site's own cookie ``sessie`` (set by the site, a first party);
- /paspoort (the top task): a tracker script from ``tracker.localhost`` that sets the cookie
  ``_trk`` on the site's own domain and the localStorage key ``trk_id``, and sends a beacon
  image to ``beacon.localhost``, which sets the third-party cookie ``bcn``;
- /nieuws/bericht: a video frame from ``embed.localhost`` (which sets ``emb``) and a pixel
  from ``stats-blocked.localhost``, which the config blocks;
- /contact: a form that posts to ``localhost``, another host than the site's 127.0.0.1.
"""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

from nachtwacht.siteserver import SiteServer, send

THIRD_PARTIES = {"fonts-cdn.localhost", "tracker.localhost", "beacon.localhost",
                 "embed.localhost", "stats-blocked.localhost"}
BLOCKED = "stats-blocked.localhost"


def _port(handler: BaseHTTPRequestHandler) -> int:
    return handler.server.server_address[1]


def _page(title: str, body: str, port: int) -> str:
    return (f"<!doctype html><html lang='nl'><head><meta charset='utf-8'><title>{title}</title>"
            + add("link", rel="stylesheet", href="fonts-cdn.localhost/fonts/huisstijl.css")
            + f"</head><body><main><h1>{title}</h1>{body}</main></body></html>")


def add(tag: str, **attributes: str) -> str:
    """An inline tag snippet that adds an element loading from another host, as tag managers do.

    The crawler never sees these addresses (so it does not check them: Python cannot resolve
    ``*.localhost``), the browser loads them before the page's load event.
    """
    url_key = "href" if tag == "link" else "src"
    host, _, path = attributes.pop(url_key).partition("/")
    sets = "".join(f"e.setAttribute({name!r}, {value!r});" for name, value in attributes.items())
    return (f"<script>(function () {{ var e = document.createElement({tag!r}); {sets}"
            f"e.setAttribute({url_key!r}, 'http://{host}:' + location.port + '/{path}');"
            f"(document.body || document.head).appendChild(e); }})();</script>")


PAGES = {
    "/": ("Gemeente Privacystad", ("<p>Welkom.</p><ul><li><a href='/paspoort'>Paspoort</a></li>"
          "<li><a href='/nieuws/bericht'>Nieuws</a></li><li><a href='/contact'>Contact</a></li>"
          "</ul>")),
    "/paspoort": ("Paspoort aanvragen",
                  "<p>Maak een afspraak.</p>" + add("script", src="tracker.localhost/t.js")),
    "/nieuws/bericht": ("Nieuwsbericht",
                        "<p>De burgemeester opent de brug.</p>"
                        + add("iframe", title="Video", src="embed.localhost/video")
                        + add("img", alt="", src="stats-blocked.localhost/pixel.gif")),
    # another host the crawler can reach (Python resolves localhost): a third party all the same
    "/contact": ("Contact",
                 ("<form method='post' action='http://localhost:{port}/verstuur'>"
                  "<label for='v'>Vraag</label><input id='v' name='vraag'>"
                  "<button>Verstuur</button></form>")),
}
TRACKER = ("document.cookie = '_trk=1234; max-age=86400; path=/';"
           "localStorage.setItem('trk_id', 'bezoeker-42');"
           "new Image().src = 'http://beacon.localhost:{port}/collect.gif?p=' + location.pathname;")
GIF = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000"
                    "010001000002024401003b")
THIRD_PARTY_COOKIE = "; Max-Age=86400; Path=/; SameSite=None; Secure"


def _route(path: str, pages: dict):
    def serve(handler: BaseHTTPRequestHandler) -> None:
        title, body = pages[path]
        port = _port(handler)
        send(handler, 200, _page(title, body.replace("{port}", str(port)), port),
             headers={"Set-Cookie": "sessie=abc; Path=/; HttpOnly"})
    return serve


def _tracker(handler: BaseHTTPRequestHandler) -> None:
    send(handler, 200, TRACKER.replace("{port}", str(_port(handler))),
         content_type="application/javascript")


def _beacon(handler: BaseHTTPRequestHandler) -> None:
    send(handler, 200, GIF, content_type="image/gif",
         headers={"Set-Cookie": "bcn=xyz" + THIRD_PARTY_COOKIE})


def _video(handler: BaseHTTPRequestHandler) -> None:
    send(handler, 200, "<!doctype html><html lang='nl'><title>Video</title><p>Video</p></html>",
         headers={"Set-Cookie": "emb=v1" + THIRD_PARTY_COOKIE})


def _stylesheet(handler: BaseHTTPRequestHandler) -> None:
    port = _port(handler)
    css = (f"@font-face {{ font-family: Huisletter; src: url(http://fonts-cdn.localhost:{port}"
           f"/fonts/huisletter.woff2) format('woff2'); }} body {{ font-family: Huisletter; }}")
    send(handler, 200, css, content_type="text/css",
         headers={"Access-Control-Allow-Origin": "*"})


def _post_only(handler: BaseHTTPRequestHandler) -> None:
    send(handler, 405, "", headers={"Allow": "POST"})


def _gif(handler: BaseHTTPRequestHandler) -> None:
    send(handler, 200, GIF, content_type="image/gif")


def _font(handler: BaseHTTPRequestHandler) -> None:
    send(handler, 200, b"wOF2", content_type="font/woff2",
         headers={"Access-Control-Allow-Origin": "*"})


def routes(pages: dict | None = None) -> dict:
    """The site's routes; ``pages`` (path -> (title, body)) may be changed between runs."""
    pages = PAGES if pages is None else pages
    found = {path: _route(path, pages) for path in pages}
    found.update({"/t.js": _tracker, "/collect.gif": _beacon, "/video": _video,
                  "/fonts/huisstijl.css": _stylesheet, "/fonts/huisletter.woff2": _font,
                  "/pixel.gif": _gif, "/verstuur": _post_only})
    return found


def config(server: SiteServer) -> str:
    """The site config: the paspoort top task, and the block list with one test host."""
    return f"""
[site]
name = "Privacystad"
start_urls = ["{server.url('/')}"]
allowed_domains = ["127.0.0.1"]

[[task]]
id = "paspoort"
name = "Paspoort aanvragen"
rank = 1
match = ["^/paspoort"]

[browser]
block = ["{BLOCKED}"]
"""


def hosts_of(server: SiteServer) -> dict[str, list[str]]:
    """Host name -> paths asked of it (from the Host header of each logged request)."""
    found: dict[str, list[str]] = {}
    for request in list(server.requests):
        host = (request.headers.get("Host") or "").split(":")[0]
        found.setdefault(host, []).append(request.path)
    return found
