"""Every file the platform hands out (uploaded materials, appeal attachments, Excel exports) goes through
`attachment_response`: always `Content-Disposition: attachment` with a safe file name (an ASCII fallback and the
RFC 5987 `filename*` for Chinese names), `X-Content-Type-Options: nosniff`, a type from a short list of what we
store (anything else is application/octet-stream, never HTML), `Cache-Control: no-store, private`, and a
sandboxing CSP in case a browser renders it anyway. So a stored file never runs as a page of the platform."""

from __future__ import annotations

import re
from typing import IO
from urllib.parse import quote

from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase

from digigov.core.middleware import PRIVATE_CACHE_CONTROL

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "ofd": "application/ofd",
    "zip": "application/zip",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
OCTET_STREAM = "application/octet-stream"
_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]')  # controls, quotes, separators, header delimiters


def safe_download_name(name: str, default: str = "download") -> str:
    """The name without control characters, path separators or header delimiters, at most 120 characters,
    keeping its extension."""
    cleaned = _UNSAFE.sub("_", name).strip(" .") or default
    if len(cleaned) > 120:
        stem, dot, extension = cleaned.rpartition(".")
        cleaned = stem[: 119 - len(extension)] + dot + extension if dot and len(extension) <= 10 else cleaned[:120]
    return cleaned


def content_disposition(name: str) -> str:
    """`attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>` (RFC 6266 / RFC 5987)."""
    safe = safe_download_name(name)
    extension = safe.rpartition(".")[2] if "." in safe else ""
    ascii_extension = extension if extension.isascii() else ""
    fallback = safe if safe.isascii() else ("download." + ascii_extension).rstrip(".")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(safe, safe='')}"


def download_content_type(name: str) -> str:
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    return CONTENT_TYPES.get(extension, OCTET_STREAM)


def attachment_response(content: bytes | IO[bytes], name: str) -> HttpResponseBase:
    """A download of `content` (bytes, or an open binary file that is streamed and closed) named `name`."""
    content_type = download_content_type(name)
    response: HttpResponseBase
    if isinstance(content, bytes):
        response = HttpResponse(content, content_type=content_type)
    else:
        response = FileResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = PRIVATE_CACHE_CONTROL
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
