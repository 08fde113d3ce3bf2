"""Uploads are parsed deeply enough that polyglots are refused (issue 9 point 7): the issue's three files (HTML
after a PNG's IEND, HTML in a PNG tEXt chunk, a PDF with an HTML prefix) and their relatives, all generated here."""

from __future__ import annotations

import zlib

import pytest

from digigov.core.errors import ValidationFailed
from digigov.core.file_content import content_problem, known_types
from digigov.core.tests import sample_files as sf
from digigov.core.uploads import check_upload
from digigov.hotline.services.intake import ATTACHMENT_TYPES
from digigov.onestop.services.catalogue import ALLOWED_FILE_TYPES

SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'

POLYGLOTS: dict[str, tuple[str, bytes]] = {
    # the three
    "html after the PNG's IEND": ("png", sf.png() + sf.HTML),
    "html in a PNG tEXt chunk": ("png", sf.png(sf.png_chunk(b"tEXt", b"Comment\x00" + sf.HTML))),
    "a PDF with an HTML prefix": ("pdf", sf.HTML + sf.pdf()),
    # PNG relatives
    "html in a compressed zTXt": ("png", sf.png(sf.png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(sf.HTML)))),
    "html in a compressed iTXt": (
        "png",
        sf.png(sf.png_chunk(b"iTXt", b"Comment\x00\x01\x00zh\x00\x00" + zlib.compress(sf.HTML))),
    ),
    "html in an uncompressed iTXt": ("png", sf.png(sf.png_chunk(b"iTXt", b"Comment\x00\x00\x00\x00\x00" + sf.HTML))),
    "html in a private chunk": ("png", sf.png(sf.png_chunk(b"htMl", sf.HTML))),
    "a zTXt bomb": ("png", sf.png(sf.png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"a" * 2_000_000)))),
    "a chunk with a wrong CRC": ("png", sf.png()[:-4] + b"\x00\x00\x00\x00"),
    "a PNG without IEND": ("png", sf.png()[:-12]),
    "a PNG not starting with IHDR": ("png", b"\x89PNG\r\n\x1a\n" + sf.png_chunk(b"tEXt", b"a\x00b") + sf.png()[8:]),
    "an HTML page named .png": ("png", sf.HTML),
    "an SVG named .png": ("png", SVG),
    "a PNG signature followed by a page": ("png", b"\x89PNG\r\n\x1a\n" + sf.HTML),
    # JPEG
    "html after the JPEG's EOI": ("jpg", sf.jpeg() + sf.HTML),
    "a script after EOI": ("jpeg", sf.jpeg() + b"\n<script>alert(1)</script>"),
    "html in a JPEG comment": ("jpg", sf.jpeg(sf.jpeg_segment(0xFE, sf.HTML))),
    "html in an APP1 segment": ("jpg", sf.jpeg(sf.jpeg_segment(0xE1, b"Exif\x00\x00<svg onload=alert(1)>"))),
    "a JPEG without EOI": ("jpg", sf.jpeg()[:-2]),
    "an SVG named .jpg": ("jpg", SVG),
    # PDF
    "a script before %PDF-": ("pdf", b"<script>alert(1)</script>\n" + sf.pdf()),
    "html inside the PDF": ("pdf", sf.pdf(b"<html><body>hi</body></html>")),
    "an iframe inside the PDF": ("pdf", sf.pdf(b"<iframe src=x>")),
    "html after %%EOF": ("pdf", sf.pdf() + sf.HTML),
    "a PDF without %%EOF": ("pdf", sf.pdf().replace(b"%%EOF", b"")),
    # ZIP containers
    "html after a zip's directory": ("zip", sf.CLEAN["zip"] + sf.HTML),
    "html in a zip comment": ("zip", sf.zip_archive({"a.txt": b"x"}, comment=sf.HTML)),
    "html before a docx": ("docx", sf.HTML + sf.docx()),
    "a zip named .docx": ("docx", sf.CLEAN["zip"]),
    "a zip named .ofd": ("ofd", sf.CLEAN["zip"]),
    "an OLE signature followed by a page": ("doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + sf.HTML),
}


@pytest.mark.parametrize("what", list(POLYGLOTS))
def test_polyglots_and_fakes_are_refused(what: str) -> None:
    extension, content = POLYGLOTS[what]
    assert content_problem(extension, content) is not None
    with pytest.raises(ValidationFailed) as refused:
        check_upload("身份证", f"证件.{extension}", content, file_types=[extension], max_size_mb=5)
    assert refused.value.message == f"文件内容与扩展名 .{extension} 不符，请上传真实的{extension.upper()}文件"
    assert refused.value.fields == {"file": "内容与格式不符"}


@pytest.mark.parametrize("extension", sorted(sf.CLEAN))
def test_clean_files_of_every_type_pass(extension: str) -> None:
    assert content_problem(extension, sf.CLEAN[extension]) is None
    assert check_upload("材料", f"扫描件.{extension}", sf.CLEAN[extension], file_types=[extension], max_size_mb=1)


def test_innocent_text_chunks_padding_and_markup_like_bytes_pass() -> None:
    plain_text = sf.png_chunk(b"tEXt", b"Software\x00Scanner 2.1 <3 a < b")
    assert content_problem("png", sf.png(plain_text)) is None
    chinese = sf.png_chunk(
        b"iTXt", b"Title\x00\x01\x00zh\x00\xe6\xa0\x87\xe9\xa2\x98\x00" + zlib.compress("证件".encode())
    )
    assert content_problem("png", sf.png(chinese)) is None
    assert content_problem("jpg", sf.jpeg(sf.jpeg_segment(0xFE, b"scanned by <device> 3"))) is None
    assert content_problem("jpg", sf.jpeg() + b"\x00" * 16) is None  # padding some encoders leave
    assert content_problem("pdf", sf.pdf() + b"\r\n\r\n") is None
    assert content_problem("pdf", sf.pdf(b"<</A <FEFF0041> /B [1 2]>>")) is None  # PDF dictionaries and hex


@pytest.mark.parametrize("extension", sorted(sf.CLEAN))
def test_every_truncation_is_refused_without_crashing(extension: str) -> None:
    content = sf.CLEAN[extension]
    tail = 22 if extension in ("zip", "docx", "xlsx", "ofd") else 2
    for length in range(1, len(content) - tail):
        if extension in ("doc", "xls") and length >= 512:
            break  # the compound-file check reads the header only
        assert content_problem(extension, content[:length]) is not None, length


def test_every_accepted_type_has_a_structural_check() -> None:
    assert set(ALLOWED_FILE_TYPES) | set(ATTACHMENT_TYPES) <= known_types()
    assert content_problem("gif", b"GIF89a") is not None  # a type nobody taught the parser is refused
