"""Uploaded files, for every domain: type checked by content (not only the name: the whole file is parsed by
digigov.core.file_content, so a polyglot such as a PNG that is also a web page is refused), size capped, and no
file left behind by a transaction that rolls back.

Files and rows: a file is written to storage before its row, inside the transaction. Should that transaction
roll back, the file would be left behind with nothing pointing at it, so every write runs inside
`files_discarded_on_error()` and reports each saved file with `remember_saved_file()`: files saved in the block
are deleted again when the block raises. Nested blocks hand their files to the enclosing one when they succeed,
so the outermost block decides.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler

from digigov.core.errors import ValidationFailed
from digigov.core.file_content import content_problem

# A page drawn again after an error cannot keep the files the browser sent: say so, once, in every domain.
FILES_LOST = "您选择的文件尚未保存，请更正上面的错误后重新选择文件"

log = logging.getLogger(__name__)
MB = 1024 * 1024

# The files saved inside the innermost files_discarded_on_error() block: (storage, name).
_saved_files: ContextVar[list[tuple[Any, str | None]] | None] = ContextVar("saved_files", default=None)


def delete_files(files: Iterable[tuple[Any, str | None]]) -> None:
    for storage, name in files:
        if not name:
            continue
        try:
            storage.delete(name)
        except OSError:
            log.exception("could not delete the stored file %s", name)


@contextmanager
def files_discarded_on_error() -> Iterator[None]:
    """Delete the files saved inside the block if it raises (its transaction rolled back)."""
    outer = _saved_files.get()
    mine: list[tuple[Any, str | None]] = []
    token = _saved_files.set(mine)
    try:
        yield
    except BaseException:
        delete_files(mine)
        raise
    finally:
        _saved_files.reset(token)
    if outer is not None:
        outer.extend(mine)


def remember_saved_file(storage: Any, name: str | None) -> None:
    files = _saved_files.get()
    assert files is not None, "save files inside files_discarded_on_error()"
    files.append((storage, name))


def file_extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def safe_file_name(name: str) -> str:
    return name.replace("/", "_").replace("\\", "_")[-150:]


def check_upload(label: str, name: str, content: bytes, *, file_types: Iterable[str], max_size_mb: int) -> str:
    """The file's extension when it is an allowed type whose content matches it and is within the size;
    otherwise a ValidationFailed naming `label` (what the file is for) in Chinese."""
    extension = file_extension(name)
    allowed = list(file_types)
    if extension not in allowed:
        raise ValidationFailed(f"「{label}」只接受以下格式：{'、'.join(allowed)}", fields={"file": "格式不符"})
    if not content:
        raise ValidationFailed(f"「{label}」上传的文件是空的", fields={"file": "空文件"})
    if len(content) > max_size_mb * 1024 * 1024:
        raise ValidationFailed(f"「{label}」不能超过 {max_size_mb}MB", fields={"file": "文件过大"})
    problem = content_problem(extension, content)  # parsed by its structure: no polyglot passes
    if problem is not None:
        log.info("upload refused as not a clean .%s file: %s", extension, problem)
        raise ValidationFailed(
            f"文件内容与扩展名 .{extension} 不符，请上传真实的{extension.upper()}文件",
            fields={"file": "内容与格式不符"},
        )
    return extension


def read_upload(upload: Any, max_bytes: int) -> bytes:
    """At most `max_bytes` + 1 bytes of an uploaded file, from its start: enough for check_upload to refuse an
    oversize file by its size, never the whole of it. Every view and API operation reads uploads through this."""
    upload.seek(0)
    content: bytes = upload.read(max_bytes + 1)
    return content


class CappedUploadHandler(FileUploadHandler):
    """The first of settings.FILE_UPLOAD_HANDLERS: passes at most settings.UPLOAD_MAX_BYTES + 1 bytes of each file
    on to Django's memory or temporary-file handler and drops the rest, so no upload is kept (in memory or on
    disk) past the largest size any upload may have. The view then refuses the file by its size."""

    passed = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.passed = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        room = settings.UPLOAD_MAX_BYTES + 1 - self.passed
        if room <= 0:
            return None  # nothing more of this file reaches the handlers that store it
        chunk = raw_data[:room]
        self.passed += len(chunk)
        return chunk

    def file_complete(self, file_size: int) -> None:
        return None  # the storing handler after this one answers the file
