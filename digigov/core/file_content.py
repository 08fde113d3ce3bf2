"""Is an uploaded file really of its declared type, all the way through? (used by core.uploads.check_upload)

A file that is two things at once (a polyglot) passes a check of its first bytes: a PNG with an HTML page after
its IEND chunk or inside a text chunk, a PDF with a web page before `%PDF-` (readers and the PDF specification
tolerate junk there), a JPEG with a script after its end marker or in a comment. Served by mistake as HTML, or
sniffed by a browser, such a file runs script in the platform's origin. So each type is parsed by its structure
and any place that holds free bytes is searched for markup:

* PNG: the signature, then every chunk walked with its CRC checked; IHDR first, IEND last and nothing after
  it; text chunks (tEXt, zTXt and iTXt, decompressed with a bound) and every other ancillary chunk free of markup.
* JPEG: SOI, then every segment walked by its length up to SOS, the entropy-coded data up to its markers, EOI at
  the very end (after it at most zero or 0xFF padding); COM and APPn segments free of markup.
* PDF: `%PDF-` at offset 0, `%%EOF` at the end (only whitespace after it), and no markup anywhere in the file.
* ZIP containers (zip, docx, xlsx, ofd): the local header first, the end-of-central-directory record at the
  end, a directory the standard library can read, the part every file of that kind has, a comment free of markup.
* OLE (doc, xls): the compound-file header (signature, byte order, sector size).

No library on PyPI does this job (libmagic, puremagic and filetype look at the first bytes; polyfile maps
structures for analysts, slowly; pikepdf and pypdf repair broken PDFs instead of refusing them), so this is a
small parser over the standard library, tested with generated polyglots in core/tests/test_file_content.py.

`content_problem` answers why a file is not what it claims, in a short English phrase for the log and tests;
the user sees check_upload's Chinese message.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable

# Markup that makes a browser treat bytes as a page or run script. Five or more characters and a delimiter, so
# compressed data (PDF streams) matches by chance about once in 10^12 bytes.
MARKUP = re.compile(
    rb"<(?:!doctype|\?xml-stylesheet|(?:html|head|body|script|iframe|frame|svg|object|embed|meta|link|style|"
    rb"form|base|img|math)[\s/>])",
    re.IGNORECASE,
)
TEXT_LIMIT = 1024 * 1024  # a decompressed PNG text chunk may not be larger (a zlib bomb is refused)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_TEXT = {b"tEXt", b"zTXt", b"iTXt"}
_PNG_OPAQUE = {b"IDAT", b"fdAT"}  # compressed pixels: not searched
_CHUNK_TYPE = re.compile(rb"[A-Za-z]{4}")


def has_markup(data: bytes) -> bool:
    return MARKUP.search(data) is not None


def _inflate(data: bytes) -> bytes | None:
    """zlib data decompressed up to TEXT_LIMIT; None when it is broken or larger."""
    inflater = zlib.decompressobj()
    try:
        text = inflater.decompress(data, TEXT_LIMIT)
    except zlib.error:
        return None
    return None if inflater.unconsumed_tail else text


def _png_text(kind: bytes, data: bytes) -> bytes | None:
    """The text a tEXt/zTXt/iTXt chunk holds (keyword included), decompressed; None when malformed."""
    keyword, sep, rest = data.partition(b"\x00")
    if not sep or not 1 <= len(keyword) <= 79:
        return None
    if kind == b"tEXt":
        return keyword + b" " + rest
    if kind == b"zTXt":
        text = _inflate(rest[1:]) if rest[:1] == b"\x00" else None
        return None if text is None else keyword + b" " + text
    if len(rest) < 2:
        return None
    compressed, method = rest[0], rest[1]
    language, sep1, rest = rest[2:].partition(b"\x00")
    translated, sep2, text = rest.partition(b"\x00")
    if not (sep1 and sep2) or compressed not in (0, 1) or method != 0:
        return None
    if compressed:
        inflated = _inflate(text)
        if inflated is None:
            return None
        text = inflated
    return b" ".join((keyword, language, translated, text))


def _png_chunk_content_problem(kind: bytes, data: bytes) -> str | None:
    """A text chunk that does not parse, or markup in any chunk a browser could read as text."""
    if kind in _PNG_TEXT:
        text = _png_text(kind, data)
        if text is None:
            return f"malformed {kind.decode()}"
        return f"markup in {kind.decode()}" if has_markup(text) else None
    if kind not in _PNG_OPAQUE and has_markup(data):
        return f"markup in {kind.decode()}"
    return None


def png_problem(content: bytes) -> str | None:
    if not content.startswith(PNG_SIGNATURE):
        return "no PNG signature"
    at, first = len(PNG_SIGNATURE), True
    while at + 12 <= len(content):
        (length,) = struct.unpack(">I", content[at : at + 4])
        kind = content[at + 4 : at + 8]
        end = at + 12 + length
        if length > 0x7FFFFFFF or end > len(content) or not _CHUNK_TYPE.fullmatch(kind):
            return "broken chunk"
        data = content[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", content[at + 8 + length : end])
        if zlib.crc32(kind + data) != crc:
            return f"bad CRC in {kind.decode()}"
        if first and (kind != b"IHDR" or length != 13):
            return "IHDR is not the first chunk"
        first = False
        problem = _png_chunk_content_problem(kind, data)
        if problem is not None:
            return problem
        if kind == b"IEND":
            return None if end == len(content) else "data after IEND"
        at = end
    return "no IEND"


# JPEG markers without a length: TEM and RST0-7 (inside the scan), SOI and EOI handled apart
_JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}


def _jpeg_scan_end(content: bytes, at: int) -> int:
    """Offset of the first marker after entropy-coded data starting at `at` (stuffed 0xFF00 and RSTn skipped)."""
    while True:
        at = content.find(b"\xff", at)
        if at < 0 or at + 1 >= len(content):
            return len(content)
        follower = content[at + 1]
        if follower == 0x00 or 0xD0 <= follower <= 0xD7 or follower == 0xFF:
            at += 1
            continue
        return at


def jpeg_problem(content: bytes) -> str | None:
    if not content.startswith(b"\xff\xd8\xff"):
        return "no SOI"
    at = 2
    while at + 2 <= len(content):
        if content[at] != 0xFF:
            return "expected a marker"
        marker = content[at + 1]
        if marker == 0xFF:  # fill bytes before a marker
            at += 1
            continue
        if marker == 0xD9:  # EOI: at most padding after it
            return None if not content[at + 2 :].strip(b"\x00\xff") else "data after EOI"
        if marker in _JPEG_STANDALONE:
            at += 2
            continue
        if at + 4 > len(content):
            return "truncated segment"
        (length,) = struct.unpack(">H", content[at + 2 : at + 4])
        end = at + 2 + length
        if length < 2 or end > len(content):
            return "broken segment"
        if (marker == 0xFE or 0xE0 <= marker <= 0xEF) and has_markup(content[at + 4 : end]):
            return "markup in a comment or application segment"
        at = _jpeg_scan_end(content, end) if marker == 0xDA else end
    return "no EOI"


def pdf_problem(content: bytes) -> str | None:
    if not content.startswith(b"%PDF-"):
        return "%PDF- is not at offset 0"
    end = content.rfind(b"%%EOF")
    if end < 0 or content[end + 5 :].strip(b"\x00\t\n\x0c\r "):
        return "%%EOF is not at the end"
    if has_markup(content):
        return "markup in the PDF"
    return None


# A file of each ZIP-based kind holds this part; a plain zip anything.
_ZIP_PART = {"docx": "[Content_Types].xml", "xlsx": "[Content_Types].xml", "ofd": "OFD.xml", "zip": ""}
_EOCD = b"PK\x05\x06"


def zip_problem(content: bytes, extension: str) -> str | None:
    if not content.startswith(b"PK\x03\x04"):
        return "no local file header"
    eocd = content.rfind(_EOCD, max(0, len(content) - 22 - 0xFFFF))
    if eocd < 0 or len(content) < eocd + 22:
        return "no end of central directory"
    (comment_length,) = struct.unpack("<H", content[eocd + 20 : eocd + 22])
    if eocd + 22 + comment_length != len(content):
        return "data after the end of central directory"
    if has_markup(content[eocd + 22 :]):
        return "markup in the zip comment"
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = {info.filename for info in archive.infolist()}
    except (zipfile.BadZipFile, ValueError, OSError):
        return "unreadable zip directory"
    part = _ZIP_PART.get(extension, "")
    if part and not any(name == part or name.endswith("/" + part) for name in names):
        return f"no {part}"
    return None


def ole_problem(content: bytes) -> str | None:
    header = content[:512]
    if len(header) < 512 or not header.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "no compound-file header"
    byte_order, sector_shift = struct.unpack("<HH", header[28:32])
    if byte_order != 0xFFFE or sector_shift not in (9, 12):
        return "malformed compound-file header"
    return None


_CHECKS: dict[str, Callable[[bytes], str | None]] = {
    "png": png_problem,
    "jpg": jpeg_problem,
    "jpeg": jpeg_problem,
    "pdf": pdf_problem,
    "doc": ole_problem,
    "xls": ole_problem,
}


def content_problem(extension: str, content: bytes) -> str | None:
    """Why `content` is not a clean file of type `extension`, or None when it is. A type without a parser here
    is refused: accepting a new type means teaching this module its structure first."""
    if extension in _ZIP_PART:
        return zip_problem(content, extension)
    check = _CHECKS.get(extension)
    return check(content) if check is not None else f"no content check for .{extension}"


def known_types() -> set[str]:
    return set(_CHECKS) | set(_ZIP_PART)
