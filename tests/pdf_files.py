"""Real PDF files for the document tests and the bench, made with pikepdf."""

from __future__ import annotations

import io
import zlib

import pikepdf
from pikepdf import Dictionary, Name, String

TEXT = b"BT /F1 12 Tf 72 720 Td (Paspoort aanvragen) Tj ET"
IMAGE = b"q 200 0 0 200 72 500 cm /Im1 Do Q"


def make_pdf(*, tagged: bool = True, lang: str | None = "nl-NL", title: str | None = "Folder",
             display_title: bool = True, text: bool = True, created: str | None = "D:20240115",
             pages: int = 1, password: str | None = None, block_assistive: bool = False) -> bytes:
    """A small real PDF with exactly the accessibility properties asked for."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1,
                                        BaseFont=Name.Helvetica))
    image = pdf.make_stream(zlib.compress(bytes(range(256)) * 16), Type=Name.XObject,
                            Subtype=Name.Image, Width=64, Height=64, ColorSpace=Name.DeviceGray,
                            BitsPerComponent=8, Filter=Name.FlateDecode)
    for _ in range(pages):
        page = pdf.add_blank_page(page_size=(595, 842))
        if text:
            page.obj.Resources = Dictionary(Font=Dictionary(F1=font))
            page.obj.Contents = pdf.make_stream(TEXT)
        else:
            page.obj.Resources = Dictionary(XObject=Dictionary(Im1=image))
            page.obj.Contents = pdf.make_stream(IMAGE)
    if tagged:
        pdf.Root.MarkInfo = Dictionary(Marked=True)
        pdf.Root.StructTreeRoot = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    if lang:
        pdf.Root.Lang = String(lang)
    if title:
        pdf.docinfo[Name.Title] = String(title)
    if display_title:
        pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    if created:
        pdf.docinfo[Name.CreationDate] = String(created)
        pdf.docinfo[Name.ModDate] = String(created)
    encryption = None
    if password:
        encryption = pikepdf.Encryption(owner="eigenaar", user=password)
    elif block_assistive:
        # 40-bit RC4 (R=2): the old kind where "no copying" also shuts out screen readers;
        # qpdf always allows accessibility in the newer kinds.
        encryption = pikepdf.Encryption(owner="eigenaar", user="", R=2, aes=False,
                                        metadata=False, allow=pikepdf.Permissions(
                                            accessibility=False, extract=False))
    out = io.BytesIO()
    pdf.save(out, encryption=encryption or False)
    return out.getvalue()


def inflating_stream(megabytes: int) -> bytes:
    """A zlib stream of ``megabytes`` MB of spaces, made in a blink: one deflated megabyte
    (after a full flush the compressor starts afresh, so its output repeats exactly),
    repeated, then the end block and the checksum over everything."""
    chunk = b" " * (1024 * 1024)
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = raw.compress(chunk) + raw.flush(zlib.Z_FULL_FLUSH)
    checksum = 1
    for _ in range(megabytes):
        checksum = zlib.adler32(chunk, checksum)
    return b"\x78\xda" + block * megabytes + b"\x03\x00" + checksum.to_bytes(4, "big")


def bomb_pdf(megabytes: int = 2048) -> bytes:
    """A PDF whose one page content inflates from a few hundred kB to ``megabytes`` MB."""
    pdf = pikepdf.new()
    page = pdf.add_blank_page()
    page.obj.Contents = pdf.make_stream(b"")
    page.obj.Contents.write(inflating_stream(megabytes), filter=pikepdf.Name.FlateDecode)
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    return out.getvalue()
