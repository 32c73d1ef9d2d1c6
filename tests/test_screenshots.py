"""Pictures of violations: taken in the same browser visit, the element outlined, bounded in
size, stored beside the report and shown on the page's detail, reused when nothing changed."""

from __future__ import annotations

import io
import json
from pathlib import Path

from PIL import Image

from tests.conftest import page
from tests.helpers import nachtwacht

OUTLINE = (212, 0, 143)     # audits/checks/screenshot.js: #d4008f


def run(config: Path, out: Path) -> dict:
    done = nachtwacht("run", "--config", config, "--out", out)
    assert done.returncode == 0, done.stderr
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


def test_a_violation_on_a_toptaak_page_gets_an_outlined_picture(make_site, tmp_path):
    filler = "".join(f"<p>Alinea {n} over het paspoort.</p>" for n in range(30))
    server = make_site({
        "index.html": page("Home", '<a href="/paspoort">Paspoort</a>'),
        "paspoort.html": page("Paspoort", filler + '<img src="/foto.png" width="120" '
                                                   'height="80" style="background:#8ab">'),
        "foto.png": b"",
    })
    config = tmp_path / "site.toml"
    config.write_text(f'[site]\nname = "Stad"\nstart_urls = ["{server.url("/")}"]\n\n'
                      '[[task]]\nid = "paspoort"\nname = "Paspoort"\nmatch = ["/paspoort"]\n',
                      encoding="utf-8")
    results = run(config, tmp_path / "out")
    [shot] = [s for s in results["screenshots"] if s["rule"] == "image-alt"]
    assert shot["url"].endswith("/paspoort") and shot["target"] == "img"
    stored = tmp_path / "out" / "screenshots" / shot["file"]
    picture = Image.open(io.BytesIO(stored.read_bytes()))
    assert picture.format == "JPEG"
    assert picture.width <= 800 and picture.height <= 400
    pixels = list(picture.convert("RGB").get_flattened_data())
    assert sum(1 for p in pixels if all(abs(a - b) < 40 for a, b in zip(p, OUTLINE))) > 100
    report = tmp_path / "out" / "report"
    assert (report / "schermafbeeldingen" / shot["file"]).read_bytes() == stored.read_bytes()
    details = " ".join(p.read_text(encoding="utf-8") for p in (report / "pagina").glob("*.html"))
    assert f'src="../schermafbeeldingen/{shot["file"]}"' in details

    again = run(config, tmp_path / "out")         # unchanged: no visit, the same picture
    assert again["screenshots"] == results["screenshots"]
    assert (tmp_path / "out" / "report" / "schermafbeeldingen" / shot["file"]).exists()
