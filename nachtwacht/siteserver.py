"""A small real web server for the demo site and the test sites.

Serves a folder of static files on 127.0.0.1 with clean URLs (``/a/b`` is
``a/b``, ``a/b.html`` or ``a/b/index.html``), redirects from ``_redirects.txt``,
``__ORIGIN__`` replaced by the real origin in text files, optional extra routes
for behaviour that static files cannot show, and a log of every request.
"""

from __future__ import annotations

import mimetypes
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self
from urllib.parse import unquote, urlsplit

Route = Callable[[BaseHTTPRequestHandler], None]
TEXT_SUFFIXES = {".xml", ".txt"}


@dataclass
class LoggedRequest:
    method: str
    path: str
    headers: dict[str, str]


@dataclass
class SiteServer:
    """A running site; use as a context manager or call ``start``/``stop``."""

    root: Path | None = None
    routes: dict[str, Route] = field(default_factory=dict)
    host: str = "127.0.0.1"
    port: int = 0
    quiet: bool = True
    requests: list[LoggedRequest] = field(default_factory=list)

    def start(self) -> Self:
        handler = _make_handler(self)
        self._httpd = ThreadingHTTPServer((self.host, self.port), handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.origin + path

    def paths(self, method: str | None = None) -> list[str]:
        """Paths requested so far, optionally only those of one method."""
        return [r.path for r in list(self.requests) if method in (None, r.method)]

    def redirects(self) -> dict[str, tuple[str, int]]:
        if self.root is None or not (self.root / "_redirects.txt").exists():
            return {}
        table = {}
        for line in (self.root / "_redirects.txt").read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) >= 2 and not parts[0].startswith("#"):
                table[parts[0]] = (parts[1], int(parts[2]) if len(parts) > 2 else 301)
        return table

    def find_file(self, path: str) -> Path | None:
        if self.root is None:
            return None
        relative = unquote(path).lstrip("/")
        base = (self.root / relative).resolve()
        if not base.is_relative_to(self.root.resolve()):
            return None
        for candidate in (base, base.with_name(base.name + ".html"), base / "index.html"):
            if candidate.is_file() and not candidate.name.startswith("_"):
                return candidate
        return None


def _make_handler(site: SiteServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args) -> None:
            if not site.quiet:
                super().log_message(format, *args)

        def _log(self) -> str:
            path = urlsplit(self.path).path or "/"
            site.requests.append(LoggedRequest(self.command, self.path, dict(self.headers)))
            return path

        def do_GET(self) -> None:
            self._serve(body=True)

        def do_HEAD(self) -> None:
            self._serve(body=False)

        def do_POST(self) -> None:
            self._log()
            self.send_error(405)

        do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_POST

        def _serve(self, body: bool) -> None:
            path = self._log()
            if path in site.routes:
                site.routes[path](self)
                return
            redirect = site.redirects().get(path.rstrip("/") or "/")
            if redirect:
                target, status = redirect
                self.send_response(status)
                self.send_header("Location", target)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            file = site.find_file(path)
            if file is None:
                self.send_error(404)
                return
            data = file.read_bytes()
            if file.suffix in TEXT_SUFFIXES:
                data = data.replace(b"__ORIGIN__", site.origin.encode())
            ctype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            if ctype.startswith("text/") or ctype in ("application/xml", "image/svg+xml"):
                ctype += "; charset=utf-8"
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if body:
                self.wfile.write(data)

    return Handler


def send(handler: BaseHTTPRequestHandler, status: int, body: str | bytes = b"",
         content_type: str = "text/html; charset=utf-8", headers: dict | None = None) -> None:
    """Answer a request from a custom route."""
    data = body.encode() if isinstance(body, str) else body
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(data)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    if handler.command != "HEAD":
        handler.wfile.write(data)
