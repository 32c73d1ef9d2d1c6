"""What the privacy recording costs per page, in the real audit browser.

Loads pages of tests/privacy_site.py (and a heavy page: 300 images from 30 hosts) in one
browser, the way the audit does, and times the privacy check's two steps apart from the
page load: ``before_load`` (clearing cookies) and ``run`` (the network log, the cookie
store, one script for storage keys and cookie setters, clearing storage). The load itself
is not repeated by the check; the browser's network log is on for every audit anyway.

    .venv/bin/python bench/privacy_overhead.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from audits.browser import Browser
from audits.checks.base import CheckContext
from audits.checks.privacy import PrivacyCheck
from nachtwacht.siteserver import SiteServer, send
from tests import privacy_site


def heavy(handler) -> None:
    port = handler.server.server_address[1]
    images = "".join(f"<img alt='' src='http://host{i % 30}.localhost:{port}/pixel.gif?n={i}'>"
                     for i in range(300))
    send(handler, 200, f"<!doctype html><html lang='nl'><title>Zwaar</title>{images}</html>")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    routes = {**privacy_site.routes(), "/zwaar": heavy}
    check = PrivacyCheck()
    with SiteServer(routes=routes) as server:
        browser = Browser.start(site=("127.0.0.1",))
        try:
            driver = browser.driver
            check.prepare(driver)
            for path in ("/paspoort", "/nieuws/bericht", "/zwaar"):
                url = server.url(path)
                load, before, run, hosts = [], [], [], 0
                for _ in range(args.rounds):
                    started = time.perf_counter()
                    check.before_load(driver)
                    browser.new_page()
                    cleared = time.perf_counter()
                    driver.get(url)
                    loaded = time.perf_counter()
                    context = CheckContext(url=url, final_url=url, deadline=loaded + 10,
                                           requests=browser.requests)
                    check.run(driver, context)
                    done = time.perf_counter()
                    before.append((cleared - started) * 1000)
                    load.append((loaded - cleared) * 1000)
                    run.append((done - loaded) * 1000)
                    hosts = len(context.facts["privacy"]["hosts"])
                print(f"{path:16} hosts {hosts:3}  load {statistics.median(load):7.1f} ms  "
                      f"before_load {statistics.median(before):5.1f} ms  "
                      f"record {statistics.median(run):6.1f} ms  (medians of {args.rounds})")
        finally:
            browser.close()


if __name__ == "__main__":
    main()
