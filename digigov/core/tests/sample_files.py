"""Small but structurally real files of every type uploads accept, generated here (no binary fixtures), and the
pieces to build polyglots from them. Other domains' tests upload these."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(*extra_chunks: bytes, width: int = 2, height: int = 2) -> bytes:
    """A grey width×height PNG; `extra_chunks` (from png_chunk) go between IHDR and IDAT."""
    header = png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    pixels = zlib.compress(b"".join(b"\x00" + b"\x80" * width for _ in range(height)))
    return b"\x89PNG\r\n\x1a\n" + header + b"".join(extra_chunks) + png_chunk(b"IDAT", pixels) + png_chunk(b"IEND", b"")


def jpeg_segment(marker: int, data: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(data) + 2) + data


def jpeg(*extra_segments: bytes) -> bytes:
    """A baseline JPEG's structure: SOI, APP0 JFIF, DQT, SOF0, DHT, SOS, entropy-coded data (with a stuffed
    0xFF00 and a restart marker), EOI. `extra_segments` (from jpeg_segment) go after APP0."""
    return b"".join(
        (
            b"\xff\xd8",
            jpeg_segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
            *extra_segments,
            jpeg_segment(0xDB, b"\x00" + bytes(range(1, 65))),
            jpeg_segment(0xC0, b"\x08\x00\x01\x00\x01\x01\x01\x11\x00"),
            jpeg_segment(0xC4, b"\x00" + b"\x01" + b"\x00" * 15 + b"\x00"),
            jpeg_segment(0xDA, b"\x01\x01\x00\x00\x3f\x00"),
            b"\x12\x34\xff\x00\x56\xff\xd0\x78\x9a",
            b"\xff\xd9",
        )
    )


def pdf(body: bytes = b"") -> bytes:
    """One empty page, as a scanner writes it, with `body` as an extra uncompressed object."""
    extra = b"4 0 obj\n(" + body + b")\nendobj\n" if body else b""
    return (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n" + extra + b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def zip_archive(parts: dict[str, bytes], comment: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        archive.comment = comment
    return buffer.getvalue()


def docx() -> bytes:
    return zip_archive({"[Content_Types].xml": b"<?xml version='1.0'?><Types/>", "word/document.xml": b"<w/>"})


def xlsx() -> bytes:
    return zip_archive({"[Content_Types].xml": b"<?xml version='1.0'?><Types/>", "xl/workbook.xml": b"<w/>"})


def ofd() -> bytes:
    return zip_archive({"OFD.xml": b"<?xml version='1.0'?><ofd:OFD/>", "Doc_0/Document.xml": b"<d/>"})


def ole() -> bytes:
    """A compound-file (old .doc/.xls) header sector and one empty sector."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + struct.pack("<HHHH", 0x3E, 3, 0xFFFE, 9)
    return header.ljust(512, b"\x00") + b"\x00" * 512


CLEAN = {
    "png": png(),
    "jpg": jpeg(),
    "jpeg": jpeg(),
    "pdf": pdf(),
    "zip": zip_archive({"a.txt": b"hello"}),
    "docx": docx(),
    "xlsx": xlsx(),
    "ofd": ofd(),
    "doc": ole(),
    "xls": ole(),
}
PNG, JPG, PDF = CLEAN["png"], CLEAN["jpg"], CLEAN["pdf"]
