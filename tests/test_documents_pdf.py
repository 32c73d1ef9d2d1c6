"""The PDF check on real files made with pikepdf: each fact, and hostile files bounded.

No network and no browser: ``check_file`` is a pure function of a file, ``Checker`` runs it
in a child process limited in memory, CPU and wall time.
"""

from __future__ import annotations

import time

import pikepdf
import pytest

from audits.documents import problems, scope
from audits.pdf import check_file, parse_date
from audits.pdf_worker import Checker
from core.documents import document_type, settings
from tests.pdf_files import bomb_pdf, make_pdf


@pytest.fixture
def pdf_file(tmp_path):
    def write(data: bytes, name: str = "doc.pdf"):
        path = tmp_path / name
        path.write_bytes(data)
        return path
    return write


def test_a_tagged_pdf_with_language_title_and_text_has_every_fact(pdf_file):
    facts = check_file(pdf_file(make_pdf(title="Afvalkalender", created="D:20240115")))
    assert facts == {"pdf_pages": 1, "tagged": True, "struct_tree": True, "lang": "nl-NL",
                     "title": "Afvalkalender", "display_doc_title": True, "has_text": True,
                     "encrypted": False, "password": False, "pdfua": None,
                     "date": "2024-01-15", "date_source": "info:ModDate"}


def test_marked_without_a_structure_tree_is_not_tagged(pdf_file):
    path = pdf_file(make_pdf(tagged=False))
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
        pdf.save(path)
    facts = check_file(path)
    assert (facts["tagged"], facts["struct_tree"]) == (False, False)


def test_an_image_only_pdf_has_no_text_layer(pdf_file):
    assert check_file(pdf_file(make_pdf(text=False)))["has_text"] is False


def test_text_inside_a_form_xobject_counts_as_text(pdf_file):
    path = pdf_file(make_pdf(text=False))
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font,
                                                    Subtype=pikepdf.Name.Type1,
                                                    BaseFont=pikepdf.Name.Helvetica))
        form = pdf.make_stream(b"BT /F1 12 Tf (Tekst) Tj ET", Type=pikepdf.Name.XObject,
                               Subtype=pikepdf.Name.Form, BBox=[0, 0, 100, 100],
                               Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)))
        page = pdf.pages[0].obj
        page.Resources.XObject.Fm1 = form
        page.Contents = pdf.make_stream(b"/Fm1 Do")
        pdf.save(path)
    assert check_file(path)["has_text"] is True


def test_title_and_pdfua_come_from_xmp_too(pdf_file):
    path = pdf_file(make_pdf(title=None, created=None))
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["dc:title"] = "Jaarverslag"
            meta["pdfuaid:part"] = "1"
            meta["xmp:ModifyDate"] = "2021-06-30T10:00:00+02:00"
        pdf.save(path)
    facts = check_file(path)
    assert (facts["title"], facts["pdfua"], facts["date"], facts["date_source"]) == \
        ("Jaarverslag", 1, "2021-06-30", "xmp:ModifyDate")


def test_password_and_copy_protection_are_encrypted(pdf_file):
    locked = check_file(pdf_file(make_pdf(password="geheim"), "a.pdf"))
    assert (locked["error"], locked["password"]) == ("encrypted", True)
    blocked = check_file(pdf_file(make_pdf(block_assistive=True), "b.pdf"))
    assert (blocked["encrypted"], blocked["tagged"]) == (True, True)
    readable = check_file(pdf_file(make_pdf(), "c.pdf"))
    assert readable["encrypted"] is False


def test_problems_use_the_contract_names():
    row = {"tagged": 0, "lang": None, "title": None, "display_doc_title": 0, "has_text": 0,
           "encrypted": 1, "status": 200}
    assert problems({"status": 200}, row) == ["encrypted", "untagged", "no-lang", "no-title",
                                              "no-text"]
    assert problems({"status": 200}, {**row, "title": "Titel"}) == \
        ["encrypted", "untagged", "no-lang", "no-title", "no-text"]   # title, not displayed
    assert problems({"status": 404}, None) == ["unreachable"]


def test_scope_date_and_dates_in_pdf_form():
    assert (scope("2018-09-23"), scope("2018-09-24"), scope("2015-01-01"), scope(None)) == \
        (False, True, False, True)
    assert str(parse_date("D:20150301120000+01'00'")) == "2015-03-01"
    assert str(parse_date("D:2019")) == "2019-01-01"
    assert parse_date("gisteren") is None


def test_document_types_by_suffix_or_content_type():
    assert document_type("https://x.nl/a/Verslag.PDF") == "pdf"
    assert document_type("https://x.nl/download?id=3", "application/pdf") == "pdf"
    assert document_type("https://x.nl/b.odt") == "odt"
    assert document_type("https://x.nl/pagina", "text/html") is None


def test_not_a_pdf_is_broken(pdf_file):
    assert check_file(pdf_file(b"<html><body>Niet gevonden</body></html>"))["error"] == "broken"
    assert check_file(pdf_file(b"%PDF-1.7\n" + b"\0" * 2000))["error"] == "broken"


def test_the_reason_of_a_damaged_pdf_names_no_file_of_ours(pdf_file):
    path = pdf_file(b"%PDF-1.4 kapot")
    facts = check_file(path)
    assert facts["error"] == "broken" and facts["detail"]
    assert str(path) not in facts["detail"] and path.name not in facts["detail"]


def test_thousands_of_pages_are_too_complex_without_reading_them(pdf_file):
    facts = check_file(pdf_file(make_pdf(pages=120)), dict(settings()["parse"], max_pages=100))
    assert (facts["error"], facts["pdf_pages"]) == ("too-complex", 120)


def test_a_decompression_bomb_is_stopped_by_the_memory_limit(pdf_file):
    path = pdf_file(bomb_pdf(megabytes=1024))
    limits = dict(settings()["parse"], memory_mb=300)
    started = time.monotonic()
    with Checker(limits) as checker:
        facts = checker.check(path)
        assert facts["error"] in ("too-complex", "broken")
        assert checker.check(pdf_file(make_pdf(), "next.pdf"))["tagged"] is True   # goes on
    assert time.monotonic() - started < 30


def test_a_check_that_takes_too_long_is_killed(pdf_file):
    path = pdf_file(make_pdf(pages=1500, text=False))   # every page searched for text
    limits = dict(settings()["parse"], wall_seconds=0.02, text_pages=1500)
    started = time.monotonic()
    with Checker(limits) as checker:
        facts = checker.check(path)
    assert (facts["error"], facts["detail"]) == ("too-complex", "lezen duurde te lang")
    assert time.monotonic() - started < 5
