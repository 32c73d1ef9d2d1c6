"""Rendering the HTML report from the results object, with Jinja2 (autoescape on)."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

HERE = Path(__file__).resolve().parent
LANGUAGES = ("nl", "en")


def messages(lang: str) -> dict:
    """The report's texts in one language (message catalogue in reports/messages/)."""
    with open(HERE / "messages" / f"{lang}.toml", "rb") as file:
        return tomllib.load(file)


def environment() -> Environment:
    return Environment(loader=PackageLoader("reports", "templates"),
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render_report(results: dict, report_dir: Path, lang: str = "nl",
                  history: list[dict] | None = None) -> Path:
    """Write the report's pages into ``report_dir``; returns the path of index.html."""
    report_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(HERE / "static" / "report.css", report_dir / "report.css")
    env = environment()
    context = {"r": results, "t": messages(lang), "lang": lang, "history": history or []}
    index = report_dir / "index.html"
    tmp = index.with_suffix(".html.tmp")
    tmp.write_text(env.get_template("index.html").render(context), encoding="utf-8")
    tmp.replace(index)
    return index
