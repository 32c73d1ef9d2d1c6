"""Rendering the HTML report from the results object, with Jinja2 (autoescape on).

The report is a folder of linked static pages; long listings and per-page and per-rule
details get files of their own, so that a site of 10,000 pages still opens quickly.
"""

from __future__ import annotations

import shutil
import tomllib
from datetime import datetime
from pathlib import Path

from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    PackageLoader,
    StrictUndefined,
    select_autoescape,
)

from reports import kcc
from reports import view as view_model

HERE = Path(__file__).resolve().parent
LANGUAGES = ("nl", "en")


def messages(lang: str) -> dict:
    """The report's texts in one language (message catalogue in reports/messages/)."""
    with open(HERE / "messages" / f"{lang}.toml", "rb") as file:
        return tomllib.load(file)


def number(value, lang: str = "nl", digits: int = 1) -> str:
    """A score or ratio as people in that language write it: 73,4 in Dutch."""
    if value is None:
        return "–"
    text = f"{value:.{digits}f}" if isinstance(value, float) else str(value)
    return text.replace(".", ",") if lang == "nl" else text


def count(value, lang: str = "nl") -> str:
    """A count as people in that language write it: 9.812 in Dutch, 9,812 in English."""
    if value is None:
        return "–"
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "nl" else text


def when(value: str | None, months: list[str]) -> str:
    """An ISO time as '1 maart 2026, 02:00'; an ISO date as '1 maart 2026'."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return value or "–"
    day = f"{moment.day} {months[moment.month - 1]} {moment.year}"
    return day if len(value.strip()) == 10 else f"{day}, {moment:%H:%M}"


def href(url: str | None) -> str:
    """A crawled URL as a link target: only web addresses, never javascript: or data:."""
    # A prefix test, not urlsplit: this runs for every link of every list (15 % of a render).
    if url and url[:8].lower().startswith(("http://", "https://")):
        return url
    return "#"


DICT_ATTRIBUTES = frozenset(dir(dict))


class ReportEnvironment(Environment):
    """Jinja's environment, reading ``x.key`` of a plain dict as ``x["key"]`` straight away.

    The results object is plain dicts, and Jinja first tries ``getattr``, whose failure costs
    about a fifth of a render. A name of a dict method (``items``, ``get`` …) still finds the
    method first, so every lookup gives what Jinja would give."""

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute not in DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def environment() -> Environment:
    # Compiled templates are kept (Jinja's own cache, in the user's temporary folder, keyed by
    # each template's source): compiling them all costs about 0.8 s of every run.
    env = ReportEnvironment(loader=PackageLoader("reports", "templates"),
                            bytecode_cache=FileSystemBytecodeCache(),
                            autoescape=select_autoescape(default=True,
                                                         default_for_string=True),
                            undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = number
    env.filters["count"] = count
    env.filters["when"] = when
    env.filters["href"] = href
    return env


def copy_pictures(results: dict, source: Path, target: Path) -> None:
    """The pictures of violations this run's results name, from OUT/screenshots/; one that
    is gone (cleaned up by hand) is left out of the report, not an error."""
    target.mkdir()
    for shot in results.get("screenshots") or []:
        picture = source / Path(shot["file"]).name
        if picture.is_file():
            shutil.copy(picture, target / picture.name)


def continued(view: dict) -> list[dict]:
    """Every list that starts in a section of a report page and goes on in files of its own
    (reports/paging.py section): orphans, sitemap errors, changes, privacy, checks, pages not
    audited, top tasks' pages and documents, the contact centre's lists."""
    access, checks, privacy = view["accessibility"], view["checks"], view["privacy"]
    lists = [view["orphan_list"], view["sitemap_list"]]
    lists += (view["changes"] or {}).get("lists", {}).values()
    lists += [privacy[key] for key in ("task_pages", "forms", "pages", "not_recorded")] \
        if privacy else []
    lists += [access["not_audited"]] if access else []
    lists += [group["list"] for key in ("failed", "failed_22", "review", "site", "site_22",
                                        "site_review") for group in checks[key]] if checks else []
    lists += [task["page_list"] for task in view["tasks"] or []]
    lists += ((view["documents"] or {}).get("by_task") or {}).values()
    lists += (view["kcc_lists"] or {}).values()
    return lists


def render_report(results: dict, report_dir: Path, history: list[dict],
                  lang: str = "nl") -> Path:
    """Write the report's pages into ``report_dir``; returns the path of index.html.

    ``history`` is the site's runs up to this one, oldest first (nachtwacht/history.py).
    The report is written into a new folder that then replaces the old one, so a reader
    never sees half a report.
    """
    view = view_model.build(results, history, lang)
    texts = messages(lang)
    env = environment()
    staging = report_dir.with_name(report_dir.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "pagina").mkdir(parents=True)
    (staging / "regel").mkdir()
    shutil.copy(HERE / "static" / "report.css", staging / "report.css")

    def write(file: str, template: str, current: str, **extra) -> None:
        root = "../" * file.count("/")
        context = {"r": results, "v": view, "t": texts, "lang": lang, "root": root,
                   "current": current, **extra}
        (staging / file).write_text(env.get_template(template).render(context),
                                    encoding="utf-8")

    write("index.html", "index.html", "overview")
    write("verantwoording.html", "verantwoording.html", "evidence")
    if view["scores"]:
        write("uitleg.html", "uitleg.html", "explain")
    if view["tasks"] is not None or view["letters"] is not None:
        write("toptaken.html", "toptaken.html", "tasks")
    access = view["accessibility"]
    if access:
        write("toegankelijkheid.html", "toegankelijkheid.html", "accessibility")
        for rule in access["rules"] + access["review"]:
            for part in rule["parts"]:
                write(part["file"], "regel.html", "accessibility", rule=rule, part=part)
    for part in view["page_list"]:
        write(part["file"], "paginas.html", "by_page", part=part)
    for detail in view["page_details"]:
        write(detail["file"], "pagina.html", "by_page", detail=detail)
    if any(item["key"] == "links" for item in view["nav"]):
        for part in view["link_parts"]:
            write(part["file"], "links.html", "links", part=part)
        (staging / "kapot").mkdir()
        for group in view["broken_links"] or []:
            for part in group["parts"]:
                write(part["file"], "bronnen.html", "links", group=group, part=part)
    if view["forms"] is not None:
        for part in view["forms"]["parts"]:
            write(part["file"], "formulieren.html", "forms", part=part)
    if view["documents"] is not None:
        for part in view["documents"]["parts"]:
            write(part["file"], "documenten.html", "documents", part=part)
    for part in (view["readability"] or {}).get("parts", []):
        write(part["file"], "leesbaarheid.html", "readability", part=part)
    if view["privacy"] is not None:
        write("privacy.html", "privacy.html", "privacy")
    if view["changes"] is not None:
        write("wijzigingen.html", "wijzigingen.html", "changes")
    kcc_texts = kcc.texts(lang)
    if results.get("kcc") is not None:
        write("kcc.html", "kcc.html", "kcc", k=kcc_texts)
    for found in continued(view):
        for part in found["parts"][1:]:
            write(part["file"], "vervolg.html", found["nav"], list=found, part=part, k=kcc_texts)

    copy_pictures(results, report_dir.parent / "screenshots", staging / view_model.PICTURES)
    old = report_dir.with_name(report_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if report_dir.exists():
        report_dir.rename(old)
    staging.rename(report_dir)
    shutil.rmtree(old, ignore_errors=True)
    return report_dir / "index.html"
