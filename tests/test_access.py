"""Protected sites: headers, cookies and basic auth from the environment, for the site only."""

from __future__ import annotations

import base64
import json
import os
import sqlite3

import pytest

from nachtwacht import notify
from nachtwacht.siteserver import SiteServer, send
from tests.conftest import page
from tests.helpers import QUICK_CHECKS, nachtwacht, results_of

SECRET = "geheim-wachtwoord-42"
LITERAL = "letterlijk-geheim-99"          # written into the config itself, not from the environment
WEBHOOK_TOKEN = "webhook-token-77"        # the secret part of a webhook URL is its path
EXPECTED_AUTH = "Basic " + base64.b64encode(f"acceptatie:{SECRET}".encode()).decode()


@pytest.fixture
def protected_site(make_site, tmp_path):
    outside = SiteServer(host="127.0.0.2", root=tmp_path).start()

    def guarded(handler) -> None:
        if handler.headers.get("Authorization") != EXPECTED_AUTH:
            send(handler, 401, "inloggen", headers={"WWW-Authenticate": 'Basic realm="acc"'})
            return
        links = f'<a href="/binnen">Binnen</a> <a href="{outside.url("/extern")}">Extern</a>'
        send(handler, 200, page("Acceptatie", f"<nav>{links}</nav>"))

    server = make_site({"binnen.html": page("Binnen")}, routes={"/": guarded})
    config = tmp_path / "acc.toml"
    config.write_text(
        f'[site]\nname = "Acceptatie"\nstart_urls = ["{server.url("/")}"]\n'
        f'webhook_url = "http://hooks.localhost:9/services/{WEBHOOK_TOKEN}"\n'
        '[access]\nusername = "acceptatie"\npassword_env = "ACC_WACHTWOORD"\n'
        f'headers = ["X-Omgeving: acceptatie", "X-Token: $ACC_TOKEN", "X-Sleutel: {LITERAL}"]\n'
        'cookies = ["toestemming=ja"]\n' + QUICK_CHECKS, encoding="utf-8")
    yield server, outside, config
    outside.stop()


def test_protected_site_is_crawled_with_its_credentials_and_they_stay_secret(
        protected_site, tmp_path):
    server, outside, config = protected_site
    out = tmp_path / "out"
    done = nachtwacht("run", "--config", config, "--out", out,
                      extra_env={"ACC_WACHTWOORD": SECRET, "ACC_TOKEN": "token-7"})
    assert done.returncode == 0, done.stderr
    pages = {p["url"]: p["status"] for p in results_of(out)["pages"]}
    assert pages[server.url("/")] == 200 and pages[server.url("/binnen")] == 200
    own = [r for r in server.requests if r.path in ("/", "/binnen")]
    assert own and all(r.headers.get("Authorization") == EXPECTED_AUTH and
                       r.headers.get("X-Omgeving") == "acceptatie" and
                       r.headers.get("X-Token") == "token-7" and
                       r.headers.get("X-Sleutel") == LITERAL and
                       r.headers.get("Cookie") == "toestemming=ja" for r in own)
    # The external link is checked, without the site's credentials.
    assert outside.requests
    assert not any({"Authorization", "X-Token", "Cookie"} & set(r.headers)
                   for r in outside.requests)
    for path in [out / "nachtwacht.db", out / "results.json", out / "nachtwacht.log",
                 *(out / "report").rglob("*")]:
        if path.is_file():
            data = path.read_bytes()
            for secret in (SECRET, "token-7", LITERAL, WEBHOOK_TOKEN):
                assert secret.encode() not in data, (secret, path)
    with sqlite3.connect(out / "nachtwacht.db") as db:
        settings = json.loads(db.execute("select settings from runs").fetchone()[0])
    assert settings["webhook_host"] == "hooks.localhost"
    assert settings["access"] == {
        "headers": {"X-Omgeving": "(vaste waarde)", "X-Token": "$ACC_TOKEN",
                    "X-Sleutel": "(vaste waarde)"},
        "cookies": {"toestemming": "(vaste waarde)"}, "password_env": "ACC_WACHTWOORD"}


def test_a_failing_webhook_is_logged_by_its_host_only(caplog):
    assert not notify.send(f"http://127.0.0.1:9/services/{WEBHOOK_TOKEN}", {"text": "test"})
    assert "127.0.0.1" in caplog.text and WEBHOOK_TOKEN not in caplog.text


def test_a_missing_secret_is_a_configuration_error(protected_site, tmp_path):
    _, _, config = protected_site
    env = {k: v for k, v in os.environ.items() if k not in ("ACC_WACHTWOORD", "ACC_TOKEN")}
    done = nachtwacht("run", "--config", config, "--out", tmp_path / "out", env=env)
    assert done.returncode == 2
    assert done.stderr.strip() == ("nachtwacht: access.headers: omgevingsvariabele ACC_TOKEN "
                                   "is niet gezet")
    assert not (tmp_path / "out" / "nachtwacht.db").exists()


def test_the_browser_gets_the_same_headers(protected_site):
    from audits.browser import Browser
    from core.access import prepare_browser

    server, _, _ = protected_site
    settings = {"username": "acceptatie", "password_env": "ACC_WACHTWOORD",
                "headers": ["X-Token: $ACC_TOKEN"]}
    browser = Browser.start()
    try:
        prepare_browser(browser.driver, settings,
                        environ={"ACC_WACHTWOORD": SECRET, "ACC_TOKEN": "token-7"})
        browser.driver.get(server.url("/"))
        assert browser.driver.title == "Acceptatie"
    finally:
        browser.close()
    home = [r for r in server.requests if r.path == "/"]
    assert home and home[-1].headers.get("Authorization") == EXPECTED_AUTH
    assert home[-1].headers.get("X-Token") == "token-7"
