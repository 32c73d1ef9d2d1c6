"""Serving the benchmark site with Debian's nginx on a free loopback port.

One nginx, configured in a temporary folder: the site on 127.0.0.1:PORT and the
"external" host on 127.0.0.2:PORT. Clean URLs: ``/a/b`` is ``a/b/index.html``, without
a redirect. nginx is installed through apt when it is absent (we run as root here).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Self

NGINX = "/usr/sbin/nginx"

CONFIG = """
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 10000;
    # LinkChecker goes above 10 requests/s only for servers that send this header.
    add_header LinkChecker bench always;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {site};
        location / {{ try_files $uri $uri/index.html =404; }}
    }}
    server {{
        listen 127.0.0.2:{port};
        root {extern};
        location / {{ try_files $uri $uri/index.html =404; }}
    }}
}}
"""


def free_port() -> int:
    """A TCP port free on both loopback addresses the benchmark uses."""
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        try:
            with socket.socket() as other:
                other.bind(("127.0.0.2", port))
            return port
        except OSError:
            continue


def ensure_nginx() -> str:
    """Path of nginx, installing Debian's nginx-light when it is missing."""
    if not Path(NGINX).exists():
        subprocess.run(["apt-get", "install", "-y", "-q", "nginx-light"], check=True,
                       stdout=subprocess.DEVNULL)
    return NGINX


class Nginx:
    """A running nginx for one generated site; a context manager."""

    def __init__(self, site: Path, extern: Path, port: int):
        self.site, self.extern, self.port = site, extern, port
        self.origin = f"http://127.0.0.1:{port}"
        self.external = f"http://127.0.0.2:{port}"

    def __enter__(self) -> Self:
        self.tmp = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
        conf = self.tmp / "nginx.conf"
        conf.write_text(CONFIG.format(tmp=self.tmp, port=self.port, site=self.site.resolve(),
                                      extern=self.extern.resolve()), encoding="utf-8")
        self.process = subprocess.Popen([ensure_nginx(), "-c", str(conf), "-p", str(self.tmp)],
                                        stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                urllib.request.urlopen(self.origin + "/robots.txt", timeout=1).read()
                return self
            except OSError:
                time.sleep(0.05)
        self.__exit__()
        raise RuntimeError(f"nginx did not start; see {self.tmp}/error.log")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.tmp, ignore_errors=True)
