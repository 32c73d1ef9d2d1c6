"""The KCC digest as an e-mail: subject, plain text and HTML, from the results' ``kcc`` section."""

from __future__ import annotations

from dataclasses import dataclass

from reports import kcc
from reports.render import count as written_count
from reports.render import environment

# Items of one list in the e-mail; the report's KCC page has the rest (a migration can
# bring 20,000 new pages in one night).
MAIL_ITEMS = 50


@dataclass
class Digest:
    subject: str
    text: str
    html: str
    changes: int


def item_line(item: dict, k: dict) -> str:
    """One entry of a digest list as a line of plain text."""
    if "action" in item:
        line = f"{k['form_on']} {item['page']} {k['sends_to']} {item['action']}"
        if item.get("action_broken"):
            line += f": {k['action_broken']}"
        if item.get("orphan"):
            line += f": {k['orphan']}"
        return line
    if "task" in item:
        return f"{item.get('name') or item['task']}: {item['url']}"
    if "id" in item:
        return item.get("name") or item["id"]
    if "statement" in item:
        parts = [item["url"], k["statement"][item["change"]], item.get("status"),
                 "; ".join(k["statement_problem"][p] for p in item["problems"])]
        return " ".join(part for part in parts if part)
    line = " – ".join(part for part in (item.get("title"), item.get("url") or item.get("host"))
                      if part)
    return f"{line} ({item['note']})" if item.get("note") else line


def digest(results: dict, lang: str = "nl", report_path: str | None = None) -> Digest:
    """The digest of one run as an e-mail in ``lang``."""
    k = kcc.texts(lang)
    mail = k["mail"]
    d = results["kcc"]
    site = results["run"].get("site") or ""
    count = sum(len(d[key]) for key in k["order"] if d.get(key))
    changes = (mail["change_one"] if count == 1
               else mail["change_many"].format(count=written_count(count, lang)))
    subject = (mail["subject"].format(site=site, changes=changes) if count
               else mail["subject_quiet"].format(site=site))
    intro = (k["first_run"] if d["previous_run"] is None
             else k["intro"].replace("{previous}", str(d["previous_run"])))
    lines = [mail["greeting"], "", intro, ""]
    for key in k["order"]:
        if d.get(key):
            lines += [f"{k['heading'][key]} ({written_count(len(d[key]), lang)})"]
            lines += [f"- {item_line(item, k)}" for item in d[key][:MAIL_ITEMS]]
            if len(d[key]) > MAIL_ITEMS:
                lines.append(mail["more"].replace(
                    "{count}", written_count(len(d[key]) - MAIL_ITEMS, lang)))
            lines.append("")
    if not count:
        lines += [k["quiet"], ""]
    if report_path:
        lines += [mail["report"].format(path=report_path), ""]
    lines.append(mail["footer"])
    html = environment().get_template("kcc_mail.html").render(
        d=d, k=k, lang=lang, site=site, subject=subject, intro=intro, count=count,
        report_path=report_path, mail_items=MAIL_ITEMS)
    return Digest(subject=subject, text="\n".join(lines) + "\n", html=html, changes=count)
