"""A real Django upload handler for tests that measures what the platform does with an upload: how many bytes of
each file the views read, and how many the storing handler kept. Put it in settings.FILE_UPLOAD_HANDLERS after
the capped handler (`counting_uploads` below)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, TemporaryFileUploadHandler

READ: dict[str, int] = {}  # file name -> bytes handed to the platform's code by read()
KEPT: dict[str, int] = {}  # file name -> bytes the handler stored


class CountingUploadedFile(TemporaryUploadedFile):
    def read(self, size: int | None = -1) -> bytes:
        data: bytes = self.file.read(-1 if size is None else size)
        READ[self.name or ""] = READ.get(self.name or "", 0) + len(data)
        return data


class CountingUploadHandler(TemporaryFileUploadHandler):
    """Django's temporary-file handler, answering files that count the bytes read from them."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        FileUploadHandler.new_file(self, *args, **kwargs)
        self.file = CountingUploadedFile(self.file_name, self.content_type, 0, self.charset, self.content_type_extra)

    def file_complete(self, file_size: int) -> Any:
        KEPT[self.file.name or ""] = file_size
        return super().file_complete(file_size)


def counting_uploads(settings: Any) -> None:
    """Switch the project's handlers for: the capped handler, then the counting one; forget earlier counts."""
    READ.clear()
    KEPT.clear()
    settings.FILE_UPLOAD_HANDLERS = [
        "digigov.core.uploads.CappedUploadHandler",
        "digigov.core.tests.upload_counting.CountingUploadHandler",
    ]
