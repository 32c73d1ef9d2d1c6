"""The PDF check: from one file to the facts a screen reader user depends on.

Tagged (``/MarkInfo /Marked true`` and a ``/StructTreeRoot``), document language
(``/Lang``), a title (``/Info /Title`` or XMP ``dc:title``) shown as the window title
(``/ViewerPreferences /DisplayDocTitle true``), a text layer (text-showing operators in
the page content, including form XObjects; none at all means a scan), encryption that
blocks assistive technology, a PDF/UA identifier (XMP ``pdfuaid:part``) and the dates
in the document. Machine checks only: not a PDF/UA test (veraPDF or PAC do more).

``check_file`` is the pure function. ``Checker`` runs it in a child process with
limits on memory, CPU and wall time, so a hostile file (a decompression bomb, thousands
of pages) ends as a recorded reason, never as a hang or a crash of the run.
"""

from __future__ import annotations

import json
import os
import re
import resource
import select
import signal
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path
from typing import Self

import pikepdf

from core.documents import MB, settings

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
        return {"error": "broken", "detail": str(error)[:200]}


def _limit(limits: dict) -> None:
    memory = limits["memory_mb"] * MB
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = limits["cpu_seconds"]
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def _check_in_child(path: str, limits: dict) -> dict:
    """Fork, limit the child's memory and CPU, check the file there; kill it after the wall time."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:        # the child: never returns
        os.close(read_end)
        code = 0
        try:
            _limit(limits)
            result = check_file(path, limits)
        except MemoryError:
            result = {"error": "too-complex", "detail": "te veel geheugen nodig"}
        except Exception as error:  # noqa: BLE001 - whatever breaks, the parent gets a reason
            result, code = {"error": "broken", "detail": str(error)[:200]}, 1
        with os.fdopen(write_end, "wb") as out:
            out.write(json.dumps(result).encode())
        os._exit(code)
    os.close(write_end)
    deadline = time.monotonic() + limits["wall_seconds"]
    data = b""
    with os.fdopen(read_end, "rb", buffering=0) as pipe:
        while (left := deadline - time.monotonic()) > 0:
            if not select.select([pipe], [], [], left)[0]:
                continue
            chunk = pipe.read(65536)
            if not chunk:
                break
            data += chunk
        else:
            os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if data:
        try:
            return json.loads(data)
        except ValueError:
            pass
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL and not data:
        detail = "lezen duurde te lang" if time.monotonic() >= deadline else "afgebroken"
    elif os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU:
        detail = "te veel rekentijd"
    else:
        detail = f"lezen brak af (status {status})"
    return {"error": "too-complex", "detail": detail}


def serve(limits: dict) -> None:
    """The checking worker: reads file paths, one a line; writes one JSON answer a line."""
    for line in sys.stdin:
        result = _check_in_child(line.rstrip("\n"), limits)
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        sys.stdout.flush()


class Checker:
    """A worker process with pikepdf loaded that checks each file in a fresh, bounded child.

    The run never forks itself (it holds Twisted's and Chromium's threads); the worker is
    small, and a check costs a fork, not a Python start-up.
    """

    def __init__(self, limits: dict | None = None):
        self.limits = limits or settings()["parse"]
        self.worker: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        if self.worker is None or self.worker.poll() is not None:
            self.worker = subprocess.Popen(
                [sys.executable, "-m", "audits.pdf", "--serve", json.dumps(self.limits)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                cwd=Path(__file__).resolve().parents[1])
        return self.worker

    def check(self, path: Path | str) -> dict:
        """The facts of one PDF, or ``{"error": reason, "detail": …}``; never raises for the file."""
        worker = self._start()
        worker.stdin.write(f"{path}\n")
        worker.stdin.flush()
        # The worker kills a slow child itself; this is only for a worker that went away.
        if select.select([worker.stdout], [], [], self.limits["wall_seconds"] + 15)[0]:
            line = worker.stdout.readline()
            if line:
                return json.loads(line)
        self.close()
        return {"error": "too-complex", "detail": "de controle gaf geen antwoord"}

    def close(self) -> None:
        if self.worker is not None:
            self.worker.kill()
            self.worker.wait()
            self.worker = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


if __name__ == "__main__":
    if sys.argv[1] == "--serve":
        serve(json.loads(sys.argv[2]))
    else:
        print(json.dumps(check_file(sys.argv[1]), ensure_ascii=False, indent=2))
