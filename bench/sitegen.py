"""A synthetic municipal website for the benchmark: "Gemeente Bankstad".

Deterministic (seeded): the same arguments give the same files. Every page has the
site's menus (header, footer, breadcrumb, the pages beside it) and a few links into
other parts of the site, about 30 links a page. Planted on purpose, and counted in
``manifest.json``: accessibility violations, broken internal links, links to an
"external" host (127.0.0.2, served by the same server), PDF documents, a few pages that
only the sitemap knows (orphans).

    python bench/sitegen.py OUT_DIR --origin http://127.0.0.1:8080 [--pages 2000]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

DEMO_SITE = Path(__file__).resolve().parents[1] / "nachtwacht" / "voorbeeldstad" / "site"
SECTIONS = [
    ("burgerzaken", "Burgerzaken"), ("afval", "Afval"), ("wonen", "Wonen en bouwen"),
    ("parkeren", "Parkeren"), ("belastingen", "Belastingen"), ("werk-en-inkomen", "Werk en inkomen"),
    ("zorg", "Zorg en hulp"), ("verkeer", "Verkeer en vervoer"), ("bestuur", "Bestuur"),
    ("ondernemen", "Ondernemen"), ("sport-en-cultuur", "Sport en cultuur"), ("melden", "Melden"),
]
TOPICS = ["aanvragen", "wijzigen", "kosten", "voorwaarden", "regels", "subsidie", "vergunning",
          "melding", "informatie", "afspraak", "bezwaar", "ontheffing", "tarieven", "loket",
          "formulier", "overzicht", "veelgestelde-vragen", "nieuws", "planning", "contact"]
WORDS = ["de", "gemeente", "u", "uw", "aanvraag", "formulier", "online", "regelen",
         "afspraak", "loket", "kosten", "binnen", "werkdagen", "bewijs", "identiteit",
         "adres", "wijk", "straat", "buurt", "inwoners", "college", "raad", "besluit",
         "regels", "vergunning", "melding", "afval", "container", "parkeren", "zone",
         "belasting", "aanslag", "kwijtschelding", "hulp", "zorg", "ondersteuning", "werk",
         "uitkering"]
FOOTER = [("/contact", "Contact"), ("/privacy", "Privacyverklaring"),
          ("/toegankelijkheid", "Toegankelijkheid"), ("/zoeken", "Zoeken"),
          ("/nieuws", "Nieuws")]
# Planted violations: axe rule -> share of pages that get it.
PLANTS = {"image-alt": 0.06, "label": 0.03, "color-contrast": 0.04, "link-name": 0.02,
          "html-has-lang": 0.01, "button-name": 0.01}


@dataclass
class Page:
    path: str
    title: str
    section: int | None = None
    parent: str | None = None
    children: list[str] = field(default_factory=list)
    plants: list[str] = field(default_factory=list)
    extra_links: list[tuple[str, str]] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)


def _title(slug: str) -> str:
    return slug.replace("-", " ").capitalize()


def plan(total: int, seed: int) -> dict[str, Page]:
    """The site's pages and their hierarchy: home, sections, subsections, leaf pages."""
    rng = random.Random(seed)
    pages: dict[str, Page] = {"/": Page("/", "Home")}
    for path, title in FOOTER:
        pages[path] = Page(path, title, parent="/")
    subsections: list[str] = []
    for index, (slug, title) in enumerate(SECTIONS):
        section = f"/{slug}"
        pages[section] = Page(section, title, index, "/")
        pages["/"].children.append(section)
        for sub in rng.sample(TOPICS, 8):
            path = f"{section}/{sub}"
            pages[path] = Page(path, f"{title}: {_title(sub)}", index, section)
            pages[section].children.append(path)
            subsections.append(path)
    number = 0
    while len(pages) < total:
        parent = subsections[number % len(subsections)]
        path = f"{parent}/{rng.choice(TOPICS)}-{number}"
        pages[path] = Page(path, f"{_title(path.rsplit('/', 1)[1])} ({pages[parent].title})",
                           pages[parent].section, parent)
        pages[parent].children.append(path)
        number += 1
    return pages


def plant(pages: dict[str, Page], seed: int, external: str) -> dict:
    """Put violations, broken links, external links and documents on pages; returns counts."""
    rng = random.Random(seed + 1)
    paths = sorted(pages)
    counts: dict[str, int] = {}
    for rule, share in PLANTS.items():
        for path in rng.sample(paths, max(1, int(share * len(paths)))):
            pages[path].plants.append(rule)
        counts[rule] = max(1, int(share * len(paths)))
    broken_targets = [f"/oud/{rng.choice(TOPICS)}-{n}" for n in range(60)]
    broken = 0
    for path in rng.sample(paths, len(paths) // 10):
        target = rng.choice(broken_targets)
        pages[path].extra_links.append((target, "Meer over " + _title(target.rsplit("/", 1)[1])))
        broken += 1
    external_links = {"ok": 0, "broken": 0}
    for path in rng.sample(paths, len(paths) // 20):
        name = rng.choice(["rijksoverheid", "belastingdienst", "omgevingsloket", "kvk"])
        ok = rng.random() < 0.7
        target = f"{external}/{name}/" + ("" if ok else f"verdwenen-{rng.randrange(10)}")
        pages[path].extra_links.append((target, f"Website {name}"))
        external_links["ok" if ok else "broken"] += 1
    documents = [f"/documenten/{rng.choice(TOPICS)}-{n}.pdf" for n in range(40)]
    for path in rng.sample(paths, len(paths) // 15):
        pages[path].documents.append(rng.choice(documents))
    for path in paths:
        for target in rng.sample(paths, 3):
            pages[path].extra_links.append((target, pages[target].title))
    return {"violations": counts, "pages_with_violations":
            sum(1 for p in pages.values() if p.plants), "broken_internal_links": broken,
            "broken_internal_targets": len({t for p in pages.values()
                                            for t, _ in p.extra_links if t.startswith("/oud/")}),
            "external_links": external_links, "documents": sorted(set(documents))}


def _text(rng: random.Random, words: int) -> str:
    sentence = " ".join(rng.choice(WORDS) for _ in range(words))
    return sentence[:1].upper() + sentence[1:] + "."


def render(page: Page, pages: dict[str, Page], site_name: str, seed: int) -> str:
    """One page's HTML."""
    rng = random.Random(f"{seed}:{page.path}")
    lang = "" if "html-has-lang" in page.plants else ' lang="nl"'
    menu = "".join(f'<li><a href="/{slug}">{escape(title)}</a></li>' for slug, title in SECTIONS)
    crumbs, up = [], page.parent
    while up:
        crumbs.insert(0, f'<li><a href="{up}">{escape(pages[up].title)}</a></li>')
        up = pages[up].parent
    siblings = pages[page.parent].children if page.parent else []
    beside = [p for p in siblings if p != page.path][:8]
    side = "".join(f'<li><a href="{p}">{escape(pages[p].title)}</a></li>' for p in beside)
    own = "".join(f'<li><a href="{p}">{escape(pages[p].title)}</a></li>'
                  for p in page.children[:40])
    related = "".join(f'<li><a href="{escape(t)}">{escape(text)}</a></li>'
                      for t, text in page.extra_links)
    docs = "".join(f'<li><a href="{d}">{escape(_title(d.rsplit("/", 1)[1]))} (pdf)</a></li>'
                   for d in page.documents)
    body = [f"<p class='intro'>{_text(rng, 25)}</p>"]
    for _ in range(rng.randrange(3, 7)):
        body.append(f"<h2>{escape(_text(rng, 3)[:-1])}</h2><p>{_text(rng, 60)}</p>"
                    f"<p>{_text(rng, 40)}</p>")
    if "image-alt" in page.plants:
        body.append('<p><img src="/img/foto.svg" width="300" height="200"></p>')
    if "color-contrast" in page.plants:
        body.append(f'<p style="color:#c8c8c8;background:#fff">{_text(rng, 12)}</p>')
    if "link-name" in page.plants:
        body.append(f'<p><a href="{page.parent or "/"}"><img src="/img/pijl.svg" alt=""></a></p>')
    if "button-name" in page.plants:
        body.append('<p><button type="button" class="sluit"></button></p>')
    if "label" in page.plants:
        body.append(f'<form action="{page.path}" method="get"><p>Uw postcode</p>'
                    '<input type="text" name="postcode"><button type="submit">Zoek</button></form>')
    return f"""<!doctype html>
<html{lang}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(page.title)} - {escape(site_name)}</title>
<link rel="stylesheet" href="/css/stijl.css">
</head>
<body>
<header class="kop">
<a class="skiplink" href="#inhoud">Direct naar de inhoud</a>
<a class="logo" href="/"><img src="/img/logo.svg" alt="" width="40" height="40"> <span>{escape(site_name)}</span></a>
<nav class="hoofdmenu" aria-label="Hoofdmenu"><ul><li><a href="/">Home</a></li>{menu}</ul></nav>
</header>
<nav aria-label="Kruimelpad"><ol>{"".join(crumbs)}</ol></nav>
<div class="breed">
<main id="inhoud" tabindex="-1">
<h1>{escape(page.title)}</h1>
{"".join(body)}
{f'<h2>In dit onderdeel</h2><ul>{own}</ul>' if own else ""}
{f'<h2>Zie ook</h2><ul>{related}</ul>' if related else ""}
{f'<h2>Documenten</h2><ul>{docs}</ul>' if docs else ""}
</main>
{f'<nav aria-label="Ook in dit onderdeel"><ul>{side}</ul></nav>' if side else ""}
</div>
<footer><ul>{"".join(f'<li><a href="{p}">{t}</a></li>' for p, t in FOOTER)}</ul></footer>
</body>
</html>
"""


def _write(root: Path, url_path: str, content: str | bytes) -> None:
    # Clean URLs: /a/b is served from a/b/index.html (see bench/server.py).
    target = root / url_path.strip("/") / "index.html" if not Path(url_path).suffix \
        else root / url_path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")


PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]"
       b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
EXTERNAL_PAGE = "<!doctype html><html lang='nl'><head><title>Extern</title></head><body>" \
                "<main><h1>Externe website</h1></main></body></html>"


def generate(out: Path, origin: str, external: str, total: int = 2000, seed: int = 8,
             site_name: str = "Gemeente Bankstad", orphans: int = 10) -> dict:
    """Write the site into ``out/site`` and the external host into ``out/extern``."""
    if out.exists():
        shutil.rmtree(out)
    root, extern = out / "site", out / "extern"
    pages = plan(total, seed)
    manifest = plant(pages, seed, external)
    orphan_paths = [f"/archief/oude-pagina-{n}" for n in range(orphans)]
    for path, page in pages.items():
        _write(root, path, render(page, pages, site_name, seed))
    for path in orphan_paths:
        _write(root, path, render(Page(path, _title(path.rsplit("/", 1)[1]), parent="/"),
                                  pages, site_name, seed))
    for document in manifest["documents"]:
        _write(root, document, PDF)
    (root / "css").mkdir()
    shutil.copy(DEMO_SITE / "css" / "stijl.css", root / "css" / "stijl.css")
    (root / "img").mkdir()
    for name in ("logo.svg", "pijl.svg"):
        shutil.copy(DEMO_SITE / "img" / name, root / "img" / name)
    shutil.copy(DEMO_SITE / "img" / "park-de-linde.svg", root / "img" / "foto.svg")
    (root / "robots.txt").write_text(
        f"User-agent: *\nDisallow: /intern/\n\nSitemap: {origin}/sitemap.xml\n", encoding="utf-8")
    locs = [*pages, *orphan_paths]
    (root / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "".join(f"  <url><loc>{origin}{p}</loc></url>\n" for p in locs)
        + "</urlset>\n", encoding="utf-8")
    for name in ("rijksoverheid", "belastingdienst", "omgevingsloket", "kvk"):
        _write(extern, f"/{name}/", EXTERNAL_PAGE)
    manifest.update(pages=len(pages), orphans=orphan_paths, sitemap_urls=len(locs),
                    links=sum(_count_links(root / p.strip("/") / "index.html") for p in pages),
                    origin=origin, external=external)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def _count_links(path: Path) -> int:
    return path.read_text(encoding="utf-8").count("<a href=")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--origin", default="http://127.0.0.1:8080")
    parser.add_argument("--external", default="http://127.0.0.2:8080")
    parser.add_argument("--pages", type=int, default=2000)
    args = parser.parse_args()
    manifest = generate(args.out, args.origin, args.external, args.pages)
    print(json.dumps({k: v for k, v in manifest.items() if k not in ("documents", "orphans")},
                     indent=2))


if __name__ == "__main__":
    main()
