"""The demo: serve the embedded Voorbeeldstad site on 127.0.0.1 and run against it."""

from __future__ import annotations

from pathlib import Path

from nachtwacht import config
from nachtwacht.nightly import guarded_run
from nachtwacht.siteserver import SiteServer

REPO = Path(__file__).resolve().parents[1]
DEMO_SITE = REPO / "demo" / "site"
DEMO_CONFIG = REPO / "config" / "voorbeeldstad.toml"


def run_demo(out: Path, lang: str = "nl", verbose: bool = False) -> dict:
    with SiteServer(root=DEMO_SITE) as server:
        site = config.load(DEMO_CONFIG, start_url=server.url("/")).with_start_url(server.url("/"))
        print(f"Voorbeeldstad draait op {server.url('/')}; de controle begint.")
        results = guarded_run(site, out, lang=lang, verbose=verbose)
    print(f"Klaar: {results['summary']['pages']} pagina's bekeken.")
    print(f"Rapport: {(out / 'report' / 'index.html').resolve()}")
    return results
