"""Several sites in one night, and the webhook notification."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import page
from tests.helpers import QUICK_CHECKS, nachtwacht, results_of


def site_config(path, name: str, start_url: str, extra: str = "") -> None:
    path.write_text(f'[site]\nname = "{name}"\nstart_urls = ["{start_url}"]\n{extra}'
                    + QUICK_CHECKS, encoding="utf-8")


def test_several_configs_run_one_after_the_other_into_their_own_folders(make_site, tmp_path):
    north = make_site({"index.html": page("Noorddorp", '<a href="/afval">Afval</a>'),
                       "afval.html": page("Afval")})
    south = make_site({"index.html": page("Zuidstad")})
    site_config(tmp_path / "noord.toml", "Noord Dorp", north.url("/"))
    site_config(tmp_path / "zuid.toml", "Zuidstad", south.url("/"))
    out = tmp_path / "out"
    done = nachtwacht("run", "--config", tmp_path / "noord.toml", "--config",
                      tmp_path / "zuid.toml", "--out", out)
    assert done.returncode == 0, done.stderr
    assert results_of(out / "noord-dorp")["run"]["site"] == "Noord Dorp"
    assert len(results_of(out / "noord-dorp")["pages"]) == 2
    assert results_of(out / "zuidstad")["run"]["site"] == "Zuidstad"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="noord-dorp/report/index.html">Noord Dorp</a>' in index
    assert 'href="zuidstad/report/kcc.html"' in index


def test_one_bad_config_stops_before_any_site_runs(make_site, tmp_path):
    north = make_site({"index.html": page("Noorddorp")})
    site_config(tmp_path / "noord.toml", "Noord", north.url("/"))
    (tmp_path / "kapot.toml").write_text("[site]\nmax_pages = 'veel'\n", encoding="utf-8")
    done = nachtwacht("run", "--config", tmp_path / "noord.toml", "--config",
                      tmp_path / "kapot.toml", "--out", tmp_path / "out")
    assert done.returncode == 2
    assert "kapot.toml" in done.stderr and "Traceback" not in done.stderr
    assert north.requests == []


@pytest.fixture
def webhook():
    received: list[tuple[str, str, dict]] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.command, self.path, json.loads(body)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/melding", received
    server.shutdown()
    server.server_close()


def test_webhook_is_posted_only_when_a_letter_url_breaks(make_site, tmp_path, webhook):
    url, received = webhook
    site = make_site({"index.html": page("Home"), "kwijtschelding.html": page("Kwijtschelding")})
    config = tmp_path / "site.toml"
    site_config(config, "Briefstad", site.url("/"),
                f'webhook_url = "{url}"\n[[letter]]\nurl = "/kwijtschelding"\n'
                'note = "Brief kwijtschelding"\n')
    out = tmp_path / "out"
    assert nachtwacht("run", "--config", config, "--out", out).returncode == 0
    assert received == []                          # nothing got worse on the first night
    (site.root / "kwijtschelding.html").unlink()
    second = nachtwacht("run", "--config", config, "--out", out)
    assert second.returncode == 0, second.stderr
    assert len(received) == 1
    method, path, body = received[0]
    assert (method, path) == ("POST", "/melding")
    assert body["site"] == "Briefstad" and body["run"] == 2
    assert body["letters_broken"] == [site.url("/kwijtschelding")]
    assert "adressen uit brieven werken niet meer" in body["text"]
    # The site itself only ever got GET and HEAD requests.
    assert {r.method for r in site.requests} <= {"GET", "HEAD"}
