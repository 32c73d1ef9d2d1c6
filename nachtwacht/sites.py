"""Several sites in one night: each configuration runs in its own process (Twisted's reactor
cannot restart), one after the other, into OUT/<site>/; OUT/index.html links them all."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from core import config, store

MESSAGES = Path(__file__).resolve().parents[1] / "reports" / "messages" / "sites.toml"


def folder_name(name: str, taken: set[str]) -> str:
    """A folder name from the site name: lower case, letters, digits and dashes, unique."""
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "site"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def child_command(args, config_path: Path, out: Path) -> list[str]:
    """The ``nachtwacht run`` command for one site, with the options given for all."""
    command = [sys.executable, "-m", "nachtwacht.cli", *(["-v"] if args.verbose else []),
               "run", "--config", str(config_path), "--out", str(out), "--lang", args.lang]
    if args.full:
        command.append("--full")
    if args.fail_on_new:
        command.append("--fail-on-new")
    for option, value in (("--fail-under", args.fail_under), ("--max-pages", args.max_pages),
                          ("--browsers", args.browsers)):
        if value is not None:
            command += [option, str(value)]
    return command


def site_entry(name: str, folder: str, out: Path, code: int) -> dict:
    """One row of the index: the site's latest results, if this night's run produced any."""
    entry = {"name": name, "folder": folder, "exit_code": code, "run": None, "score": None,
             "pages": None, "new_violations": None, "new_broken_links": None}
    path = out / "results.json"
    if code in (0, 1) and path.exists():
        results = json.loads(path.read_text(encoding="utf-8"))
        changes = results.get("changes") or {}
        entry.update(run=results["run"]["id"], score=(results.get("score") or {}).get("site"),
                     pages=results["run"].get("pages_crawled"),
                     new_violations=len(changes.get("new_violations") or []),
                     new_broken_links=len(changes.get("new_broken_links") or []))
    return entry


def write_index(entries: list[dict], out: Path, lang: str) -> Path:
    from reports.render import environment

    with open(MESSAGES, "rb") as file:
        texts = tomllib.load(file)[lang]
    html = environment().get_template("sites.html").render(
        sites=entries, s=texts, lang=lang, finished=store.now())
    path = out / "index.html"
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)
    return path


def run_child(command: list[str]) -> int:
    child = subprocess.Popen(command)
    try:
        return child.wait()
    except KeyboardInterrupt:
        # Ctrl-C reached the child too; let it record its run as incomplete, then stop.
        child.wait(timeout=120)
        raise


def run_sites(args, config_paths: list[Path]) -> int:
    """Run every configuration; the exit code is the worst of the sites' exit codes."""
    if args.start_url:
        raise config.ConfigError("geef bij meer dan één --config geen START_URL op")
    sites = [config.load(path) for path in config_paths]     # all checked before any run
    taken: set[str] = set()
    entries, codes = [], []
    for path, site in zip(config_paths, sites, strict=True):
        folder = folder_name(site.name, taken)
        site_out = args.out / folder
        print(f"nachtwacht: {site.name} → {site_out}", flush=True)
        code = run_child(child_command(args, path, site_out))
        code = code if 0 <= code <= 4 else 3     # killed by a signal: the run was not done
        codes.append(code)
        entries.append(site_entry(site.name, folder, site_out, code))
    index = write_index(entries, args.out, args.lang)
    print(f"Overzicht: {index.resolve()}")
    return max(codes)
