"""The demo: serve the embedded Voorbeeldstad site on 127.0.0.1 and run against it."""

from __future__ import annotations

from pathlib import Path

from core import config
from nachtwacht.nightly import guarded_run
from nachtwacht.siteserver import SiteServer

# Package data (pyproject.toml), so that an installed nachtwacht can run the demo anywhere.
VOORBEELDSTAD = Path(__file__).resolve().parent / "voorbeeldstad"
DEMO_SITE = VOORBEELDSTAD / "site"
DEMO_CONFIG = VOORBEELDSTAD / "voorbeeldstad.toml"


DEMO_PORT = 8765      # the same port every time, so that runs compare page by page


def demo_server() -> SiteServer:
    """Voorbeeldstad on its usual port, or on a free one when that is taken."""
    try:
        return SiteServer(root=DEMO_SITE, port=DEMO_PORT).start()
    except OSError:
        return SiteServer(root=DEMO_SITE).start()


def run_demo(out: Path, lang: str = "nl", verbose: bool = False) -> dict:
    server = demo_server()
    try:
        site = config.load(DEMO_CONFIG, start_url=server.url("/")).with_start_url(server.url("/"))
        print(f"Voorbeeldstad draait op {server.url('/')}; de controle begint.")
        results = guarded_run(site, out, lang=lang, verbose=verbose)
    finally:
        server.stop()
    print(f"Klaar: {results['summary']['pages']} pagina's bekeken.")
    print(f"Rapport: {(out / 'report' / 'index.html').resolve()}")
    return results
