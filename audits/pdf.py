"""The PDF check: from one file to the facts a screen reader user depends on.

Tagged (``/MarkInfo /Marked true`` and a ``/StructTreeRoot``), document language
(``/Lang``), a title (``/Info /Title`` or XMP ``dc:title``) shown as the window title
(``/ViewerPreferences /DisplayDocTitle true``), a text layer (text-showing operators in
the page content, including form XObjects; none at all means a scan), encryption that
blocks assistive technology, a PDF/UA identifier (XMP ``pdfuaid:part``) and the dates
in the document. Machine checks only: not a PDF/UA test (veraPDF or PAC do more).

``check_file`` is the pure function; ``audits/pdf_worker.py`` runs it in a bounded child
process (``python -m audits.pdf FILE`` prints one file's facts).
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date, datetime
from pathlib import Path

import pikepdf

from core.documents import settings

TEXT_OPERATORS = "Tj TJ ' \""
MAX_XOBJECT_DEPTH = 4
PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")


def parse_date(value) -> date | None:
    """A date from a PDF date string (``D:20150301…``) or an XMP/ISO date, else None."""
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value if not isinstance(value, datetime) else value.date()
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    found = PDF_DATE.match(text)
    if not found:
        return None
    year, month, day = (int(found.group(1)), int(found.group(2) or 1), int(found.group(3) or 1))
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _has_text(content, resources, depth: int = 0) -> bool:
    """Whether a page or form XObject shows text, itself or in the forms it draws."""
    if pikepdf.parse_content_stream(content, TEXT_OPERATORS):
        return True
    if depth >= MAX_XOBJECT_DEPTH or resources is None or "/XObject" not in resources:
        return False
    for xobject in resources.XObject.values():
        if isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == "/Form" \
                and _has_text(xobject, xobject.get("/Resources"), depth + 1):
            return True
    return False


def text_layer(pdf: pikepdf.Pdf, max_pages: int) -> bool:
    """Whether any of the first ``max_pages`` pages shows text (stops at the first that does)."""
    for page in list(pdf.pages)[:max_pages]:
        if _has_text(page.obj, page.obj.get("/Resources")):
            return True
    return False


def _xmp(pdf: pikepdf.Pdf) -> dict:
    try:
        meta = pdf.open_metadata()
        return {key: meta.get(key) for key in
                ("dc:title", "pdfuaid:part", "xmp:CreateDate", "xmp:ModifyDate")}
    except Exception:   # noqa: BLE001 - broken XMP is common and says nothing about the rest
        return {}


def _text(value) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def facts(pdf: pikepdf.Pdf, limits: dict) -> dict:
    """The accessibility facts of an opened PDF."""
    root, info, xmp = pdf.Root, pdf.docinfo, _xmp(pdf)
    mark_info = root.get("/MarkInfo")
    marked = bool(mark_info is not None and mark_info.get("/Marked") is True)
    struct_tree = "/StructTreeRoot" in root
    prefs = root.get("/ViewerPreferences")
    title = _text(info.get("/Title")) or _text(xmp.get("dc:title"))
    dates = {"info:ModDate": info.get("/ModDate"), "xmp:ModifyDate": xmp.get("xmp:ModifyDate"),
             "info:CreationDate": info.get("/CreationDate"),
             "xmp:CreateDate": xmp.get("xmp:CreateDate")}
    found = {source: parse_date(_text(value)) for source, value in dates.items()}
    found = {source: day for source, day in found.items() if day}
    latest = max(found.items(), key=lambda item: item[1]) if found else None
    pdfua = _text(xmp.get("pdfuaid:part"))
    return {
        "pdf_pages": len(pdf.pages),
        "tagged": marked and struct_tree, "struct_tree": struct_tree,
        "lang": _text(root.get("/Lang")),
        "title": title,
        "display_doc_title": bool(prefs is not None and prefs.get("/DisplayDocTitle") is True),
        "has_text": text_layer(pdf, limits["text_pages"]),
        # qpdf reads the accessibility permission (or, for the oldest encryption, "extract").
        "encrypted": bool(pdf.is_encrypted and not pdf.allow.accessibility),
        "password": False,
        "pdfua": int(pdfua) if pdfua and pdfua.isdigit() else None,
        # The latest date in the file: a file changed after the scope date was placed again.
        "date": latest[1].isoformat() if latest else None,
        "date_source": latest[0] if latest else None,
    }


def check_file(path: Path | str, limits: dict | None = None) -> dict:
    """The facts of one PDF file, or ``{"error": reason}`` when it cannot be read as one."""
    limits = limits or settings()["parse"]
    with open(path, "rb") as file:
        head = file.read(1024)
    if b"%PDF-" not in head:
        return {"error": "broken", "detail": "geen PDF-bestand"}
    try:
        with pikepdf.open(path) as pdf:
            if len(pdf.pages) > limits["max_pages"]:
                return {"error": "too-complex", "pdf_pages": len(pdf.pages),
                        "detail": f"meer dan {limits['max_pages']} pagina's"}
            return facts(pdf, limits)
    except pikepdf.PasswordError:
        return {"error": "encrypted", "password": True, "encrypted": True,
                "detail": "beveiligd met een wachtwoord"}
    except (pikepdf.PdfError, ValueError, KeyError, TypeError, AttributeError) as error:
        return {"error": "broken", "detail": reason(error, path)}


def reason(error: Exception, path: Path | str) -> str:
    """qpdf's message without the file's name: that is our temporary copy, not the site's URL."""
    return str(error).replace(f"{path}: ", "").replace(str(path), "het bestand")[:200]


if __name__ == "__main__":
    print(json.dumps(check_file(sys.argv[1]), ensure_ascii=False, indent=2))
